"""Every URL of the project, requested as each kind of visitor, answers exactly as it should.

The table below classifies every named URL pattern. A new URL without an entry fails
`test_every_url_pattern_is_classified`: whoever adds a URL decides, here, who may open it.

Visitors: the owner (a student with records), another student, an advisor with live access to
the owner, an advisor whose access was revoked, an advisor with access to a different student,
and an anonymous visitor. Each request uses a fresh client, and the owner goes last, since the
owner's POSTs may delete things. /admin/ is left to Django's own staff check (not swept).
"""

import dataclasses
import datetime
import uuid
from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from advisors.models import AdvisorAccess
from advisors.services import invitation_token
from contacts.models import ImportUpload, RedFlag
from reminders.email import links
from reminders.models import AdvocateSnapshot, Nudge, NudgeKind
from tests.factories import (
    AdvisorFactory,
    ContactFactory,
    InteractionFactory,
    InvitationFactory,
    LetterRequestFactory,
    ProgramFactory,
    RecommendationFactory,
    RotationFactory,
    TeamMemberFactory,
    TieFactory,
    UserFactory,
)

# What a visitor gets.
OK = 200
BAD = 400  # a POST without data: the form's errors, re-rendered
FORBIDDEN = 403
MISSING = 404
GONE = 410
LOGIN = "302 to login"
REDIRECT = "302 elsewhere"  # e.g. after a successful POST, or an advisor sent to their home

ROLES = ["other_student", "advisor", "revoked_advisor", "other_advisor", "anonymous", "owner"]
SKIPPED_NAMESPACES = {"admin"}  # Django's admin: staff only, tested by Django itself


@dataclasses.dataclass(frozen=True)
class Expect:
    owner: object
    other_student: object
    advisor: object
    revoked_advisor: object
    other_advisor: object
    anonymous: object
    method: str = "get"
    kwargs: Callable[["World"], dict] = lambda world: {}


def student_page(method="get", *, mine=False, owner=OK, other=None, kwargs=None) -> Expect:
    """A page of a student's own workspace: advisors are refused (403), strangers to the
    object get 404, visitors are asked to log in. Written out per URL below all the same."""
    if other is None:
        other = MISSING if mine else owner
    return Expect(
        owner=owner,
        other_student=other,
        advisor=FORBIDDEN,
        revoked_advisor=FORBIDDEN,
        other_advisor=FORBIDDEN,
        anonymous=LOGIN,
        method=method,
        kwargs=kwargs or (lambda world: {}),
    )


def pk(attribute: str) -> Callable[["World"], dict]:
    return lambda world: {"pk": getattr(world, attribute).pk}


def public(owner=OK, *, signed_in=None, method="get", kwargs=None) -> Expect:
    """Open to everyone (signed in or not)."""
    signed_in = owner if signed_in is None else signed_in
    return Expect(
        owner=signed_in,
        other_student=signed_in,
        advisor=signed_in,
        revoked_advisor=signed_in,
        other_advisor=signed_in,
        anonymous=owner,
        method=method,
        kwargs=kwargs or (lambda world: {}),
    )


