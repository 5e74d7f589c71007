"""SQL the ORM builds too slowly where it runs for every row of a batch."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


def update_by_pk_sql(
    model: type[models.Model],
    fields: Sequence[str],
    connection: BaseDatabaseWrapper,
    *,
    guards: Sequence[str] = (),
) -> str:
    """`UPDATE <table> SET <fields> = %s, ... WHERE <pk> = %s [AND <guard> = %s ...]`, for one
    row by primary key: its parameters are the fields' values (Field.get_db_prep_save), the
    primary key, then the guards' values. What filter(pk=...).update(...) sends, without
    building a query object for each row."""
    quote, meta = connection.ops.quote_name, model._meta
    assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in fields)
    conditions = [f"{quote(meta.pk.column)} = %s"]
    conditions += [f"{quote(meta.get_field(name).column)} = %s" for name in guards]
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {' AND '.join(conditions)}"
