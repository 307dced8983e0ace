"""Settings, generated from `settings.DEFINITIONS`: one tab per group, one row per setting."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from iro_desktop import APP_NAME, settings
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Picture
from iro_desktop.gui.widgets import with_mnemonic
from iro_desktop.settings import EDITABLE, SettingDef

log = logging.getLogger(__name__)

OWN_PREFIX = "own:"
PICTURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".svg": "image/svg+xml"}


def open_settings(window: Any) -> None:
    """Menu action (File > Settings…): saved settings reload every page."""
    _, accepted = SettingsDialog.edit_settings(window.store, window)
    if accepted:
        window.refresh_all()


class ListEditor(QWidget):
    """An editable list of short texts (escalation themes): add, rename, remove, reorder."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName(name)
        self.add_button = QPushButton("Add")
        self.add_button.setAccessibleName(f"{name}: add")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"{name}: remove selected")
        self.up_button = QPushButton("Move up")
        self.up_button.setAccessibleName(f"{name}: move up")
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.up_button.clicked.connect(self._up)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        self.setFocusProxy(self.list)

    def set_values(self, values: list[str]) -> None:
        self.list.clear()
        for value in values:
            self._append(str(value))

    def values(self) -> list[str]:
        texts = (self.list.item(i).text().strip() for i in range(self.list.count()))
        return [t for t in texts if t]

    def _append(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)
        return item

    def _add(self) -> None:
        item = self._append("New item")
        self.list.setCurrentItem(item)
        self.list.editItem(item)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def _up(self) -> None:
        row = self.list.currentRow()
        if row > 0:
            item = self.list.takeItem(row)
            self.list.insertItem(row - 1, item)
            self.list.setCurrentRow(row - 1)


class PathEditor(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit()
        self.line_edit.setAccessibleName(name)
        self.browse_button = QPushButton("Browse…")
        self.browse_button.setAccessibleName(f"{name}: browse")
        self.browse_button.clicked.connect(self._browse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line_edit, 1)
        row.addWidget(self.browse_button)
        self.setFocusProxy(self.line_edit)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder", self.line_edit.text())
        if folder:
            self.line_edit.setText(folder)


class PictureChooser(QWidget):
    """One of the IRO's own pictures (the `picture` table), or a new one added from a file."""

    def __init__(self, store: Any, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.combo = QComboBox()
        self.combo.setAccessibleName(name)
        self.add_button = QPushButton("Add a picture…")
        self.add_button.setAccessibleName(f"{name}: add a picture from a file")
        self.add_button.clicked.connect(self._add_from_file)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(self.add_button)
        self.setFocusProxy(self.combo)
        self.reload()

    def reload(self, select_ref: str | None = None) -> None:
        current = select_ref if select_ref is not None else self.value()
        self.combo.clear()
        self.combo.addItem("No picture", "")
        with self.store.session() as session:
            for picture_id, name in session.execute(
                select(Picture.id, Picture.name).order_by(Picture.name)
            ):
                self.combo.addItem(name, f"{OWN_PREFIX}{picture_id}")
        self.set_value(current)

    def value(self) -> str:
        return str(self.combo.currentData() or "")

    def set_value(self, ref: str) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(ref or ""), 0))

    def add_file(self, path: Path) -> str | None:
        """Add a PNG, JPEG or SVG file to the picture table: its reference, or None (told why)."""
        mime = PICTURE_TYPES.get(path.suffix.lower())
        if mime is None:
            QMessageBox.warning(self, APP_NAME, "Choose a PNG, JPEG or SVG picture.")
            return None
        try:
            data = path.read_bytes()
        except OSError:
            QMessageBox.warning(self, APP_NAME, "That file could not be read.")
            return None
        name = path.stem[:80] or "My picture"
        try:
            with self.store.transaction() as session:
                picture_id = _add_picture(session, name, data, mime)
        except ValidationError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return None
        ref = f"{OWN_PREFIX}{picture_id}"
        self.reload(ref)
        return ref

    def _add_from_file(self) -> None:
        filename, _ = QFileDialog.getOpenFileName(
            self, "Choose your photo", str(Path.home()), "Pictures (*.png *.jpg *.jpeg *.svg)")
        if filename:
            self.add_file(Path(filename))


