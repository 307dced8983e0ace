"""The review record form an IRO fills in between two meetings: meetings and people, the child's
voice, the record under the usual headings, decisions, and the status with its deadlines. The
parts themselves are built in review_pages; this is the dialog: loading, saving, messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import reviews
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Child
from iro_desktop.gui import review_parts
from iro_desktop.gui.review_pages import (
    FORMATS,
    KINDS,
    OWNER_ROLES,
    ROLES,
    SERVICES,
    ReviewPages,
)
from iro_desktop.gui.review_parts import (
    ErrorLabel,
    ToDoNote,
    deadline_text,
    labelled,
    scrolling,
    shortcut,
    show_on_form,
)
from iro_desktop.gui.widgets import FieldForm, format_date
from iro_desktop.rules.participation import age_on

# The choice lists live with the pages that show them; named here too, as before.
__all__ = ["FORMATS", "KINDS", "OWNER_ROLES", "PARTS", "ROLES", "SERVICES", "ReviewForm"]
# The form's parts, so a My week line can open it at the right one (ReviewForm.show_part).
PARTS = ("meetings", "voice", "record", "decisions", "status")


class ReviewForm(ReviewPages, QDialog):
    """Record (or carry on recording) one review, in stages. Save draft keeps whatever is there
    (only what is impossible is refused) and says calmly what is still to do; Finish record (or a
    date in "Record completed on") needs everything the record needs. Save keeps the form open;
    nothing half-saves."""

    def __init__(self, store: Any, child_id: int, review_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.child_id = child_id
        self.review_id = review_id
        self.saved = False
        self._finishing = False  # Finish record is saving (it takes its date off if it fails)
        self.today = dt.date.today()
        with store.session() as session:
            child = session.get(Child, child_id)
            self.child_name = child.display_name
            self.date_of_birth = child.date_of_birth
            data = (reviews.load_review(session, review_id) if review_id
                    else reviews.new_review_input(session, child_id, self.today))
            stored = reviews.review_deadlines(session, review_id) if review_id else None
            self.headings = list(reviews.RECORD_HEADINGS)
        self.setWindowTitle(f"Review – {self.child_name}")
        self.setAccessibleName("Review record")
        self._build()
        self._load(data)
        if stored is not None:
            self.circulated_on.set_date(stored.circulate.done_on)
            self.completed_on.set_date(stored.complete.done_on)
        self._refresh_status()
        self._show_to_do(data, just_saved=False)
        self._saved_state = self._state()
        self.resize(1180, 720)
        self.meetings.rows[0].held_on.setFocus()  # the IRO starts typing the date

    # ----------------------------------------------------------------- building
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.header)
        self.to_do_note = ToDoNote()  # what a draft still needs, calmly (not errors)
        outer.addWidget(self.to_do_note)
        self.banner = ErrorLabel()
        outer.addWidget(self.banner)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the review")
        outer.addWidget(self.tabs, 1)
        self.forms: list[FieldForm] = []
        self.tabs.addTab(scrolling(self._meetings_page()), "&1 Meetings and people")
        self.tabs.addTab(scrolling(self._voice_page()), "&2 Child's voice")
        self.tabs.addTab(scrolling(self._record_page()), "&3 Record")
        self.tabs.addTab(scrolling(self._decisions_page()), "&4 Decisions")
        self.tabs.addTab(scrolling(self._status_page()), "&5 Status")
        self.tab_titles = [self.tabs.tabText(i) for i in range(self.tabs.count())]
        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save draft")
        self.save_button.setToolTip("Save what is here now, finished or not, and keep working "
                                    "(Ctrl+S)")
        self.finish_button = QPushButton("&Finish record")
        self.finish_button.setToolTip("Complete the record today: it then needs everything the "
                                      "review needs (the participation code, who does each "
                                      "decision...)")
        self.close_button = QPushButton("Save and c&lose")
        self.cancel_button = QPushButton("Cancel")
        self.letter_button = QPushButton("Wri&te letter…")
        self.letter_button.setToolTip("Write the letter to the child about this review "
                                      "(once the review is saved)")
        for button, name in ((self.save_button, "Save draft (Ctrl+S)"),
                             (self.finish_button, "Finish the record (mark it completed today)"),
                             (self.close_button, "Save and close"),
                             (self.cancel_button, "Close without saving"),
                             (self.letter_button, "Write the letter to the child")):
            labelled(button, name)
            button.setAutoDefault(False)
            button.setDefault(False)  # Enter in a field must not close a half-typed review
        buttons.addButton(self.letter_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.finish_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.finish_button.clicked.connect(self.finish_record)
        self.close_button.clicked.connect(self._save_and_close)
        self.cancel_button.clicked.connect(self.reject)
        self.letter_button.clicked.connect(self.write_letter)
        outer.addWidget(buttons)
        shortcut(self, "Ctrl+S", self.save)
        shortcut(self, "Ctrl+Return", self.add_decision)
        shortcut(self, "Ctrl+Enter", self.add_decision)
        shortcut(self, "Alt+Up", lambda: self.decisions.move_focused(-1))
        shortcut(self, "Alt+Down", lambda: self.decisions.move_focused(1))

    # ----------------------------------------------------------------- data
    def _load(self, data: Any) -> None:
        self.kind.set_choices([(data.kind, reviews.label(KINDS, data.kind))])
        self.extra_reason.setText(data.extra_reason or "")
        for meeting in data.meetings or [None]:
            self.add_meeting(meeting)
        for person in data.participants:
            self.add_person(person)
        self._meetings_changed()
        self._update_codes()
        self.code.set_value(data.participation_code)
        self._chosen_code = "" if data.participation_code == "PN0" else data.participation_code
        self.seen_alone.set_value(data.seen_alone)
        self.consultation_child.set_value(data.consultation_child)
        self.consultation_parents.set_value(data.consultation_parents)
        self.consultation_carers.set_value(data.consultation_carers)
        self.advocacy.set_value(data.advocacy or "")
        self.independent_visitor.set_value(data.independent_visitor or "")
        self.communication.set_value(data.communication_needs_met)
        for key, box in self.record_boxes.items():
            box.setPlainText((data.record or {}).get(key, ""))
        for decision in data.decisions:
            self.add_decision(decision)
        self._kind_changed()
        self.tabs.setCurrentIndex(0)
        self._fix_tab_order()

    def collect(self, problems: dict[str, str]) -> Any:
        """The form as a ReviewInput; typing problems (a date that is not one) go in `problems`."""
        meetings = [row.value(problems, f"meetings[{i}]")
                    for i, row in enumerate(self.meetings.rows)]
        decisions = [row.value(problems, f"decisions[{i}]")
                     for i, row in enumerate(self.decisions.rows)]
        record = {key: box.value() for key, box in self.record_boxes.items()
                  if not box.parentWidget().isHidden() or box.value()}
        return reviews.ReviewInput(
            meetings=meetings, kind=self.kind.value(),
            extra_reason=self.extra_reason.text().strip() if self.kind.value() == "extra" else "",
            participation_code=self.code.value() or "",
            participants=[row.value() for row in self.people.rows],
            seen_alone=self.seen_alone.value(), consultation_child=self.consultation_child.value(),
            consultation_parents=self.consultation_parents.value(),
            consultation_carers=self.consultation_carers.value(),
            advocacy=self.advocacy.value(), independent_visitor=self.independent_visitor.value(),
            communication_needs_met=self.communication.value(), record=record,
            decisions=decisions)

    def _target_status(self) -> str:
        """The status this save would leave the review at, from the dates on the Status part."""
        if self.completed_on.date() is not None:
            return reviews.COMPLETED
        if self.circulated_on.date() is not None:
            return reviews.CIRCULATED
        return reviews.DRAFT

    def save(self) -> bool:
        """Save everything in one transaction; on a problem show it beside its field.

        Without a completed date this saves a draft: what is impossible is refused, what is
        missing is listed calmly ("Still to do: ..."). With one, everything must be there."""
        problems: dict[str, str] = {}
        data = self.collect(problems)
        for key, field in (("decisions_circulated_on", self.circulated_on),
                           ("record_completed_on", self.completed_on)):
            if field.problem():
                problems[key] = str(field.problem())
        target = self._target_status()
        # Checked first on the form's own rows, so each message lands beside its field.
        with self.store.session() as session:
            found = reviews.check_review(session, self.child_id, data, self.review_id,
                                         self.today, status=target)
        for key, message in found.errors.items():
            problems.setdefault(key, message)
        if problems:
            self.show_errors(problems, target)
            return False
        try:
            with self.store.transaction() as session:
                review_id = self._write(session, data)
                stored = reviews.review_deadlines(session, review_id)
                saved = reviews.load_review(session, review_id)
                to_do = reviews.still_to_do(session, self.child_id, data, review_id)
        except ValidationError as error:
            self.show_errors(error.errors, target)
            return False
        self.review_id = review_id
        self.saved = True
        for rows, kept in ((self.meetings, saved.meetings), (self.people, saved.participants),
                           (self.decisions, saved.decisions)):
            rows.take_ids([item.id for item in kept])
        self.circulated_on.set_date(stored.circulate.done_on)
        self.completed_on.set_date(stored.complete.done_on)
        self._saved_state = self._state()
        self.show_errors({})
        self._refresh_status()
        self.to_do_note.show_to_do(reviews.to_do_words(list(to_do)), just_saved=True,
                                   completed=stored.complete.done)
        return True

    def _write(self, session: Any, data: Any) -> int:
        """Undo a status being taken away, save the review, then set its status dates (the
        order the use cases allow)."""
        circulated, completed = self.circulated_on.date(), self.completed_on.date()
        if self.review_id is not None and completed is None:
            reviews.mark_record_completed(session, self.review_id, None)
            if circulated is None:
                reviews.mark_decisions_circulated(session, self.review_id, None)
        review_id = reviews.save_review(session, self.child_id, data, self.review_id)
        if circulated is not None:
            reviews.mark_decisions_circulated(session, review_id, circulated)
        if completed is not None:
            reviews.mark_record_completed(session, review_id, completed)
        return review_id

    def finish_record(self) -> bool:
        """Complete the record today (or on the date already typed) and save: everything the
        record needs must be there. When something is missing nothing is saved and the date is
        taken off again, so Save draft still keeps the work as it is."""
        before = self.completed_on.text()
        if self.completed_on.is_empty():
            self.completed_on.set_date(self.today)
        self._finishing = True
        try:
            if self.save():
                return True
        finally:
            self._finishing = False
        if not self.completed_on.problem():
            self.completed_on.set_text(before)
        return False

    def _state(self) -> str:
        """What the form holds now, to tell whether closing would lose anything."""
        return repr((self.collect({}), self.circulated_on.text(), self.completed_on.text()))

    def reject(self) -> None:
        """Cancel, Escape or the window's close: ask before losing what was typed."""
        if self._state() != self._saved_state and not review_parts.confirm_discard(self):
            return
        super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The button box makes "Save and close" the default when shown: undo that, so that
        # Enter in a field never saves and closes a half-typed review.
        for button in (self.save_button, self.finish_button, self.close_button):
            button.setDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            event.accept()  # not the dialog's "press the default button"
            return
        super().keyPressEvent(event)

    def _save_and_close(self) -> None:
        if self.save():
            self.accept()

    # ----------------------------------------------------------------- messages
    def _ordered_fields(self) -> list[tuple[str, QWidget, int]]:
        """Every field key in the order the IRO meets them, with its tab."""
        fields: list[tuple[str, QWidget, int]] = [
            ("kind", self.kind, 0), ("extra_reason", self.extra_reason, 0),
            ("meetings", self.add_meeting_button, 0)]
        for lists, name, tab in ((self.meetings, "meetings", 0), (self.people, "participants", 0)):
            for i, row in enumerate(lists.rows):
                fields += [(f"{name}[{i}].{attr}", w, tab) for attr, w in row.fields.items()]
        fields.append(("participants", self.add_person_button, 0))
        for form, tab in zip(self.forms[1:], (1, 2, 4), strict=True):
            fields += [(key, widget, tab) for key, widget in form.fields.items()]
        for i, row in enumerate(self.decisions.rows):
            fields += [(f"decisions[{i}].{attr}", w, 3) for attr, w in row.fields.items()]
        fields.append(("decisions", self.add_decision_button, 3))
        return fields

    def show_errors(self, errors: dict[str, str], target: str = reviews.DRAFT) -> None:
        errors = dict(errors)
        if "review_date" in errors and self.meetings.rows:
            errors.setdefault("meetings[0].held_on", errors.pop("review_date"))
        if "record" in errors and self.record_boxes:
            errors.setdefault(f"record.{next(iter(self.record_boxes))}", errors.pop("record"))
        for form in self.forms:
            show_on_form(form, errors)
        for lists, name in ((self.meetings, "meetings"), (self.people, "participants"),
                            (self.decisions, "decisions")):
            for i, row in enumerate(lists.rows):
                prefix = f"{name}[{i}]."
                row.set_errors({k[len(prefix):]: v for k, v in errors.items()
                                if k.startswith(prefix)})
        self.meetings_error.show_error(errors.get("meetings"))
        self.people_error.show_error(errors.get("participants"))
        self.decisions_error.show_error(errors.get("decisions"))
        ordered = self._ordered_fields()
        known = {key for key, _w, _t in ordered}
        wrong_tabs = {tab for key, _w, tab in ordered if key in errors}
        for tab, title in enumerate(self.tab_titles):
            self.tabs.setTabText(tab, f"⚠ {title}" if tab in wrong_tabs else title)
        if errors:
            count = len(errors)
            extra = [v for k, v in errors.items() if k not in known]
            things = f"{count} thing{'s' if count > 1 else ''} to put right before"
            if target == reviews.DRAFT:
                head = f"{things} this can be saved; each is marked beside its field."
            else:
                what = ("the record can be completed" if target == reviews.COMPLETED
                        else "the decisions can be marked circulated")
                dated = ("“Record completed on”" if target == reviews.COMPLETED
                         else "“Decisions circulated on”")
                keep = (" Save draft keeps your work as it is." if self._finishing
                        else f" To keep your work as a draft, empty {dated} and save.")
                head = f"{things} {what}; each is marked beside its field."
            self.banner.show_error(
                f"{head} Nothing was saved."
                + (keep if target != reviews.DRAFT else "")
                + ("".join(f"\n{text}" for text in extra)))
        else:
            self.banner.show_error(None)
        for key, widget, tab in ordered:
            if key in errors:
                self.tabs.setCurrentIndex(tab)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def _show_to_do(self, data: Any, *, just_saved: bool) -> None:
        """The note for a saved review that is not completed yet (on opening it)."""
        if not self.review_id:
            self.to_do_note.hide()
            return
        with self.store.session() as session:
            completed = reviews.review_deadlines(session, self.review_id).complete.done
            gaps = [] if completed else list(reviews.still_to_do(
                session, self.child_id, data, self.review_id))
        self.to_do_note.show_to_do(reviews.to_do_words(gaps), just_saved=just_saved,
                                   completed=completed)

    def _refresh_header(self) -> None:
        day = self.review_date()
        when = (f"review on {format_date(day)}, aged {age_on(self.date_of_birth, day)} then"
                if day else "review date not set")
        self.header.setText(f"<b>{self.child_name}</b> – born {format_date(self.date_of_birth)}"
                            f" – {when} · {getattr(self, 'status_text', 'not saved yet')}")

    def show_part(self, part: str) -> None:
        """Show one part of the form ("status", ...; see PARTS) and focus its first field."""
        if part not in PARTS:
            return
        self.tabs.setCurrentIndex(PARTS.index(part))
        if part == "status":
            self.circulated_on.setFocus(Qt.FocusReason.OtherFocusReason)

    def write_letter(self) -> bool:
        """Open the letter to the child (saving the review first if it has unsaved changes)."""
        if not self.review_id:
            return False
        if self._state() != self._saved_state and not self.save():
            return False
        try:  # imported here: the letters bring the PDF tools, which the form does not need
            from iro_desktop.gui.letters_tab import open_letter_for_review
        except ImportError:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, "Write letter", "Letters are not available in this "
                                    "build.")
            return False
        return bool(open_letter_for_review(self, self.store, self.review_id))

    def _refresh_status(self) -> None:
        self._refresh_header()
        self.letter_button.setEnabled(bool(self.review_id))
        if not self.review_id:
            self.status_text = "not saved yet"
            self.status_label.setText("Status: <b>not saved yet</b>. Deadlines show once saved.")
            for label in (self.circulate_due, self.complete_due, self.letter_due):
                label.setText("")
            return
        with self.store.session() as session:
            deadlines = reviews.review_deadlines(session, self.review_id)
        status = ("record completed" if deadlines.complete.done
                  else "decisions circulated" if deadlines.circulate.done else "draft")
        self.status_label.setText(f"Status: <b>{status}</b>"
                                  + ("" if deadlines.complete.done else " – record not finished"))
        circulate = deadlines.circulate
        self.status_text = f"Status: {status}" + (
            "" if circulate.done else (" · ⚠" if circulate.late else " ·")
            + f" decisions {deadline_text(circulate.due, None, self.today).lower()}")
        self._refresh_header()
        for label, deadline in ((self.circulate_due, deadlines.circulate),
                                (self.complete_due, deadlines.complete),
                                (self.letter_due, deadlines.letter)):
            label.setText(("⚠ " if deadline.late else "")
                          + deadline_text(deadline.due, deadline.done_on, self.today))

    @staticmethod
    def edit(parent: QWidget | None, store: Any, child_id: int,
             review_id: int | None = None, part: str = "") -> tuple[int | None, bool]:
        """Open the form (at `part`, one of PARTS, when given); returns (review id, whether
        anything was saved)."""
        dialog = ReviewForm(store, child_id, review_id, parent)
        if part:
            dialog.show_part(part)
        try:
            dialog.exec()
            return dialog.review_id, dialog.saved
        finally:
            dialog.deleteLater()
