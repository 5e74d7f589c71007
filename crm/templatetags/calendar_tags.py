"""{% calendar_section %}: the student's Match calendar, wherever settings.html is rendered."""

from django import template

from reminders.selectors import student_calendar

from ..forms import CycleCalendarForm

register = template.Library()


@register.inclusion_tag("crm/_calendar_section.html", takes_context=True)
def calendar_section(context):
    user = context["request"].user
    if not (user.is_authenticated and user.is_student):
        return {"hidden": True}
    calendar = student_calendar(user)
    form = context.get("calendar_form")
    if form is None and calendar is not None:
        form = CycleCalendarForm(calendar=calendar)
    return {
        "csrf_token": context.get("csrf_token"),
        "calendar": calendar,
        "calendar_form": form,
        "customised": bool(user.cycle_dates),
    }
