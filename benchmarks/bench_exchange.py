"""The manager's import and annual report: 20 IROs' year exports (70 children each, 1,400 in all).

Each IRO's demo caseload is exported as a real file (signed, encrypted to the manager). Timed:
- the import of the 20 files into a fresh SQLite service database, one transaction each, against
  a floor of opening the same files alone (age decryption, signature check, JSON validation);
- importing the same 20 files again (each found already imported);
- the annual report over the 1,400 children (whole service and each IRO's own figures);
- unlocking the manager's private keys once (scrypt), paid once per import run.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.timing import best_of, row

IROS = 20
CHILDREN = 70
TODAY = dt.date(2026, 6, 1)
START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)


def _exports(folder: Path):  # type: ignore[no-untyped-def]
    from sqlalchemy import func, update

    from iro_desktop import settings
    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.db.models import Child
    from iro_desktop.db.store import open_store
    from iro_desktop.interchange import bundle, keys

    manager = keys.generate(keys.ROLE_MANAGER, "Bench Manager")
    iros, files = [], []
    for n in range(IROS):
        pair = keys.generate(keys.ROLE_IRO, f"IRO {n + 1:02d}")
        store = open_store(folder / f"iro{n}.db", None)
        with store.transaction() as session:
            settings.put(session, "iro_name", pair.public.name)
            make_demo_caseload(session, children=CHILDREN, seed=100 + n, today=TODAY)
            prefix = chr(ord("A") + n)
            session.execute(
                update(Child).values(child_ref=prefix + func.substr(Child.child_ref, 2))
            )
        with store.session() as session:
            payload, _ = bundle.build_payload(
                session, START, END, iro=pair.public, manager=manager.public
            )
        store.close()
        path = folder / f"iro{n}.iroexport"
        path.write_bytes(bundle.seal(payload, pair, [manager.public, pair.public]))
        iros.append(pair)
        files.append(path)
    return manager, iros, files


def run() -> list[dict]:
    from iro_desktop.db.service import open_service, trust_iro
    from iro_desktop.interchange import bundle, keys
    from iro_desktop.interchange.manager_import import ALREADY, APPLIED, import_files
    from iro_desktop.reports.annual import annual_report

    folder = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    try:
        manager, iros, files = _exports(folder)
        trusted = {p.public.fingerprint: p.public for p in iros}

        def open_only() -> None:
            for path in files:
                opened = bundle.open_sealed(path.read_bytes(), manager.age_identity)
                bundle.verify_signature(opened, trusted)
                bundle.validate_payload(opened.payload)

        floor = best_of(open_only, repeat=3)
        timings, again, reports = [], [], []
        children = 0
        for attempt in range(3):
            service = open_service(folder / f"service{attempt}.db")
            with service.transaction() as session:
                for pair in iros:
                    trust_iro(session, pair.public.armored(), pair.public.name)
            start = time.perf_counter()
            outcomes = import_files(service, files, manager)
            timings.append(time.perf_counter() - start)
            assert all(o.status == APPLIED for o in outcomes), [o.line() for o in outcomes]
            start = time.perf_counter()
            repeat = import_files(service, files, manager)
            again.append(time.perf_counter() - start)
            assert all(o.status == ALREADY for o in repeat)
            with service.session() as session:
                start = time.perf_counter()
                report = annual_report(session, START, END)
                reports.append(time.perf_counter() - start)
            children = sum(o.counts["children"] for o in outcomes)
            service.close()
        unlock_folder = folder / "keys"
        unlock_folder.mkdir()
        import os

        old = os.environ.get("XDG_DATA_HOME")
        os.environ["XDG_DATA_HOME"] = str(unlock_folder)
        try:
            keys.create_keys(keys.ROLE_MANAGER, "Bench", "bench passphrase")
            unlock = best_of(lambda: keys.unlock(keys.ROLE_MANAGER, "bench passphrase"), repeat=2)
        finally:
            if old is None:
                os.environ.pop("XDG_DATA_HOME", None)
            else:
                os.environ["XDG_DATA_HOME"] = old
        size = sum(p.stat().st_size for p in files) / 1024 / 1024
        seconds = min(timings)
        return [
            row(
                f"manager import: {IROS} year exports, {children} children active in the year "
                f"({CHILDREN * IROS} on caseloads, {size:.1f} MB)",
                seconds,
                floor="open, verify and validate the files only",
                floor_seconds=floor,
                target="a few seconds (< 5 s)",
                met=seconds < 5,
            ),
            row(
                f"manager import: the same {IROS} files again (already imported)",
                min(again),
                target="< 1 s",
                met=min(again) < 1,
            ),
            row(
                f"annual report over {children} children, {report['reviews_held']} reviews, "
                f"with {IROS} IROs' own figures",
                min(reports),
                target="< 5 s",
                met=min(reports) < 5,
            ),
            row(
                "unlock the manager's keys (age scrypt, once per import run)",
                unlock,
                target="< 3 s",
                met=unlock < 3,
            ),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
