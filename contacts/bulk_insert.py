"""Many rows of one model inserted at once, as fast as the database takes them.

    insert_rows(model, rows)                    -> None
    insert_rows(model, rows, returning_ids=True) -> the new rows' ids, in the rows' order

Each row is a dict of the model's field attnames (`owner_id`, not `owner`) to values already
checked (the data file's validate() has checked every one the model would): no model
instances, no full_clean, and no signals, as with bulk_create. A field a row leaves out takes
the model's default, and `auto_now` / `auto_now_add` fields the time of the call: the rows
stored are those bulk_create would store.

On PostgreSQL the rows go in by COPY, with their ids drawn from the table's sequence first (one
query) when they are asked for: for a class import, building tens of thousands of model
instances and Django's insert parameters was most of the time. Elsewhere (SQLite in
development) through bulk_create.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from psycopg.types.json import Jsonb

BATCH_SIZE = 2_000  # bulk_create's batches, where COPY is not available

# Fields whose checked Python values psycopg stores as they are (its own C dumpers).
_AS_THEY_ARE = (
    models.CharField,  # with EmailField, SlugField...
    models.TextField,
    models.BooleanField,
    models.IntegerField,  # with the small, big, positive and auto ones
    models.DateField,  # with DateTimeField (aware datetimes)
    models.UUIDField,
    models.ForeignKey,
)


def insert_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, returning_ids: bool = False
) -> list[int] | None:
    """Insert `rows` (dicts of attnames) into `model`'s table; their ids if asked for."""
    if not rows:
        return [] if returning_ids else None
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return [obj.pk for obj in objects] if returning_ids else None
    meta = model._meta
    now = timezone.now()
    connection.ensure_connection()
    ids: list[int] = []
    if returning_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
    fields = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and field.db_default is NOT_PROVIDED
    ]
    # What a row leaves out: the same value for every row where the default is one (and the
    # call's time for auto_now fields), else the default made afresh for each row.
    constants: dict[str, Any] = {}
    made: list[tuple[str, Callable[[], Any]]] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants[field.attname] = now
        elif field.has_default() and callable(field.default):
            made.append((field.attname, field.get_default))
        else:
            constants[field.attname] = field.get_default()
    converters = {field.attname: _converter(field) for field in fields}
    # Binary COPY, with each column's type named, formats the rows in psycopg's C code; any
    # field of another kind sends the whole table as text, each value as Django prepares it.
    types = [_binary_type(field) for field in fields]
    binary = all(types) and all(convert is _as_json for convert in converters.values() if convert)
    if binary:
        converters = {}  # jsonb columns take the Python value itself
    converted = [(name, convert) for name, convert in converters.items() if convert is not None]
    values = operator.itemgetter(*(field.attname for field in fields))
    known = frozenset(field.attname for field in fields)
    for row in rows:  # before the COPY starts, as Model(**row) would refuse it
        if not row.keys() <= known:
            unknown = ", ".join(sorted(row.keys() - known))
            raise TypeError(f"{meta.object_name} has no field(s) {unknown}")
    names = [connection.ops.quote_name(field.column) for field in fields]
    if returning_ids:
        names.insert(0, connection.ops.quote_name(meta.pk.column))
        types.insert(0, _binary_type(meta.pk))
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({', '.join(names)}) FROM STDIN"
    if binary:
        sql += " (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        if binary:
            copy.set_types(types)
        for index, row in enumerate(rows):
            full = {**constants, **row}
            for name, default in made:
                if name not in row:
                    full[name] = default()
            for name, convert in converted:
                full[name] = convert(full[name])
            line = values(full)
            if not isinstance(line, tuple):  # a model of one column
                line = (line,)
            copy.write_row((ids[index], *line) if returning_ids else line)
    return ids if returning_ids else None


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a field's checked value is handed to psycopg: None where as it is."""
    if isinstance(field, models.JSONField):
        if field.encoder is None:
            return _as_json
    elif isinstance(field, _AS_THEY_ARE):
        return None
    # Anything else as Django would prepare it for the database (slower, always right).
    return lambda value: field.get_db_prep_save(value, connection)


def _as_json(value: Any) -> Any:
    return None if value is None else Jsonb(value)


def _binary_type(field: models.Field) -> str | None:
    """The name psycopg knows the column's type by ("varchar(32)" -> "varchar"), or None."""
    declared = field.db_type(connection) or ""
    info = connection.connection.adapters.types.get(declared.split("(")[0].strip())
    return info.name if info is not None else None
