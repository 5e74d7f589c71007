"""{% sharing_section %}: the student's sharing controls, wherever settings.html is rendered
(by the settings page itself, or by another view re-rendering it with errors)."""

from django import template

from ..advisor_selectors import sharing_overview
from ..sharing_forms import InvitationForm

register = template.Library()


@register.inclusion_tag("crm/_sharing_section.html", takes_context=True)
def sharing_section(context, invite_form=None):
    request = context["request"]
    user = request.user
    if not (user.is_authenticated and user.is_student):
        return {"hidden": True}
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "sharing": sharing_overview(user),
        "invite_form": invite_form or InvitationForm(),
    }