def _add_picture(session: Any, name: str, data: bytes, mime: str) -> int:
    """Through the letters area's use case (it checks the file really is that kind of picture)."""
    from iro_desktop.letters import pictures

    taken = set(session.scalars(select(Picture.name)))
    unique, n = name, 2
    while unique in taken:
        unique, n = f"{name} ({n})", n + 1
    return pictures.add_picture(session, unique, data, mime)


class SettingsDialog(QDialog):
    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(f"Settings — {APP_NAME}")
        self.editors: dict[str, QWidget] = {}
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings groups")
        forms: dict[str, QFormLayout] = {}
        # Labels on hidden tabs keep their Alt+letter, so letters are unique in the whole dialog.
        mnemonics: set[str] = {"s"}  # Alt+S is Save
        with store.session() as session:
            values = settings.get_all(session)
        for spec in EDITABLE:
            if spec.group not in forms:
                page = QWidget()
                forms[spec.group] = QFormLayout(page)
                forms[spec.group].setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                self.tabs.addTab(page, spec.group)
            editor = self._editor(spec)
            self._set(spec, editor, values[spec.key])
            self.editors[spec.key] = editor
            caption = QLabel(with_mnemonic(f"{spec.label}:", mnemonics))
            caption.setBuddy(editor)
            if spec.help:
                editor.setToolTip(spec.help)
                caption.setToolTip(spec.help)
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(editor)
            if spec.help:
                hint = QLabel(spec.help)
                hint.setWordWrap(True)
                hint.setStyleSheet("color: palette(placeholder-text);")
                column.addWidget(hint)
            forms[spec.group].addRow(caption, holder)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a31515;")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(860, 540)

    def _editor(self, spec: SettingDef) -> QWidget:
        name = spec.label
        if spec.kind == "int":
            box = QSpinBox()
            box.setRange(spec.minimum if spec.minimum is not None else 0,
                         spec.maximum if spec.maximum is not None else 10**6)
            box.setFixedWidth(box.fontMetrics().horizontalAdvance("0") * 8 + 40)
            editor: QWidget = box
        elif spec.kind == "bool":
            editor = QCheckBox()
        elif spec.kind == "list":
            editor = ListEditor(name)
        elif spec.kind == "path":
            editor = PathEditor(name)
        elif spec.kind == "picture":
            editor = PictureChooser(self.store, name)
        elif spec.kind == "text":
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
        else:
            editor = QLineEdit()
        editor.setAccessibleName(name)
        editor.setObjectName(f"setting_{spec.key}")
        return editor

    @staticmethod
    def _set(spec: SettingDef, editor: Any, value: Any) -> None:
        if spec.kind == "int":
            editor.setValue(int(value))
        elif spec.kind == "bool":
            editor.setChecked(bool(value))
        elif spec.kind == "list":
            editor.set_values(list(value or []))
        elif spec.kind == "path":
            editor.line_edit.setText(str(value or ""))
        elif spec.kind == "picture":
            editor.set_value(str(value or ""))
        elif spec.kind == "text":
            editor.setPlainText(str(value or ""))
        else:
            editor.setText(str(value or ""))

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for spec in EDITABLE:
            editor: Any = self.editors[spec.key]
            if spec.kind == "int":
                result[spec.key] = editor.value()
            elif spec.kind == "bool":
                result[spec.key] = editor.isChecked()
            elif spec.kind == "list":
                result[spec.key] = editor.values()
            elif spec.kind == "path":
                result[spec.key] = editor.line_edit.text().strip()
            elif spec.kind == "picture":
                result[spec.key] = editor.value()
            elif spec.kind == "text":
                result[spec.key] = editor.toPlainText()
            else:
                result[spec.key] = editor.text().strip()
        return result

    def accept(self) -> None:
        values = self.values()
        try:
            with self.store.transaction() as session:
                current = settings.get_all(session)
                for key, value in values.items():
                    if current.get(key) != value:
                        settings.put(session, key, value)
        except ValueError as exc:
            self.message.setText(f"⚠ {exc}")
            return
        log.info("settings saved")
        super().accept()

    @staticmethod
    def edit_settings(store: Any, parent: QWidget | None = None) -> tuple[dict[str, Any], bool]:
        dialog = SettingsDialog(store, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.values() if accepted else {}), accepted
        finally:
            dialog.deleteLater()
