"""The annual report's spreadsheet and PDF tables with work still within its deadline (pending)
and a draft review record with no participation code yet: read back with openpyxl, cell by cell.

Real English dates and the default settings (decisions 5 working days after the last meeting,
record and letter 15). The report is made on Monday 30 November 2026 for April 2026 to March
2027, over an IRO's own store (any session on these models will do)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from iro_desktop.db.models import Letter
from iro_desktop.reports.annual import annual_report
from iro_desktop.reports.figures import FIGURE_LABELS, iro_figures
from tests.factory import make_child

D = dt.date
START, END = D(2026, 4, 1), D(2027, 3, 31)
MONDAY = D(2026, 11, 30)


@pytest.fixture
def autumn(session: Any) -> Any:
    """Three 12-year-olds' reviews (each born 9 March 2014), one a draft with no code yet."""
    # Held Monday 02/11 (PN1): decisions out 06/11 (due 09/11: on time), record 24/11 (due 23/11:
    # a day late), letter 23/11 (its last day: on time). Nothing pending.
    done = make_child(session, looked_after_since=D(2026, 3, 2), reviews=[D(2026, 11, 2)],
                      participation_code="PN1")
    done.reviews[0].decisions_circulated_on = D(2026, 11, 6)
    done.reviews[0].record_completed_on = D(2026, 11, 24)
    session.add(Letter(review_id=done.reviews[0].id, sent_on=D(2026, 11, 23)))
    # Held Tuesday 10/11 (PN7, did not take part), nothing done: the decisions (due 17/11) are
    # late; the record and the letter (due 01/12) are still within their deadline.
    make_child(session, looked_after_since=D(2026, 3, 2), reviews=[D(2026, 11, 10)],
               participation_code="PN7")
    # Held Thursday 26/11, saved as a draft before the code was chosen: everything pending
    # (decisions due 03/12, record and letter 17/12).
    draft = make_child(session, looked_after_since=D(2026, 3, 2), reviews=[D(2026, 11, 26)])
    draft.reviews[0].participation_code = ""
    draft.reviews[0].status = "draft"
    session.flush()
    return session


def test_a_draft_with_no_code_is_counted_as_not_recorded(autumn: Any) -> None:
    f = iro_figures(autumn, START, END, today=MONDAY)
    assert f["reviews_held"] == 3
    assert f["participation"]["PN1"] == f["participation"]["PN7"] == 1
    assert f["participation_not_recorded"] == 1
    assert sum(f["participation"].values()) + f["participation_not_recorded"] == f["reviews_held"]
    assert FIGURE_LABELS["participation_not_recorded"]


def test_the_4_plus_participation_rate_leaves_out_a_draft_with_no_code(autumn: Any) -> None:
    report = annual_report(autumn, START, END, today=MONDAY)
    # 1 of the 2 reviews with a code (PN1 took part, PN7 did not): 50%, not 1 of 3 (33.3%).
    assert report["participation_aged_4_plus"] == {
        "reviews": 2, "participated": 1, "percent": 50.0, "not_recorded": 1}
    [band] = [b for b in report["participation_by_age_band"] if b["band"] == "10-15"]
    assert (band["reviews"], band["participated"], band["not_recorded"]) == (2, 1, 1)
    [age] = report["participation_by_age"]
    assert (age["age"], age["reviews"], age["percent"], age["not_recorded"]) == (12, 2, 50.0, 1)
    assert report["participation_not_recorded"] == 1
    assert report["percent"]["participation_not_recorded"] == pytest.approx(33.3)


def _rows(ws: Any) -> dict[str, list[Any]]:
    return {r[0]: list(r[1:]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def test_the_spreadsheet_gives_the_shares_out_of_the_reviews_due(
    autumn: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from iro_desktop.reports.annual_xlsx import write_xlsx

    report = annual_report(autumn, START, END, today=MONDAY)
    wb = load_workbook(write_xlsx(report, tmp_path / "report.xlsx"))
    ws = wb["Records and letters"]
    assert [c.value for c in ws[1]] == ["After the review", "Done", "On time", "Of reviews due",
                                        "% on time", "Still within the deadline"]
    rows = _rows(ws)
    # (done, on time, of the reviews due, share, still within the deadline)
    # Decisions: due for 02/11 and 10/11 (1 on time of 2); 26/11 still in time.
    assert rows["Decisions circulated"] == [1, 1, 2, pytest.approx(0.5), 1]
    # Records: only 02/11's was due, completed a day late (0 of 1); 10/11 and 26/11 in time.
    assert rows["Review record completed"] == [1, 0, 1, 0, 2]
    assert rows["Letter to the child sent"] == [1, 1, 1, pytest.approx(1.0), 2]
    assert ws["E2"].number_format == "0.0%"
    note = ws.cell(ws.max_row, 1).value
    assert "30 November 2026" in note and "left out of the percentage" in note

    cover = {r[0]: r[1:] for r in wb["Cover"].iter_rows(min_row=2, values_only=True) if r[0]}
    value, of = cover["Review records completed on time"][:2]
    assert value == 0
    assert of == "0 of 1 reviews due; 2 still within the deadline"
    value, of = cover["Children aged 4 and over who took part in their review"][:2]
    assert value == pytest.approx(0.5)
    assert of == "1 of 2 reviews; 1 with no participation code yet (drafts)"

    codes = _rows(wb["Participation by code"])
    assert codes["PN1"][1] == codes["PN7"][1] == 1
    assert codes["–"][:2] == ["Not recorded yet (a draft record, no code chosen)", 1]
    assert codes["–"][2] == pytest.approx(1 / 3, abs=0.001)
    assert codes["PN1"][1] + codes["PN7"][1] + codes["–"][1] == 3  # the total row's 3 reviews
    ages = _rows(wb["Participation by age"])
    assert ages["Aged 4 and over"][:3] == [2, 1, pytest.approx(0.5)]
    assert "Not counted: draft records with no participation code yet (1)." in \
        wb["Participation by age"].cell(wb["Participation by age"].max_row, 1).value


def test_a_year_long_past_has_nothing_pending(autumn: Any, tmp_path: Path) -> None:
    """Looked at in June 2027 every deadline has passed: the shares are out of all 3 reviews."""
    from openpyxl import load_workbook

    from iro_desktop.reports.annual_xlsx import write_xlsx

    report = annual_report(autumn, START, END, today=D(2027, 6, 1))
    wb = load_workbook(write_xlsx(report, tmp_path / "report.xlsx"))
    rows = _rows(wb["Records and letters"])
    assert rows["Decisions circulated"] == [1, 1, 3, pytest.approx(1 / 3, abs=0.001), 0]
    assert rows["Review record completed"] == [1, 0, 3, 0, 0]
    cover = {r[0]: r[1:] for r in wb["Cover"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert cover["Review records completed on time"][1] == "0 of 3 reviews due"


def test_the_pdf_shows_the_reviews_due_and_the_pending_ones(autumn: Any, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    from iro_desktop.reports.annual_pdf import write_pdf

    report = annual_report(autumn, START, END, today=MONDAY)
    reader = pypdf.PdfReader(str(write_pdf(report, tmp_path / "report.pdf")))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "0 of 1 reviews due; 2 still within the deadline" in text
    assert "Still within the deadline" in text
    assert "Of reviews due" in text
    assert "Not recorded yet (a draft record, no code chosen)" in text
    assert "1 of 2 reviews; 1 with no participation code yet (drafts)" in text
