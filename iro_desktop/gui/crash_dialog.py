"""The uncaught-exception hook: log the crash report, then show it in a dialog the IRO can copy."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.crash_report import crash_report

log = logging.getLogger(__name__)

_showing = False


class CrashDialog(QDialog):
    """Says something went wrong, shows the report (versions and code locations, no case
    details) and offers Copy so it can be pasted into an email to support."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("IRO Desktop: something went wrong")
        self.report = report
        intro = QLabel(
            "Something went wrong inside IRO Desktop. Your saved work is safe: every change is "
            "saved as soon as you save it. If this keeps happening, copy the report below and "
            "send it to your support contact. It holds no names or case details."
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        self.text.setMinimumSize(560, 260)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("Copied")

    @staticmethod
    def show_report(report: str, parent: QWidget | None = None) -> tuple[None, bool]:
        dialog = CrashDialog(report, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return None, accepted


_showing = False


def handle_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    """sys.excepthook: log the report (never the exception message) and show the dialog."""
    global _showing  # noqa: PLW0603 - one dialog at a time, even if the dialog itself fails
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report = crash_report(exc_type, exc, tb)
    log.error("uncaught exception\n%s", report)
    if _showing or QApplication.instance() is None:
        return
    _showing = True
    try:
        CrashDialog.show_report(report, QApplication.activeWindow())
    finally:
        _showing = False


def _thread_exception(args: threading.ExceptHookArgs) -> None:
    """A worker thread's uncaught error: logged the same way (no dialog from outside the GUI
    thread; the GUI learns of the failure through the worker's own signals)."""
    if args.exc_type is SystemExit:
        return
    log.error("uncaught exception in a worker thread\n%s",
              crash_report(args.exc_type, args.exc_value, args.exc_traceback))


def install_excepthook() -> None:
    """Route uncaught exceptions (including those raised in Qt slots) to handle_exception."""
    sys.excepthook = handle_exception
    threading.excepthook = _thread_exception
