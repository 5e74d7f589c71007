"""The student's own Match calendar: editable per cycle, and followed by the engine."""

import datetime

import pytest
from django.urls import reverse

from crm.models import User
from reminders.engine.conf import get_conf
from reminders.engine.cycle import match_calendar
from tests.reminders.engine_world import RecordsBuilder

D = datetime.date


def test_the_default_calendar_for_2027():
    calendar = match_calendar(2027, get_conf())
    assert calendar.rank_deadline == D(2027, 3, 3)
    assert calendar.match_day == D(2027, 3, 19)


def test_own_dates_replace_the_defaults_and_match_week_follows_match_day():
    calendar = match_calendar(
        2027, get_conf(), {"rank_deadline": D(2027, 3, 4), "match_day": D(2027, 3, 26)}
    )
    assert calendar.rank_deadline == D(2027, 3, 4)
    assert (calendar.match_week_start, calendar.soap_end) == (D(2027, 3, 22), D(2027, 3, 25))
    assert calendar.interview_start == match_calendar(2027, get_conf()).interview_start


def test_the_engine_follows_the_students_own_interview_season():
    default = RecordsBuilder(match_year=2027).evaluate(D(2026, 9, 28)).phase
    own = (
        RecordsBuilder(match_year=2027, cycle_dates=(("interview_start", D(2026, 9, 15)),))
        .evaluate(D(2026, 9, 28))
        .phase
    )
    assert default.slug != "interviews"
    assert own.slug == "interviews"


pytestmark = pytest.mark.django_db


def _calendar_post(**changes):
    base = match_calendar(2028, get_conf())
    data = {
        name: getattr(base, name).isoformat()
        for name in (
            "applications_open",
            "programs_receive",
            "interview_start",
            "interview_end",
            "rank_deadline",
            "match_day",
        )
    }
    data.update({name: value.isoformat() for name, value in changes.items()})
    return data


def test_saving_the_calendar_keeps_only_the_dates_that_differ(student_client, student):
    response = student_client.post(
        reverse("calendar_update"), _calendar_post(rank_deadline=D(2028, 3, 2))
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.cycle_dates == {"rank_deadline": "2028-03-02"}


def test_a_match_day_before_the_rank_deadline_is_refused_at_the_field(student_client, student):
    response = student_client.post(
        reverse("calendar_update"),
        _calendar_post(rank_deadline=D(2028, 3, 20), match_day=D(2028, 3, 10)),
    )
    assert response.status_code == 400
    assert "match_day" in response.context["calendar_form"].errors
    assert User.objects.get(pk=student.pk).cycle_dates == {}


def test_a_new_match_year_starts_from_that_years_defaults(student_client, student):
    student.cycle_dates = {"rank_deadline": "2028-03-02"}
    student.save()
    student_client.post(
        reverse("settings"),
        {
            "name": student.name,
            "timezone": student.timezone,
            "match_year": 2029,
            "target_specialties": "",
            "target_cities": "",
            "match_outcome": "",
        },
    )
    student.refresh_from_db()
    assert (student.match_year, student.cycle_dates) == (2029, {})


def test_the_settings_page_shows_the_calendar_in_force(student_client, student):
    student.cycle_dates = {"rank_deadline": "2028-03-02"}
    student.save()
    content = student_client.get(
        reverse("settings_section", args=["match-calendar"])
    ).content.decode()
    assert "Your Match calendar" in content
    assert 'value="2028-03-02"' in content
