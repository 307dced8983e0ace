"""The manager's annual report counts pending work as each IRO's `stats` does: decisions, records
and letters still within their deadline on the report date are left out of the on-time shares and
counted apart, and the service's figures are still the sum of the IROs' own.

Real English dates, default settings (5 / 15 / 15 working days from the last meeting)."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop.db.models import Letter
from iro_desktop.db.service import trust_iro
from iro_desktop.interchange import keys
from iro_desktop.interchange.manager_import import APPLIED, import_bytes
from iro_desktop.reports import figures
from iro_desktop.reports.annual import annual_report
from iro_desktop.reports.figures import ON_TIME_OUT_OF, iro_figures
from tests.factory import make_child
from tests.manager.helpers import D, add_numbers, iro_store, sealed_export

START, END = D(2026, 4, 1), D(2026, 11, 30)
MONDAY = D(2026, 11, 30)  # the report date
EXPORTED = dt.datetime(2026, 11, 30, 17, 0)
NEW_KEYS = (
    "decisions_due",
    "decisions_pending",
    "records_due",
    "records_pending",
    "letters_due",
    "letters_pending",
    "report_date",
)


def _review(session, held_on, *, circulated=None, completed=None, sent=None):
    child = make_child(session, looked_after_since=D(2026, 3, 2), reviews=[held_on])
    review = child.reviews[0]
    review.decisions_circulated_on = circulated
    review.record_completed_on = completed
    if sent is not None:
        session.add(Letter(review_id=review.id, sent_on=sent))
    session.flush()


@pytest.fixture
def two_iros(tmp_path, service):
    """Alex held a review on Thursday 26/11 (nothing done yet: pending) and one on 02/11 done
    late except the letter; Bo one on Tuesday 10/11 (decisions late, record and letter due 01/12:
    pending) and one in October, all on time."""
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager")
    alex = keys.generate(keys.ROLE_IRO, "Alex Ash")
    bo = keys.generate(keys.ROLE_IRO, "Bo Birch")
    with service.transaction() as s:
        trust_iro(s, alex.public.armored(), "Alex Ash")
        trust_iro(s, bo.public.armored(), "Bo Birch")
    store_a = iro_store(tmp_path / "a.db", "Alex Ash")
    store_b = iro_store(tmp_path / "b.db", "Bo Birch")
    with store_a.transaction() as s:
        _review(s, D(2026, 11, 26))
        _review(s, D(2026, 11, 2), circulated=D(2026, 11, 10), completed=D(2026, 11, 24),
                sent=D(2026, 11, 23))
    with store_b.transaction() as s:
        _review(s, D(2026, 11, 10))
        _review(s, D(2026, 10, 1), circulated=D(2026, 10, 8), completed=D(2026, 10, 22),
                sent=D(2026, 10, 22))
    stats = {}
    for name, store, pair in (("Alex Ash", store_a, alex), ("Bo Birch", store_b, bo)):
        data = sealed_export(store, pair, manager.public, start=START, end=END, now=EXPORTED)
        assert import_bytes(service, data, manager).status == APPLIED
        with store.session() as s:
            stats[name] = iro_figures(s, START, END, today=MONDAY)
    yield stats
    store_a.close()
    store_b.close()


def test_service_pending_is_the_sum_of_the_iros_own(service, two_iros):
    with service.session() as s:
        report = annual_report(s, START, END, today=MONDAY)
    alex, bo = two_iros["Alex Ash"], two_iros["Bo Birch"]
    pending = [f"{kind}_pending" for kind in ("decisions", "records", "letters")]
    assert [alex[key] for key in pending] == [1, 1, 1]
    assert [bo[key] for key in pending] == [0, 1, 1]
    total = add_numbers(alex, bo)
    for key in (*NEW_KEYS, *total):
        assert report[key] == total[key], key
    by_name = {entry["iro"]: entry for entry in report["by_iro"]}
    for name, own in two_iros.items():
        for key, value in own.items():
            assert by_name[name][key] == value, (name, key)

    # The shares leave the pending ones out: decisions 1 on time (Bo's October) of 3 due (the
    # 26/11 one is pending); records 1 of 2 (02/11 late, October on time); letters 2 of 2.
    assert (report["decisions_circulated_on_time"], report["decisions_due"]) == (1, 3)
    assert (report["records_on_time"], report["records_due"]) == (1, 2)
    assert (report["letters_on_time"], report["letters_due"]) == (2, 2)
    assert report["reviews_recorded"] == 4
    assert report["percent"]["decisions_circulated_on_time"] == 33.3
    assert report["percent"]["records_on_time"] == 50.0
    assert report["percent"]["letters_on_time"] == 100.0
    assert by_name["Bo Birch"]["percent"]["records_on_time"] == 100.0  # 1 of 1; 10/11 pending
    assert by_name["Alex Ash"]["percent"]["decisions_circulated_on_time"] == 0.0  # 0 of 1


def test_once_every_deadline_has_passed_nothing_is_pending(service, two_iros):
    # Friday 18/12/2026: the last deadline (17/12 for the review of 26/11) has gone by.
    with service.session() as s:
        report = annual_report(s, START, END, today=D(2026, 12, 18))
    for kind in ("decisions", "records", "letters"):
        assert report[f"{kind}_pending"] == 0, kind
        assert report[f"{kind}_due"] == report["reviews_recorded"] == 4, kind
    assert report["percent"]["decisions_circulated_on_time"] == 25.0
    assert report["percent"]["records_on_time"] == 25.0
    assert report["percent"]["letters_on_time"] == 50.0
    for entry in report["by_iro"]:
        assert entry["decisions_pending"] == entry["records_pending"] == 0


def test_a_year_in_the_past_has_nothing_pending(service, monkeypatch):
    """The 2025-26 report made in June 2026: a review on the year's last day, nothing done, was
    due by April: it is late, not pending (the period's end is not the report date)."""
    with service.transaction() as s:
        _review(s, D(2026, 3, 31))
        _review(s, D(2026, 3, 30), circulated=D(2026, 4, 2), completed=D(2026, 4, 20),
                sent=D(2026, 4, 21))  # due 08/04 and 22/04 (Easter 03/04 and 06/04): on time
    monkeypatch.setattr(figures, "current_date", lambda: D(2026, 6, 1))
    with service.session() as s:
        report = annual_report(s, D(2025, 4, 1), D(2026, 3, 31))
    assert report["report_date"] == "2026-06-01"
    for key, out_of in ON_TIME_OUT_OF.items():
        assert (report[key], report[out_of]) == (1, 2), key
        assert report["percent"][key] == 50.0
    assert [report[f"{k}_pending"] for k in ("decisions", "records", "letters")] == [0, 0, 0]
    # Made on the year's last day instead, both reviews are still within every deadline.
    with service.session() as s:
        on_the_day = annual_report(s, D(2025, 4, 1), D(2026, 3, 31), today=D(2026, 3, 31))
    assert on_the_day["decisions_pending"] == 1  # the one circulated on 02/04 is done, so counts
    assert on_the_day["records_pending"] == on_the_day["letters_pending"] == 1
    assert on_the_day["percent"]["records_on_time"] == 100.0


def test_the_cli_summary_counts_on_time_out_of_those_due(service, two_iros, monkeypatch, capsys):
    """`manager report` said "Records on time: 1 of 4" (of every review recorded), counting the
    two still within their deadline as late; now out of those due, with the pending apart."""
    from iro_desktop.cli import main
    from iro_desktop.commands.manager import format_report

    with service.session() as s:
        report = annual_report(s, START, END, today=MONDAY)
    text = format_report(report)
    line = next(x for x in text.splitlines() if x.startswith("On time"))
    assert line == (
        "On time, of those due by 30/11/2026 (pending: still within the deadline): "
        "decisions circulated 1 of 3 (33.3%), 1 pending; records 1 of 2 (50.0%), 2 pending; "
        "letters 2 of 2 (100.0%), 2 pending"
    )
    assert "Records on time" not in text  # the old line, "of" every review recorded

    monkeypatch.setattr(figures, "current_date", lambda: MONDAY)
    capsys.readouterr()
    status = main(["manager", "report", "--from", START.isoformat(), "--to", END.isoformat(),
                   "--db", service.engine.url.render_as_string(hide_password=False)])
    assert status == 0
    assert line in capsys.readouterr().out

    # Once every deadline has passed nothing is pending, and the line says no "pending".
    with service.session() as s:
        later = format_report(annual_report(s, START, END, today=D(2026, 12, 18)))
    assert "decisions circulated 1 of 4 (25.0%); records 1 of 4 (25.0%); letters 2 of 4" in later
    assert "pending," not in later and "pending;" not in later
