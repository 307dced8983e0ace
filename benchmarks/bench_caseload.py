"""Recomputing every child's statutory dates (caseload_rows) for 70 and 10,000 children."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy import select

from benchmarks.timing import best_of, row

PASSPHRASE = "benchmark passphrase"
TODAY = dt.date(2026, 12, 1)
TARGETS = {70: 0.050, 10_000: 1.0}


def run() -> list[dict]:
    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.caseload.overview import caseload_rows
    from iro_desktop.db.models import Child, Episode, Review
    from iro_desktop.db.store import open_store

    results = []
    for children, target in TARGETS.items():
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "bench.db", PASSPHRASE)
            try:
                with store.transaction() as session:
                    make_demo_caseload(session, children=children, seed=1, today=TODAY)
                with store.session() as session:
                    caseload_rows(session, TODAY)  # warm the holiday tables and the pool

                    def fetch_only(session=session) -> None:
                        connection = session.connection()
                        connection.execute(
                            select(
                                Child.id,
                                Child.child_ref,
                                Child.first_name,
                                Child.last_name,
                                Child.date_of_birth,
                            )
                        ).all()
                        connection.execute(
                            select(
                                Episode.child_id, Episode.start, Episode.legal_status, Episode.end
                            )
                        ).all()
                        connection.execute(select(Review.child_id, Review.review_date)).all()

                    floor = best_of(fetch_only, 5)
                    seconds = best_of(lambda session=session: caseload_rows(session, TODAY), 5)
            finally:
                store.close()
        results.append(
            row(
                f"caseload_rows: every statutory date, {children:,} children",
                seconds,
                floor="the three queries' rows fetched, no rules",
                floor_seconds=floor,
                target=f"< {target * 1000:.0f} ms",
                met=seconds < target,
            )
        )
    return results
