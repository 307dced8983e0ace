"""The caseload commands through `iro_desktop.cli.main`: due (JSON contract), demo, import-903."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from iro_desktop.cli import main
from iro_desktop.db.models import Child
from iro_desktop.db.store import open_store
from tests.conftest import TEST_PASSPHRASE
from tests.factory import make_child
from tests.interchange.test_import903_support import REVIEWS, counts, snapshot, write_903

D = dt.date


def fill(store_path, build) -> None:
    store = open_store(store_path, TEST_PASSPHRASE)
    try:
        with store.transaction() as session:
            build(session)
    finally:
        store.close()


def read(store_path, query):
    store = open_store(store_path, TEST_PASSPHRASE)
    try:
        with store.session() as session:
            return query(session)
    finally:
        store.close()


def test_due_json_contract(store_path, capsys):
    def build(session):
        make_child(
            session,
            child_ref="A1",
            looked_after_since=D(2025, 5, 1),
            reviews=[D(2025, 6, 2), D(2025, 9, 2)],
        )
        make_child(session, child_ref="B2", looked_after_since=D(2026, 12, 14))
        left = make_child(session, child_ref="C3", looked_after_since=D(2024, 1, 8))
        left.episodes[0].end, left.episodes[0].reason_ended = D(2024, 6, 1), "E4A"
        make_child(session, child_ref="D4", legal_status="V4", looked_after_since=D(2025, 1, 6))

    fill(store_path, build)
    status = main(["due", "--db", str(store_path), "--today", "2027-01-04", "--json"])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {item["child_id"]: item for item in data}
    assert set(by_id) == {"A1", "B2"}  # left care and short breaks only have no review due
    assert by_id["A1"] == by_id["A1"] | {
        "next_review_kind": "subsequent",
        "next_review_due": "2026-03-02",
        "last_review": "2025-09-02",
        "days_until_due": -308,
    }
    assert by_id["B2"] == by_id["B2"] | {
        "next_review_kind": "initial",
        "next_review_due": "2027-01-14",
        "last_review": None,
        "days_until_due": 10,
    }
    assert [item["child_id"] for item in data] == ["A1", "B2"]  # soonest due first


def test_due_table_marks_overdue_and_due_soon(store_path, capsys):
    fill(
        store_path,
        lambda s: (
            make_child(s, child_ref="A1", reviews=[D(2025, 6, 2)]),
            make_child(s, child_ref="B2", looked_after_since=D(2026, 12, 14)),
        ),
    )
    assert main(["due", "--db", str(store_path), "--today", "2027-01-04"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Child")
    line_a = next(line for line in out if line.startswith("A1"))
    line_b = next(line for line in out if line.startswith("B2"))
    assert "02/09/2025" in line_a and "OVERDUE" in line_a
    assert "14/01/2027" in line_b and "due soon" in line_b and "none yet" in line_b


def test_due_on_an_empty_caseload(store_path, capsys):
    assert main(["due", "--db", str(store_path)]) == 0
    assert "No children" in capsys.readouterr().out
    assert main(["due", "--db", str(store_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_due_rejects_a_bad_today(store_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["due", "--db", str(store_path), "--today", "04/01/2027"])
    assert caught.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_demo_then_due(store_path, capsys):
    assert main(["demo", "--db", str(store_path), "--children", "12", "--seed", "4"]) == 0
    assert "12 children" in capsys.readouterr().out
    assert main(["due", "--db", str(store_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 12
    assert {item["next_review_kind"] for item in data} <= {"initial", "second", "subsequent"}


def test_demo_refuses_a_caseload_with_children_unless_replace(store_path, capsys):
    fill(store_path, lambda s: make_child(s, child_ref="REAL1"))
    assert main(["demo", "--db", str(store_path)]) == 2
    err = capsys.readouterr().err
    assert "already has 1 children" in err and "--replace" in err
    assert read(store_path, lambda s: list(s.scalars(select(Child.child_ref)))) == ["REAL1"]
    assert main(["demo", "--db", str(store_path), "--children", "5", "--replace"]) == 0
    refs = read(store_path, lambda s: list(s.scalars(select(Child.child_ref))))
    assert len(refs) == 5 and "REAL1" not in refs


def test_demo_rejects_a_silly_number(store_path, capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--db", str(store_path), "--children", "0"])
    assert "1 to 100000" in capsys.readouterr().err


def test_import_903_then_again_changes_nothing(store_path, tmp_path, capsys):
    folder = write_903(tmp_path / "in")
    args = ["import-903", str(folder), "--db", str(store_path), "--today", "2026-12-01"]
    assert main(args) == 0
    assert "Children: 4 added" in capsys.readouterr().out
    before = read(store_path, snapshot)
    assert main(args) == 0
    assert "Children: 0 added, 0 updated" in capsys.readouterr().out
    assert read(store_path, snapshot) == before


def test_import_903_with_errors_exits_2_lists_every_problem_and_changes_nothing(
    store_path, tmp_path, capsys
):
    assert (
        main(
            [
                "import-903",
                str(write_903(tmp_path / "good")),
                "--db",
                str(store_path),
                "--today",
                "2026-12-01",
            ]
        )
        == 0
    )
    capsys.readouterr()
    before = read(store_path, snapshot)
    bad = REVIEWS.replace("02/06/2025,PN1", "32/06/2025,PN1") + "C999,09/03/2014,01/10/2026,PN9\n"
    status = main(
        [
            "import-903",
            str(write_903(tmp_path / "bad", reviews=bad)),
            "--db",
            str(store_path),
            "--today",
            "2026-12-01",
        ]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "error: reviews.csv, line 2, REVIEW: '32/06/2025' is not a real date" in err
    assert "error: reviews.csv, line 6, CHILD: Child 'C999' is not in header.csv." in err
    assert "error: reviews.csv, line 6, REVIEW_CODE" in err
    assert "The caseload was not changed." in err
    assert read(store_path, snapshot) == before
    assert read(store_path, counts) == (4, 5, 4)


def test_import_903_reports_warnings_and_imports(store_path, tmp_path, capsys):
    reviews = REVIEWS.replace("01/03/2026,PN0", "01/03/2026,PN1")
    assert (
        main(
            [
                "import-903",
                str(write_903(tmp_path / "in", reviews=reviews)),
                "--db",
                str(store_path),
                "--today",
                "2026-12-01",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "warning: reviews.csv, line 4, REVIEW_CODE" in captured.err
    assert "1 warning(s)" in captured.out


def test_import_903_missing_folder(store_path, tmp_path, capsys):
    assert main(["import-903", str(tmp_path / "nope"), "--db", str(store_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
