"""A review saved as a draft before the IRO chose its participation code must not reach the 903
return with an empty REVIEW_CODE: the export is refused, naming each child's 903 id and review
date, and nothing is written (function and CLI, exit status 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop.caseload import reviews
from iro_desktop.caseload.reviews import DecisionInput, MeetingInput, ReviewInput
from iro_desktop.cli import main
from iro_desktop.db.models import Review
from iro_desktop.db.store import open_store
from iro_desktop.interchange.export903 import CodesMissing, build_903_tables, export_903
from tests.factory import make_child

D = dt.date
YEAR = 2026
TODAY = D(2025, 9, 5)
FILES = ("header.csv", "episodes.csv", "reviews.csv")


def _draft(session, child, held_on):
    """A draft saved straight after the meeting: no participation code chosen yet."""
    review_id = reviews.save_review(
        session,
        child.id,
        ReviewInput(
            meetings=[MeetingInput(held_on=held_on, format="in_person", venue="School")],
            decisions=[DecisionInput("Book a dental check", "carer")],
        ),
        today=TODAY,
    )
    assert session.get(Review, review_id).participation_code == ""
    return review_id


def caseload_with_drafts(session) -> None:
    make_child(session, child_ref="A0001", date_of_birth=D(2012, 1, 5),
               looked_after_since=D(2025, 4, 7), reviews=[D(2025, 5, 2)])
    k2 = make_child(session, child_ref="K2", date_of_birth=D(2014, 3, 9),
                    looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
    _draft(session, k2, D(2025, 8, 28))
    b7 = make_child(session, child_ref="B7", date_of_birth=D(2013, 10, 1),
                    looked_after_since=D(2025, 6, 2))
    _draft(session, b7, D(2025, 7, 1))
    # A child on short breaks has no reviews in the return: their draft does not hold it up.
    sb = make_child(session, child_ref="SB1", legal_status="V3", looked_after_since=D(2025, 6, 2))
    sb.reviews.append(Review(review_date=D(2025, 7, 14), participation_code="", source="app"))
    session.flush()


def test_a_draft_without_a_code_refuses_the_export(session, tmp_path):
    caseload_with_drafts(session)
    with pytest.raises(CodesMissing) as caught:
        export_903(session, tmp_path / "out", YEAR)
    assert caught.value.missing == [("B7", D(2025, 7, 1)), ("K2", D(2025, 8, 28))]
    message = str(caught.value)
    assert "B7 (review of 01/07/2025), K2 (review of 28/08/2025)" in message
    assert "choose the participation code first" in message
    assert "Nothing was written" in message
    assert "SB1" not in message and "A0001" not in message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_files_already_there_are_left_as_they_were(session, tmp_path):
    """All or nothing: last week's files in the folder are not replaced by some of this one."""
    out = tmp_path / "903"
    out.mkdir()
    for name in FILES:
        (out / name).write_bytes(b"last week\r\n")
    caseload_with_drafts(session)
    with pytest.raises(CodesMissing):
        export_903(session, out, YEAR)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert all((out / name).read_bytes() == b"last week\r\n" for name in FILES)


def test_once_the_codes_are_chosen_the_export_is_written(session, tmp_path):
    caseload_with_drafts(session)
    for review in session.query(Review).filter(Review.participation_code == ""):
        review.participation_code = "PN6"
    session.flush()
    result = export_903(session, tmp_path, YEAR)
    rows = (tmp_path / "reviews.csv").read_text().splitlines()
    assert "K2,09/03/2014,28/08/2025,PN6" in rows and "B7,01/10/2013,01/07/2025,PN6" in rows
    assert not any(row.endswith(",") for row in rows)
    assert result.reviews == 4 and result.reviews_left_out == 1


def test_a_draft_outside_the_year_does_not_matter(session):
    k2 = make_child(session, child_ref="K2", date_of_birth=D(2014, 3, 9),
                    looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
    _draft(session, k2, D(2025, 8, 28))
    tables, result = build_903_tables(session, 2027)  # 2026-27: the draft is from 2025-26
    assert result.reviews == 0 and len(tables["reviews.csv"]) == 1


def test_a_failed_write_leaves_no_partial_file(session, tmp_path, monkeypatch):
    make_child(session, child_ref="A0001", looked_after_since=D(2025, 4, 7),
               reviews=[D(2025, 5, 2)])
    from pathlib import Path

    real = Path.write_bytes

    def fail_on_reviews(self, data):
        if self.name == ".reviews.csv.partial":
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", fail_on_reviews)
    out = tmp_path / "903"
    out.mkdir()
    (out / "header.csv").write_bytes(b"last week\r\n")
    with pytest.raises(OSError):
        export_903(session, out, YEAR)
    # header.csv and episodes.csv were written before reviews.csv failed: none replaced a file.
    assert [p.name for p in out.iterdir()] == ["header.csv"]
    assert (out / "header.csv").read_bytes() == b"last week\r\n"


def test_the_cli_refuses_with_exit_status_2(tmp_path, monkeypatch, capsys):
    db = tmp_path / "caseload.db"
    store = open_store(db, "iro pw")
    with store.transaction() as s:
        caseload_with_drafts(s)
    store.close()
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", "iro pw")
    out = tmp_path / "903"

    status = main(["export-903", str(out), "--year", str(YEAR), "--db", str(db)])

    captured = capsys.readouterr()
    assert status == 2
    assert "B7 (review of 01/07/2025), K2 (review of 28/08/2025)" in captured.err
    assert "choose the participation code first" in captured.err
    assert "Wrote" not in captured.out
    assert not out.exists() or not any(out.iterdir())
