"""What the Match Week page and This week show on a given day. The rules of which part appears
when live here, so the views stay recipes and the templates only render.

- Friday to Monday, before an outcome: lock down the story, first and highlighted;
- Match Week without an outcome: the three outcome buttons;
- SOAP (did not match, or only to a preliminary year): the plan, and nothing else first;
- matched: one calm line; from Match Day, "where did you match?"."""

from __future__ import annotations

import dataclasses
import datetime

from crm.match import MatchOutcome
from crm.models import User
from reminders.engine.match_week import SoapPlan, match_week_days
from reminders.evaluation.loader import student_calendar
from reminders.match_week.selectors import MatchWeekView, match_week_card_view

# The home card's kinds, in the order a day can bring them.
STORY, OUTCOME, SOAP, MATCHED = "story", "outcome", "soap", "matched"


@dataclasses.dataclass(frozen=True)
class MatchWeekShow:
    view: MatchWeekView
    story_first: bool  # the Friday to Monday before an outcome: the story, highlighted
    story_ready: bool  # this year's story has been saved
    ask_outcome: bool  # Match Week, no outcome yet: the three buttons
    plan: SoapPlan | None  # SOAP: the plan comes first, everything else waits
    matched_line: str  # matched: one calm line ("You matched. Friday you learn where.")
    ask_where: bool  # from Match Day, with an outcome: where did you match?

    @property
    def has_year(self) -> bool:
        return self.view.calendar is not None

    @property
    def card(self) -> str:
        """Which Match Week card This week shows at its top ("" for none)."""
        if self.plan is not None:
            return SOAP
        if self.ask_outcome:
            return OUTCOME
        if self.view.moment == "story":
            return STORY
        if self.view.outcome in MATCHED_OUTCOMES and self.view.moment == "week":
            return MATCHED
        return ""


MATCHED_OUTCOMES = (MatchOutcome.MATCHED, MatchOutcome.SOAP_MATCHED)


def _matched_line(view: MatchWeekView) -> str:
    if view.outcome not in MATCHED_OUTCOMES or view.days is None:
        return ""
    if view.outcome == MatchOutcome.SOAP_MATCHED:
        return "You were placed in SOAP. Thank the people who stood ready for you."
    if view.today < view.days.friday:
        return "You matched. Friday you learn where."
    if view.today == view.days.friday:
        return "You matched. Today you learn where."
    if view.matched_program is not None:
        return f"You matched at {view.matched_program.name}. Congratulations."
    return "You matched. Congratulations."


def match_week_show(view: MatchWeekView) -> MatchWeekShow:
    days = view.days
    story = view.story
    before_july = view.calendar is not None and view.today < view.calendar.residency_start
    return MatchWeekShow(
        view=view,
        story_first=(days is not None and days.in_story_window(view.today) and not view.outcome),
        story_ready=story is not None and story.saved_on is not None and bool(story.specialties),
        ask_outcome=view.moment == "week" and not view.outcome,
        plan=view.plan,
        matched_line=_matched_line(view),
        ask_where=(
            bool(view.outcome) and days is not None and days.friday <= view.today and before_july
        ),
    )


def in_match_week_window(student: User, today: datetime.date) -> bool:
    """The Friday before Match Week to the Monday after (the free-contact plan), from the
    student's calendar alone (no query), so This week in any other week costs what it always
    did."""
    calendar = student_calendar(student)
    if calendar is None:
        return False
    days = match_week_days(calendar)
    return days.story_from <= today <= days.monday_after


def match_week_for_home(student: User, today: datetime.date) -> MatchWeekShow | None:
    """This week's Match Week card, or None outside the story window and the week."""
    if not in_match_week_window(student, today):
        return None
    show = match_week_show(match_week_card_view(student, today))
    return show if show.card else None


# The nudges a Match Week card stands for: shown once, as the card, not again in the list.
_CARD_KEYS = {
    STORY: ("cycle_update:match_story:",),
    OUTCOME: ("cycle_update:match_outcome:", "cycle_update:match_story:"),
    SOAP: ("soap_plan:",),
    MATCHED: (),
}


def week_without_card(week: dict, show: MatchWeekShow | None) -> dict:
    """This week's lines without those the Match Week card already says (the story, the
    outcome question, the day's SOAP step): a frightened student reads each thing once."""
    keys = _CARD_KEYS.get(show.card, ()) if show is not None else ()
    if not keys:
        return week

    def said_by_card(item) -> bool:
        return all(nudge.key.startswith(keys) for nudge in item.nudges)

    items = [item for item in week["items"] if not said_by_card(item)]
    more = [item for item in week["more_items"] if not said_by_card(item)]
    return {
        **week,
        "items": items,
        "more_items": more,
        "more_count": sum(len(item.nudges) for item in more) + week["more_hidden"],
    }
