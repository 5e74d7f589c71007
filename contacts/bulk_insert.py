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

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

BATCH_SIZE = 2_000  # bulk_create's batches, where COPY is not available

# Fields whose checked Python values psycopg stores as they are (its own C dumpers).
_AS_THEY_ARE = (
    models.CharField,  # with EmailField, SlugField...
    models.TextField,
    models.BooleanField,
    models.IntegerField,  # with the small, big and positive ones
    models.DateField,  # with DateTimeField (aware datetimes)
    models.UUIDField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
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
    columns = [(field.attname, _default(field, now), _converter(field)) for field in fields]
    names = [connection.ops.quote_name(field.column) for field in fields]
    if returning_ids:
        names.insert(0, connection.ops.quote_name(meta.pk.column))
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({', '.join(names)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for index, row in enumerate(rows):
            values = [
                convert(row[name] if name in row else default())
                for name, default, convert in columns
            ]
            copy.write_row([ids[index], *values] if returning_ids else values)
    return ids if returning_ids else None


def _default(field: models.Field, now: datetime.datetime) -> Callable[[], Any]:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda: now
    return field.get_default


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        if field.encoder is None:
            from psycopg.types.json import Jsonb

            return lambda value: None if value is None else Jsonb(value)
    elif isinstance(field, _AS_THEY_ARE):
        return _as_it_is
    # Anything else as Django would prepare it for the database (slower, always right).
    return lambda value: field.get_db_prep_save(value, connection)


def _as_it_is(value: Any) -> Any:
    return value
