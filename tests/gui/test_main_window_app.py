"""Starting the app: store errors as a clear message (no traceback), the window, the self-test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox

from iro_desktop.gui import app as app_module


def test_wrong_passphrase_is_a_clear_message(monkeypatch: Any, store_path: Path) -> None:
    shown: list[str] = []
    monkeypatch.setattr(app_module, "_install_protection", lambda: None)
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", "not the passphrase")
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    assert app_module.run(store_path) == 2
    assert len(shown) == 1 and "passphrase" in shown[0].lower()
    assert "Traceback" not in shown[0]


def test_run_opens_the_main_window_on_the_store(monkeypatch: Any, store_path: Path) -> None:
    monkeypatch.setattr(app_module, "_install_protection", lambda: None)
    seen: dict[str, Any] = {}

    def instead_of_the_event_loop(_app: Any) -> int:
        # A real exec()/quit() leaves the test app unable to activate windows afterwards.
        QApplication.processEvents()
        windows = [w for w in QApplication.topLevelWidgets()
                   if type(w).__name__ == "MainWindow" and w.isVisible()]
        seen["windows"] = len(windows)
        seen["caseload_rows"] = windows[0].page("caseload").model.rowCount() if windows else -1
        return 0

    monkeypatch.setattr(QApplication, "exec", instead_of_the_event_loop)
    assert app_module.run(store_path) == 0
    assert seen == {"windows": 1, "caseload_rows": 0}


def test_self_test_passes(capsys: Any) -> None:
    assert app_module.run(None, self_test=True) == 0
    assert "self-test: ok" in capsys.readouterr().out


def test_the_daily_backup_runs_once_the_window_is_up(monkeypatch: Any, store_path: Path) -> None:
    monkeypatch.setattr(app_module, "_install_protection", lambda: None)
    monkeypatch.setattr(app_module, "BACKUP_DELAY_MS", 0)
    backed_up: list[Any] = []
    monkeypatch.setattr(app_module, "_daily_backup", backed_up.append)

    def short_event_loop(_app: Any) -> int:
        QApplication.processEvents()
        QApplication.processEvents()
        return 0

    monkeypatch.setattr(QApplication, "exec", short_event_loop)
    assert app_module.run(store_path) == 0
    assert len(backed_up) == 1
