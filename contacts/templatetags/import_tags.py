"""The import preview keeps what the student chose when a refused confirm re-renders it."""

from django import template

register = template.Library()


@register.simple_tag
def posted_value(posted, prefix: str, line: int, default: str) -> str:
    """posted["<prefix><line>"] if the page was posted, else `default`."""
    return posted.get(f"{prefix}{line}", default) if posted else default
