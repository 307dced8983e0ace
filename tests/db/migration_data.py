"""A generic check that every migration keeps the data the previous version wrote.

`seed_rows(conn)` writes one synthetic row into every table that exists at a revision, parents
before children, with values made from each column's type; `check_rows(conn, seeded)` then
checks, after the upgrade, that every seeded row is still there with the same values in every
column that still exists. An area that writes a real data migration (moving or reshaping data)
adds its own before/after pair to DATA_MIGRATIONS, keyed by its revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy.exc import DBAPIError

# revision -> (write data the previous revision understands, check it after upgrading to this one)
Seed = Callable[[Connection], Any]
Check = Callable[[Connection, Any], None]
DATA_MIGRATIONS: dict[str, tuple[Seed, Check]] = {}

_SEED_ID = 7001  # distinctive, so a row moved to another id shows up as a change


def _value(column: Any, table: str) -> Any:
    kind = column.type
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, DateTime):
        return dt.datetime(2024, 2, 29, 13, 45, 10)
    if isinstance(kind, Date):
        return dt.date(2024, 2, 29)
    if isinstance(kind, (Integer, Numeric, Float)):
        return 3
    if isinstance(kind, LargeBinary):
        return b"\x00\x01seed"
    if isinstance(kind, String):
        length = getattr(kind, "length", None) or 40
        return (f"s{table}{column.name}")[: max(1, min(length, 40))]
    try:
        python_type = kind.python_type
    except NotImplementedError:
        python_type = None
    if python_type in (dict,):
        return {"seed": 1}
    if python_type in (list,):
        return ["seed"]
    return "seed"


def _ordered_tables(meta: MetaData) -> list[Table]:
    return [t for t in meta.sorted_tables if t.name != "alembic_version"]


def seed_rows(conn: Connection) -> dict[str, dict[str, Any]]:
    """One row per table (whose constraints accept generic values); returns what was written."""
    meta = MetaData()
    meta.reflect(conn)
    seeded: dict[str, dict[str, Any]] = {}
    for table in _ordered_tables(meta):
        row: dict[str, Any] = {}
        ok = True
        for column in table.columns:
            fks = list(column.foreign_keys)
            if fks:
                parent = fks[0].column.table.name
                if parent in seeded:
                    row[column.name] = seeded[parent][fks[0].column.name]
                elif not column.nullable:
                    ok = False
                else:
                    row[column.name] = None
            elif column.primary_key and isinstance(column.type, Integer):
                row[column.name] = _SEED_ID
            else:
                row[column.name] = _value(column, table.name)
        if not ok:
            continue
        savepoint = conn.begin_nested()
        try:
            conn.execute(insert(table).values(**row))
            savepoint.commit()
            seeded[table.name] = row
        except DBAPIError:  # a CHECK constraint wants a real code: leave this table to its owner
            savepoint.rollback()
    return seeded


def _same(before: Any, after: Any) -> bool:
    if before == after:
        return True
    # SQLite hands dates back as text when reflected without the model's types.
    return str(before) == str(after) or str(before).replace(" ", "T") == str(after).replace(
        " ", "T")


def check_rows(conn: Connection, seeded: dict[str, dict[str, Any]]) -> list[str]:
    """Differences between what was seeded and what is there now (empty: nothing lost)."""
    meta = MetaData()
    meta.reflect(conn)
    problems = []
    for name, row in seeded.items():
        if name not in meta.tables:
            continue  # a revision may drop a table on purpose; its owner tests that
        table = meta.tables[name]
        keys = [c for c in table.primary_key.columns if c.name in row]
        query = select(table)
        for key in keys:
            query = query.where(key == row[key.name])
        found = conn.execute(query).mappings().first()
        if found is None:
            problems.append(f"{name}: seeded row is gone")
            continue
        for column, value in row.items():
            if column in found and not _same(value, found[column]):
                problems.append(f"{name}.{column}: {value!r} became {found[column]!r}")
    return problems
