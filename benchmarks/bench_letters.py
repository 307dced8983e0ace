"""Letters: one letter drafted and rendered to PDF, and a batch of 70 (a full caseload), against a
bare reportlab page of the same words in a built-in font (the floor)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import time
from pathlib import Path

from benchmarks.timing import best_of, row

PASSPHRASE = "benchmark passphrase"
TODAY = dt.date(2026, 11, 20)


def _floor(text: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["BodyText"]
    paragraphs = [Paragraph(p, style) for p in text.split("\n\n") if p.strip()]
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(paragraphs)


def run() -> list[dict]:
    from sqlalchemy import func, select

    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.db.models import Review
    from iro_desktop.db.store import open_store
    from iro_desktop.letters.compose import draft_letter
    from iro_desktop.letters.pdf import register_fonts, render_letter_pdf

    with tempfile.TemporaryDirectory() as folder:  # invented children only
        store = open_store(Path(folder) / "bench.db", PASSPHRASE)
        try:
            with store.transaction() as session:
                make_demo_caseload(session, children=76, seed=3, today=TODAY)
            with store.session() as session:
                latest = session.execute(
                    select(Review.child_id, func.max(Review.review_date)).group_by(Review.child_id)
                ).all()
                review_ids = [session.scalar(select(Review.id).where(
                    Review.child_id == child_id, Review.review_date == day))
                    for child_id, day in latest][:70]
                first_start = time.perf_counter()
                render_letter_pdf(draft_letter(session, review_ids[0]), io.BytesIO())
                first = time.perf_counter() - first_start
                register_fonts()
                one_doc = draft_letter(session, review_ids[0])
                render_one = best_of(lambda: render_letter_pdf(one_doc, io.BytesIO()), repeat=7)
                draft_and_render = best_of(lambda: render_letter_pdf(
                    draft_letter(session, review_ids[0]), io.BytesIO()), repeat=7)
                floor = best_of(lambda: _floor(one_doc.plain_text()), repeat=7)

                def batch() -> None:
                    for review_id in review_ids:
                        render_letter_pdf(draft_letter(session, review_id), io.BytesIO())

                batch_seconds = best_of(batch, repeat=2)
        finally:
            store.close()
    count = len(review_ids)
    return [
        row("letter: first letter in a fresh process (fonts, pictures loaded)", first,
            target="< 1 s", met=first < 1.0),
        row("letter: render one letter to PDF", render_one, floor="bare reportlab page, same words",
            floor_seconds=floor, target="< 0.3 s", met=render_one < 0.3),
        row("letter: draft from the review + render", draft_and_render,
            target="< 0.3 s", met=draft_and_render < 0.3),
        row(f"letters: batch of {count} (draft + render each)", batch_seconds,
            floor=f"{count} x bare reportlab page", floor_seconds=floor * count,
            target="< 30 s", met=batch_seconds < 30.0),
    ]
