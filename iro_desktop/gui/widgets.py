"""Shared form helpers: typed date fields, 903 code combos, messages beside fields, registries."""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from iro_desktop.interchange.codes903 import label

log = logging.getLogger(__name__)

DATE_FORMAT = "%d/%m/%Y"
DATE_HINT = "dd/mm/yyyy"
_TYPED_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d", "%d%m%Y")

# Colour is never the only signal: every marked row also carries text ("⚠ 5 days overdue").
OVERDUE_BACKGROUND = QColor("#fbe0de")
OVERDUE_FOREGROUND = QColor("#8a1c14")
DUE_SOON_BACKGROUND = QColor("#fff0c2")
DUE_SOON_FOREGROUND = QColor("#5c4300")
LEFT_CARE_FOREGROUND = QColor("#6b6b6b")
ERROR_STYLE = "color: #a31515;"


def format_date(day: dt.date | None, empty: str = "") -> str:
    return day.strftime(DATE_FORMAT) if day else empty


def parse_date(text: str) -> dt.date | None:
    """A typed date in any of the usual UK forms, or None when it is not one."""
    cleaned = " ".join(text.strip().split())
    for fmt in _TYPED_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def days_text(days: int | None) -> str:
    """How long until a review is due, in words an IRO reads at a glance."""
    if days is None:
        return ""
    if days < 0:
        n = -days
        return f"⚠ {n} day{'s' if n != 1 else ''} overdue"
    if days == 0:
        return "⚠ Due today"
    return f"Due in {days} day{'s' if days != 1 else ''}"


def load_object(spec: str) -> Any:
    """`"package.module:Name"` from a registry line (PAGES, TABS, ACTIONS)."""
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


class DateField(QWidget):
    """A date the IRO can type (09/03/2014, 9.3.2014, 2014-03-09) or pick from a calendar.

    Empty is allowed (the form decides whether the date is required); text that is not a date
    is reported by `problem()` so the form can show a message beside the field.
    """

    #: Fires whenever the typed text changes (valid or not).
    edited = Signal()

    def __init__(self, parent: QWidget | None = None, *, accessible_name: str = "") -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText(DATE_HINT)
        self.line_edit.setMaxLength(12)
        self.line_edit.textEdited.connect(self.edited)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("▼")
        self.calendar_button.setToolTip("Pick from a calendar (F4 in the date)")
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self._calendar = QCalendarWidget()
        self._calendar.setGridVisible(True)
        self._calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self._calendar.clicked.connect(self._picked)
        menu = QMenu(self.calendar_button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self._calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar_button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.calendar_button)
        self.setFocusProxy(self.line_edit)
        # The button takes no Tab stop, so F4 in the field opens the calendar from the keyboard.
        self.line_edit.installEventFilter(self)
        # Wide enough for 09/03/2014 and no wider: forms grow every other field, not dates.
        digits = self.line_edit.fontMetrics().horizontalAdvance("00/00/00000")
        self.line_edit.setFixedWidth(digits + 16)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        if accessible_name:
            self.setAccessibleName(accessible_name)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if (watched is self.line_edit and event.type() == event.Type.KeyPress
                and event.key() == Qt.Key.Key_F4):
            self.calendar_button.showMenu()
            return True
        return super().eventFilter(watched, event)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.line_edit.setAccessibleName(name)
        self.line_edit.setAccessibleDescription(f"Date, {DATE_HINT}")
        self.calendar_button.setAccessibleName(f"{name}: calendar")

    def text(self) -> str:
        return self.line_edit.text()

    def set_text(self, text: str) -> None:
        self.line_edit.setText(text)

    def date(self) -> dt.date | None:
        return parse_date(self.line_edit.text())

    def set_date(self, day: dt.date | None) -> None:
        self.line_edit.setText(format_date(day))

    def is_empty(self) -> bool:
        return not self.line_edit.text().strip()

    def problem(self) -> str | None:
        """Why the typed text is not a date, or None when it is one (or is empty)."""
        if self.is_empty() or self.date() is not None:
            return None
        typed = self.text().strip()
        if re.fullmatch(r"\d{1,2}[/.\- ]\d{1,2}[/.\- ]\d{4}", typed):  # right shape, no such day
            return f"There is no date {typed}: check the day and the month."
        return f"Type the date as {DATE_HINT}, for example 09/03/2014."

    def _sync_calendar(self) -> None:
        day = self.date() or dt.date.today()
        self._calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _picked(self, qdate: QDate) -> None:
        self.set_date(dt.date(qdate.year(), qdate.month(), qdate.day()))
        self.calendar_button.menu().hide()
        self.edited.emit()
        self.line_edit.setFocus()


