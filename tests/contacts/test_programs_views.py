"""The programs list, a program's page ("who could vouch for me here") and the ties edited from
a program's page and from a contact's page, with and without htmx."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from contacts.models import Institution, Program, Tie
from tests.factories import (
    ContactFactory,
    InstitutionFactory,
    InteractionFactory,
    ProgramFactory,
    RotationFactory,
    TeamMemberFactory,
    TieFactory,
)

TODAY = datetime.date(2027, 8, 2)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.datetime(2027, 8, 2, 15, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def cascade(student):
    institution = InstitutionFactory(
        owner=student, name="Cascade University Medical Center", city="Seattle", state="WA"
    )
    return ProgramFactory(owner=student, name="Cascade Internal Medicine", institution=institution)


def a_mentor(student, name, *, weeks=4, role="program_director", **fields):
    """Someone who knows the student's work: `weeks` on a sub-I together, a meeting, a
    feedback session, and they offered to vouch."""
    contact = ContactFactory(owner=student, name=name, role=role, would_vouch=True, **fields)
    rotation = RotationFactory(owner=student, start=TODAY - datetime.timedelta(days=60),
                               end=TODAY - datetime.timedelta(days=32))  # fmt: skip
    TeamMemberFactory(rotation=rotation, contact=contact, weeks_together=weeks)
    for days_ago, kind in [(40, "feedback"), (20, "meeting")]:
        InteractionFactory(owner=student, contact=contact, kind=kind,
                           date=TODAY - datetime.timedelta(days=days_ago))  # fmt: skip
    return contact


def test_the_list_puts_targets_first_and_says_where_nobody_can_vouch(student_client, student):
    ProgramFactory(owner=student, name="Zeta Medicine", target=True)
    ProgramFactory(owner=student, name="Alpha Medicine", target=False)
    ProgramFactory(name="Someone Else's Program")  # another student's

    page = student_client.get(reverse("contacts:program_list")).content.decode()

    assert page.index("Zeta Medicine") < page.index("Other programs") < page.index("Alpha Medicine")
    assert "1 program on your list has nobody who can vouch for you yet." in page
    assert "Someone Else&#x27;s Program" not in page and "Someone Else's Program" not in page


def test_a_program_page_ranks_who_could_vouch_with_the_reason(student_client, student, cascade):
    patel = a_mentor(student, "Dr. Maya Patel", weeks=4)
    TieFactory(owner=student, contact=patel, program=cascade, kind="trained_at", note="residency")
    junior = a_mentor(student, "Dr. Junior Voice", weeks=1, role="junior_resident")
    TieFactory(owner=student, contact=junior, program=cascade, kind="works_at")
    a_mentor(student, "Dr. No Tie")

    response = student_client.get(reverse("contacts:program_detail", args=[cascade.pk]))

    page = response.content.decode()
    vouching = response.context["vouching"]
    assert [v.contact.name for v in vouching.who_can_vouch] == [
        "Dr. Maya Patel",
        "Dr. Junior Voice",
    ]
    assert (
        "Trained in this program (residency)" in page
        or "trained in this program (residency)" in page
    )
    assert "Dr. No Tie" not in page


def test_a_program_nobody_can_vouch_at_says_so_calmly(student_client, cascade):
    page = student_client.get(
        reverse("contacts:program_detail", args=[cascade.pk])
    ).content.decode()
    assert "Nobody you know has a tie to Cascade Internal Medicine (Seattle, WA) yet." in page
    link = reverse("contacts:program_tie_add", args=[cascade.pk])
    assert f'href="{link}" hx-get="{link}"' in page


def test_adding_a_program_creates_its_institution_and_refuses_a_second_of_the_same_name(
    student_client, student
):
    data = {
        "name": "Cascade Internal Medicine",
        "specialty": "Internal Medicine",
        "institution_name": "Cascade University Medical Center",
        "institution_city": "Seattle",
        "institution_state": "WA",
        "institution_setting": "academic",
        "target": "on",
    }

    response = student_client.post(reverse("contacts:program_create"), data)

    program = Program.objects.get(owner=student)
    assert response.status_code == 302 and response["Location"] == program.get_absolute_url()
    assert program.target and program.institution.place == "Seattle, WA"
    again = student_client.post(
        reverse("contacts:program_create"), {**data, "name": "cascade internal medicine"}
    )
    assert again.status_code == 200
    assert "You already have a program with this name." in again.content.decode()
    assert Program.objects.filter(owner=student).count() == 1


def test_a_program_needs_a_name_and_an_institution(student_client, student):
    response = student_client.post(reverse("contacts:program_create"), {"name": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "institution_name"}
    assert not Program.objects.exists()


def test_a_tie_added_from_the_program_page_with_htmx_swaps_the_ranking(
    student_client, student, cascade
):
    patel = a_mentor(student, "Dr. Maya Patel")
    url = reverse("contacts:program_tie_add", args=[cascade.pk])

    form = student_client.get(url, **HTMX)
    assert 'id="vouch"' in form.content.decode() and "<html" not in form.content.decode()
    response = student_client.post(
        url, {"contact": patel.pk, "kind": "knows_someone", "note": "the APD"}, **HTMX
    )

    assert response.status_code == 200
    assert [v.contact.name for v in response.context["vouching"].who_can_vouch] == [
        "Dr. Maya Patel"
    ]
    assert "Saved: Dr. Maya Patel, knows someone there." in response.content.decode()
    tie = Tie.objects.get()
    assert (tie.program, tie.kind, tie.note) == (cascade, "knows_someone", "the APD")


def test_without_htmx_a_tie_redirects_back_and_a_bad_one_shows_the_error(
    student_client, student, cascade
):
    patel = a_mentor(student, "Dr. Maya Patel")
    url = reverse("contacts:program_tie_add", args=[cascade.pk])

    saved = student_client.post(url, {"contact": patel.pk, "kind": "trained_at"})
    assert saved.status_code == 302 and saved["Location"] == cascade.get_absolute_url()
    twice = student_client.post(url, {"contact": patel.pk, "kind": "trained_at"})
    assert "This tie is already recorded." in twice.content.decode()
    empty = student_client.post(url, {"kind": "alumni"})
    assert set(empty.context["tie_form"].errors) == {"contact", "kind"}
    assert Tie.objects.count() == 1


def test_another_students_contact_cannot_be_tied_to_my_program(student_client, cascade):
    stranger = ContactFactory()
    response = student_client.post(
        reverse("contacts:program_tie_add", args=[cascade.pk]),
        {"contact": stranger.pk, "kind": "trained_at"},
    )
    assert "contact" in response.context["tie_form"].errors
    assert not Tie.objects.exists()


def test_a_tie_is_removed_from_the_program_page(student_client, student, cascade):
    tie = TieFactory(owner=student, program=cascade)
    response = student_client.post(
        reverse("contacts:program_tie_remove", args=[cascade.pk, tie.pk]), **HTMX
    )
    assert response.status_code == 200 and not Tie.objects.exists()


def test_a_tie_of_another_program_cannot_be_removed_through_this_one(
    student_client, student, cascade
):
    elsewhere = TieFactory(owner=student)  # to another program of the same student
    response = student_client.post(
        reverse("contacts:program_tie_remove", args=[cascade.pk, elsewhere.pk])
    )
    assert response.status_code == 404 and Tie.objects.filter(pk=elsewhere.pk).exists()


def test_the_contact_page_shows_ties_and_the_programs_at_their_own_institution(
    student_client, student, cascade
):
    cho = ContactFactory(owner=student, name="Dr. Daniel Cho", institution=cascade.institution)
    other = ProgramFactory(owner=student, name="Prairie Internal Medicine")
    TieFactory(owner=student, contact=cho, program=other, kind="trained_at", note="residency")

    page = student_client.get(cho.get_absolute_url()).content.decode()

    assert "Programs they are tied to" in page
    assert "Works at Cascade University Medical Center: counts as a tie to its programs" in page
    assert "Prairie Internal Medicine" in page and "residency" in page
    link = reverse("contacts:contact_tie_add", args=[cho.pk])
    assert f'href="{link}" hx-get="{link}"' in page


def test_a_tie_to_a_whole_institution_from_the_contact_page(student_client, student):
    raman = ContactFactory(owner=student, name="Dr. Priya Raman")
    url = reverse("contacts:contact_tie_add", args=[raman.pk])

    page = student_client.get(url)
    assert page.status_code == 200 and "<html" in page.content.decode()  # works without htmx
    response = student_client.post(
        url,
        {"institution_name": "Prairie State University Hospital", "kind": "knows_someone"},
        **HTMX,
    )

    assert response.status_code == 200 and 'id="ties"' in response.content.decode()
    tie = Tie.objects.get()
    assert tie.program is None and tie.institution.name == "Prairie State University Hospital"
    assert Institution.objects.filter(owner=student, name="Prairie State University Hospital")


def test_a_tie_needs_a_program_or_an_institution_not_both(student_client, student, cascade):
    raman = ContactFactory(owner=student)
    url = reverse("contacts:contact_tie_add", args=[raman.pk])

    neither = student_client.post(url, {"kind": "trained_at"})
    both = student_client.post(
        url, {"program": cascade.pk, "institution_name": "Elsewhere", "kind": "trained_at"}
    )

    assert "Choose a program, or type a hospital or institution." in neither.content.decode()
    assert "not both" in both.content.decode()
    assert not Tie.objects.exists() and not Institution.objects.filter(name="Elsewhere").exists()


def test_each_program_and_tie_write_announces_the_change_once(student, cascade):
    from contacts import services
    from crm.events import changed

    heard = []

    def listener(**kwargs):
        heard.append(kwargs["owner_id"])

    contact = ContactFactory(owner=student)
    changed.connect(listener)
    try:
        tie = services.tie_create(owner=student, contact=contact, program=cascade, kind="works_at")
        services.tie_delete(tie=tie)
        services.program_update(program=cascade, target=False)
        services.program_delete(program=cascade)
    finally:
        changed.disconnect(listener)
    assert heard == [student.pk] * 4


@pytest.mark.parametrize("tied", [3, 30])
def test_the_program_page_takes_the_same_queries_for_3_or_30_tied_contacts(
    student_client, student, cascade, django_assert_num_queries, tied
):
    for index in range(tied):
        contact = a_mentor(student, f"Dr. Mentor {index}")
        TieFactory(owner=student, contact=contact, program=cascade)

    # 1 session, 2 the student, 3 the program, 4 the ties to show, 5 the ties to rank,
    # 6 the tied contacts, 7-9 their interactions, team places and letters.
    with django_assert_num_queries(9):
        response = student_client.get(reverse("contacts:program_detail", args=[cascade.pk]))

    assert len(response.context["vouching"].vouchers) == tied


@pytest.mark.parametrize("programs", [2, 12])
def test_the_programs_list_takes_the_same_queries_for_2_or_12_programs(
    student_client, student, django_assert_num_queries, programs
):
    for index in range(programs):
        program = ProgramFactory(owner=student, name=f"Program {index}")
        TieFactory(owner=student, contact=a_mentor(student, f"Dr. M {index}"), program=program)

    # 1 session, 2 the student, 3 the programs, 4 the ties, 5 the tied contacts,
    # 6-8 their interactions, team places and letters.
    with django_assert_num_queries(8):
        response = student_client.get(reverse("contacts:program_list"))

    assert len(response.context["targets"]) == programs
