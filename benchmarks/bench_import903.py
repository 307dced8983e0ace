"""Importing 10,000 children and 60,000 reviews from 903 files, against sqlite3 executemany."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.timing import best_of, row

PASSPHRASE = "benchmark passphrase"
TODAY = dt.date(2026, 12, 1)
CHILDREN = 10_000
REVIEWS = 60_000


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def make_files(
    folder: Path, children: int = CHILDREN, reviews: int = REVIEWS, seed: int = 1
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Write a valid, invented 903 set and return its rows (for the floor)."""
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


def _floor(db: Path, header: list[tuple], episodes: list[tuple], reviews: list[tuple]) -> float:
    """Plain sqlite3, no encryption, no checks: the same rows, executemany, one transaction."""
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.executescript(
        "CREATE TABLE child (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, sex TEXT, dob TEXT,"
        " ethnic TEXT, upn TEXT, mother TEXT, mc_dob TEXT);"
        "CREATE TABLE episode (id INTEGER PRIMARY KEY, ref TEXT, decom TEXT, rne TEXT, ls TEXT,"
        " cin TEXT, place TEXT, provider TEXT, dec TEXT, rec TEXT, rpc TEXT, home TEXT, pl TEXT,"
        " urn TEXT, UNIQUE (ref, decom));"
        "CREATE TABLE review (id INTEGER PRIMARY KEY, ref TEXT, dob TEXT, review TEXT, code TEXT,"
        " UNIQUE (ref, review));"
    )
    start = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO child (ref, sex, dob, ethnic, upn, mother, mc_dob) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            header,
        )
        conn.executemany(
            "INSERT INTO episode (ref, decom, rne, ls, cin, place, provider, dec, "
            "rec, rpc, home, pl, urn) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            episodes,
        )
        conn.executemany("INSERT INTO review (ref, dob, review, code) VALUES (?, ?, ?, ?)", reviews)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def run() -> list[dict]:
    from iro_desktop.db.store import open_store
    from iro_desktop.interchange.import903 import import_903_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "903"
        header, episodes, reviews = make_files(folder)
        floor = best_of(lambda: _floor(Path(tmp) / "floor.db", header, episodes, reviews), 3)
        store = open_store(Path(tmp) / "bench.db", PASSPHRASE)
        try:
            start = time.perf_counter()
            with store.transaction() as session:
                first = import_903_folder(session, folder, today=TODAY)
            seconds = time.perf_counter() - start
            assert first.ok and first.reviews_added == len(reviews), first.summary()
            start = time.perf_counter()
            with store.transaction() as session:
                again = import_903_folder(session, folder, today=TODAY)
            again_seconds = time.perf_counter() - start
            assert again.ok and again.changed == 0
        finally:
            store.close()
    label = f"{len(header):,} children, {len(episodes):,} episodes, {len(reviews):,} reviews"
    return [
        row(
            f"import-903 {label} (checked, encrypted)",
            seconds,
            floor="plain sqlite3 executemany, same rows",
            floor_seconds=floor,
            target="< 60 s",
            met=seconds < 60,
        ),
        row(
            "import-903 the same files again (nothing changes)",
            again_seconds,
            floor="plain sqlite3 executemany, same rows",
            floor_seconds=floor,
            target="< 60 s",
            met=again_seconds < 60,
        ),
    ]
