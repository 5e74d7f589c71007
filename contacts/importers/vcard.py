"""vCard 3.0 and 4.0 files from a phone (one card or many), parsed with `vobject`.

Cards are split apart first, so a broken card is an error at its own line and the others still
parse; quoted-printable values folded with a trailing "=" are joined before vobject reads them
(phones write them that way, and vobject only unfolds the RFC 6350 way)."""

import re

import vobject
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .roles import guess_role
from .rows import MAX_ROWS, Format, ImportFileError, ImportRow, ParsedFile, RowError, check_lengths

LABELS = {"name": "FN", "email": "EMAIL", "phone": "TEL", "institution": "ORG"}
_BEGIN = re.compile(r"^begin:vcard\s*$", re.IGNORECASE)
_END = re.compile(r"^end:vcard\s*$", re.IGNORECASE)
_PHOTO = re.compile(r"^(photo|logo|sound|key)[;:]", re.IGNORECASE)
_QP = re.compile(r"^[^:]*;\s*(encoding=)?quoted-printable[;:]", re.IGNORECASE)


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \n\t").upper().startswith("BEGIN:VCARD")


def _cards(text: str):
    """(first line number, card text) for each BEGIN:VCARD … END:VCARD block."""
    lines = text.split("\n")
    start, block, skipping = None, [], False
    for number, line in enumerate(lines, start=1):
        # Photos (and logos, sounds, keys) are not imported: skip them with their continuation
        # lines, so a photo in vCard 2.1's looser base64 cannot spoil the card.
        if start is not None and _PHOTO.match(line):
            skipping = True
            continue
        if skipping and (line[:1] in (" ", "\t") or not line.strip()):
            continue
        skipping = False
        if start is None:
            if _BEGIN.match(line.strip()):
                start, block = number, [line.strip()]
            elif line.strip():
                yield number, None  # text outside any card
            continue
        # Quoted-printable soft line breaks: "…=" continues on the next line.
        if block and _QP.match(block[-1]) and block[-1].endswith("="):
            block[-1] = block[-1][:-1] + line.strip()
        else:
            block.append(line)
        if _END.match(line.strip()):
            yield start, "\r\n".join(block) + "\r\n"
            start, block = None, []
    if start is not None:
        yield start, None


def _value(card, name: str) -> str:
    entry = getattr(card, name, None)
    if entry is None:
        return ""
    value = entry.value
    if isinstance(value, list):  # ORG: organisation;unit;…
        value = value[0] if value else ""
    return " ".join(str(value).split())


def parse(text: str) -> ParsedFile:
    if text.upper().count("BEGIN:VCARD") > MAX_ROWS:
        raise ImportFileError(
            f"This file has {text.upper().count('BEGIN:VCARD'):,} cards; files up to "
            f"{MAX_ROWS:,} can be imported. Split it into smaller files and import each."
        )
    rows, errors, cards = [], [], 0
    for line, card_text in _cards(text):
        if card_text is None:
            errors.append(
                RowError(line, "is outside a card (every card runs from BEGIN:VCARD to END:VCARD).")
            )
            continue
        cards += 1
        try:
            card = vobject.readOne(card_text, ignoreUnreadable=False)
        except Exception as error:  # vobject raises many kinds on malformed input
            errors.append(RowError(line, f"this card cannot be read ({_reason(error)})."))
            continue
        row = _row(line, card, errors)
        if row is not None:
            rows.append(row)
    if not cards:
        raise ImportFileError("This vCard file holds no cards (BEGIN:VCARD … END:VCARD).")
    return ParsedFile(Format.VCARD, rows, errors)


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())[:120]
    return text or type(error).__name__


def _row(line: int, card, errors: list[RowError]) -> ImportRow | None:
    before = len(errors)
    name = _value(card, "fn")
    if not name and getattr(card, "n", None) is not None:
        n = card.n.value
        name = " ".join(
            " ".join(str(part).split())
            for part in (getattr(n, "prefix", ""), n.given, n.additional, n.family)
            if part and str(part).strip()
        )
    if not name:
        errors.append(RowError(line, "this card has no name (FN or N).", "FN"))
    title = _value(card, "title")
    row = ImportRow(
        line=line,
        name=name,
        phone=_value(card, "tel"),
        institution=_value(card, "org"),
        role=guess_role(title),
        role_guessed=True,
    )
    if email := _value(card, "email").lower():
        try:
            validate_email(email)
            row.email = email
        except ValidationError:
            errors.append(RowError(line, f"“{email}” is not an email address.", "EMAIL"))
    adr = getattr(card, "adr", None)
    if adr is not None and hasattr(adr.value, "city"):
        row.city = " ".join(str(adr.value.city or "").split())
        row.state = " ".join(str(adr.value.region or "").split())
    notes = []
    if title:
        notes.append(f"Title: {title}")
    if note := getattr(card, "note", None):
        notes.append(str(note.value).replace("\r\n", "\n").replace("\r", "\n").strip())
    row.notes = "\n".join(notes)
    check_lengths(row, errors, LABELS)
    return row if len(errors) == before else None