EXPECTATIONS: dict[str, Expect] = {
    # --- Accounts (crm/account_urls.py) ---
    "signup": public(OK, signed_in=REDIRECT),
    "login": public(OK, signed_in=REDIRECT),
    "signin_link": public(OK, kwargs=lambda world: {"token": "not-a-link"}),  # "expired"
    "logout": public(LOGIN, method="post"),
    "password_reset": public(OK),
    "password_reset_done": public(OK),
    "password_reset_confirm": public(
        OK,  # an outdated link: a page that says so (signing in outdates it for the owner too)
        kwargs=lambda world: {"uidb64": world.reset_uid, "token": "1-outdated"},
    ),
    "password_reset_complete": public(OK),
    "password_change": Expect(OK, OK, OK, OK, OK, LOGIN),
    "manifest": public(OK),
    "service_worker": public(OK),  # /sw.js, at the root so its scope is the whole site
    # --- The student's own workspace ---
    "home": Expect(OK, OK, REDIRECT, REDIRECT, REDIRECT, LOGIN),
    "settings": Expect(OK, OK, REDIRECT, REDIRECT, REDIRECT, LOGIN),
    "settings_section": student_page(kwargs=lambda world: {"slug": "profile"}),
    "calendar_update": student_page("post", owner=BAD),
    "my_map": student_page(),
    "contacts:list": student_page(),
    "contacts:create": student_page(),
    "contacts:picker": student_page(),
    "contacts:detail": student_page(mine=True, kwargs=pk("contact")),
    "contacts:edit": student_page(mine=True, kwargs=pk("contact")),
    "contacts:delete": student_page(mine=True, kwargs=pk("contact")),
    "contacts:archive": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("contact")),
    "contacts:quick_log": student_page(),
    "contacts:interaction_create": student_page("post", owner=BAD),  # the quick-log, with errors
    "contacts:interaction_edit": student_page(mine=True, kwargs=pk("interaction")),
    "contacts:interaction_delete": student_page(mine=True, kwargs=pk("interaction")),
    "contacts:rotation_list": student_page(),
    "contacts:rotation_create": student_page(),
    "contacts:rotation_detail": student_page(mine=True, kwargs=pk("rotation")),
    "contacts:rotation_edit": student_page(mine=True, kwargs=pk("rotation")),
    "contacts:rotation_delete": student_page(mine=True, kwargs=pk("rotation")),
    "contacts:red_flag_create": student_page("post", owner=400),
    "contacts:red_flag_edit": student_page(mine=True, kwargs=pk("red_flag")),
    "contacts:red_flag_delete": student_page(
        "post", mine=True, owner=REDIRECT, kwargs=pk("red_flag")
    ),
    "contacts:rotation_team_add": student_page(
        "post",
        mine=True,
        owner=OK,
        kwargs=pk("rotation"),  # the team form, with errors
    ),
    "contacts:rotation_team_remove": student_page(
        "post",
        mine=True,
        owner=REDIRECT,
        kwargs=lambda world: {"pk": world.rotation.pk, "member_pk": world.member.pk},
    ),
    "contacts:letter_board": student_page(),
    "contacts:letter_create": student_page(),
    "contacts:letter_detail": student_page(mine=True, kwargs=pk("letter")),
    "contacts:letter_edit": student_page(mine=True, kwargs=pk("letter")),
    "contacts:letter_delete": student_page(mine=True, kwargs=pk("letter")),
    "contacts:letter_advance": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("letter")),
    "contacts:program_list": student_page(),
    "contacts:program_create": student_page(),
    "contacts:program_detail": student_page(mine=True, kwargs=pk("program")),
    "contacts:program_edit": student_page(mine=True, kwargs=pk("program")),
    "contacts:program_delete": student_page(mine=True, kwargs=pk("program")),
    "contacts:program_tie_add": student_page(
        "post",
        mine=True,
        owner=OK,
        kwargs=pk("program"),  # the tie form, with errors
    ),
    "contacts:program_tie_remove": student_page(
        "post",
        mine=True,
        owner=REDIRECT,
        kwargs=lambda world: {"pk": world.program.pk, "tie_pk": world.tie.pk},
    ),
    "contacts:contact_tie_add": student_page(
        "post",
        mine=True,
        owner=OK,
        kwargs=pk("contact"),  # the tie form, with errors
    ),
    "contacts:contact_tie_remove": student_page(
        "post",
        mine=True,
        owner=REDIRECT,
        kwargs=lambda world: {"pk": world.contact.pk, "tie_pk": world.contact_tie.pk},
    ),
    "contacts:data_export": student_page(),
    "data_import": student_page("post", owner=BAD),
    "contacts:import_start": student_page(),
    "contacts:import_template": student_page(),
    "contacts:import_preview": student_page(mine=True, kwargs=lambda w: {"token": w.upload.token}),
    "contacts:import_confirm": student_page(
        "post", mine=True, owner=REDIRECT, kwargs=lambda w: {"token": w.upload.token}
    ),
    "contacts:export_csv": student_page(),
    "contacts:export_xlsx": student_page(),
    # --- Nudges (reminders/urls.py) ---
    "reminders:nudge_done": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("nudge")),
    "reminders:nudge_snooze": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("nudge")),
    "reminders:nudge_dismiss": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("nudge")),
    # --- Match Week (reminders/match_week_views.py); the owner's empty POSTs are refused ---
    "reminders:match_week": student_page(),
    "reminders:match_week_story": student_page("post", owner=BAD),
    "reminders:match_week_callers": student_page(),
    "reminders:match_week_outcome": student_page("post", owner=REDIRECT),
    "reminders:match_week_note": student_page("post", owner=REDIRECT),
    "reminders:match_week_matched": student_page("post", owner=BAD),
    "reminders:match_week_contacted": student_page("post", owner=BAD),
    # --- The weekly email (reminders/digest_urls.py) ---
    "reminders:digest_preview": student_page(),
    "reminders:digest_preview_html": student_page(),
    "reminders:digest_preview_send": student_page("post", owner=REDIRECT),
    "reminders:digest_settings": student_page("post", owner=REDIRECT),
    # The email's one-click links work without logging in, for whoever holds the signed link.
    "reminders:digest_action": public(OK, kwargs=lambda world: {"token": world.action_token}),
    "reminders:digest_unsubscribe": public(
        OK, kwargs=lambda world: {"token": world.unsubscribe_token}
    ),
    # The calendar feed: the token in the URL is the credential, whoever is signed in.
    "reminders:calendar_feed": public(
        OK, kwargs=lambda world: {"token": world.owner.calendar_token}
    ),
    "reminders:calendar_feed_regenerate": student_page("post", owner=REDIRECT),
    # The operator's status page: staff only (none of these visitors is staff).
    "reminders:ops_status": Expect(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, LOGIN),
    # --- Sharing, on the student's side (advisors/urls.py) ---
    "sharing": student_page(),
    "sharing_invite": student_page("post", owner=BAD),
    "sharing_revoke": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("access")),
    "sharing_notes": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("access")),
    "invitation_cancel": student_page("post", mine=True, owner=REDIRECT, kwargs=pk("invitation")),
    "recommendation_done": student_page(
        "post", mine=True, owner=REDIRECT, kwargs=pk("recommendation")
    ),
    # --- The invitation link: for the invited address only (a fresh one here) ---
    "invitation_accept": Expect(
        owner=FORBIDDEN,  # signed in with another email: "this invitation is for someone else"
        other_student=FORBIDDEN,
        advisor=FORBIDDEN,
        revoked_advisor=FORBIDDEN,
        other_advisor=FORBIDDEN,
        anonymous=OK,  # "create your account or log in"
        kwargs=lambda world: {"token": world.token},
    ),
    "invitation_signup": Expect(
        owner=REDIRECT,  # signed in: back to the invitation page, which explains
        other_student=REDIRECT,
        advisor=REDIRECT,
        revoked_advisor=REDIRECT,
        other_advisor=REDIRECT,
        anonymous=OK,
        kwargs=lambda world: {"token": world.token},
    ),
    # --- The advisor's pages ---
    # --- Log by BCC (inbound/urls.py); the webhooks are off until a secret is configured ---
    "inbound:webhook": Expect(
        MISSING,
        MISSING,
        MISSING,
        MISSING,
        MISSING,
        MISSING,
        method="post",
        kwargs=lambda world: {"provider": "postmark"},
    ),
    "inbound:address_regenerate": student_page("post", owner=REDIRECT),
    "inbound:sender_add": student_page("post", owner=REDIRECT),  # refused: a message, back
    "inbound:sender_remove": student_page(
        "post", mine=True, owner=REDIRECT, kwargs=lambda w: {"pk": _inbound(w)[0].pk}
    ),
    "inbound:sender_confirm": student_page(kwargs=lambda world: {"token": "outdated"}),
    "inbound:stranger_add": student_page(
        "post", mine=True, owner=REDIRECT, kwargs=lambda w: {"pk": _inbound(w)[1].pk}
    ),
    "inbound:stranger_ignore": student_page(
        "post", mine=True, owner=REDIRECT, kwargs=lambda w: {"pk": _inbound(w)[1].pk}
    ),
    "advisor_home": Expect(FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN),
    "advisor_student": Expect(
        FORBIDDEN, FORBIDDEN, OK, MISSING, MISSING, LOGIN, kwargs=lambda w: w.student_kwargs
    ),
    # The class view and its exports: every advisor sees their own class (the owner only in
    # the class of the advisor they share with; test_class_view_shows_no_one_else checks).
    "advisor_cohort": Expect(FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN),
    "advisor_cohort_csv": Expect(FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN),
    "advisor_cohort_xlsx": Expect(FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN),
    "advisor_flag_close": Expect(
        FORBIDDEN,
        FORBIDDEN,
        REDIRECT,  # allowed; an empty note is sent back with a message
        MISSING,
        MISSING,
        LOGIN,
        method="post",
        kwargs=lambda w: w.student_kwargs,
    ),
    "advisor_recommend": Expect(
        FORBIDDEN,
        FORBIDDEN,
        BAD,  # allowed, but an empty recommendation is refused
        MISSING,
        MISSING,
        LOGIN,
        method="post",
        kwargs=lambda w: w.student_kwargs,
    ),
    "advisor_recommendation_delete": Expect(
        FORBIDDEN,
        FORBIDDEN,
        REDIRECT,
        MISSING,
        MISSING,
        LOGIN,
        method="post",
        kwargs=lambda w: {**w.student_kwargs, "pk": w.recommendation.pk},
    ),
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield namespace, name, prefix + str(entry.pattern)


