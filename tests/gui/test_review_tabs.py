"""The child record's review work tabs and timeline: lists with status in words, New and Open
through the dialogs (exec patched), show_item, and models that pass qtmodeltester."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factory import add_decision, make_child

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dialog closed with changes asks the IRO first; in tests the answer is "discard"."""
    from iro_desktop.gui import review_parts

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)


def _child(store: Any) -> tuple[int, int]:
    with store.transaction() as session:
        child = make_child(session, first_name="Tia", looked_after_since=TODAY - dt.timedelta(400),
                           reviews=[TODAY - dt.timedelta(380), TODAY - dt.timedelta(100)])
        review = child.reviews[-1]
        add_decision(session, review, "Arrange a dental check", "Carer")
        return child.id, review.id


@pytest.mark.parametrize("name", ["ReviewsTab", "MidwayTab", "NotesTab", "EscalationsTab"])
def test_tabs_build_and_models_pass_the_tester(qtbot: Any, qtmodeltester: Any, store: Any,
                                               name: str) -> None:
    from iro_desktop.gui import reviews_tab

    child_id, _review_id = _child(store)
    tab = getattr(reviews_tab, name)(store, child_id)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model)
    assert tab.new_button.accessibleName()
    assert tab.view.accessibleName()


def test_reviews_tab_lists_and_selects(qtbot: Any, store: Any) -> None:
    from iro_desktop.gui.reviews_tab import ReviewsTab

    child_id, review_id = _child(store)
    tab = ReviewsTab(store, child_id)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 2
    tab.show_item(review_id)
    assert tab.selected_id() == review_id


def test_new_note_from_the_notes_tab(qtbot: Any, store: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QDialog

    from iro_desktop.gui.note_dialog import NoteDialog
    from iro_desktop.gui.reviews_tab import NotesTab

    child_id, _review_id = _child(store)
    tab = NotesTab(store, child_id)
    qtbot.addWidget(tab)
    assert "Not seen" in tab.info.text() or "Last seen" in tab.info.text()

    def fill_and_save(dialog: NoteDialog) -> int:
        dialog.kind.set_value("visit")
        dialog.seen_alone.setChecked(True)
        dialog.text.setPlainText("Visited at home; Tia showed me her room.")
        dialog.save()
        return QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(NoteDialog, "exec", fill_and_save)
    with qtbot.waitSignal(tab.changed):
        tab.new_item()
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 2).data() == "Yes"
    assert "Last seen by you" in tab.info.text()


def test_midway_tab_shows_drift_in_words(qtbot: Any, store: Any) -> None:
    from iro_desktop.caseload import midway
    from iro_desktop.gui.reviews_tab import MidwayTab

    child_id, _review_id = _child(store)
    with store.transaction() as session:
        decision = midway.decisions_for_midway(session, child_id, TODAY).decisions[0]
        midway_id = midway.save_midway(session, child_id, midway.MidwayInput(
            held_on=TODAY, progress={decision.decision_id: ("drifting", "No date yet")}))
    tab = MidwayTab(store, child_id)
    qtbot.addWidget(tab)
    assert "⚠" in tab.model.index(0, 2).data() and "drifting" in tab.model.index(0, 2).data()
    tab.show_item(midway_id)
    assert tab.selected_id() == midway_id


def test_timeline_in_date_order_with_words(qtbot: Any, qtmodeltester: Any, store: Any) -> None:
    from iro_desktop.caseload import notes
    from iro_desktop.gui.timeline_tab import TimelineTab

    child_id, _review_id = _child(store)
    with store.transaction() as session:
        notes.save_note(session, child_id, notes.NoteInput(
            noted_on=TODAY - dt.timedelta(days=5), kind="call", text="Called the carer"))
    tab = TimelineTab(store, child_id)
    qtbot.addWidget(tab)
    qtmodeltester.check(tab.model)
    dates = [tab.model.index(r, 0).data(Qt_sort_role()) for r in range(tab.model.rowCount())]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    whats = [tab.model.index(r, 1).data() for r in range(tab.model.rowCount())]
    assert any("Case note" in w or "Call" in w for w in whats)
    assert any("review" in w.casefold() for w in whats)  # "● Initial review"
    tab.newest_first.setChecked(False)
    dates = [tab.model.index(r, 0).data(Qt_sort_role()) for r in range(tab.model.rowCount())]
    assert dates == sorted(dates)


def Qt_sort_role() -> int:
    from iro_desktop.gui.review_parts import SORT_ROLE

    return SORT_ROLE
