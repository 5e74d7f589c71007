"""The browser suite's world: a student with records in every state, an advisor who can see
them, every page each of them can open, and the small helpers the suite shares (signing in
by cookie, axe-core, measuring targets, screenshots under test-artifacts/screens/)."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from reminders.models import Nudge, NudgeKind
from tests.advisors.advisor_world import build_network, share, snapshots
from tests.factories import (
    AdvisorFactory,
    ContactFactory,
    InteractionFactory,
    RecommendationFactory,
    RotationFactory,
    UserFactory,
)

HERE = Path(__file__).resolve().parent
AXE = HERE / "axe.min.js"  # axe-core 4.14.1 from the npm registry (package.json)
SCREENS = HERE.parent.parent / "test-artifacts" / "screens"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DAY = datetime.timedelta(days=1)


def build_world() -> dict:
    student = UserFactory(
        email="ada@example.edu",
        name="Ada Lovelace",
        target_specialties=["Internal Medicine"],
        target_cities=["Chicago, IL"],
    )
    today = student.local_today()
    people = build_network(student, today, size=10)
    snapshots(student, today, [0, 1, 1, 2, 2])
    rotation = RotationFactory(
        owner=student, name="Cardiology elective", start=today - 10 * DAY, end=today + 10 * DAY
    )
    newcomer = ContactFactory(owner=student, name="Dr. Lena Okafor", role="")
    InteractionFactory(owner=student, contact=newcomer, date=today, summary="Grand rounds")
    Nudge.objects.create(
        owner=student,
        kind=NudgeKind.THANK_YOU,
        contact=people[0],
        key=f"thank_you:{people[0].pk}",
        occasion_on=today - DAY,
        due=today,
        reason=f"You met with {people[0].name} yesterday. A short thank-you helps.",
    )
    advisor = AdvisorFactory(email="chen@med.example.edu", name="Dr. Wei Chen")
    share(student, advisor, share_notes=True)
    RecommendationFactory(student=student, advisor=advisor, text="Ask Dr. Person1 for feedback.")
    letter = people[0].letters.first()
    interaction = newcomer.interactions.first()
    return {
        "student": student,
        "advisor": advisor,
        "contact": people[0],
        "rotation": rotation,
        "letter": letter,
        "interaction": interaction,
    }


def student_pages(world) -> list[tuple[str, str]]:
    """(name, path) of every page a student opens, one of each kind."""
    contact, rotation, letter = world["contact"], world["rotation"], world["letter"]
    return [
        ("home", reverse("home")),
        ("log", reverse("contacts:quick_log")),
        ("contacts", reverse("contacts:list")),
        ("contact", reverse("contacts:detail", args=[contact.pk])),
        ("contact-new", reverse("contacts:create")),
        ("contact-edit", reverse("contacts:edit", args=[contact.pk])),
        ("contact-delete", reverse("contacts:delete", args=[contact.pk])),
        ("interaction-edit", reverse("contacts:interaction_edit", args=[world["interaction"].pk])),
        ("rotations", reverse("contacts:rotation_list")),
        ("rotation", reverse("contacts:rotation_detail", args=[rotation.pk])),
        ("rotation-new", reverse("contacts:rotation_create")),
        ("letters", reverse("contacts:letter_board")),
        ("letter", reverse("contacts:letter_detail", args=[letter.pk])),
        ("letter-new", reverse("contacts:letter_create")),
        ("map", reverse("my_map")),
        ("match-week", reverse("reminders:match_week")),
        ("settings", reverse("settings")),
        ("settings-profile", reverse("settings_section", args=["profile"])),
        ("settings-data", reverse("settings_section", args=["data"])),
        ("settings-calendar-feed", reverse("settings_section", args=["calendar-feed"])),
        ("email-preview", reverse("reminders:digest_preview")),
        ("password-change", reverse("password_change")),
    ]


def advisor_pages(world) -> list[tuple[str, str]]:
    student = world["student"]
    return [
        ("advisor-home", reverse("advisor_home")),
        ("advisor-student", reverse("advisor_student", args=[student.pk])),
        ("advisor-cohort", reverse("advisor_cohort") + f"?year={student.match_year or ''}"),
        ("advisor-password", reverse("password_change")),
    ]


def anonymous_pages() -> list[tuple[str, str]]:
    return [
        ("login", reverse("login")),
        ("signup", reverse("signup")),
        ("password-reset", reverse("password_reset")),
    ]


def sign_in(context, live_server, user) -> None:
    """Sign the browser context in as `user` with a real session cookie (no login form)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it stands (every rule axe runs by default)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


# The function alone (Playwright calls a string that reads as a function), without its comment.
MEASURE_TARGETS = "\n".join(
    line
    for line in (HERE / "measure_targets.js").read_text().splitlines()
    if not line.startswith("//")
)


def small_targets(page) -> list[str]:
    small = page.evaluate(MEASURE_TARGETS)
    assert isinstance(small, list), "the measuring function did not run"
    return small


def screenshot(page, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def report(problems: dict) -> str:
    return json.dumps(problems, indent=1)