def _inbound(world) -> tuple:
    """The owner's other sender address and a person emailed who is not a contact (made on
    first use, so the world stays as it was for every other URL)."""
    from inbound.models import SenderAddress, Stranger

    sender, _ = SenderAddress.objects.get_or_create(student=world.owner, email="o@home.test")
    stranger, _ = Stranger.objects.get_or_create(
        student=world.owner,
        email="new@away.test",
        defaults={"emailed_on": datetime.date(2027, 8, 1), "direction": "outbound"},
    )
    return sender, stranger


def project_url_names() -> dict[str, str]:
    """Every named URL pattern outside the skipped namespaces: name → route."""
    found = {}
    for namespace, name, route in _walk(get_resolver().url_patterns):
        if namespace.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        assert name, f"The URL pattern {route!r} has no name: name it and classify it here."
        found[name] = route
    return found


def test_every_url_pattern_is_classified():
    names = project_url_names()
    unclassified = sorted(set(names) - set(EXPECTATIONS))
    assert not unclassified, (
        "These URLs have no entry in tests/test_url_sweep.py EXPECTATIONS; decide what each "
        f"visitor should get: {[(name, names[name]) for name in unclassified]}"
    )
    gone = sorted(set(EXPECTATIONS) - set(names))
    assert not gone, f"EXPECTATIONS lists URLs that no longer exist: {gone}"


