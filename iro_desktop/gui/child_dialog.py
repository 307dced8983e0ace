"""Add a child to the caseload, or edit a child's details (the `caseload.children` use cases)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import children
from iro_desktop.caseload.children import CHOICES, ChildInput
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.gui.widgets import ERROR_STYLE, CodeCombo, DateField, FieldForm

log = logging.getLogger(__name__)

_DATE_FIELDS = ("date_of_birth", "looked_after_since")
_CARE_FIELDS = ("looked_after_since", "legal_status", "placement", "placement_postcode",
                "home_postcode", "placement_provider", "cin")


def _line(max_length: int, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def _text_box() -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 12)
    return box


class ChildDialog(QDialog):
    """The child form. Nothing is saved until Save, and nothing at all when anything is wrong:
    each problem shows beside its field and the first wrong field gets the focus."""

    def __init__(self, store: Any, child_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.child_id = child_id
        self.saved_child_id: int | None = None
        self.today = dt.date.today
        adding = child_id is None
        self.setWindowTitle("Add a child" if adding else "Edit the child's details")
        self.form = FieldForm()
        self.form.before_focus = self._show_tab_of
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the form")

        # -- the child and their care --------------------------------------------------------
        self.child_ref = _line(10, "e.g. D123456")
        self.first_name = _line(80)
        self.last_name = _line(80)
        self.preferred_name = _line(80, "if different")
        self.date_of_birth = DateField()
        self.sex = CodeCombo(CHOICES["sex"])
        self.ethnicity = CodeCombo(CHOICES["ethnicity"], blank="Not recorded")
        self.upn = _line(13, "13 characters")
        self.uasc = QCheckBox("Unaccompanied asylum-seeking child (UAS&C)")
        self.looked_after_since = DateField()
        self.legal_status = CodeCombo(CHOICES["legal_status"], blank="Choose…")
        self.placement = CodeCombo(CHOICES["placement"], blank="Choose…")
        self.placement_postcode = _line(8, "e.g. ZZ1 1ZZ")
        self.home_postcode = _line(8)
        self.placement_provider = CodeCombo(CHOICES["placement_provider"], blank="Not recorded")
        self.cin = CodeCombo(CHOICES["cin"], blank="Not recorded")

        page = QWidget()
        columns = QHBoxLayout(page)
        child_box = QGroupBox("The child")
        child_form = QFormLayout(child_box)
        care_box = QGroupBox("Care" if adding else "Care (now)")
        care_form = QFormLayout(care_box)
        for form in (child_form, care_form):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add = self.form.add
        add("child_ref", "CHILD &id:", self.child_ref, layout=child_form)
        add("first_name", "&First name:", self.first_name, layout=child_form)
        add("last_name", "Last na&me:", self.last_name, layout=child_form)
        add("preferred_name", "&Known as:", self.preferred_name, layout=child_form)
        add("date_of_birth", "Date of &birth:", self.date_of_birth, layout=child_form)
        add("sex", "Sex:", self.sex, layout=child_form)
        add("ethnicity", "Ethnicity:", self.ethnicity, layout=child_form)
        add("upn", "UPN:", self.upn, layout=child_form)
        add("uasc", "", self.uasc, layout=child_form)
        self.uasc.setAccessibleName("Unaccompanied asylum-seeking child")
        add("looked_after_since", "&Looked after since:",
            self.looked_after_since, layout=care_form)
        add("legal_status", "Le&gal status:", self.legal_status, layout=care_form)
        add("placement", "&Placement:", self.placement, layout=care_form)
        add("placement_postcode", "Placement postcode:", self.placement_postcode, layout=care_form)
        add("home_postcode", "Home postcode:", self.home_postcode, layout=care_form)
        add("placement_provider", "Provider:", self.placement_provider, layout=care_form)
        add("cin", "Category of need:", self.cin, layout=care_form)
        if not adding:
            note = QLabel("A move or a new legal status is a new episode of care, so it is not "
                          "changed here.")
            note.setWordWrap(True)
            care_form.addRow(note)
            for key in _CARE_FIELDS:
                self.form.fields[key].setEnabled(False)
        columns.addWidget(child_box, 1)
        columns.addWidget(care_box, 1)
        self.tabs.addTab(page, "&1 Child and care")

        # -- people ----------------------------------------------------------------------------
        self.social_worker_name = _line(120)
        self.social_worker_team = _line(120)
        self.social_worker_phone = _line(40)
        self.social_worker_email = _line(120)
        self.carer_name = _line(120)
        self.carer_phone = _line(40)
        page = QWidget()
        people = QFormLayout(page)
        people.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add("social_worker_name", "Social &worker:", self.social_worker_name, layout=people)
        add("social_worker_team", "&Team:", self.social_worker_team, layout=people)
        add("social_worker_phone", "Social worker's p&hone:", self.social_worker_phone,
            layout=people)
        add("social_worker_email", "Social worker's email:", self.social_worker_email,
            layout=people)
        add("carer_name", "Ca&rer:", self.carer_name, layout=people)
        add("carer_phone", "Carer's ph&one:", self.carer_phone, layout=people)
        self.tabs.addTab(page, "&2 Social worker and carer")

        # -- about the child and their brothers and sisters -------------------------------------
        self.language = _line(60)
        self.interpreter_needed = QCheckBox("Nee&ds an interpreter")
        self.communication_needs = _text_box()
        self.interests = _text_box()
        self.siblings = QListWidget()
        self.siblings.setAccessibleName("Brothers and sisters")
        self.sibling_group_name = _line(120, "e.g. the Oakley children")
        page = QWidget()
        about = QFormLayout(page)
        about.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add("language", "Langu&age:", self.language, layout=about)
        add("interpreter_needed", "", self.interpreter_needed, layout=about)
        add("communication_needs", "Comm&unication needs:", self.communication_needs, layout=about)
        add("interests", "I&nterests:", self.interests, layout=about,
            help_text="In the child's words where you can: they appear in letters.")
        add("siblings", "Brothers and sist&ers:", self.siblings, layout=about,
            help_text="Tick those on your caseload (Space ticks).")
        add("sibling_group_name", "Group name:", self.sibling_group_name, layout=about)
        self.tabs.addTab(page, "&3 About the child")

        self.general_message = QLabel()
        self.general_message.setStyleSheet(ERROR_STYLE)
        self.general_message.setWordWrap(True)
        self.general_message.setAccessibleName("Problems")
        self.general_message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_message)
        layout.addWidget(self.buttons)
        self._load()
        self._chain_tab_order()
        self.child_ref.setFocus()

    # -- data in and out ---------------------------------------------------------------------
    def _load(self) -> None:
        with self.store.session() as session:
            choices = children.sibling_choices(session, self.child_id)
            data = (children.load_child(session, self.child_id) if self.child_id is not None
                    else ChildInput())
        for sibling_id, text in choices:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, sibling_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sibling_id in data.siblings
                               else Qt.CheckState.Unchecked)
            self.siblings.addItem(item)
        self.set_input(data)

    def set_input(self, data: ChildInput) -> None:
        for name, value in dataclasses.asdict(data).items():
            widget = getattr(self, name, None)
            if isinstance(widget, DateField):
                widget.set_date(value)
            elif isinstance(widget, CodeCombo):
                widget.set_code(value or "")
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value or "")
            elif isinstance(widget, QLineEdit):
                widget.setText(value or "")

    def input(self) -> ChildInput:
        """The form as a ChildInput (a date that cannot be read is None; see `date_problems`)."""
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(ChildInput):
            widget = getattr(self, spec.name, None)
            if isinstance(widget, DateField):
                values[spec.name] = widget.date()
            elif isinstance(widget, CodeCombo):
                values[spec.name] = widget.code()
            elif isinstance(widget, QCheckBox):
                values[spec.name] = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                values[spec.name] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                values[spec.name] = widget.text()
        values["siblings"] = [
            int(self.siblings.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.siblings.count())
            if self.siblings.item(i).checkState() == Qt.CheckState.Checked
        ]
        return ChildInput(**values)

    def date_problems(self) -> dict[str, str]:
        problems = {}
        for key in _DATE_FIELDS:
            field: DateField = getattr(self, key)
            if field.isEnabled() and field.problem():
                problems[key] = str(field.problem())
        return problems

    # -- saving ------------------------------------------------------------------------------
    def _save(self, data: ChildInput) -> int:
        with self.store.transaction() as session:
            if self.child_id is None:
                return children.add_child(session, data, today=self.today())
            children.update_child(session, self.child_id, data, today=self.today())
            return self.child_id

    def _dry_run(self, data: ChildInput) -> dict[str, str]:
        """Every other problem too, when a date could not be read: validated, then rolled back."""
        with self.store.session() as session:
            try:
                if self.child_id is None:
                    children.add_child(session, data, today=self.today())
                else:
                    children.update_child(session, self.child_id, data, today=self.today())
            except ValidationError as exc:
                return exc.errors
            finally:
                session.rollback()
        return {}

    def accept(self) -> None:
        data = self.input()
        unreadable = self.date_problems()
        try:
            if unreadable:
                raise ValidationError({**self._dry_run(data), **unreadable})
            self.saved_child_id = self._save(data)
        except ValidationError as exc:
            self.show_problems(exc.errors)
            return
        log.info("child %s (id %s)", "added" if self.child_id is None else "updated",
                 self.saved_child_id)
        self.form.clear_messages()
        self.general_message.hide()
        super().accept()

    def show_problems(self, errors: dict[str, str]) -> None:
        others = self.form.show_messages(errors)
        count = len(errors)
        things = f"{count} thing{'s' if count != 1 else ''}"
        text = f"⚠ {things} to put right before saving; nothing was saved."
        if others:
            text += "\n" + "\n".join(others.values())
        self.general_message.setText(text)
        self.general_message.show()

    def message(self, key: str) -> str:
        return self.form.message(key)

    # -- keyboard ----------------------------------------------------------------------------
    def _show_tab_of(self, widget: QWidget) -> None:
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
                return

    def _chain_tab_order(self) -> None:
        """Tab goes down each column of the form in reading order, then to the buttons."""
        order = [w for w in self.form.fields.values()]
        focusable: list[QWidget] = []
        for widget in order:
            focusable.append(widget.focusProxy() or widget)
        for first, second in itertools.pairwise(focusable):
            QWidget.setTabOrder(first, second)

    # -- entry points ------------------------------------------------------------------------
    @staticmethod
    def add_child(store: Any, parent: QWidget | None = None) -> tuple[int | None, bool]:
        """Ask for a new child; (the new child's id, True) when saved, (None, False) if not."""
        dialog = ChildDialog(store, None, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return (dialog.saved_child_id if accepted else None), accepted
        finally:
            dialog.deleteLater()

    @staticmethod
    def edit_child(store: Any, child_id: int, parent: QWidget | None = None) -> tuple[int, bool]:
        dialog = ChildDialog(store, child_id, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return child_id, accepted
        finally:
            dialog.deleteLater()
