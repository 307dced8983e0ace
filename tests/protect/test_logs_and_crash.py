"""The log file and the crash report: versions and code locations, never a child's details."""

from __future__ import annotations

import logging
import sys

import pytest

from iro_desktop.crash_report import crash_report
from iro_desktop.logs import LOG_FILE_NAME, setup_logging
from iro_desktop.paths import log_dir

NAME = "Tallulah Fennimore-Quist"
DOB = "14/02/2015"


def _raise_with_personal_data():
    child_name = NAME  # a local variable holding data: must not reach the report
    date_of_birth = DOB
    try:
        int(child_name)
    except ValueError as inner:
        raise RuntimeError(f"could not save {child_name} born {date_of_birth}") from inner


def _caught():
    try:
        _raise_with_personal_data()
    except RuntimeError:
        return sys.exc_info()
    raise AssertionError("expected an error")


@pytest.fixture
def app_log():
    path = setup_logging()
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "iro-desktop-file"]:
        root.removeHandler(handler)
        handler.close()


def test_log_file_is_in_the_platform_log_folder_and_rotates(app_log, isolated_user_folders):
    assert app_log == log_dir() / LOG_FILE_NAME
    assert str(app_log).startswith(str(isolated_user_folders))
    logging.getLogger("iro_desktop.test").info("child %d saved", 12)
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "iro-desktop-file")
    handler.flush()
    assert "child 12 saved" in app_log.read_text()
    assert handler.maxBytes > 0 and handler.backupCount > 0


def test_setup_logging_twice_keeps_one_handler(app_log):
    setup_logging()
    assert len([h for h in logging.getLogger().handlers if h.get_name() == "iro-desktop-file"]) == 1


def test_sqlalchemy_cannot_log_sql_parameters(app_log):
    assert not logging.getLogger("sqlalchemy.engine").isEnabledFor(logging.INFO)


def test_crash_report_has_versions_and_locations_but_no_data():
    report = crash_report(*_caught())
    assert "IRO Desktop 0.1.0" in report and "Python 3." in report and "SQLite" in report
    assert "RuntimeError" in report and "ValueError" in report  # the chain, by type
    assert "_raise_with_personal_data" in report and "test_logs_and_crash.py" in report
    for secret in (NAME, "Tallulah", "Fennimore", DOB, "could not save", "invalid literal"):
        assert secret not in report
    assert "/root/" not in report and "/home/" not in report


def test_crash_report_names_qt_when_the_gui_is_loaded():
    pytest.importorskip("PySide6.QtCore")
    import importlib

    importlib.import_module("PySide6.QtCore")
    assert "Qt 6." in crash_report(*_caught())


def test_the_excepthook_logs_the_report_without_the_message(app_log, monkeypatch):
    from iro_desktop.gui import crash_dialog

    shown = []
    monkeypatch.setattr(crash_dialog.CrashDialog, "show_report",
                        staticmethod(lambda report, parent=None: shown.append(report)))
    crash_dialog.install_excepthook()
    try:
        assert sys.excepthook is crash_dialog.handle_exception
        sys.excepthook(*_caught())
    finally:
        sys.excepthook = sys.__excepthook__
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = app_log.read_text()
    assert "uncaught exception" in text and "RuntimeError" in text
    for secret in ("Tallulah", "Fennimore", DOB):
        assert secret not in text
        assert all(secret not in r for r in shown)


def test_a_worker_thread_crash_is_logged_without_data(app_log):
    import threading

    from iro_desktop.gui import crash_dialog

    saved = sys.excepthook, threading.excepthook
    crash_dialog.install_excepthook()
    try:
        worker = threading.Thread(target=_raise_with_personal_data)
        worker.start()
        worker.join()
    finally:
        sys.excepthook, threading.excepthook = saved
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = app_log.read_text()
    assert "worker thread" in text and "RuntimeError" in text
    assert "Tallulah" not in text and DOB not in text


def test_no_module_writes_to_the_system_temp_folder():
    """Temporary files go beside their final file (a folder the IRO chose), never to /tmp, where
    they would outlive a crash unencrypted. The one exception: the self-test's synthetic store."""
    import ast
    from pathlib import Path

    # --self-test (the window, then the Qt-free checks): invented data only, removed at the end.
    allowed = {("gui/app.py", "TemporaryDirectory"), ("selftest.py", "TemporaryDirectory")}
    package = Path(__file__).resolve().parents[2] / "iro_desktop"
    offenders = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "tempfile"):
                name = node.func.attr
                if name in ("gettempdir", "gettempdirb"):
                    offenders.append(f"{path.relative_to(package)}: tempfile.{name}")
                elif (not any(k.arg == "dir" for k in node.keywords)
                      and (str(path.relative_to(package)), name) not in allowed):
                    offenders.append(f"{path.relative_to(package)}: tempfile.{name} without dir=")
    assert offenders == []