@dataclasses.dataclass
class World:
    owner: object
    other_student: object
    advisor: object
    revoked_advisor: object
    other_advisor: object
    contact: object
    interaction: object
    rotation: object
    red_flag: object
    member: object
    letter: object
    program: object
    tie: object
    contact_tie: object
    nudge: object
    access: object
    invitation: object
    recommendation: object
    token: str
    reset_uid: str
    action_token: str
    unsubscribe_token: str
    upload: object

    @property
    def student_kwargs(self) -> dict:
        return {"student_id": self.owner.pk}


def build_world() -> World:
    owner = UserFactory(email="owner@example.edu", name="Olive Owner")
    other_student = UserFactory(email="other@example.edu", name="Oscar Other")
    advisor = AdvisorFactory(email="adv@example.edu", name="Dr. Access")
    revoked = AdvisorFactory(email="revoked@example.edu", name="Dr. Revoked")
    other_advisor = AdvisorFactory(email="elsewhere@example.edu", name="Dr. Elsewhere")
    today = datetime.date(2027, 8, 2)
    contact = ContactFactory(owner=owner, notes="private")
    rotation = RotationFactory(owner=owner)
    member = TeamMemberFactory(rotation=rotation, contact=contact)
    program = ProgramFactory(owner=owner)
    tie = TieFactory(owner=owner, contact=contact, program=program)
    contact_tie = TieFactory(owner=owner, contact=contact, program=program, kind="works_at")
    access = AdvisorAccess.objects.create(student=owner, advisor=advisor)
    AdvisorAccess.objects.create(student=owner, advisor=revoked, revoked_at=timezone.now())
    AdvisorAccess.objects.create(student=other_student, advisor=other_advisor)
    invitation = InvitationFactory(student=owner, email="someone-new@example.edu")
    AdvocateSnapshot.objects.create(owner=owner, week=today, advocates=1)
    nudge = Nudge.objects.create(
        owner=owner,
        kind=NudgeKind.FOLLOW_UP,
        contact=contact,
        key=f"follow_up:{contact.pk}:2027-04-01",
        occasion_on=datetime.date(2027, 4, 1),
        due=today,
        reason="Time for a short update.",
    )
    return World(
        owner=owner,
        other_student=other_student,
        advisor=advisor,
        revoked_advisor=revoked,
        other_advisor=other_advisor,
        contact=contact,
        interaction=InteractionFactory(owner=owner, contact=contact),
        rotation=rotation,
        red_flag=RedFlag.objects.create(owner=owner, kind="exam", note="Step 1 on the second try"),
        member=member,
        letter=LetterRequestFactory(owner=owner, writer=contact),
        program=program,
        tie=tie,
        contact_tie=contact_tie,
        nudge=nudge,
        access=access,
        invitation=invitation,
        recommendation=RecommendationFactory(student=owner, advisor=advisor),
        token=invitation_token(invitation),
        reset_uid=urlsafe_base64_encode(force_bytes(owner.pk)),
        action_token=links.action_token(
            student_id=owner.pk, nudge_id=nudge.pk, action=links.DONE, nonce="sweep"
        ),
        unsubscribe_token=links.unsubscribe_token(owner),
        upload=ImportUpload.objects.create(
            owner=owner,
            token=uuid.uuid4(),
            format="vcard",
            content=b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sweep Person\r\nEND:VCARD\r\n",
        ),
    )


