"""The passphrase, backup and crash dialogs, driven through real widgets with pytest-qt."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from iro_desktop.db import backups
from iro_desktop.db.passphrase import FREE_ATTEMPTS, RetryLimiter
from iro_desktop.db.store import WrongPassphrase, open_store
from iro_desktop.gui import backup_dialog, crash_dialog, passphrase_dialogs
from iro_desktop.gui.passphrase_dialogs import (
    ChoosePassphraseDialog,
    UnlockDialog,
    open_store_interactively,
)
from tests.factory import make_child
from tests.protect.conftest import raw_query

QDialog = passphrase_dialogs.QDialog
GOOD = "marble otter plays the violin"


class FakeWindow(passphrase_dialogs.QWidget):
    """What the menu actions need of the main window: `store` and `refresh_all()`."""

    def __init__(self, store):
        super().__init__()
        self.store = store
        self.refreshed = 0

    def refresh_all(self):
        self.refreshed += 1


class Clock:
    now = 5_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def messages(monkeypatch):
    shown: list[str] = []

    def record(parent, title, text, *, error=True):
        shown.append(text)

    monkeypatch.setattr(passphrase_dialogs, "show_message", record)
    monkeypatch.setattr(backup_dialog, "show_message", record)
    return shown


def _fill_and_accept(**fields):
    """A stand-in for exec(): types into the dialog's fields, presses OK if it is enabled."""

    def fake_exec(dialog):
        for name, text in fields.items():
            getattr(dialog, name).setText(text)
        if dialog.ok_button.isEnabled():
            dialog.accept()
            return QDialog.DialogCode.Accepted
        return QDialog.DialogCode.Rejected

    return fake_exec


def test_strength_meter_and_hint_follow_typing(qtbot):
    dialog = ChoosePassphraseDialog("intro")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.first, "password1")
    assert dialog.meter.value() <= 1
    assert dialog.hint.text()
    dialog.second.setText("password1")
    assert not dialog.ok_button.isEnabled()  # same twice, but too weak
    dialog.first.setText(GOOD)
    assert dialog.meter.value() >= 3 and dialog.meter.format() in ("Strong", "Very strong")
    assert not dialog.ok_button.isEnabled()  # strong, but typed differently
    assert "different" in dialog.match.text()
    dialog.second.setText(GOOD)
    assert dialog.ok_button.isEnabled()
    assert "match" in dialog.match.text()


def test_first_run_chooses_a_passphrase_and_creates_the_caseload(tmp_path, monkeypatch, messages):
    monkeypatch.setattr(ChoosePassphraseDialog, "exec", _fill_and_accept(first=GOOD, second=GOOD))
    path = tmp_path / "new" / "caseload.db"
    store = open_store_interactively(path)
    assert store is not None and store.encrypted
    store.close()
    assert messages == []
    open_store(path, GOOD).close()


