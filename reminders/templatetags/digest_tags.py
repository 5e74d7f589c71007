"""{% digest_settings_form as digest_form %}: the weekly email section of the settings page
builds its own form, so crm's settings view needs no change to show it."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def digest_settings_form(context):
    from reminders.digest_views import DigestSettingsForm

    return DigestSettingsForm(instance=context["request"].user)