def _outcome(response) -> object:
    if response.status_code == 302:
        location = response["Location"]
        return LOGIN if location.startswith(reverse("login")) else REDIRECT
    return response.status_code


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_visitor_gets_exactly_what_they_should(client_factory, db, name):
    expect = EXPECTATIONS[name]
    world = build_world()
    url = reverse(name, kwargs=expect.kwargs(world))
    got, wanted = {}, {}
    for role in ROLES:
        client = client_factory()
        if role != "anonymous":
            user = getattr(world, role)
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = getattr(client, expect.method)(url)
        got[role] = _outcome(response)
        wanted[role] = getattr(expect, role)
        if name not in PUBLIC_CACHEABLE:
            # Private pages (and their redirects and refusals) are never stored: a Back
            # button must not show a student after the access was revoked.
            assert "no-store" in response.get("Cache-Control", ""), f"{role}: {url}"
    assert got == wanted, f"{expect.method.upper()} {url}"


# The one page a browser may keep: the web app manifest, the same for everyone.
PUBLIC_CACHEABLE = {"manifest"}


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


# Pages that are not a student's workspace: the account pages, the invitation link, and the
# advisor's own pages (where an advisor may write a recommendation, never a record).
NOT_STUDENT_WORKSPACE = {
    "signup",
    "login",
    "signin_link",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change",
    "manifest",
    "service_worker",
    "invitation_accept",
    "invitation_signup",
    "advisor_home",
    "advisor_cohort",
    "advisor_cohort_csv",
    "advisor_cohort_xlsx",
    "advisor_flag_close",
    "advisor_student",
    "advisor_recommend",
    "advisor_recommendation_delete",
    # The weekly email's links: the signed, single-use token sent to the student is the
    # credential, whoever is signed in (tested in the weekly email's own tests).
    "reminders:digest_action",
    "reminders:digest_unsubscribe",
    # The calendar feed: read only, its token is the credential.
    "reminders:calendar_feed",
    # The operator's status page (staff only, read only).
    "reminders:ops_status",
    # The providers' inbound webhooks: the webhook secret is the credential (inbound tests).
    "inbound:webhook",
}


