"""vCard files from phones and address books (2.1, 3.0 and 4.0; one card or many).

Read line by line here rather than by a general vCard library, because real files bend the
rules in ways a library either refuses or silently cuts: Outlook writes `ORG:Company, The` and
people write `FN:Priya Raman, MD` (unescaped commas, which are text, not lists, in the fields
read here); Lotus Notes adds `PROFILE:VCARD`; Android writes quoted-printable values in any
CHARSET with "=" soft line breaks, bare parameters (`TEL;WORK;VOICE`) and cards with only an
email; Apple groups properties (`item1.EMAIL` beside `item1.X-ABLabel`). Only FN, N, ORG, TITLE,
EMAIL, TEL, ADR and NOTE are read; photos and everything else are passed over.

Cards are split apart first, so a broken card is an error at its own line and the others still
read. A card without a name takes its email's local part, or else its organisation, and says
so (`ImportRow.name_from`); a card with nothing to name it by is skipped and counted."""

import dataclasses
import quopri
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .roles import guess_role
from .rows import MAX_ROWS, Format, ImportFileError, ImportRow, ParsedFile, RowError, check_lengths

LABELS = {"name": "FN", "email": "EMAIL", "phone": "TEL", "institution": "ORG"}
_BEGIN = re.compile(r"^begin:vcard\s*$", re.IGNORECASE)
_END = re.compile(r"^end:vcard\s*$", re.IGNORECASE)
_PHOTO = re.compile(r"^([\w-]+\.)?(photo|logo|sound|key)[;:]", re.IGNORECASE)
_QP = re.compile(r"^[^:]*;\s*(encoding=)?quoted-printable[;:]", re.IGNORECASE)
_NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)$")
_ESCAPES = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\", ":": ":"}
READ = {"FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "NOTE"}
SKIPPED_EMPTY = "this card has no name, email or organisation to import."
SKIPPED_PHONE_ONLY = "this card has only a phone number: no name, email or organisation."


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \n\t").upper().startswith("BEGIN:VCARD")


@dataclasses.dataclass
class Property:
    name: str  # upper case, without its group
    params: dict[str, list[str]]  # upper-case keys; bare parameters (WORK, PREF) under TYPE
    value: str  # decoded (quoted-printable, charset) but still escaped

    @property
    def types(self) -> set[str]:
        return {t.casefold() for value in self.params.get("TYPE", []) for t in value.split(",")}

    @property
    def preferred(self) -> bool:
        return "pref" in self.types or bool(self.params.get("PREF"))


def _cards(text: str):
    """(first line number, the card's logical lines) for each BEGIN:VCARD … END:VCARD block,
    unfolded; None for the lines for text outside a card or a card never ended."""
    start, block, skipping = None, [], False
    for number, line in enumerate(text.split("\n"), start=1):
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
                start, block = number, []
            elif line.strip():
                yield number, None  # text outside any card
            continue
        if _END.match(line.strip()):
            yield start, block
            start, block = None, []
        elif block and _QP.match(block[-1]) and block[-1].endswith("="):
            block[-1] = block[-1][:-1] + line.strip()  # quoted-printable soft line break
        elif block and line[:1] in (" ", "\t"):
            block[-1] += line[1:]  # folded (RFC 2425/6350)
        elif line.strip():
            block.append(line.rstrip("\r"))
    if start is not None:
        yield start, None


def _split(text: str, separator: str) -> list[str]:
    """Split on `separator` outside double quotes."""
    parts, current, quoted = [], [], False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _property(line: str) -> Property | None:
    """One logical line as a property, or None when it is not one."""
    head, colon, value = line.partition(":")
    # A colon inside a quoted parameter value is not the one that ends the parameters.
    if head.count('"') % 2:
        head_parts = _split(line, ":")
        head, value, colon = (
            head_parts[0],
            ":".join(head_parts[1:]),
            ":" if len(head_parts) > 1 else "",
        )
    if not colon:
        return None
    name, *raw_params = _split(head, ";")
    match = _NAME.match(name.strip())
    if match is None:
        return None
    params: dict[str, list[str]] = {}
    for raw in raw_params:
        key, equals, given = raw.partition("=")
        if not equals:  # vCard 2.1: TEL;WORK;VOICE, EMAIL;PREF, ...;QUOTED-PRINTABLE
            key, given = (
                ("ENCODING", raw)
                if raw.upper() in ("QUOTED-PRINTABLE", "BASE64")
                else ("TYPE", raw)
            )
        params.setdefault(key.strip().upper(), []).append(given.strip().strip('"'))
    encoding = {value.upper() for value in params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" in encoding:
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        data = quopri.decodestring(value.encode("utf-8", "replace"))
        try:
            value = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            value = data.decode("utf-8", "replace")
    return Property(match[1].upper(), params, value)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), text)


