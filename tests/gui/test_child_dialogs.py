"""Adding, editing and closing a child: messages beside fields, nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy import func, select

from iro_desktop.db.models import Child
from iro_desktop.gui.child_dialog import ChildDialog
from iro_desktop.gui.close_child_dialog import CloseChildDialog
from tests.gui.conftest import TODAY


def _count(store: Any) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(Child))


def _fill_new_child(qtbot: Any, dialog: ChildDialog, dob: str = "09/03/2014") -> None:
    qtbot.keyClicks(dialog.child_ref, "N7007")
    qtbot.keyClicks(dialog.first_name, "Nadia")
    qtbot.keyClicks(dialog.last_name, "Oakley")
    qtbot.keyClicks(dialog.date_of_birth.line_edit, dob)
    qtbot.keyClicks(dialog.looked_after_since.line_edit, "01/12/2025")
    dialog.legal_status.set_code("C2")
    dialog.placement.set_code("U4")


@pytest.fixture
def add_dialog(qtbot: Any, store: Any, caseload: Any) -> ChildDialog:
    dialog = ChildDialog(store)
    dialog.today = lambda: TODAY
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def test_a_date_of_birth_that_is_not_a_date_is_shown_beside_the_field_and_nothing_saved(
    qtbot: Any, store: Any, add_dialog: ChildDialog
) -> None:
    before = _count(store)
    _fill_new_child(qtbot, add_dialog, dob="31/02/2014")
    add_dialog.placement.set_code("")  # a second problem, reported at the same time
    add_dialog.accept()
    assert add_dialog.result() != QDialog.DialogCode.Accepted
    # 31/02/2014 is typed as dd/mm/yyyy: "type it as dd/mm/yyyy" did not say what was wrong
    assert add_dialog.message("date_of_birth") == (
        "⚠ There is no date 31/02/2014: check the day and the month.")
    assert add_dialog.message("placement") == "⚠ Choose the placement type."
    assert add_dialog.message("first_name") == ""
    assert QApplication.focusWidget() is add_dialog.date_of_birth.line_edit  # first wrong field
    assert "nothing was saved" in add_dialog.general_message.text()
    assert _count(store) == before


def test_a_future_date_of_birth_gets_the_use_cases_message(
    qtbot: Any, store: Any, add_dialog: ChildDialog
) -> None:
    before = _count(store)
    _fill_new_child(qtbot, add_dialog, dob="01/01/2027")
    add_dialog.accept()
    assert add_dialog.message("date_of_birth") == "⚠ Date of birth cannot be in the future."
    assert _count(store) == before
    # Put right, it saves
    add_dialog.date_of_birth.set_text("9.3.2014")
    add_dialog.accept()
    assert add_dialog.result() == QDialog.DialogCode.Accepted
    assert _count(store) == before + 1
    assert add_dialog.message("date_of_birth") == ""


def test_add_child_from_the_caseload_page(qtbot: Any, monkeypatch: Any, caseload_page: Any) -> None:
    def fill_and_save(dialog: ChildDialog) -> int:
        dialog.today = lambda: TODAY
        _fill_new_child(qtbot, dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ChildDialog, "exec", fill_and_save)
    with qtbot.waitSignal(caseload_page.changed):
        qtbot.keyClick(caseload_page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    names = [r.name for r in caseload_page.model.rows()]
    assert "Nadia Oakley" in names
    assert caseload_page.selected_row().name == "Nadia Oakley"


def test_edit_a_child(qtbot: Any, monkeypatch: Any, caseload_page: Any, caseload: Any) -> None:
    def change_worker(dialog: ChildDialog) -> int:
        assert dialog.first_name.text() == "Amira"
        assert not dialog.legal_status.isEnabled()  # moves are episodes, not edits
        dialog.social_worker_name.setText("Lee Grant")
        dialog.preferred_name.setText("Mira")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ChildDialog, "exec", change_worker)
    caseload_page.select_child(caseload["amira"])
    caseload_page.edit_button.click()
    row = next(r for r in caseload_page.model.rows() if r.child_id == caseload["amira"])
    assert row.social_worker == "Lee Grant"
    assert row.name == "Mira Khan"


def test_edit_with_a_bad_email_saves_nothing(qtbot: Any, store: Any, caseload: Any) -> None:
    dialog = ChildDialog(store, caseload["amira"])
    qtbot.addWidget(dialog)
    dialog.social_worker_name.setText("Changed Name")
    dialog.social_worker_email.setText("not-an-email")
    dialog.accept()
    assert "email address" in dialog.message("social_worker_email")
    assert dialog.tabs.currentIndex() == 1  # the tab with the wrong field is shown
    with store.session() as session:
        assert session.get(Child, caseload["amira"]).social_worker_name == "Jo Marsh"


def test_close_a_child_hides_them_until_the_checkbox_is_ticked(
    qtbot: Any, monkeypatch: Any, caseload_page: Any, caseload: Any
) -> None:
    def left_care(dialog: CloseChildDialog) -> int:
        dialog.today = lambda: TODAY
        dialog.left_on.set_text("14/01/2026")
        dialog.accept()
        assert dialog.result() != QDialog.DialogCode.Accepted  # no reason given
        assert dialog.form.message("reason_ended") == "⚠ Choose why the child left care."
        dialog.reason_ended.set_code("E13")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CloseChildDialog, "exec", left_care)
    caseload_page.select_child(caseload["ben"])
    caseload_page.close_button.click()
    assert caseload["ben"] not in caseload_page.visible_child_ids()
    caseload_page.show_left_care.setChecked(True)
    assert caseload["ben"] in caseload_page.visible_child_ids()
    caseload_page.select_child(caseload["ben"])
    assert not caseload_page.close_button.isEnabled()  # already left care


def test_close_child_static_entry_point_returns_value_and_accepted(
    monkeypatch: Any, store: Any, caseload: Any
) -> None:
    monkeypatch.setattr(CloseChildDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert CloseChildDialog.close_child(store, caseload["ben"]) == (None, False)


def _inputs(dialog: QDialog) -> list[Any]:
    kinds = (QLineEdit, QComboBox, QCheckBox, QPlainTextEdit, QListWidget, QAbstractButton)
    calendars = dialog.findChildren(QCalendarWidget)  # Qt's own popup, named by Qt
    return [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)
            and not any(c.isAncestorOf(w) for c in calendars)]


def test_every_control_has_an_accessible_name(add_dialog: ChildDialog) -> None:
    for widget in _inputs(add_dialog):
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        name = widget.accessibleName() or text
        assert name, f"{type(widget).__name__} {widget.objectName()} has no accessible name"


def _mnemonic(text: str) -> str | None:
    position = text.replace("&&", "").find("&")
    return text.replace("&&", "")[position + 1].lower() if position >= 0 else None


def test_labels_are_keyboard_buddies_with_unique_mnemonics(add_dialog: ChildDialog) -> None:
    """Labels on hidden tabs keep their Alt+letter: letters are unique in the whole dialog."""
    letters: list[str] = []
    for label in add_dialog.findChildren(QLabel):
        letter = _mnemonic(label.text())
        if letter:
            buddy = label.buddy()
            assert buddy is not None and buddy is not label, label.text()
            fields = add_dialog.form.fields.values()
            assert any(buddy is f or buddy is f.focusProxy() for f in fields), label.text()
            letters.append(letter)
    for button in add_dialog.findChildren(QAbstractButton):
        letter = _mnemonic(button.text())
        if letter:
            letters.append(letter)
    tab_bar = add_dialog.tabs.tabBar()
    letters += [_mnemonic(tab_bar.tabText(i)) or "" for i in range(tab_bar.count())]
    assert len(letters) == len(set(letters)), sorted(letters)
    assert len(letters) >= 20


def test_tab_order_goes_down_the_form(qtbot: Any, add_dialog: ChildDialog) -> None:
    add_dialog.child_ref.setFocus()
    expected = [add_dialog.first_name, add_dialog.last_name, add_dialog.preferred_name,
                add_dialog.date_of_birth.line_edit, add_dialog.sex, add_dialog.ethnicity,
                add_dialog.upn, add_dialog.uasc, add_dialog.looked_after_since.line_edit,
                add_dialog.legal_status, add_dialog.placement]
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


def test_alt_mnemonic_moves_to_the_field(qtbot: Any, add_dialog: ChildDialog) -> None:
    add_dialog.child_ref.setFocus()
    qtbot.keyClick(add_dialog.child_ref, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is add_dialog.date_of_birth.line_edit


def test_close_dialog_buddies_and_tab_order(qtbot: Any, store: Any, caseload: Any) -> None:
    dialog = CloseChildDialog(store, caseload["amira"])
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    labels = dialog.findChildren(QLabel)
    buddies = {label.text(): label.buddy() for label in labels if label.buddy()}
    assert buddies == {"&Left care on:": dialog.left_on.line_edit,
                       "&Reason (903 REC):": dialog.reason_ended}
    dialog.left_on.line_edit.setFocus()
    qtbot.keyClick(dialog.left_on.line_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.reason_ended
    qtbot.keyClick(dialog.left_on.line_edit, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.reason_ended


def test_a_date_typed_in_the_wrong_shape_is_told_the_shape(qtbot: Any) -> None:
    from iro_desktop.gui.widgets import DateField

    field = DateField()
    qtbot.addWidget(field)
    field.set_text("March 2014")
    assert field.problem() == "Type the date as dd/mm/yyyy, for example 09/03/2014."
    field.set_text("30/13/2014")
    assert field.problem() == "There is no date 30/13/2014: check the day and the month."
    field.set_text("09/03/2014")
    assert field.problem() is None


def test_the_calendar_opens_from_the_keyboard(qtbot: Any) -> None:
    """The calendar button takes no Tab stop, so without F4 no key reached the calendar."""
    from PySide6.QtCore import QTimer

    from iro_desktop.gui.widgets import DateField

    field = DateField()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.line_edit.setFocus()
    menu = field.calendar_button.menu()
    shown: list[bool] = []
    menu.aboutToShow.connect(lambda: (shown.append(True), QTimer.singleShot(0, menu.close)))
    qtbot.keyClick(field.line_edit, Qt.Key.Key_F4)
    assert shown == [True]
