"""Moved home / change of legal status, and came back into care, from the Details tab: validation
beside the fields, then the record, the caseload and the "consider a review" flag all follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from iro_desktop.db.models import Child
from iro_desktop.gui import episode_dialog
from iro_desktop.gui.episode_dialog import EpisodeDialog

REAL_TODAY = dt.date.today()


def _drive(monkeypatch: Any, steps: list[Any]) -> list[EpisodeDialog]:
    """Replace exec: each step fills the open dialog; the last result decides accept/reject."""
    seen: list[EpisodeDialog] = []

    def fake_exec(dialog: EpisodeDialog) -> int:
        seen.append(dialog)
        for step in steps:
            step(dialog)
            if dialog.result() == QDialog.DialogCode.Accepted:
                return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(EpisodeDialog, "exec", fake_exec)
    return seen


def _episodes(store: Any, child_id: int) -> list[tuple[Any, ...]]:
    with store.session() as session:
        child = session.get(Child, child_id)
        return [(e.start, e.reason_new_episode, e.legal_status, e.placement, e.end,
                 e.reason_ended) for e in child.episodes]


def test_a_move_with_a_bad_date_then_a_good_one(qtbot: Any, main_window: Any, store: Any,
                                                caseload: dict[str, int],
                                                monkeypatch: Any) -> None:
    amira = caseload["amira"]
    caseload_page = main_window.page("caseload")
    main_window.open_child(amira, "details", 0)
    record = main_window.child_record
    details = record.tab("details")
    assert not details.move_button.isHidden() and details.new_period_button.isHidden()
    assert record.consider_label.isHidden()
    moved_on = REAL_TODAY - dt.timedelta(days=10)
    messages: dict[str, str] = {}

    def future_date(dialog: EpisodeDialog) -> None:
        dialog.on.set_date(REAL_TODAY + dt.timedelta(days=3))
        dialog.placement.set_code("K2")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        messages["on"] = dialog.form.message("on")

    def nothing_changed(dialog: EpisodeDialog) -> None:
        dialog.on.set_date(moved_on)
        dialog.placement.set_code("U4")  # as before
        dialog.carer_changed.setChecked(False)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        messages["placement"] = dialog.form.message("placement")

    def good(dialog: EpisodeDialog) -> None:
        dialog.placement.set_code("K2")
        dialog.carer_changed.setChecked(True)
        dialog.carer_name.setText("Oak House")
        dialog.reason_place_change.set_code(dialog.reason_place_change.itemData(1))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    seen = _drive(monkeypatch, [future_date, nothing_changed, good])
    before = _episodes(store, amira)
    qtbot.mouseClick(details.move_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0].mode == "move"
    assert "future" in messages["on"]
    assert "Nothing has changed" in messages["placement"]
    after = _episodes(store, amira)
    assert len(after) == len(before) + 1
    assert after[-2][4:] == (moved_on, "X1")  # the old episode ends with X1 on the move date
    assert after[-1][:4] == (moved_on, "P", "C2", "K2")  # new placement and carer: RNE P
    # The record, the header's flag and the caseload follow without a reload.
    assert details.episodes_model.rowCount() == len(after)
    assert not record.consider_label.isHidden()
    assert "consider a review" in record.consider_label.text()
    row = next(r for r in caseload_page.model.rows() if r.child_id == amira)
    assert row.placement_changed and row.placement == "K2"


def test_a_new_legal_status_alone_is_rne_l(qtbot: Any, main_window: Any, store: Any,
                                           caseload: dict[str, int], monkeypatch: Any) -> None:
    cara = caseload["cara"]
    main_window.open_child(cara, "details", 0)
    details = main_window.child_record.tab("details")

    def status(dialog: EpisodeDialog) -> None:
        dialog.on.set_date(REAL_TODAY - dt.timedelta(days=2))
        dialog.legal_status.set_code("E1")
        dialog.carer_changed.setChecked(False)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    _drive(monkeypatch, [status])
    details.record_move()
    assert _episodes(store, cara)[-1][1:3] == ("L", "E1")


def test_came_back_into_care_starts_a_new_period(qtbot: Any, main_window: Any, store: Any,
                                                 caseload: dict[str, int],
                                                 monkeypatch: Any) -> None:
    ellie = caseload["ellie"]  # left care 01/11/2025
    caseload_page = main_window.page("caseload")
    assert all(r.child_id != ellie for r in caseload_page.model.rows())
    main_window.open_child(ellie, "details", 0)
    record = main_window.child_record
    details = record.tab("details")
    assert details.move_button.isHidden() and not details.new_period_button.isHidden()
    messages: dict[str, str] = {}

    def before_left(dialog: EpisodeDialog) -> None:
        dialog.on.set_date(dt.date(2025, 10, 1))
        dialog.legal_status.set_code("C2")
        dialog.placement.set_code("U4")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        messages["on"] = dialog.form.message("on")

    def no_placement(dialog: EpisodeDialog) -> None:
        dialog.on.set_date(REAL_TODAY - dt.timedelta(days=5))
        dialog.placement.setCurrentIndex(0)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        messages["placement"] = dialog.form.message("placement")

    def good(dialog: EpisodeDialog) -> None:
        dialog.placement.set_code("U4")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    _drive(monkeypatch, [before_left, no_placement, good])
    qtbot.mouseClick(details.new_period_button, Qt.MouseButton.LeftButton)
    assert "ended on 01/11/2025" in messages["on"]
    assert messages["placement"]
    last = _episodes(store, ellie)[-1]
    assert last[:4] == (REAL_TODAY - dt.timedelta(days=5), "S", "C2", "U4") and last[4] is None
    assert not details.move_button.isHidden() and details.new_period_button.isHidden()
    assert record.header.looked_after and record.header.days_until_due is not None
    row = next(r for r in caseload_page.model.rows() if r.child_id == ellie)
    assert row.looked_after and row.last_review is None


def test_cancel_changes_nothing(qtbot: Any, main_window: Any, store: Any,
                                caseload: dict[str, int], monkeypatch: Any) -> None:
    amira = caseload["amira"]
    main_window.open_child(amira, "details", 0)
    before = _episodes(store, amira)
    monkeypatch.setattr(EpisodeDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert EpisodeDialog.record(store, amira, episode_dialog.MOVE) == (None, False)
    assert _episodes(store, amira) == before