def _components(text: str) -> list[str]:
    """A structured value (N, ORG, ADR) split at its unescaped semicolons, each unescaped."""
    return [_unescape(part) for part in re.split(r"(?<!\\);", text)]


def _words(text: str) -> str:
    return " ".join(text.split())


def parse(text: str) -> ParsedFile:
    if text.upper().count("BEGIN:VCARD") > MAX_ROWS:
        raise ImportFileError(
            f"This file has {text.upper().count('BEGIN:VCARD'):,} cards; files up to "
            f"{MAX_ROWS:,} can be imported. Split it into smaller files and import each."
        )
    rows, errors, skipped, cards = [], [], [], 0
    for line, lines in _cards(text):
        if lines is None:
            errors.append(
                RowError(line, "is outside a card (every card runs from BEGIN:VCARD to END:VCARD).")
            )
            continue
        cards += 1
        properties, broken = [], None
        for text_line in lines:
            found = _property(text_line)
            if found is None:
                broken = text_line
                break
            if found.name in READ:
                properties.append(found)
        if broken is not None:
            errors.append(
                RowError(line, f"this card cannot be read (“{broken[:60]}” is not a property).")
            )
            continue
        row = _row(line, properties, errors, skipped)
        if row is not None:
            rows.append(row)
    if not cards:
        raise ImportFileError("This vCard file holds no cards (BEGIN:VCARD … END:VCARD).")
    return ParsedFile(Format.VCARD, rows, errors, skipped)


def _first(properties: list[Property], name: str) -> list[Property]:
    """The card's properties of this name, the preferred first."""
    found = [p for p in properties if p.name == name and p.value.strip()]
    return sorted(found, key=lambda p: not p.preferred)


def _row(line: int, properties, errors: list[RowError], skipped: list[RowError]):
    before = len(errors)
    name = next((_words(_unescape(p.value)) for p in _first(properties, "FN")), "")
    if not name and (n := _first(properties, "N")):
        # family;given;additional;prefix;suffix, each part possibly a comma list.
        parts = [*_components(n[0].value), "", "", "", "", ""]
        family, given, additional, prefix = (_words(p.replace(",", " ")) for p in parts[:4])
        name = " ".join(part for part in (prefix, given, additional, family) if part)
    org = next((_components(p.value) for p in _first(properties, "ORG")), [])
    institution = _words(org[0]) if org else ""
    units = [_words(unit) for unit in org[1:] if unit.strip()]
    emails = [_words(_unescape(p.value)).lower() for p in _first(properties, "EMAIL")]
    email = next((e for e in emails if _valid_email(e)), "")
    if emails and not email:
        errors.append(RowError(line, f"“{emails[0]}” is not an email address.", "EMAIL"))
    phones = [_words(_unescape(p.value)) for p in _first(properties, "TEL")]
    phone = phones[0].removeprefix("tel:") if phones else ""
    name_from = ""
    if not name and email:
        name, name_from = email.split("@")[0], "email"
    elif not name and institution:
        name, name_from = institution, "organisation"
    if not name:
        if len(errors) == before:
            skipped.append(RowError(line, SKIPPED_PHONE_ONLY if phone else SKIPPED_EMPTY, "FN"))
        return None
    title = next((_words(_unescape(p.value)) for p in _first(properties, "TITLE")), "")
    row = ImportRow(
        line=line,
        name=name,
        name_from=name_from,
        email=email,
        phone=phone,
        institution=institution,
        role=guess_role(title),
        role_guessed=True,
    )
    if adr := _first(properties, "ADR"):
        parts = [*_components(adr[0].value), "", "", "", "", ""]
        row.city, row.state = _words(parts[3]), _words(parts[4])
    notes = []
    if title:
        notes.append(f"Title: {title}")
    if units:
        notes.append(f"Department: {', '.join(units)}")
    for note in _first(properties, "NOTE"):
        notes.append(_unescape(note.value).replace("\r\n", "\n").replace("\r", "\n").strip())
    row.notes = "\n".join(notes)
    check_lengths(row, errors, LABELS)
    return row if len(errors) == before else None


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True
