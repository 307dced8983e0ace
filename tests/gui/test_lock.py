"""Locking: every window covered, nothing reachable underneath, unsaved edits survive."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout

from iro_desktop.gui.lock import LOCKED_TITLE, retry_delay_seconds
from tests.conftest import TEST_PASSPHRASE


def _dialog_with_text(parent: Any, qtbot: Any) -> tuple[QDialog, QLineEdit]:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Edit Amira Khan")
    edit = QLineEdit(dialog)
    other = QLineEdit(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(edit)
    layout.addWidget(other)
    return dialog, edit


def _unlock(qtbot: Any, window: Any, passphrase: str) -> None:
    prompt = window.lock.prompt()
    assert prompt is not None and prompt.passphrase is not None
    prompt.passphrase.setText(passphrase)
    qtbot.mouseClick(prompt.unlock_button, Qt.MouseButton.LeftButton)


def test_ctrl_l_covers_the_window_and_the_right_passphrase_unlocks(qtbot: Any,
                                                                    main_window: Any) -> None:
    window = main_window
    with qtbot.waitSignal(window.lock.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock.is_locked
    assert window.windowTitle() == LOCKED_TITLE
    [overlay] = window.lock.overlays()
    assert overlay.isVisible()
    assert overlay.geometry() == window.rect()
    assert overlay.autoFillBackground()  # opaque: nothing of the caseload shows through
    page = window.page("caseload")
    assert not page.table.isEnabled()  # nothing underneath takes input or focus
    assert not window.search_box.isEnabled()
    # Tab cycles inside the lock sheet only
    prompt = window.lock.prompt()
    prompt.passphrase.setFocus()
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() in (prompt.passphrase, prompt.unlock_button)
    with qtbot.waitSignal(window.lock.unlocked):
        _unlock(qtbot, window, TEST_PASSPHRASE)
    assert not window.lock.is_locked
    assert window.windowTitle() == "IRO Desktop"
    assert page.table.isEnabled() and window.search_box.isEnabled()
    assert window.lock.overlays() == []


def test_wrong_passphrase_gets_a_clear_message_and_a_growing_delay(qtbot: Any,
                                                                   main_window: Any) -> None:
    window = main_window
    window.lock.lock_now()
    _unlock(qtbot, window, "not it")
    prompt = window.lock.prompt()
    assert window.lock.is_locked
    assert "not right" in prompt.message.text()
    assert prompt.passphrase.text() == ""
    assert prompt.passphrase.isEnabled()  # the first slips cost nothing
    _unlock(qtbot, window, "not it either")
    _unlock(qtbot, window, "still not")
    assert not prompt.passphrase.isEnabled()
    assert "try again in 2 seconds" in prompt.message.text()
    assert window.lock.try_unlock(TEST_PASSPHRASE) is False  # refused while waiting
    assert [retry_delay_seconds(n) for n in (1, 2, 3, 4, 5, 12)] == [0, 0, 2, 4, 8, 300]


def test_lock_and_unlock_dialog_share_one_limit_that_survives_a_restart(
        qtbot: Any, store: Any, main_window: Any) -> None:
    from iro_desktop.db.passphrase import RetryLimiter
    from iro_desktop.gui.lock import LockManager

    window = main_window
    window.lock.lock_now()
    for wrong in ("one", "two", "three"):
        window.lock.try_unlock(wrong)
    # The count is in the same file the unlock dialog reads at start.
    assert RetryLimiter.default().failures == 3
    assert RetryLimiter.default().wait_seconds() > 0
    # A new lock manager (the app restarted) still makes the IRO wait, even with the right one.
    window.lock._unlock()
    window.lock.shutdown()
    restarted = LockManager(window, store)
    restarted.lock_now()
    prompt = restarted.prompt()
    assert prompt is not None and not prompt.passphrase.isEnabled()
    assert "try again in" in prompt.message.text()
    assert restarted.try_unlock(TEST_PASSPHRASE) is False
    # Once the wait is over, the right passphrase unlocks and clears the shared count.
    limiter = RetryLimiter.default()
    limiter.last_failure -= 600
    limiter._save()
    restarted._retry.stop()
    restarted._limiter = RetryLimiter.default()
    assert restarted.try_unlock(TEST_PASSPHRASE) is True
    assert RetryLimiter.default().failures == 0
    restarted.shutdown()


def test_lock_with_an_open_dialog_keeps_its_typed_text(qtbot: Any, main_window: Any) -> None:
    window = main_window
    dialog, edit = _dialog_with_text(window, qtbot)
    with qtbot.waitExposed(dialog):
        dialog.show()
    qtbot.keyClicks(edit, "Amira said she wants to see her nan")
    window.lock.lock_now()
    assert dialog.isVisible()
    assert dialog.windowTitle() == LOCKED_TITLE  # no child's name in the title bar
    covering = [o for o in window.lock.overlays() if o.parent() is dialog]
    assert covering and covering[0].isVisible() and covering[0].geometry() == dialog.rect()
    assert not edit.isEnabled()
    # A locked dialog cannot be closed (its edits would be lost)
    dialog.close()
    assert dialog.isVisible()
    _unlock(qtbot, window, TEST_PASSPHRASE)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Edit Amira Khan"
    assert edit.text() == "Amira said she wants to see her nan"
    assert edit.isEnabled()


def test_lock_during_a_modal_exec_does_not_end_it(qtbot: Any, main_window: Any) -> None:
    window = main_window
    dialog, edit = _dialog_with_text(window, qtbot)
    seen: dict[str, Any] = {}

    def while_open() -> None:
        qtbot.keyClicks(edit, "unsaved words")
        window.lock.lock_now()
        # The prompt goes where the IRO can type: the modal dialog, not the blocked window.
        prompt = window.lock.prompt()
        seen["prompt_on_dialog"] = prompt.parent() is dialog
        seen["visible_while_locked"] = dialog.isVisible()
        qtbot.keyClick(prompt.passphrase, Qt.Key.Key_Escape)  # must not reject the dialog
        seen["after_escape"] = dialog.isVisible()
        prompt.passphrase.setText(TEST_PASSPHRASE)
        qtbot.keyClick(prompt.passphrase, Qt.Key.Key_Return)
        seen["unlocked"] = not window.lock.is_locked
        seen["text"] = edit.text()
        dialog.accept()

    QTimer.singleShot(0, while_open)
    result = dialog.exec()
    assert result == QDialog.DialogCode.Accepted
    assert seen == {"prompt_on_dialog": True, "visible_while_locked": True, "after_escape": True,
                    "unlocked": True, "text": "unsaved words"}


def test_inactivity_locks_and_input_resets_the_timer(qtbot: Any, main_window: Any) -> None:
    window = main_window
    window.lock.set_idle_interval(300)
    qtbot.wait(150)
    qtbot.keyClick(window.search_box, Qt.Key.Key_A)  # input: the clock starts again
    qtbot.wait(200)
    assert not window.lock.is_locked
    with qtbot.waitSignal(window.lock.locked, timeout=2000):
        pass
    assert window.lock.is_locked


def test_lock_after_minutes_comes_from_settings(store: Any, main_window: Any) -> None:
    from iro_desktop import settings

    assert main_window.lock._timer.interval() == 10 * 60_000
    with store.transaction() as session:
        settings.put(session, "lock_after_minutes", 3)
    main_window.refresh_all()
    assert main_window.lock._timer.interval() == 3 * 60_000


def test_a_small_message_box_grows_so_the_prompt_fits(qtbot: Any, main_window: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = main_window
    box = QMessageBox(QMessageBox.Icon.Question, "Discard?", "Discard your changes?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    seen: dict[str, Any] = {}

    def while_open() -> None:
        before = box.size()
        window.lock.lock_now()
        prompt = window.lock.prompt()
        seen["prompt_on_box"] = prompt.parent() is box
        needed = prompt.sizeHint()
        seen["fits"] = (box.width() >= needed.width() and box.height() >= needed.height())
        prompt.passphrase.setText(TEST_PASSPHRASE)
        prompt.unlock_button.click()
        seen["size_back"] = box.size() == before
        box.done(QMessageBox.StandardButton.No)

    QTimer.singleShot(0, while_open)
    box.exec()
    assert seen == {"prompt_on_box": True, "fits": True, "size_back": True}
