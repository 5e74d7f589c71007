"""The invitation link: valid, expired, reused, tampered with, withdrawn, and opened by the
wrong account; and the advisor who signs up or logs in through it."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from advisors import services
from advisors.models import AdvisorAccess, Invitation
from crm.models import User
from tests.factories import PASSWORD, AdvisorFactory, UserFactory

START = datetime.datetime(2027, 8, 2, 9, 0, tzinfo=datetime.UTC)
ADVISOR_EMAIL = "chen@med.example.edu"
LINK = re.compile(r"http://testserver(/advisor/invitations/[^/\s]+/)")


@pytest.fixture(autouse=True)
def traveller():
    # Autouse, so the clock is set before anyone signs in (a session has an expiry date).
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def invite(student_client, email=ADVISOR_EMAIL, share_notes=False) -> str:
    """The student invites `email` through the settings form; returns the emailed link path."""
    data = {"email": email}
    if share_notes:
        data["share_notes"] = "on"
    response = student_client.post(reverse("sharing_invite"), data)
    assert response.status_code == 302
    return LINK.search(mail.outbox[-1].body).group(1)


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def has_access(student, advisor) -> bool:
    return AdvisorAccess.objects.live().filter(student=student, advisor=advisor).exists()


# --- The email ----------------------------------------------------------------------------


def test_the_invitation_email_carries_a_signed_link_to_the_invited_address(
    student_client, student, traveller
):
    link = invite(student_client, share_notes=True)

    (email,) = mail.outbox
    assert email.to == [ADVISOR_EMAIL]
    assert email.subject == "Ada Student invited you to see their advocate map"
    assert "expires in 14 days" in email.body
    assert "share their private notes" in email.body
    token = link.split("/")[-2]
    invitation = Invitation.objects.get()
    assert services.invitation_id_from_token(token) == invitation.pk
    assert invitation.share_notes is True


# --- Valid ------------------------------------------------------------------------------------


def test_a_visitor_with_a_valid_link_is_offered_to_create_an_advisor_account(
    client, student_client, student, traveller
):
    link = invite(student_client)
    client.logout()

    response = client.get(link)

    assert response.status_code == 200
    assert response.context["check"].state == "sign_in"
    assert b"Create your advisor account" in response.content


def test_signing_up_through_the_link_creates_an_advisor_who_sees_the_map_at_once(
    client, student_client, student, traveller
):
    link = invite(student_client)
    student_client.logout()

    response = client.post(link + "signup/", {"name": "Dr. Wei Chen", "password": PASSWORD})

    advisor = User.objects.get(email=ADVISOR_EMAIL)
    assert advisor.role == User.Role.ADVISOR
    assert response.status_code == 302
    assert response["Location"] == reverse("advisor_student", args=[student.pk])
    assert has_access(student, advisor)
    assert client.get(response["Location"]).status_code == 200


def test_an_existing_advisor_logs_in_and_accepts(client, student_client, student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    student_client.logout()

    page = client.get(link)
    assert page.context["check"].account_exists
    assert f"{reverse('login')}?next=" in page.content.decode()
    response = client.post(
        reverse("login"), {"username": ADVISOR_EMAIL, "password": PASSWORD, "next": link}
    )
    assert response["Location"] == link
    assert client.get(link).context["check"].state == "ready"
    assert not has_access(student, advisor)  # opening the link does not accept it

    accepted = client.post(link)

    assert accepted["Location"] == reverse("advisor_student", args=[student.pk])
    assert has_access(student, advisor)
    assert Invitation.objects.get().accepted_by == advisor


def test_the_email_address_matches_whatever_its_case(client, student_client, student, traveller):
    advisor = AdvisorFactory(email="chen@med.example.edu")
    link = invite(student_client, email="Chen@Med.Example.edu")
    login(client, advisor)

    client.post(link)

    assert has_access(student, advisor)


# --- Expired ------------------------------------------------------------------------------------


def test_an_expired_link_is_refused_kindly(client, student_client, student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    login(client, advisor)

    traveller.shift(datetime.timedelta(days=14, seconds=1))
    response = client.post(link)

    assert response.status_code == 410
    assert b"This invitation has expired" in response.content
    assert not has_access(student, advisor)


def test_a_link_still_works_on_its_last_day(client, student_client, student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    login(client, advisor)

    traveller.shift(datetime.timedelta(days=13, hours=23))
    client.post(link)

    assert has_access(student, advisor)


def test_the_expiry_is_a_setting(client, student_client, student, traveller, settings):
    settings.ADVISOR_INVITATION_MAX_AGE_DAYS = 3
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    login(client, advisor)

    traveller.shift(datetime.timedelta(days=3, seconds=1))

    assert client.post(link).status_code == 410
    assert not has_access(student, advisor)


# --- Reused -------------------------------------------------------------------------------------


def test_a_link_works_once(client, student_client, student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    login(client, advisor)
    client.post(link)
    # The student stops sharing; the old link cannot bring the access back.
    services.access_revoke(access=AdvisorAccess.objects.get())

    again = client.post(link)

    assert not has_access(student, advisor)
    assert again.status_code == 302  # the advisor who used it is sent on to the student ...
    assert client.get(again["Location"]).status_code == 404  # ... who no longer shares


def test_a_used_link_is_refused_to_anyone_else(client, student_client, student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    login(client, advisor)
    client.post(link)
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert b"already been used" in response.content


def test_the_advisor_who_accepted_is_taken_back_to_the_map(
    client, student_client, student, traveller
):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    login(client, advisor)
    client.post(link)

    response = client.get(link)

    assert response["Location"] == reverse("advisor_student", args=[student.pk])


def test_accepting_twice_at_once_grants_access_once(student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    invitation = services.invitation_create(student=student, email=ADVISOR_EMAIL, share_notes=False)
    services.invitation_accept(invitation=invitation, advisor=advisor)

    with pytest.raises(services.InvitationUnavailable):
        services.invitation_accept(invitation=invitation, advisor=advisor)
    assert AdvisorAccess.objects.count() == 1


def test_a_new_invitation_withdraws_the_previous_link(client, student_client, student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    first = invite(student_client)
    second = invite(student_client)
    login(client, advisor)

    assert client.post(first).status_code == 410
    assert client.post(second).status_code == 302
    assert has_access(student, advisor)


# --- Tampered -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: str(int(token.split(":")[0]) + 1) + token[token.index(":") :],  # the id
        lambda token: "not-a-token",
        lambda token: token.split(":")[0],  # unsigned
    ],
    ids=["signature", "invitation id", "garbage", "unsigned"],
)
def test_a_tampered_link_is_refused(client, student_client, student, traveller, tamper):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    token = invite(student_client).split("/")[-2]
    login(client, advisor)

    response = client.post(reverse("invitation_accept", args=[tamper(token)]))

    assert response.status_code == 400
    assert b"This link isn" in response.content
    assert not has_access(student, advisor)


def test_a_token_signed_for_something_else_is_refused(client, advisor, traveller):
    from django.core import signing

    forged = signing.TimestampSigner(salt="something-else").sign("1")

    assert client.get(reverse("invitation_accept", args=[forged])).status_code == 400


# --- Wrong account -----------------------------------------------------------------------------


def test_an_advisor_signed_in_with_another_email_gets_a_clear_refusal(
    client, student_client, student, traveller
):
    link = invite(student_client)
    someone_else = AdvisorFactory(email="someone.else@example.edu")
    login(client, someone_else)

    response = client.post(link)

    assert response.status_code == 403
    content = response.content.decode()
    assert "This invitation is for another account" in content
    assert ADVISOR_EMAIL in content and "someone.else@example.edu" in content
    assert not AdvisorAccess.objects.exists()
    # The invitation is still there for the right person.
    assert Invitation.objects.get().status() == Invitation.Status.PENDING


def test_a_student_account_with_the_invited_email_cannot_accept(
    client, student_client, student, traveller
):
    link = invite(student_client)
    classmate = UserFactory(email=ADVISOR_EMAIL)
    login(client, classmate)

    response = client.post(link)

    assert response.status_code == 403
    assert b"needs an advisor account" in response.content
    assert not AdvisorAccess.objects.exists()


def test_signup_through_the_link_is_only_for_a_new_address(
    client, student_client, student, traveller
):
    AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    student_client.logout()

    response = client.post(link + "signup/", {"name": "Impostor", "password": PASSWORD})

    assert response["Location"] == link
    assert User.objects.filter(email=ADVISOR_EMAIL).count() == 1


def test_the_student_may_not_invite_themselves(student_client, student, traveller):
    response = student_client.post(reverse("sharing_invite"), {"email": student.email})

    assert response.status_code == 400
    assert "your own address" in response.context["invite_form"].errors["email"][0]
    assert not mail.outbox


# --- Withdrawn ----------------------------------------------------------------------------------


def test_a_withdrawn_invitation_no_longer_works(client, student_client, student, traveller):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    link = invite(student_client)
    invitation = Invitation.objects.get()
    student_client.post(reverse("invitation_cancel", args=[invitation.pk]))
    login(client, advisor)

    response = client.post(link)

    assert response.status_code == 410
    assert b"withdrew this invitation" in response.content
    assert not has_access(student, advisor)


def test_the_student_opening_their_own_link_is_told_it_is_for_the_advisor(student_client, student):
    link = invite(student_client)

    response = student_client.post(link)

    assert response.status_code == 403
    assert b"This is the invitation you sent" in response.content
    assert not AdvisorAccess.objects.exists()


def test_access_stands_even_if_the_figures_cannot_be_refreshed(student, monkeypatch):
    def broken(student):
        raise RuntimeError("engine down")

    monkeypatch.setattr(services, "refresh_student", broken)
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    invitation = services.invitation_create(student=student, email=ADVISOR_EMAIL, share_notes=False)

    services.invitation_accept(invitation=invitation, advisor=advisor)

    assert has_access(student, advisor)


def test_an_inactive_students_map_is_not_shown(client, student):
    advisor = AdvisorFactory(email=ADVISOR_EMAIL)
    AdvisorAccess.objects.create(student=student, advisor=advisor)
    User.objects.filter(pk=student.pk).update(is_active=False)
    login(client, advisor)

    assert client.get(reverse("advisor_student", args=[student.pk])).status_code == 404