def test_first_run_cancelled_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(ChoosePassphraseDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    path = tmp_path / "caseload.db"
    assert open_store_interactively(path) is None
    assert not path.exists()


def test_unlock_wrong_then_right(qtbot, store_path, passphrase, tmp_path):
    limiter = RetryLimiter(tmp_path / "attempts.json", Clock())
    dialog = UnlockDialog(lambda pw: open_store(store_path, pw), limiter)
    qtbot.addWidget(dialog)
    dialog.field.setText("wrong one")
    dialog.try_open()
    assert dialog.message.text() == str(WrongPassphrase())
    assert dialog.store is None and dialog.ok_button.isEnabled()
    dialog.field.setText(passphrase)
    with qtbot.waitSignal(dialog.accepted):
        dialog.try_open()
    assert dialog.store is not None
    dialog.store.close()
    assert limiter.failures == 0


def test_repeated_wrong_passphrases_make_the_iro_wait(qtbot, store_path, tmp_path):
    clock = Clock()
    limiter = RetryLimiter(tmp_path / "attempts.json", clock)
    opened = []

    def opener(pw):
        opened.append(pw)
        return open_store(store_path, pw)

    dialog = UnlockDialog(opener, limiter)
    qtbot.addWidget(dialog)
    for n in range(FREE_ATTEMPTS):
        dialog.field.setText(f"wrong {n}")
        dialog.try_open()
    assert not dialog.ok_button.isEnabled() and not dialog.field.isEnabled()
    assert "try again in 2 seconds" in dialog.message.text()
    dialog.try_open()  # pressing Enter while waiting does not even try
    assert len(opened) == FREE_ATTEMPTS
    # A restarted app still waits.
    again = UnlockDialog(opener, RetryLimiter(tmp_path / "attempts.json", clock))
    qtbot.addWidget(again)
    assert not again.ok_button.isEnabled()
    clock.now += 3
    again._tick()
    assert again.ok_button.isEnabled() and again.message.text() == "You can try again now."


def test_open_interactively_newer_database_gets_its_message(store_path, monkeypatch, messages):
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(store_path))
    conn.execute("PRAGMA key = 'correct horse battery staple'")
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    monkeypatch.setattr(UnlockDialog, "exec",
                        _fill_and_accept_unlock("correct horse battery staple"))
    assert open_store_interactively(store_path) is None
    assert len(messages) == 1 and "newer version of IRO Desktop" in messages[0]


def _fill_and_accept_unlock(passphrase):
    def fake_exec(dialog):
        dialog.field.setText(passphrase)
        dialog.try_open()
        return dialog.result()

    return fake_exec


def test_open_interactively_unlocks(store_path, passphrase, monkeypatch, messages):
    monkeypatch.setattr(UnlockDialog, "exec", _fill_and_accept_unlock(passphrase))
    store = open_store_interactively(store_path)
    assert store is not None
    store.close()
    assert messages == []


def test_open_interactively_plain_database_explains_and_encrypts(tmp_path, monkeypatch, messages):
    path = tmp_path / "caseload.db"
    plain = open_store(path, None)
    with plain.transaction() as session:
        make_child(session, first_name="Ottoline")
    plain.close()
    monkeypatch.setattr(ChoosePassphraseDialog, "exec", _fill_and_accept(first=GOOD, second=GOOD))
    store = open_store_interactively(path)
    assert store is not None
    store.close()
    assert "without encryption" in messages[0]
    assert b"Ottoline" not in path.read_bytes()
    assert raw_query(path, "SELECT first_name FROM child", GOOD) == [("Ottoline",)]


