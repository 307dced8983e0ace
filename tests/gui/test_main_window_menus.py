"""Menu actions: every ACTIONS line resolves to a function, shortcuts and mnemonics never clash,
and the protect actions (passphrase, back up, restore) are on the File menu."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from iro_desktop.gui import main_window as main_window_module
from iro_desktop.gui.widgets import load_object


def test_every_action_resolves_to_a_callable() -> None:
    for _menu, title, _shortcut, spec in main_window_module.ACTIONS:
        assert callable(load_object(spec)), title


def test_shortcuts_are_unique_and_mnemonics_unique_per_menu(main_window: Any) -> None:
    shortcuts = [QKeySequence(s).toString() for _m, _t, s, _f in main_window_module.ACTIONS if s]
    assert [s for s, n in Counter(shortcuts).items() if n > 1] == []
    # ... nor clash with the window's own shortcuts (F5, Ctrl+F, Back).
    assert not {"F5", "Ctrl+F"} & set(shortcuts)
    for menu_action in main_window.menuBar().actions():
        letters = [a.text().split("&", 1)[1][0].lower() for a in menu_action.menu().actions()
                   if "&" in a.text()]
        assert [c for c, n in Counter(letters).items() if n > 1] == [], menu_action.text()


def test_protect_actions_are_on_the_file_menu_and_call_their_functions(
        qtbot: Any, main_window: Any, monkeypatch: Any) -> None:
    from iro_desktop.gui import backup_dialog, passphrase_dialogs

    calls: list[str] = []
    monkeypatch.setattr(passphrase_dialogs, "change_passphrase",
                        lambda w: calls.append("change") or w is main_window)
    monkeypatch.setattr(backup_dialog, "back_up_now", lambda w: calls.append("backup"))
    monkeypatch.setattr(backup_dialog, "restore_backup", lambda w: calls.append("restore"))
    menus = {a.text().replace("&", ""): a.menu() for a in main_window.menuBar().actions()}
    titles = {a.text().replace("&", ""): a for a in menus["File"].actions() if a.text()}
    for title in ("Change passphrase…", "Back up now", "Restore from backup…"):
        titles[title].trigger()
    assert calls == ["change", "backup", "restore"]
    assert titles["Back up now"].shortcut().toString() == "Ctrl+Shift+B"
    # The shortcut works with the menu closed.
    qtbot.keyClick(main_window, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert calls[-1] == "backup"


def test_back_up_now_writes_a_backup_from_the_menu(main_window: Any, monkeypatch: Any,
                                                   tmp_path: Any) -> None:
    from iro_desktop import settings
    from iro_desktop.gui import backup_dialog

    shown: list[str] = []
    monkeypatch.setattr(backup_dialog, "show_message",
                        lambda _p, _t, text, **_k: shown.append(text))
    with main_window.store.transaction() as session:
        settings.put(session, "backup_folder", str(tmp_path / "usb"))
    menus = {a.text().replace("&", ""): a.menu() for a in main_window.menuBar().actions()}
    action = next(a for a in menus["File"].actions() if a.text() == "&Back up now")
    action.trigger()
    assert shown and "Backup written to" in shown[0]
    assert list((tmp_path / "usb").iterdir())
