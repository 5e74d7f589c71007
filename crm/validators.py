"""Validators shared by every app's models and forms."""

import re

from django.core.exceptions import ValidationError

# Line breaks and other control characters (tab aside): a name goes into email headers
# ("Ada Student invited you…"), where a line break is refused outright, and into one-line places
# on every page.
_NOT_ONE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]")


def validate_one_line(value: str) -> None:
    if value and _NOT_ONE_LINE.search(value):
        raise ValidationError("Please keep this to one line (no line breaks).", code="not_one_line")
