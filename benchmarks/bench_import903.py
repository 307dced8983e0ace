"""Importing 10,000 children and 60,000 reviews from 903 files, against sqlite3 executemany.

The import is timed from the files on disk to the commit, into a fresh encrypted store (already
open, as in the app). The floors insert the very rows the import stored (every column, the same
ids) into the same migrated schema with the store's pragmas, in one transaction with its commit:
plain Python sqlite3 on an unencrypted file (the issue's floor), and SQLCipher keyed like the
store. Best of three for each; the machine is shared, so the ratios matter more than the seconds.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.timing import row

PASSPHRASE = "benchmark passphrase"
TODAY = dt.date(2026, 12, 1)
CHILDREN = 10_000
REVIEWS = 60_000


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def make_files(
    folder: Path, children: int = CHILDREN, reviews: int = REVIEWS, seed: int = 1
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Write a valid, invented 903 set and return its rows (header, episodes, reviews)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    header, episodes, review_rows = [], [], []
    per_child = reviews // children
    for number in range(children):
        ref = f"B{number:06d}"
        dob = TODAY - dt.timedelta(days=rng.randint(4 * 365 + 200, 17 * 365))
        start = dob + dt.timedelta(days=rng.randint(30, 3 * 365))
        header.append((ref, rng.choice("MF"), _d(dob), "WBRI", "", "", ""))
        move = start + dt.timedelta(days=rng.randint(60, 400))
        episodes.append(
            (
                ref,
                _d(start),
                "S",
                "C1",
                "N1",
                "U6",
                "PR1",
                _d(move),
                "X1",
                "CARPL",
                "ZZ1 1ZZ",
                "ZZ2 2ZZ",
                "SC123456",
            )
        )
        episodes.append(
            (
                ref,
                _d(move),
                "P",
                "C1",
                "N1",
                "K2",
                "PR4",
                "",
                "",
                "",
                "ZZ1 1ZZ",
                "ZZ3 3ZZ",
                "SC654321",
            )
        )
        day = start
        for _ in range(per_child):
            day += dt.timedelta(days=rng.randint(40, 120))
            held = min(day, TODAY)
            under_4 = (
                held < dob.replace(year=dob.year + 4)
                if (dob.month, dob.day) != (2, 29)
                else held < dt.date(dob.year + 4, 3, 1)
            )
            review_rows.append(
                (
                    ref,
                    _d(dob),
                    _d(held),
                    "PN0" if under_4 else rng.choice(["PN1", "PN2", "PN5", "PN6"]),
                )
            )
            if day >= TODAY:
                break
    review_rows = list({(r[0], r[2]): r for r in review_rows}.values())
    for name, columns, rows in (
        ("header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB", header),
        (
            "episodes.csv",
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
            "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
            episodes,
        ),
        ("reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE", review_rows),
    ):
        (folder / name).write_text(columns + "\n" + "\n".join(",".join(r) for r in rows) + "\n")
    return header, episodes, review_rows


TABLES = ("child", "episode", "review")


def _template(folder: Path, passphrase: str | None) -> Path:
    """A migrated, empty store: the app's real schema (tables, indexes, foreign keys)."""
    from iro_desktop.db.store import open_store

    path = folder / ("template.db" if passphrase else "template-plain.db")
    store = open_store(path, passphrase, before_migrate=None)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def _fresh(template: Path, path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, path)
    return path


