"""Passphrase dialogs: choose one (first run, with a live strength meter), unlock the caseload
at start (wrong passphrase: a clear message and a growing wait), and change it (re-key)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

# Only light modules here: the unlock dialog is the first thing on screen, so it must not wait
# for SQLAlchemy (the store and the re-key are imported when they are used; see gui/app.py).
from iro_desktop.db.errors import StoreError, WrongPassphrase, is_plain_sqlite
from iro_desktop.db.passphrase import RetryLimiter, Strength, estimate_strength

if TYPE_CHECKING:
    from iro_desktop.db.store import Store

log = logging.getLogger(__name__)

PLAIN_DATABASE_MESSAGE = (
    "This caseload was saved by an older version of IRO Desktop, without encryption. Choose a "
    "passphrase now and it will be encrypted: an encrypted backup is kept and the unencrypted "
    "file is removed."
)
FIRST_RUN_MESSAGE = (
    "Choose a passphrase for your caseload. Everything about the children is encrypted with it. "
    "There is no way to recover it if you forget it, so choose one you will remember: several "
    "unrelated words work well."
)


def show_message(parent: QWidget | None, title: str, text: str, *, error: bool = True) -> None:
    """One place for message boxes (tests replace it to read the text)."""
    box = QMessageBox.warning if error else QMessageBox.information
    box(parent, title, text)


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(320)
    return field


class ChoosePassphraseDialog(QDialog):
    """New passphrase typed twice, with a strength meter and hint updated as the IRO types.
    OK is enabled only for an acceptable passphrase typed the same twice. With
    `ask_current=True` it first asks for the current passphrase (changing it)."""

    def __init__(self, intro: str, parent: QWidget | None = None, *, ask_current: bool = False,
                 user_inputs: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change your passphrase" if ask_current else "Choose a passphrase")
        self.user_inputs = user_inputs
        self.strength: Strength = estimate_strength("")
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)
        self.current = _password_field() if ask_current else None
        self.first = _password_field()
        self.second = _password_field()
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.meter.setAccessibleName("Passphrase strength")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.match = QLabel()
        form = QFormLayout()
        if self.current is not None:
            form.addRow("&Current passphrase:", self.current)
        form.addRow("&New passphrase:", self.first)
        form.addRow("Strength:", self.meter)
        form.addRow("", self.hint)
        form.addRow("Type it &again:", self.second)
        form.addRow("", self.match)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        if self.current is not None:
            self.current.textChanged.connect(self._update)
            QWidget.setTabOrder(self.current, self.first)
        QWidget.setTabOrder(self.first, self.second)
        QWidget.setTabOrder(self.second, self.buttons)
        self._update()

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _update(self) -> None:
        text = self.first.text()
        self.strength = estimate_strength(text, self.user_inputs)
        self.meter.setValue(self.strength.score if text else 0)
        self.meter.setFormat(self.strength.label if text else "")
        self.hint.setText(self.strength.hint if text else "")
        same = text == self.second.text()
        if not self.second.text():
            self.match.setText("")
        else:
            self.match.setText("The two passphrases match." if same else
                               "The two passphrases are different.")
        current_ok = self.current is None or bool(self.current.text())
        self.ok_button.setEnabled(self.strength.acceptable and same and current_ok)
        self.adjustSize()  # the hint can be two or three lines: show all of it

    def passphrase(self) -> str:
        return self.first.text()

    def current_passphrase(self) -> str:
        return self.current.text() if self.current is not None else ""

    @staticmethod
    def choose(intro: str, parent: QWidget | None = None) -> tuple[str, bool]:
        dialog = ChoosePassphraseDialog(intro, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        value = dialog.passphrase() if accepted else ""
        dialog.deleteLater()
        return value, accepted


class UnlockDialog(QDialog):
    """Asks for the passphrase and tries it with `opener`; a wrong one gets a clear message and,
    after a few, a wait that grows (kept across restarts by the RetryLimiter)."""

    def __init__(self, opener: Callable[[str], Store], limiter: RetryLimiter,
                 parent: QWidget | None = None, *, prompt: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open your caseload")
        self.opener = opener
        self.limiter = limiter
        self.store: Store | None = None
        self.error: StoreError | None = None
        label = QLabel(prompt or "Type your passphrase to open your caseload.")
        label.setWordWrap(True)
        self.field = _password_field()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a00000;")
        form = QFormLayout()
        form.addRow("&Passphrase:", self.field)
        # Button by button: the constructor that takes the buttons loads every Qt enum (~12 ms)
        # before this, the first window of all, can show (issue 7).
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setText("&Open")
        self.buttons.accepted.connect(self.try_open)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self._tick()

    def _say(self, text: str) -> None:
        """The message under the field; the dialog grows to show all of it."""
        self.message.setText(text)
        self.adjustSize()

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _tick(self) -> None:
        wait = self.limiter.wait_seconds()
        if wait > 0:
            self.ok_button.setEnabled(False)
            self.field.setEnabled(False)
            self._say(
                "That passphrase does not open this caseload. After several wrong tries you "
                f"have to wait: try again in {int(wait + 0.999)} seconds."
            )
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()
            self.ok_button.setEnabled(True)
            self.field.setEnabled(True)
            if self.limiter.failures >= 1 and "wait" in self.message.text():
                self._say("You can try again now.")
                self.field.setFocus()

    def try_open(self) -> None:
        if self.limiter.wait_seconds() > 0:
            self._tick()
            return
        passphrase = self.field.text()
        if not passphrase:
            self._say("Type your passphrase.")
            return
        from PySide6.QtCore import Qt  # here, not at the top: see the buttons in __init__

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.store = self.opener(passphrase)
        except WrongPassphrase as exc:
            wait = self.limiter.record_failure()
            self.field.selectAll()
            self._say(str(exc))
            if wait > 0:
                self._tick()
            return
        except StoreError as exc:  # newer version, disk full, read-only folder...
            self.error = exc
            self.reject()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.limiter.record_success()
        self.accept()

    @staticmethod
    def unlock(opener: Callable[[str], Store], limiter: RetryLimiter,
               parent: QWidget | None = None) -> tuple[Store | None, StoreError | None, bool]:
        dialog = UnlockDialog(opener, limiter, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        store, error = dialog.store, dialog.error
        dialog.deleteLater()
        return store, error, accepted


def open_store(path: Path, passphrase: str) -> Store:
    """The store at `path` opened (and migrated) with `passphrase`: imported on first use."""
    from iro_desktop.db.store import open_store as open_the_store

    return open_the_store(path, passphrase)


def _open_new(path: Path, intro: str, parent: QWidget | None) -> Store | None:
    passphrase, accepted = ChoosePassphraseDialog.choose(intro, parent)
    if not accepted:
        return None
    try:
        return open_store(path, passphrase)
    except StoreError as exc:
        show_message(parent, "IRO Desktop", str(exc))
        return None


def open_store_interactively(path: Path, parent: QWidget | None = None,
                             limiter: RetryLimiter | None = None) -> Store | None:
    """Open the caseload at `path`, asking for (or, the first time, choosing) the passphrase.
    None when the IRO cancels or the caseload cannot be opened (they were told why)."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return _open_new(path, FIRST_RUN_MESSAGE, parent)
    if is_plain_sqlite(path):
        show_message(parent, "Encrypt your caseload", PLAIN_DATABASE_MESSAGE, error=False)
        return _open_new(path, PLAIN_DATABASE_MESSAGE, parent)
    limiter = limiter or RetryLimiter.default()
    store, error, accepted = UnlockDialog.unlock(lambda pw: open_store(path, pw), limiter, parent)
    if error is not None:
        show_message(parent, "IRO Desktop", str(error))
        return None
    return store if accepted else None


def change_passphrase(window: Any) -> bool:
    """Menu action: re-key the open caseload with a new passphrase. True when it changed."""
    store: Store = window.store
    if not store.encrypted or store.path is None:
        show_message(window, "Change passphrase", "This caseload has no passphrase to change.")
        return False
    dialog = ChoosePassphraseDialog(
        "Type your current passphrase, then the new one twice. Backups taken before today "
        "still open with your old passphrase.", window, ask_current=True)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    old, new = dialog.current_passphrase(), dialog.passphrase()
    dialog.deleteLater()
    if not accepted:
        return False
    if not store.check_passphrase(old):
        show_message(window, "Change passphrase", "The current passphrase is not right; "
                     "nothing was changed.")
        return False
    from iro_desktop.caseload.security import change_passphrase as change_store_passphrase

    try:
        note = change_store_passphrase(store, old, new)
    except StoreError as exc:
        show_message(window, "Change passphrase", str(exc))
        return False
    show_message(window, "Change passphrase", note or "Your passphrase has been changed.",
                 error=False)
    return True
