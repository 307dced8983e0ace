"""Helpers for the exchange tests: IRO stores, in-memory keys, sealed exports, row snapshots.

Keys made with `keys.generate` stay in memory (no scrypt): the storage path has its own tests."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from iro_desktop import settings
from iro_desktop.db.models import Base, Child
from iro_desktop.db.store import Store, open_store
from iro_desktop.interchange import bundle, keys

D = dt.date
YEAR_START, YEAR_END = D(2025, 4, 1), D(2026, 3, 31)
DEMO_TODAY = D(2026, 6, 1)
# The report date of the IROs' `stats` and the manager's report (which deadlines are still to
# come): the same for both, whenever the tests run.
REPORT_DAY = DEMO_TODAY


def iro_store(path: Path, name: str) -> Store:
    """A plain (unencrypted) IRO store for tests: the exchange does not depend on SQLCipher."""
    store = open_store(path, None)
    with store.transaction() as session:
        settings.put(session, "iro_name", name)
    return store


def demo_store(
    path: Path,
    name: str,
    *,
    seed: int,
    prefix: str,
    children: int = 60,
    passphrase: str | None = None,
) -> Store:
    """A demo caseload whose 903 ids start with `prefix` (distinct across IROs)."""
    from iro_desktop.caseload.demo import make_demo_caseload

    store = open_store(path, passphrase)
    with store.transaction() as session:
        settings.put(session, "iro_name", name)
        make_demo_caseload(session, children=children, seed=seed, today=DEMO_TODAY)
        session.execute(update(Child).values(child_ref=prefix + func.substr(Child.child_ref, 2)))
    return store


def sealed_export(
    store: Store,
    iro: keys.KeyPair,
    manager: keys.PublicKey,
    *,
    start: dt.date = YEAR_START,
    end: dt.date = YEAR_END,
    now: dt.datetime | None = None,
) -> bytes:
    with store.session() as session:
        payload, _manifest = bundle.build_payload(
            session, start, end, iro=iro.public, manager=manager, now=now
        )
    return bundle.seal(payload, iro, [manager, iro.public])


def reseal(payload_obj: dict[str, Any], iro: keys.KeyPair, manager: keys.PublicKey) -> bytes:
    """Sign and seal an arbitrary payload (to build files a real IRO's app would never make)."""
    payload = json.dumps(payload_obj, sort_keys=True, separators=(",", ":")).encode()
    return bundle.seal(payload, iro, [manager])


def open_payload(data: bytes, identity: keys.KeyPair) -> dict[str, Any]:
    return json.loads(bundle.open_sealed(data, identity.age_identity).payload)


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered: two equal snapshots mean nothing changed."""
    result = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            result[table.name] = [tuple(r) for r in rows]
    return result


def add_numbers(a: Any, b: Any) -> Any:
    """Sum two figure dicts key by key (nested dicts too); other values must agree."""
    if isinstance(a, dict):
        assert set(a) == set(b), set(a) ^ set(b)
        return {k: add_numbers(a[k], b[k]) for k in a}
    if isinstance(a, bool) or not isinstance(a, int):
        assert a == b
        return a
    return a + b