class CodeCombo(QComboBox):
    """A 903 code list shown as "C2 Full care order"; `code()` is the bare code.

    `codes` is a code table (labelled with `codes903.label`) or ready (code, label) pairs such
    as `caseload.children.CHOICES["placement"]`."""

    def __init__(
        self,
        codes: Mapping[str, str] | Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        blank: str | None = None,
        exclude: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        pairs = ([(code, label(dict(codes), code)) for code in codes]
                 if isinstance(codes, Mapping) else list(codes))
        if blank is not None:
            self.addItem(blank, "")
        for code, text in pairs:
            if code not in exclude:
                self.addItem(text, code)
                self.setItemData(self.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.setMaxVisibleItems(20)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index < 0 and code:  # an unknown code from an import: keep it rather than lose it
            self.addItem(code, code)
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0))


class FieldForm:
    """A QFormLayout whose rows carry a message beside the field, keyed by the use case's field
    names, so a ValidationError lands next to the widget it is about."""

    def __init__(self, layout: QFormLayout | None = None) -> None:
        self.layout = layout
        self.fields: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        #: Called with the first wrong field before it is focused (a form with tabs shows its tab).
        self.before_focus: Callable[[QWidget], None] | None = None

    def add(self, key: str, text: str, widget: QWidget, *, help_text: str = "",
            layout: QFormLayout | None = None) -> QWidget:
        """Add a row to `layout` (or the form's own): `text` has an `&` mnemonic and the label is
        the field's keyboard buddy; the message for `key` appears under the field."""
        target = layout or self.layout
        assert target is not None, "give a layout"
        plain = text.replace("&", "").rstrip(":")
        caption = QLabel(text) if text else None
        if caption is not None:  # a compound field (DateField) is reached through its proxy
            caption.setBuddy(widget.focusProxy() or widget)
        if not widget.accessibleName():
            own_text = getattr(widget, "text", lambda: "")()
            widget.setAccessibleName(plain or own_text.replace("&", ""))
        message = QLabel()
        message.setStyleSheet(ERROR_STYLE)
        message.setWordWrap(True)
        message.setAccessibleName(f"{plain}: problem")
        message.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        if help_text:
            hint = QLabel(help_text)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(placeholder-text);")
            column.addWidget(hint)
        column.addWidget(message)
        if caption is not None:
            target.addRow(caption, holder)
        else:
            target.addRow("", holder)
        self.fields[key] = widget
        self.messages[key] = message
        return widget

    def clear_messages(self) -> None:
        for message in self.messages.values():
            message.clear()
            message.hide()

    def show_messages(self, errors: Mapping[str, str]) -> dict[str, str]:
        """Show each message beside its field and focus the first wrong field (in form order).
        Returns the messages that have no field on this form, for a general message."""
        self.clear_messages()
        merged: dict[str, str] = {}
        for key, text in errors.items():  # "siblings[2]" belongs to the field "siblings", if any
            base = key.split("[", 1)[0]
            merged.setdefault(base if key not in self.fields and base in self.fields else key, text)
        errors = merged
        first: QWidget | None = None
        for key, widget in self.fields.items():
            if key in errors:
                self.messages[key].setText(f"⚠ {errors[key]}")
                self.messages[key].show()
                first = first or widget
        if first is not None:
            if self.before_focus is not None:
                self.before_focus(first)
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return {key: text for key, text in errors.items() if key not in self.fields}

    def message(self, key: str) -> str:
        label_widget = self.messages[key]
        return label_widget.text() if not label_widget.isHidden() else ""


def with_mnemonic(text: str, used: set[str]) -> str:
    """`text` with an `&` before the first letter not yet used on this page (Alt+letter)."""
    for position, character in enumerate(text):
        key = character.lower()
        if character.isalpha() and key not in used:
            used.add(key)
            return f"{text[:position]}&{text[position:]}"
    return text
