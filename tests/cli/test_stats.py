"""`iro-desktop stats`: an IRO's year, step by step, and exactly how the figures move.

Mia came into care on Thursday 1 May 2025; her initial review was on its due date, 2 June 2025.
Her second review (due 2 September) is held as a series on 28 August and 4 September; a midway
review on 27 November finds drift; the escalation goes to the team manager and is resolved."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from iro_desktop.caseload import escalations, midway, reviews
from iro_desktop.cli import main
from iro_desktop.commands import reviews as stats_command
from iro_desktop.db.models import Letter, Review
from iro_desktop.reports import figures as figures_module
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date
YEAR = ["--from", "2025-04-01", "--to", "2026-03-31"]
NEXT_YEAR = ["--from", "2026-04-01", "--to", "2027-03-31"]


def stats(capsys, store_path, *extra: str) -> dict:
    capsys.readouterr()
    assert main(["stats", "--db", str(store_path), "--json", *YEAR, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def changed(before: dict, **changes) -> dict:
    """`before` with some figures changed; nested keys as `participation__PN2=1`."""
    after = copy.deepcopy(before)
    for key, value in changes.items():
        if "__" in key:
            outer, inner = key.split("__")
            after[outer][inner] = value
        else:
            after[key] = value
    return after


def test_the_figures_follow_a_review_a_midway_review_and_an_escalation(
    store, store_path, capsys, monkeypatch
):
    monkeypatch.setattr(figures_module, "current_date", lambda: D(2026, 4, 20))  # the report date
    with store.transaction() as session:
        mia = make_child(
            session,
            first_name="Mia",
            date_of_birth=D(2014, 3, 9),
            looked_after_since=D(2025, 5, 1),
            reviews=[D(2025, 6, 2)],
        )
        child_id = mia.id
    start = stats(capsys, store_path)
    assert start["reviews_held"] == 1
    assert start["reviews_on_time"] == 1
    assert start["participation"]["PN1"] == 1
    assert start["escalations_raised"] == 0
    assert start["report_date"] == "2026-04-20"

    # 1. The second review, held as two meetings, with three decisions and PN2.
    with store.transaction() as session:
        review_id = reviews.save_review(
            session, child_id, series_review(D(2025, 8, 28), D(2025, 9, 4)), today=D(2025, 9, 5)
        )
    after_review = stats(capsys, store_path)
    assert after_review == changed(
        start,
        reviews_held=2,
        reviews_on_time=2,
        participation__PN2=1,
        reviews_recorded=2,
        decisions_due=2,  # long past their deadlines on the report date: nothing pending
        records_due=2,
        letters_due=2,
    )

    # 2. Decisions out on 10/09 (due 11/09: on time); record completed 26/09 (due 25/09: late).
    with store.transaction() as session:
        reviews.mark_decisions_circulated(session, review_id, D(2025, 9, 10), today=D(2025, 9, 10))
        reviews.mark_record_completed(session, review_id, D(2025, 9, 26), today=D(2025, 9, 26))
    after_status = stats(capsys, store_path)
    assert after_status == changed(
        after_review,
        decisions_circulated=1,
        decisions_circulated_on_time=1,
        records_completed=1,
        records_on_time=0,
    )

    # 3. The midway review (due 28/11/2025) on 27/11 finds the dental check drifting.
    with store.transaction() as session:
        decisions = session.get(Review, review_id).decisions
        progress = {
            decisions[0].id: ("drifting", "Carer says no dentist will take her"),
            decisions[1].id: ("done", ""),
            decisions[2].id: ("on_track", ""),
        }
        assert midway.midway_due(session, child_id) == D(2025, 11, 28)
        midway_id = midway.save_midway(
            session,
            child_id,
            midway.MidwayInput(D(2025, 11, 27), "call", "", progress),
            today=D(2025, 11, 27),
        )
    after_midway = stats(capsys, store_path)
    assert after_midway == changed(after_status, midway_reviews_held=1)

    # 4. ...and an escalation pre-filled from the drift goes to the social worker.
    with store.transaction() as session:
        prefill = midway.escalation_from_midway(session, midway_id)
        escalation_id = escalations.raise_escalation(
            session, child_id, prefill, today=D(2025, 11, 27)
        )
    after_raise = stats(capsys, store_path)
    expected = changed(
        after_midway,
        escalations_raised=1,
        escalation_children=1,
        escalations_by_stage__informal_sw=1,
        escalations_by_outcome__open=1,
    )
    expected["escalations_by_theme"]["Follow-up of review decisions"] = 1
    expected["escalations_by_theme"]["Care plan delay (drift and delay)"] = 1
    assert after_raise == expected

    # 5. No date from the social worker: up to the team manager.
    with store.transaction() as session:
        view = escalations.load_escalation(session, escalation_id)
        assert view.current.response_due_on == D(2025, 12, 11)
        escalations.record_response(
            session, escalation_id, D(2025, 12, 5), "Still looking.", today=D(2025, 12, 5)
        )
        escalations.move_up(
            session, escalation_id, "team_manager", D(2025, 12, 8), today=D(2025, 12, 8)
        )
    after_move = stats(capsys, store_path)
    assert after_move == changed(
        after_raise, escalations_by_stage__informal_sw=0, escalations_by_stage__team_manager=1
    )

    # 6. The team manager finds a dentist: resolved.
    with store.transaction() as session:
        escalations.record_response(
            session, escalation_id, D(2025, 12, 19), "Appointment 07/01.", today=D(2025, 12, 19)
        )
        escalations.close_escalation(
            session, escalation_id, "resolved", D(2026, 1, 5), today=D(2026, 1, 5)
        )
    after_close = stats(capsys, store_path)
    assert after_close == changed(
        after_move, escalations_by_outcome__open=0, escalations_by_outcome__resolved=1
    )

    # Outside the year nothing counts.
    later = stats(capsys, store_path, "--from", "2026-04-01", "--to", "2027-03-31")
    assert (later["reviews_held"], later["escalations_raised"], later["midway_reviews_held"]) == (
        0,
        0,
        0,
    )


def test_work_within_its_deadline_is_pending_not_late(store, store_path, capsys, monkeypatch):
    """Reviews held on Friday 20/11/2026 (decisions due 27/11; record and letter due 11/12) and
    Thursday 26/11/2026 (due 03/12 and 17/12), looked at on Monday 30/11/2026."""
    monkeypatch.setattr(figures_module, "current_date", lambda: D(2026, 11, 30))
    with store.transaction() as session:
        older = make_child(session, looked_after_since=D(2026, 3, 2), reviews=[D(2026, 11, 20)])
        older.reviews[0].decisions_circulated_on = D(2026, 11, 27)  # its last day: on time
        session.flush()
        session.add(Letter(review_id=older.reviews[0].id, sent_on=D(2026, 11, 30)))
        make_child(session, looked_after_since=D(2026, 3, 2), reviews=[D(2026, 11, 26)])
    f = stats(capsys, store_path, "--from", "2026-04-01", "--to", "2027-03-31")
    assert f["report_date"] == "2026-11-30"
    assert f["reviews_recorded"] == 2
    # Decisions: 1 on time out of 1 due, the review of 26/11 pending (not 1 of 2).
    assert (f["decisions_circulated_on_time"], f["decisions_due"], f["decisions_pending"]) == (
        1,
        1,
        1,
    )
    # Records: neither completed, both still in time. Letters: one sent early, one pending.
    assert (f["records_on_time"], f["records_due"], f["records_pending"]) == (0, 0, 2)
    assert (f["letters_on_time"], f["letters_due"], f["letters_pending"]) == (1, 1, 1)

    # A week later (Monday 07/12/2026) the decisions of 26/11 (due 03/12) are late.
    monkeypatch.setattr(figures_module, "current_date", lambda: D(2026, 12, 7))
    f = stats(capsys, store_path, "--from", "2026-04-01", "--to", "2027-03-31")
    assert (f["decisions_circulated_on_time"], f["decisions_due"], f["decisions_pending"]) == (
        1,
        2,
        0,
    )
    assert (f["records_due"], f["records_pending"]) == (0, 2)


def test_the_table_is_readable(store, store_path, capsys):
    with store.transaction() as session:
        make_child(
            session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2), D(2025, 9, 3)]
        )
    capsys.readouterr()
    assert main(["stats", "--db", str(store_path), *YEAR]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Your figures from 01/04/2025 to 31/03/2026\n")
    width = len("Decisions not circulated yet, still within the deadline")  # the longest label
    assert f"  {'Reviews held':<{width}}      2\n" in out
    assert f"  {'Reviews held on time':<{width}}      1  50%\n" in out
    assert f"  {'PN1':<{width}}      2  100%\n" in out


def test_the_default_period_is_this_april_to_march_year(store_path, capsys, monkeypatch):
    monkeypatch.setattr(stats_command, "_today", lambda: D(2026, 1, 15))
    capsys.readouterr()
    assert main(["stats", "--db", str(store_path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["from"], figures["to"]) == ("2025-04-01", "2026-03-31")
    assert main(["stats", "--db", str(store_path), "--json", "--from", "2025-06-01"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["from"], figures["to"]) == ("2025-06-01", "2026-03-31")


def test_a_backwards_period_is_refused(store_path, capsys):
    status = main(["stats", "--db", str(store_path), "--from", "2026-01-01", "--to", "2025-12-31"])
    assert status == 2
    assert capsys.readouterr().err == "iro-desktop: --to 2025-12-31 is before --from 2026-01-01.\n"


def test_a_date_not_in_iso_form_is_refused(store_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["stats", "--db", str(store_path), "--from", "01/04/2025"])
    assert exit_.value.code == 2
    assert "'01/04/2025' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_the_table_shows_on_time_out_of_the_reviews_due_and_the_pending_ones(
    store, store_path, capsys, monkeypatch
):
    """Reviews held on Friday 20/11/2026 (decisions due 27/11; record and letter due 11/12) and
    Thursday 26/11/2026 (due 03/12 and 17/12), looked at on Monday 30/11/2026: the decisions of
    20/11 went out on their last day and its letter on 30/11; nothing else is done yet."""
    monkeypatch.setattr(figures_module, "current_date", lambda: D(2026, 11, 30))
    with store.transaction() as session:
        older = make_child(session, looked_after_since=D(2026, 3, 2), reviews=[D(2026, 11, 20)])
        older.reviews[0].decisions_circulated_on = D(2026, 11, 27)
        session.flush()
        session.add(Letter(review_id=older.reviews[0].id, sent_on=D(2026, 11, 30)))
        make_child(session, looked_after_since=D(2026, 3, 2), reviews=[D(2026, 11, 26)])
    capsys.readouterr()
    assert main(["stats", "--db", str(store_path), *NEXT_YEAR]) == 0
    lines = capsys.readouterr().out.splitlines()

    def row(label: str) -> list[str]:
        [line] = [line for line in lines if line.startswith(f"  {label}  ")]
        return line[len(label) + 2 :].split()

    assert row("Reviews recorded (not from a 903 file)") == ["2"]
    # 1 of the 1 due, not 1 of the 2 recorded: the decisions of 26/11 are not late yet.
    assert row("Decisions circulated") == ["1", "50%"]
    assert row("Decisions circulated on time") == ["1", "100%", "of", "1"]
    assert row("Decisions not circulated yet, still within the deadline") == [
        "1", "not", "in", "the", "share", "above", "yet"
    ]
    # No record was due yet: no share to give, both pending.
    assert row("Records completed on time") == ["0", "-"]
    assert row("Records not completed yet, still within the deadline")[0] == "2"
    assert row("Letters sent on time") == ["1", "100%", "of", "1"]
    assert row("Letters not sent yet, still within the deadline")[0] == "1"
    # The figures stay in one column, however long the label.
    [held] = [line for line in lines if line.startswith("  Reviews held  ")]
    [pending] = [line for line in lines if line.startswith("  Decisions not circulated yet")]
    assert held.rstrip().endswith(" 2")
    assert pending.index(" 1  not in") == len(held.rstrip()) - 2

    # A week later (Monday 07/12/2026) the decisions of 26/11 (due 03/12) are late: 1 of 2.
    monkeypatch.setattr(figures_module, "current_date", lambda: D(2026, 12, 7))
    assert main(["stats", "--db", str(store_path), *NEXT_YEAR]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert row("Decisions circulated on time") == ["1", "50%", "of", "2"]
    assert row("Decisions not circulated yet, still within the deadline") == ["0"]


def test_the_table_counts_a_draft_with_no_participation_code(store, store_path, capsys):
    """Two reviews of a 12-year-old: 02/06/2025 with PN1, 03/09/2025 a draft saved before the code
    was chosen. The participation rows add up to the 2 reviews held."""
    with store.transaction() as session:
        child = make_child(
            session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2), D(2025, 9, 3)]
        )
        child.reviews[1].participation_code, child.reviews[1].status = "", "draft"
    capsys.readouterr()
    assert main(["stats", "--db", str(store_path), *YEAR]) == 0
    lines = capsys.readouterr().out.splitlines()
    label = "Participation not recorded yet (draft records)"
    [row] = [line for line in lines if line.startswith(f"  {label}  ")]
    assert row.split()[-2:] == ["1", "50%"]
    [pn1] = [line for line in lines if line.startswith("  PN1  ")]
    assert pn1.split()[-2:] == ["1", "50%"]