def test_open_interactively_read_only_folder(tmp_path, monkeypatch, messages):
    import os

    real_access = os.access
    monkeypatch.setattr(os, "access",
                        lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    monkeypatch.setattr(ChoosePassphraseDialog, "exec", _fill_and_accept(first=GOOD, second=GOOD))
    assert open_store_interactively(tmp_path / "caseload.db") is None
    assert "read-only" in messages[0]


def test_change_passphrase_from_the_menu(store, store_path, passphrase, monkeypatch, messages):
    window = FakeWindow(store)
    monkeypatch.setattr(ChoosePassphraseDialog, "exec",
                        _fill_and_accept(current=passphrase, first=GOOD, second=GOOD))
    assert passphrase_dialogs.change_passphrase(window) is True
    assert messages == ["Your passphrase has been changed."]
    assert store.check_passphrase(GOOD) and not store.check_passphrase(passphrase)


def test_change_passphrase_with_a_wrong_current_one(store, passphrase, monkeypatch, messages):
    window = FakeWindow(store)
    monkeypatch.setattr(ChoosePassphraseDialog, "exec",
                        _fill_and_accept(current="nope", first=GOOD, second=GOOD))
    assert passphrase_dialogs.change_passphrase(window) is False
    assert "not right" in messages[0]
    assert store.check_passphrase(passphrase)


def test_back_up_now(store, messages):
    window = FakeWindow(store)
    path = backup_dialog.back_up_now(window)
    assert path is not None and path.exists()
    assert "encrypted" in messages[0]


def test_restore_dialog_lists_backups_with_dates_and_sizes(qtbot, store):
    for day in range(3):
        backups.backup_now(store, kind="daily", now=dt.datetime(2026, 3, 1 + day, 8, 0))
    listed = backups.list_backups(backups.default_backup_folder())
    dialog = backup_dialog.RestoreDialog(listed, backups.default_backup_folder())
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 3
    assert dialog.table.item(0, 0).text() == "03/03/2026 08:00"
    assert dialog.table.item(0, 1).text() == "Daily"
    assert dialog.table.item(0, 2).text().endswith("KB")
    assert dialog.chosen() == listed[0]


def test_restore_from_the_menu_asks_then_reopens_in_place(store, store_path, passphrase,
                                                          monkeypatch, messages):
    backups.backup_now(store)
    with store.transaction() as session:
        make_child(session)
    window = FakeWindow(store)
    asked = []
    monkeypatch.setattr(backup_dialog, "confirm", lambda *a: asked.append(a) or True)

    def fake_exec(dialog):
        dialog.passphrase.setText(passphrase)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(backup_dialog.RestoreDialog, "exec", fake_exec)
    assert backup_dialog.restore_backup(window) is True
    assert asked and window.refreshed == 1
    assert "has been restored" in messages[-1]
    from sqlalchemy import func, select

    from iro_desktop.db.models import Child

    with window.store.session() as session:  # the same Store object, now on the restored file
        assert session.scalar(select(func.count()).select_from(Child)) == 0
    assert store_path.with_name("caseload.db.before-restore").exists()


def test_restore_declined_changes_nothing(store, store_path, passphrase, monkeypatch, messages):
    backups.backup_now(store)
    window = FakeWindow(store)
    monkeypatch.setattr(backup_dialog, "confirm", lambda *a: False)
    monkeypatch.setattr(backup_dialog.RestoreDialog, "exec",
                        lambda d: d.passphrase.setText(passphrase) or QDialog.DialogCode.Accepted)
    assert backup_dialog.restore_backup(window) is False
    assert not store_path.with_name("caseload.db.before-restore").exists()


def test_restore_with_a_wrong_passphrase_says_so(store, monkeypatch, messages):
    backups.backup_now(store)
    window = FakeWindow(store)
    monkeypatch.setattr(backup_dialog, "confirm", lambda *a: True)
    monkeypatch.setattr(backup_dialog.RestoreDialog, "exec",
                        lambda d: d.passphrase.setText("wrong") or QDialog.DialogCode.Accepted)
    assert backup_dialog.restore_backup(window) is False
    assert "does not open" in messages[-1] and "not changed" in messages[-1]


def test_crash_dialog_copies_the_report(qtbot):
    dialog = crash_dialog.CrashDialog("IRO Desktop crash report\nRuntimeError\n")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    clipboard = crash_dialog.QGuiApplication.clipboard().text()
    assert clipboard == "IRO Desktop crash report\nRuntimeError\n"
    assert dialog.copy_button.text() == "Copied"
    assert dialog.text.isReadOnly()


def test_keyboard_buddies_and_tab_order(qtbot, tmp_path):
    dialog = ChoosePassphraseDialog("intro", ask_current=True)
    qtbot.addWidget(dialog)
    form = dialog.layout().itemAt(1).layout()
    for field in (dialog.current, dialog.first, dialog.second):
        label = form.labelForField(field)
        assert label.buddy() is field and "&" in label.text()
    assert _next_focusable(dialog.current) is dialog.first
    assert _next_focusable(dialog.first) is dialog.second
    unlock = UnlockDialog(lambda pw: None, RetryLimiter(tmp_path / "a.json", Clock()))
    qtbot.addWidget(unlock)
    label = unlock.layout().itemAt(1).layout().labelForField(unlock.field)
    assert label.buddy() is unlock.field


def _next_focusable(widget):
    """The widget Tab moves to (labels and layouts in the chain take no focus)."""
    candidate = widget.nextInFocusChain()
    while candidate.focusPolicy() == candidate.focusPolicy().NoFocus:
        candidate = candidate.nextInFocusChain()
    return candidate