def _record_counts(student) -> dict[str, int]:
    return {
        "contacts": student.contacts.count(),
        "interactions": student.interactions.count(),
        "rotations": student.rotations.count(),
        "letters": student.letters.count(),
        "programs": student.programs.count(),
        "ties": student.ties.count(),
        "nudges": student.nudges.filter(state="open").count(),
        "accesses": student.advisor_accesses.filter(revoked_at__isnull=True).count(),
        "recommendations_done": student.recommendations.filter(done_at__isnull=False).count(),
    }


def test_no_write_url_accepts_an_advisor(client, db):
    """POST to every page of the student's workspace as the advisor the student shares with:
    each one is refused, and nothing of the student's changes."""
    world = build_world()
    client.force_login(world.advisor, backend="django.contrib.auth.backends.ModelBackend")
    before = _record_counts(world.owner)
    got, wanted = {}, {}
    for name in sorted(set(project_url_names()) - NOT_STUDENT_WORKSPACE):
        url = reverse(name, kwargs=EXPECTATIONS[name].kwargs(world))
        got[name] = _outcome(client.post(url, {"name": "Changed", "share_notes": "on"}))
        # "home" and "settings" send an advisor to their own list of students.
        wanted[name] = REDIRECT if name in ("home", "settings") else FORBIDDEN
    assert got == wanted
    assert _record_counts(world.owner) == before


@pytest.mark.parametrize("name", ["advisor_cohort", "advisor_cohort_csv", "advisor_cohort_xlsx"])
def test_class_view_shows_no_one_else(client_factory, db, name):
    """The class view and its exports name the owner to their advisor only: another advisor,
    a revoked advisor, a student and an anonymous visitor get a page without the owner (or a
    refusal), whatever Match year they ask for."""
    import io

    from openpyxl import load_workbook

    world = build_world()
    # Quiet for two months, so the page lists the owner under "needs attention" by name.
    type(world.owner).objects.filter(pk=world.owner.pk).update(
        records_changed_at=timezone.now() - datetime.timedelta(days=60)
    )
    marker = world.owner.name if name == "advisor_cohort" else world.owner.email
    query = f"?year={world.owner.match_year}" if world.owner.match_year else ""
    url = reverse(name) + query

    def text_of(response) -> str:
        if name == "advisor_cohort_xlsx" and response.status_code == 200:
            book = load_workbook(io.BytesIO(response.content), read_only=True)
            return " ".join(
                str(cell) for row in book.active.iter_rows(values_only=True) for cell in row
            )
        return response.content.decode()

    for role in ["advisor", "other_advisor", "revoked_advisor", "other_student", "anonymous"]:
        client = client_factory()
        if role != "anonymous":
            client.force_login(
                getattr(world, role), backend="django.contrib.auth.backends.ModelBackend"
            )
        response = client.get(url)
        seen = marker in text_of(response)
        assert seen == (role == "advisor"), role
        if role in ("other_student", "anonymous"):
            assert _outcome(response) in (FORBIDDEN, LOGIN, MISSING), role
