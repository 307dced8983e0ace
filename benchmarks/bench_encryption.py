"""What encryption costs: SQLCipher 4 against plain SQLite in the same run, on the same data.

Opening the caseload (key derivation, pragmas, the schema check), the caseload query on 70
children, and a bulk import of 10,000 children in one transaction; plus a backup (VACUUM INTO).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from benchmarks.timing import best_of, row

PASSPHRASE = "benchmark passphrase for encryption"
TODAY = dt.date(2026, 3, 2)
CHILDREN = 70
IMPORT_ROWS = 10_000


def _store(path: Path, passphrase: str | None, **kwargs: object):
    """The app's store; for the floor, the same SQLCipher library and pragmas without a key, so
    the difference is the encryption alone (open_store(path, None) would use Python's own, older
    sqlite3 instead)."""
    from iro_desktop.db.store import open_store

    if passphrase is not None:
        return open_store(path, passphrase, **kwargs)
    import sqlcipher3.dbapi2 as sqlcipher
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    from iro_desktop.db import migrations
    from iro_desktop.db.store import Store, _apply_pragmas

    def connect():
        conn = sqlcipher.connect(str(path), check_same_thread=False)
        _apply_pragmas(conn)
        return conn

    engine = create_engine("sqlite://", creator=connect, module=sqlcipher, poolclass=QueuePool)
    store = Store(engine=engine, path=path, encrypted=False)
    if kwargs.get("migrate", True):
        migrations.check_not_newer(migrations.current_revision(engine))
        migrations.upgrade(engine)
    return store


def _make(path: Path, passphrase: str | None) -> None:
    from iro_desktop.caseload.demo import make_demo_caseload

    store = _store(path, passphrase)
    with store.transaction() as session:
        make_demo_caseload(session, children=CHILDREN, seed=1, today=TODAY)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()


def _open_and_read(path: Path, passphrase: str | None) -> None:
    from sqlalchemy import text

    store = _store(path, passphrase, before_migrate=None)
    with store.session() as session:
        session.execute(text("SELECT count(*) FROM child")).scalar()
    store.close()


def _caseload(path: Path, passphrase: str | None, repeat: int) -> float:
    from iro_desktop.caseload.overview import caseload_rows

    store = _store(path, passphrase)
    try:
        def query() -> None:
            with store.session() as session:
                assert len(caseload_rows(session, TODAY)) > 0

        query()  # warm the pool: the app keeps its connection
        return best_of(query, repeat)
    finally:
        store.close()


def _import(template: Path, work: Path, passphrase: str | None, repeat: int) -> float:
    from sqlalchemy import insert

    from iro_desktop.db.models import Child

    rows = [{"child_ref": f"B{n:06d}", "first_name": "Bench", "last_name": f"Child{n}",
             "date_of_birth": dt.date(2010, 1, 1) + dt.timedelta(days=n % 5000), "sex": "F",
             "ethnicity": "WBRI"} for n in range(IMPORT_ROWS)]
    best = float("inf")
    for _ in range(repeat):
        for side in work.parent.glob(work.name + "*"):
            side.unlink()
        shutil.copyfile(template, work)
        store = _store(work, passphrase)
        with store.session() as session:  # connection open before timing, as in the app
            session.execute(insert(Child).values(child_ref="warm", first_name="", last_name="",
                                                 date_of_birth=dt.date(2010, 1, 1)))
            session.rollback()
        import time

        start = time.perf_counter()
        with store.transaction() as session:
            session.execute(insert(Child), rows)
        best = min(best, time.perf_counter() - start)
        store.close()
    return best


def _backup(path: Path, passphrase: str | None, folder: Path, repeat: int) -> float:
    from iro_desktop.db.backups import backup_now

    store = _store(path, passphrase)
    try:
        return best_of(lambda: backup_now(store, folder), repeat)
    finally:
        store.close()


def run() -> list[dict]:
    import os

    saved_data_home = os.environ.get("XDG_DATA_HOME")
    with tempfile.TemporaryDirectory(prefix="iro-bench-enc-") as tmp:
        base = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(base / "xdg")  # pre-migration backups land here
        encrypted, plain = base / "encrypted.db", base / "plain.db"
        _make(encrypted, PASSPHRASE)
        _make(plain, None)

        open_enc = best_of(lambda: _open_and_read(encrypted, PASSPHRASE), 5)
        open_plain = best_of(lambda: _open_and_read(plain, None), 5)
        query_enc = _caseload(encrypted, PASSPHRASE, 10)
        query_plain = _caseload(plain, None, 10)
        empty_enc, empty_plain = base / "empty-enc.db", base / "empty-plain.db"
        _store(empty_enc, PASSPHRASE).close()
        _store(empty_plain, None).close()
        import_enc = _import(empty_enc, base / "import-enc.db", PASSPHRASE, 5)
        import_plain = _import(empty_plain, base / "import-plain.db", None, 5)
        backup_enc = _backup(encrypted, PASSPHRASE, base / "bk-enc", 3)
        backup_plain = _backup(plain, None, base / "bk-plain", 3)
    if saved_data_home is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = saved_data_home

    floor = "same SQLite build, no key"
    return [
        row(f"encryption: open the caseload ({CHILDREN} children)", open_enc, floor=floor,
            floor_seconds=open_plain, target="< 0.5 s (app opens in ~1 s)", met=open_enc < 0.5),
        row(f"encryption: caseload query ({CHILDREN} children)", query_enc, floor=floor,
            floor_seconds=query_plain, target="ratio <= 1.5", met=query_enc <= 1.5 * query_plain),
        row(f"encryption: import {IMPORT_ROWS:,} children, one transaction", import_enc,
            floor=floor, floor_seconds=import_plain, target="ratio <= 2",
            met=import_enc <= 2 * import_plain),
        row(f"encryption: backup (VACUUM INTO, {CHILDREN} children)", backup_enc, floor=floor,
            floor_seconds=backup_plain, target="< 1 s", met=backup_enc < 1.0),
    ]
