"""Export for my manager: choose the period and the file; the manager's key fingerprint is shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.keys_dialog import ask_passphrase
from iro_desktop.gui.widgets import DateField
from iro_desktop.interchange import bundle, keys


class ExportDialog(QDialog):
    """Returns (start, end, path) through `choose`; the export itself runs after it closes."""

    def __init__(
        self, manager: keys.PublicKey, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for your manager")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"For <b>{manager.name}</b>, key fingerprint <b>{manager.fingerprint}</b>."
                "<br>Only your manager and you can open the file."
            )
        )
        form = QFormLayout()
        self.start = DateField(accessible_name="From")
        self.start.set_date(bundle.collection_year_start(today))
        self.end = DateField(accessible_name="To")
        self.end.set_date(today)
        form.addRow("&From:", self.start)
        form.addRow("&To:", self.end)
        self.path = QLineEdit(str(Path.home() / f"iro-export-{today:%Y-%m-%d}{bundle.FILE_SUFFIX}"))
        self.path.setAccessibleName("File")
        browse = QPushButton("&Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        file_label = QLabel("F&ile:")
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a31515;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export file", self.path.text(), f"IRO exports (*{bundle.FILE_SUFFIX})"
        )
        if path:
            self.path.setText(path)

    def values(self) -> tuple[dt.date, dt.date, Path] | None:
        start, end = self.start.date(), self.end.date()
        for name, field in (("From", self.start), ("To", self.end)):
            if field.date() is None:  # say which date is wrong, and why
                self.message.setText(f"{name}: {field.problem() or 'type the date as dd/mm/yyyy.'}")
                field.setFocus()
                return None
        assert start is not None and end is not None
        if end < start:
            self.message.setText("The period ends before it starts.")
            return None
        if not self.path.text().strip():
            self.message.setText("Choose a file to write.")
            return None
        return start, end, Path(self.path.text().strip())

    def accept(self) -> None:
        if self.values() is not None:
            super().accept()

    @staticmethod
    def choose(
        manager: keys.PublicKey, today: dt.date, parent: QWidget | None = None
    ) -> tuple[tuple[dt.date, dt.date, Path] | None, bool]:
        dialog = ExportDialog(manager, today, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.values() if accepted else None), accepted
        finally:
            dialog.deleteLater()


def export_for_manager(window: Any) -> None:
    """Menu action: File > Export for my manager…"""
    store = window.store
    with store.session() as session:
        manager = bundle.manager_key_of(session)
    if manager is None:
        QMessageBox.information(
            window, "Export", "Import your manager's public key first (File > Keys…)."
        )
        return
    chosen, accepted = ExportDialog.choose(manager, dt.date.today(), window)
    if not accepted or chosen is None:
        return
    start, end, path = chosen
    passphrase = ask_passphrase(store, window, "Your passphrase, to sign the export:")
    if passphrase is None:
        return
    try:
        with store.session() as session:
            bundle.iro_public_key(session, passphrase)
            pair = keys.unlock(keys.ROLE_IRO, passphrase)
            manifest = bundle.export_for_manager(
                session, path, start, end, keys=pair, manager=manager
            )
    except (keys.KeyProblem, OSError) as exc:
        QMessageBox.warning(
            window,
            "Export",
            str(exc)
            if isinstance(exc, keys.KeyProblem)
            else "The file could not be written there.",
        )
        return
    c = manifest["counts"]
    QMessageBox.information(
        window,
        "Export",
        f"Wrote {path.name}: {c['children']} children, "
        f"{c['reviews']} reviews. Send it to {manager.name}.",
    )
