"""Reading a data file's JSON safely, before the schema (datafile.validate) sees it.

    read_json(text) -> the document (dicts, lists, str, int, float, bool, None),
                       or DataFileError naming the path of the first problem

A data file comes from anyone with an account, so the text is hostile until read. Python's
`json` accepts, or fails on, things a student's data never contains and the pages cannot show:

- nesting deeper than `MAX_DEPTH` (the format needs 4; a few thousand levels is a
  RecursionError inside the parser, which is not a ValueError);
- numbers longer than `MAX_NUMBER_DIGITS` digits (int() refuses 4,300 digits with a
  ValueError, and a float of 400 digits is `inf`), and NaN / Infinity, which are not JSON;
- NUL in any string or key (PostgreSQL refuses it in text, which would surface mid-import);
- lone surrogates (`\\ud800`), which cannot be encoded as UTF-8 when saved or shown;
- the same key twice in one object (json keeps the last, silently dropping the first).

Each is a DataFileError with the path (`contacts[3].name`), so the page and the command say
where, and nothing has been written: this runs before any database work. The schema stays in
datafile.py; this layer knows nothing of contacts or letters.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any


class DataFileError(ValueError):
    """A problem with a data file, located by its path inside the document."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")

    def __reduce__(self):  # pickled as it was made (a class's files are checked in processes)
        return (type(self), (self.path, self.problem))


MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 20

_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")
# Tokens that change the path: strings (skipped whole, escapes included), brackets, colons
# and commas. Used only to locate nesting too deep for the parser itself.
_PATH_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]', re.DOTALL)


class _Number:
    """A number refused at parse time; reported with its path once the tree is walked."""

    def __init__(self, text: str, problem: str):
        self.text = text
        self.problem = problem


class _Object(dict):
    """A JSON object that remembers the first key it saw twice."""

    duplicate: str | None = None


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) == len(pairs):  # no key twice (the usual case: built in C, no loop)
        return obj
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            obj.duplicate = key
            break
        seen.add(key)
    return obj


def _int(text: str) -> Any:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        return _Number(text, f"a number longer than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _float(text: str) -> Any:
    digits = sum(character.isdigit() for character in text)
    if digits > MAX_NUMBER_DIGITS:
        return _Number(text, f"a number longer than {MAX_NUMBER_DIGITS} digits")
    value = float(text)
    if not math.isfinite(value):
        return _Number(text, "a number too large to store")
    return value


def _constant(text: str) -> Any:
    return _Number(text, f"{text} is not a JSON number")


def read_json(text: str) -> Any:
    """The document in `text`, or DataFileError at the path of the first hostile value."""
    try:
        document = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=_int,
            parse_float=_float,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as error:
        raise DataFileError(
            "document",
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
        ) from None
    except RecursionError:
        raise DataFileError(_deep_path(text), f"nested more than {MAX_DEPTH} levels deep") from None
    if _may_be_hostile(text, document):
        _check_tree(document)  # finds the first problem in file order, with its path
    return document


# A \u escape that decodes to NUL or to half of a surrogate pair. A pair that makes one
# character (an escaped emoji) matches too, and so does an escaped backslash before "u0000":
# those only send the file through the full walk, which finds nothing.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def _may_be_hostile(text: str, document: Any) -> bool:
    """Whether the parsed document may hold one of the problems _check_tree reports. A quick
    look that never misses one: the walk builds a path for every value (most of the time of
    reading a clean file), so it runs only when this says it may find something.

    Numbers refused at parse time and keys seen twice are in the tree (an _Number, an
    _Object's `duplicate`); NUL and surrogates can only come from the text itself, raw or
    escaped (json refuses a raw NUL in a string); depth needs only the containers."""
    if _NUL_OR_SURROGATE.search(text) or _SUSPECT_ESCAPE.search(text):
        return True
    level = [document]
    depth = 0
    while level:
        below = []
        for value in level:
            if isinstance(value, dict):
                if depth >= MAX_DEPTH or value.duplicate is not None:
                    return True
                children = value.values()
            elif isinstance(value, list):
                if depth >= MAX_DEPTH:
                    return True
                children = value
            else:
                continue
            for child in children:
                if isinstance(child, dict | list):
                    below.append(child)
                elif isinstance(child, _Number):
                    return True
        level = below
        depth += 1
    return isinstance(document, _Number)


def _check_tree(document: Any) -> None:
    """Walk the parsed tree without recursion (its depth is the attacker's choice)."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        where = path or "document"
        if isinstance(value, _Number):
            raise DataFileError(where, value.problem)
        if isinstance(value, str):
            _check_string(value, where)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise DataFileError(where, f"nested more than {MAX_DEPTH} levels deep")
            if isinstance(value, dict):
                if value.duplicate is not None:
                    raise DataFileError(
                        _key_path(path, value.duplicate), "this key appears twice in one object"
                    )
                for key in value:
                    _check_string(key, _key_path(path, _printable(key)), is_key=True)
                children = [(child, _key_path(path, key)) for key, child in value.items()]
            else:
                children = [(child, f"{path}[{index}]") for index, child in enumerate(value)]
            # Reversed, so the first problem in file order is the one reported.
            stack.extend((child, child_path, depth + 1) for child, child_path in reversed(children))


def _check_string(value: str, path: str, *, is_key: bool = False) -> None:
    found = _NUL_OR_SURROGATE.search(value)
    if found is None:
        return
    what = "a key" if is_key else "text"
    if found.group() == "\x00":
        raise DataFileError(path, f"{what} containing a NUL character (\\u0000)")
    raise DataFileError(
        path, f"{what} containing a lone surrogate (\\u{ord(found.group()):04x}), not a character"
    )


def _printable(key: str) -> str:
    return _NUL_OR_SURROGATE.sub("\ufffd", key)


def _key_path(path: str, key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(_printable(key), ensure_ascii=False)}]"


def _deep_path(text: str) -> str:
    """The path at which `text` first nests deeper than MAX_DEPTH (for a file too deep for
    the parser to return at all). Follows keys and list indexes through the raw text."""
    frames: list[list[Any]] = []  # [kind, key or index, key pending] per open container
    last_string = ""
    for match in _PATH_TOKENS.finditer(text):
        token = match.group()
        if token[0] == '"':
            last_string = token
            continue
        if token in "[{":
            if len(frames) >= MAX_DEPTH:
                break
            frames.append(["list", 0] if token == "[" else ["object", None])
        elif token in "]}":
            if frames:
                frames.pop()
        elif token == ":" and frames and frames[-1][0] == "object":
            try:
                frames[-1][1] = json.loads(last_string)
            except ValueError:
                frames[-1][1] = "?"
        elif token == "," and frames and frames[-1][0] == "list":
            frames[-1][1] += 1
    path = ""
    for kind, where in frames:
        if kind == "list":
            path += f"[{where}]"
        elif where is not None:
            path = _key_path(path, _printable(str(where)))
    return path or "document"
