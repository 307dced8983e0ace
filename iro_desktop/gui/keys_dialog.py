"""Keys: show my public key and fingerprint (Copy, Save) and import my manager's key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.interchange import bundle, keys


def ask_passphrase(store: Any, parent: QWidget | None, why: str) -> str | None:
    """The store passphrase (checked), which also protects the keys; None when cancelled."""
    while True:
        text, ok = QInputDialog.getText(parent, "Your passphrase", why, QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if store.check_passphrase(text):
            return text
        QMessageBox.warning(
            parent, "Your passphrase", "That passphrase does not open this caseload."
        )


class KeysDialog(QDialog):
    """My public key to send to my manager, and my manager's key once imported."""

    def __init__(self, store: Any, public: keys.PublicKey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.public = store, public
        self.setWindowTitle("Keys for sending records to your manager")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Your public key: email it to your manager. It is safe to share."))
        self.key_text = QPlainTextEdit(public.armored())
        self.key_text.setReadOnly(True)
        self.key_text.setAccessibleName("Your public key")
        layout.addWidget(self.key_text)
        self.fingerprint = QLabel(
            f"Your fingerprint: <b>{public.fingerprint}</b> "
            "(read it to your manager over the phone)"
        )
        layout.addWidget(self.fingerprint)
        row = QHBoxLayout()
        self.copy_button = QPushButton("&Copy")
        self.copy_button.clicked.connect(self.copy_key)
        self.save_button = QPushButton("&Save to a file…")
        self.save_button.clicked.connect(self.save_key)
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.manager_label = QLabel()
        layout.addWidget(self.manager_label)
        self.import_button = QPushButton("&Import your manager's key…")
        self.import_button.clicked.connect(self.import_manager_key)
        layout.addWidget(self.import_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh_manager()

    def refresh_manager(self) -> None:
        with self.store.session() as session:
            manager = bundle.manager_key_of(session)
        if manager is None:
            self.manager_label.setText("Your manager's key: not imported yet.")
        else:
            self.manager_label.setText(
                f"Your manager's key: {manager.name}, fingerprint <b>{manager.fingerprint}</b>"
            )

    def copy_key(self) -> None:
        QApplication.clipboard().setText(self.public.armored())

    def save_key(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save your public key", "my-iro-key.txt", "Text files (*.txt)"
        )
        if path:
            Path(path).write_text(self.public.armored(), encoding="utf-8")

    def import_manager_key(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, "Your manager's public key", "", "Text files (*.txt);;All files (*)"
            )
        if not path:
            return False
        try:
            text = Path(path).read_text(encoding="utf-8")
            with self.store.transaction() as session:
                manager = bundle.set_manager_key(session, text)
        except (OSError, UnicodeDecodeError, keys.KeyFormatError) as exc:
            QMessageBox.warning(
                self,
                "Manager's key",
                str(exc)
                if isinstance(exc, keys.KeyFormatError)
                else "That file cannot be read as a key.",
            )
            return False
        self.refresh_manager()
        QMessageBox.information(
            self,
            "Manager's key",
            f"Imported {manager.name}'s key. Check the "
            f"fingerprint {manager.fingerprint} with them by phone.",
        )
        return True


def show_keys(window: Any) -> None:
    """Menu action: File > Keys…"""
    passphrase = ask_passphrase(
        window.store, window, "Your passphrase (it also protects your keys):"
    )
    if passphrase is None:
        return
    try:
        with window.store.session() as session:
            public = bundle.iro_public_key(session, passphrase)
    except keys.KeyProblem as exc:
        QMessageBox.warning(window, "Keys", str(exc))
        return
    dialog = KeysDialog(window.store, public, window)
    dialog.exec()
    dialog.deleteLater()