def _stored_rows(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every column but the id, and every row, of the three tables as the import stored them."""
    from iro_desktop.db.store import connect_encrypted

    conn = connect_encrypted(path, PASSPHRASE)
    try:
        rows = {}
        for table in TABLES:
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
            names = [d[0] for d in cursor.description]
            rows[table] = (names[1:], [r[1:] for r in cursor.fetchall()])
        return rows
    finally:
        conn.close()


def _floor(template: Path, path: Path, rows: dict, passphrase: str | None) -> float:
    """The floor: the very rows the import stored (ids from the same autoincrement), into the same
    schema with the store's pragmas (WAL, synchronous FULL, foreign keys on), executemany in one
    transaction with its commit; no parsing, no checks, no lookups. Plain: Python's sqlite3 on
    an unencrypted file. Encrypted: SQLCipher keyed like the store (key derivation not timed:
    the app's store is open before the import starts)."""
    from iro_desktop.db.store import _apply_pragmas, connect_encrypted

    _fresh(template, path)
    if passphrase is None:
        conn = sqlite3.connect(path, isolation_level=None)
    else:
        conn = connect_encrypted(path, passphrase)
        conn.isolation_level = None
    _apply_pragmas(conn)
    try:
        start = time.perf_counter()
        conn.execute("BEGIN")
        for table in TABLES:
            names, values = rows[table]
            quoted = ", ".join(f'"{name}"' for name in names)
            conn.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})",
                values,
            )
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()


def measure(repeat: int = 3) -> dict[str, float | int]:
    """Best-of-`repeat` seconds: the import into a fresh encrypted store, the same files again,
    and both floors."""
    from iro_desktop.db.store import open_store
    from iro_desktop.interchange.import903 import import_903_folder

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "903"
        header, episodes, reviews = make_files(folder)
        encrypted_template = _template(tmp, PASSPHRASE)
        plain_template = _template(tmp, None)
        first = again = float("inf")
        for attempt in range(repeat):
            store = open_store(_fresh(encrypted_template, tmp / "app.db"), PASSPHRASE,
                               before_migrate=None)
            try:
                with store.session() as session:  # the store is open and its connection pooled
                    session.connection()
                start = time.perf_counter()
                with store.transaction() as session:
                    result = import_903_folder(session, folder, today=TODAY)
                first = min(first, time.perf_counter() - start)
                assert result.ok and result.reviews_added == len(reviews), result.summary()
                if attempt == repeat - 1:
                    for _ in range(repeat):
                        start = time.perf_counter()
                        with store.transaction() as session:
                            same = import_903_folder(session, folder, today=TODAY)
                        again = min(again, time.perf_counter() - start)
                        assert same.ok and same.changed == 0, same.summary()
            finally:
                store.close()
        rows = _stored_rows(tmp / "app.db")
        assert [len(rows[t][1]) for t in TABLES] == [len(header), len(episodes), len(reviews)]
        plain = min(_floor(plain_template, tmp / "floor-plain.db", rows, None)
                    for _ in range(repeat))
        encrypted = min(_floor(encrypted_template, tmp / "floor.db", rows, PASSPHRASE)
                        for _ in range(repeat))
    return {"children": len(header), "episodes": len(episodes), "reviews": len(reviews),
            "import": first, "again": again, "floor_plain": plain, "floor_encrypted": encrypted}


def run() -> list[dict]:
    m = measure()
    label = f"{m['children']:,} children, {m['episodes']:,} episodes, {m['reviews']:,} reviews"
    plain = "plain sqlite3 executemany, same rows and schema"
    encrypted = "SQLCipher executemany, same rows and schema"
    return [
        row(f"import-903 {label} (checked, encrypted)", m["import"], floor=plain,
            floor_seconds=m["floor_plain"], target="within 3x of plain sqlite3",
            met=m["import"] <= 3 * m["floor_plain"]),
        row("import-903 the same (checked, encrypted)", m["import"], floor=encrypted,
            floor_seconds=m["floor_encrypted"], target="within 3x of SQLCipher",
            met=m["import"] <= 3 * m["floor_encrypted"]),
        row("import-903 the same files again (nothing changes)", m["again"], floor=plain,
            floor_seconds=m["floor_plain"], target="within 3x of plain sqlite3",
            met=m["again"] <= 3 * m["floor_plain"]),
    ]


if __name__ == "__main__":
    for key, value in measure().items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
