"""Export for my manager: choose the period and the file; the manager's key fingerprint is shown,
and the dialog says that the file is the IRO's complete record for the period (the manager's
import drops what is no longer in it).

The 903 export (`Export903Dialog`, `export_903_files`): choose the collection year and the
folder; the dialog writes the three files, or shows why it did not (a review with no
participation code yet) and stays open."""

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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.keys_dialog import ask_passphrase
from iro_desktop.gui.widgets import DateField
from iro_desktop.interchange import bundle, keys

COMPLETE_RECORD_NOTE = (
    "This file is your complete record for the period you choose. When your manager imports "
    "it, their service drops any of your records for that period that are not in it: the ones "
    "you have deleted since your last export, and the children no longer on your caseload."
)


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
        # Said where the IRO decides: the manager's import treats the file as the whole record.
        self.complete_note = QLabel(COMPLETE_RECORD_NOTE)
        self.complete_note.setWordWrap(True)
        layout.addWidget(self.complete_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setToolTip(COMPLETE_RECORD_NOTE)
        self.export_button.setAccessibleDescription(COMPLETE_RECORD_NOTE)
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


class Export903Dialog(QDialog):
    """The SSDA903 files for one collection year, written into a folder when Export is pressed.

    A refusal (a review held in the year with no participation code yet) is shown in the dialog,
    which stays open; nothing is written. `written` is the `Export903Result` once written."""

    def __init__(self, store: Any, today: dt.date, parent: QWidget | None = None) -> None:
        from iro_desktop.interchange.export903 import current_collection_year

        super().__init__(parent)
        self.store = store
        self.written: Any = None
        self.setWindowTitle("Export the 903 return")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(current_collection_year(today))
        self.year.setAccessibleName("Collection year")
        self.year_label = QLabel()
        self.year.valueChanged.connect(self._show_year)
        row = QHBoxLayout()
        row.addWidget(self.year)
        row.addWidget(self.year_label, 1)
        year_label = QLabel("Collection &year:")
        year_label.setBuddy(self.year)
        form.addRow(year_label, row)
        self.folder = QLineEdit(str(Path.home() / f"903-{self.year.value()}"))
        self.folder.setAccessibleName("Folder")
        browse = QPushButton("&Choose…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        folder_label = QLabel("F&older:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        layout.addLayout(form)
        layout.addWidget(
            QLabel("header.csv, episodes.csv and reviews.csv are written into the folder.")
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a31515;")
        self.message.setAccessibleName("Problem")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_year()

    def _show_year(self) -> None:
        year = self.year.value()
        self.year_label.setText(
            f"{year - 1}-{str(year)[2:]}: 1 April {year - 1} to 31 March {year}"
        )

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, "Folder for the 903 files", self.folder.text()
        )
        if path:
            self.folder.setText(path)

    def accept(self) -> None:
        from iro_desktop.interchange.export903 import CodesMissing, export_903

        folder = self.folder.text().strip()
        if not folder:
            self.message.setText("Choose a folder to write the files into.")
            return
        try:
            with self.store.session() as session:
                self.written = export_903(session, Path(folder), self.year.value())
        except CodesMissing as exc:  # ids and dates for the IRO's screen only: not logged
            self.message.setText(str(exc))
            return
        except OSError:
            self.message.setText("The files could not be written in that folder.")
            return
        super().accept()

    @staticmethod
    def choose(store: Any, today: dt.date, parent: QWidget | None = None) -> tuple[Any, bool]:
        """(the Export903Result, True) once written; (None, False) when the IRO cancels."""
        dialog = Export903Dialog(store, today, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.written if accepted else None), accepted
        finally:
            dialog.deleteLater()


def export_903_files(window: Any) -> None:
    """Menu action: File > Export the 903 return…"""
    result, accepted = Export903Dialog.choose(window.store, dt.date.today(), window)
    if not accepted or result is None:
        return
    year = result.year
    text = (
        f"Wrote header.csv, episodes.csv and reviews.csv for {year - 1}-{str(year)[2:]}: "
        f"{result.children} children, {result.episodes} episodes, {result.reviews} reviews."
    )
    if result.reviews_left_out:
        text += (
            f" {result.reviews_left_out} review(s) left out: held during short breaks (V3/V4) "
            "or outside any episode."
        )
    QMessageBox.information(window, "903 export", text)
