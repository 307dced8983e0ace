"""Back up now, and restore a backup (menu actions on the main window)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.db.backups import BackupInfo, backup_folder_from, backup_now, list_backups, restore
from iro_desktop.db.store import Store, StoreError, open_store
from iro_desktop.gui.passphrase_dialogs import show_message

log = logging.getLogger(__name__)

KIND_LABELS = {"daily": "Daily", "manual": "Backed up by you", "before-encryption":
               "Before encryption"}


def kind_label(kind: str) -> str:
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    if kind.startswith("before-"):
        return "Before an update"
    return kind


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No question (tests replace it)."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def _settings_values(store: Store) -> dict[str, Any]:
    from iro_desktop import settings

    with store.session() as session:
        return settings.get_all(session)


def back_up_now(window: Any) -> Path | None:
    """Menu action: write an encrypted backup now and say where it went."""
    store: Store = window.store
    try:
        path = backup_now(store, backup_folder_from(_settings_values(store)))
    except StoreError as exc:
        show_message(window, "Back up", str(exc))
        return None
    size = size_text(path.stat().st_size)
    show_message(window, "Back up", f"Backup written to {path.parent} ({size}). "
                 "It is encrypted with your passphrase.", error=False)
    return path


class RestoreDialog(QDialog):
    """Lists the backups in the backup folder (newest first, with dates and sizes) and asks for
    the passphrase the chosen backup was made with."""

    def __init__(self, backups: list[BackupInfo], folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore a backup")
        self.backups = backups
        intro = QLabel(f"Backups in {folder}. Restoring replaces your caseload with the backup; "
                       "the current caseload is kept beside it as a .before-restore file.")
        intro.setWordWrap(True)
        self.table = QTableWidget(len(backups), 3)
        self.table.setHorizontalHeaderLabels(["Taken", "Kind", "Size"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, info in enumerate(backups):
            for col, text in enumerate((f"{info.taken_at:%d/%m/%Y %H:%M}", kind_label(info.kind),
                                        size_text(info.size))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(info.path))
                self.table.setItem(row, col, item)
        if backups:
            self.table.selectRow(0)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("&Passphrase of this backup:", self.passphrase)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Restore…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def chosen(self) -> BackupInfo | None:
        row = self.table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None


def restore_backup(window: Any) -> bool:
    """Menu action: choose a backup, confirm, restore it and reopen the caseload in place."""
    store: Store = window.store
    if store.path is None:
        show_message(window, "Restore", "Only a local caseload file can be restored.")
        return False
    folder = backup_folder_from(_settings_values(store))
    backups = list_backups(folder)
    if not backups:
        show_message(window, "Restore", f"There are no backups in {folder}.")
        return False
    dialog = RestoreDialog(backups, folder, window)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    chosen, passphrase = dialog.chosen(), dialog.passphrase.text()
    dialog.deleteLater()
    if not accepted or chosen is None:
        return False
    when = f"{chosen.taken_at:%d/%m/%Y at %H:%M}"
    if not confirm(window, "Restore", f"Replace your caseload with the backup taken on {when}? "
                   "Changes made since then will not be in the restored caseload (the current "
                   "one is kept as a .before-restore file)."):
        return False
    try:
        from iro_desktop.db.backups import verify_backup

        verify_backup(chosen.path, passphrase if store.encrypted else None)
    except StoreError as exc:
        show_message(window, "Restore", f"{exc} The caseload was not changed.")
        return False
    path = store.path
    store.close()
    try:
        restore(chosen.path, path, passphrase if store.encrypted else None)
        reopened = open_store(path, passphrase if store.encrypted else None)
    except StoreError as exc:
        show_message(window, "Restore", str(exc))
        return False
    store.adopt(reopened)
    log.info("backup restored from the app")
    refresh = getattr(window, "refresh_all", None)
    if callable(refresh):
        refresh()
    show_message(window, "Restore", f"The backup taken on {when} has been restored.", error=False)
    return True
