"""The child record's review work tabs: reviews, midway reviews, case notes and escalations. Each is
a list with New and Open; `show_item(id)` selects a line (My week opens the right one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload import escalations, midway, notes, reviews
from iro_desktop.gui import review_parts
from iro_desktop.gui.review_parts import (
    DONE_COLOUR,
    ITEM_ID_ROLE,
    LATE_COLOUR,
    Cell,
    Row,
    RowsModel,
    deadline_text,
    is_late,
    label_of,
    labelled,
)
from iro_desktop.gui.widgets import format_date


class ListView(QTableView):
    """A read-only list where Enter opens the line, as a double-click does."""

    open_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(self.open_requested)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ListTab(QWidget):
    """A list of the child's items with New and Open; subclasses say what and how."""

    #: The IRO saved something: the record refreshes its header and other tabs.
    changed = Signal()
    headers: list[str] = []
    new_text = "&New"
    what = "items"
    #: How a confirmation names one item ("the review"); empty: this list has no Delete.
    delete_what = ""
    delete_detail = ""

    def __init__(self, store: Any, child_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.child_id = store, child_id
        self.today = dt.date.today()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.model = RowsModel(self.headers, self)
        self.view = ListView()
        self.view.setModel(self.model)
        labelled(self.view, f"The child's {self.what}", "Press Enter to open the selected line.")
        self.new_button = QPushButton(self.new_text)
        labelled(self.new_button, self.new_text.replace("&", ""))
        self.open_button = QPushButton("&Open")
        labelled(self.open_button, f"Open the selected {self.what[:-1]}")
        self.new_button.clicked.connect(self.new_item)
        self.open_button.clicked.connect(lambda: self.open_index(self.view.currentIndex()))
        self.view.open_requested.connect(self.open_index)
        self.delete_button = QPushButton("&Delete…")
        labelled(self.delete_button, f"Delete the selected {self.what[:-1]}")
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setVisible(bool(self.delete_what))
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self.refresh()

    def refresh(self) -> None:
        self.today = dt.date.today()
        with self.store.session() as session:
            rows, info = self.load(session)
        selected = self.selected_id()
        self.model.set_rows(rows)
        self.info.setText(info)
        self.open_button.setEnabled(bool(rows))
        self.delete_button.setEnabled(bool(rows))
        if selected and self.model.row_of(selected) >= 0:
            self.show_item(selected)
        elif rows:
            self.view.selectRow(0)

    def selected_id(self) -> int:
        index = self.view.currentIndex()
        return int(index.data(ITEM_ID_ROLE) or 0) if index.isValid() else 0

    def show_item(self, item_id: int) -> None:
        """Select (and scroll to) the line of this item."""
        row = self.model.row_of(item_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
            self.view.setFocus()

    def delete_selected(self) -> bool:
        """Delete the selected line's item after the IRO confirms; True when deleted."""
        index = self.view.currentIndex()
        if not self.delete_what or not index.isValid():
            return False
        item_id = int(index.data(ITEM_ID_ROLE))
        when = self.model.index(index.row(), 0).data() or ""
        what = f"{self.delete_what} of {when}" if when else self.delete_what
        if not review_parts.confirm_delete(self, what, self.delete_detail):
            return False
        with self.store.transaction() as session:
            self.delete_item(session, item_id)
        self.refresh()
        self.changed.emit()
        return True

    def open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._after(self.open_item(int(index.data(ITEM_ID_ROLE))))

    def new_item(self) -> None:
        self._after(self.create_item())

    def _after(self, result: tuple[int | None, bool]) -> None:
        item_id, saved = result
        if saved:
            self.refresh()
            if item_id:
                self.show_item(item_id)
            self.changed.emit()

    # subclasses
    def load(self, session: Any) -> tuple[list[Row], str]:
        raise NotImplementedError

    def create_item(self) -> tuple[int | None, bool]:
        raise NotImplementedError

    def open_item(self, item_id: int) -> tuple[int | None, bool]:
        raise NotImplementedError

    def delete_item(self, session: Any, item_id: int) -> None:
        raise NotImplementedError


def _deadline_cell(deadline: Any, today: dt.date) -> Cell:
    late = deadline.late
    text = deadline_text(deadline.due, deadline.done_on, today)
    if deadline.done_on is not None and not late:
        return Cell(f"✔ {format_date(deadline.done_on)}", sort=deadline.done_on, colour=DONE_COLOUR,
                    tooltip=text)
    return Cell(("⚠ " if late else "") + text, sort=deadline.due,
                colour=LATE_COLOUR if late else None)


class ReviewsTab(ListTab):
    headers = ["Date", "Kind", "Code", "Status", "Decisions circulated", "Record completed",
               "Letter"]
    new_text = "&New review…"
    what = "reviews"
    delete_what = "the review"
    delete_detail = ("Its meetings, people, decisions, the progress recorded on them at midway "
                     "and its letter are deleted with it.")

    def load(self, session: Any) -> tuple[list[Row], str]:
        rows = []
        for summary in reviews.list_reviews(session, self.child_id, today=self.today):
            deadlines = summary.deadlines
            imported = summary.source != "app" and not summary.meetings
            rows.append(Row(summary.review_id, [
                Cell(format_date(summary.review_date), sort=summary.review_date),
                Cell(reviews.label(reviews.REVIEW_KINDS, summary.kind) or "—"),
                Cell(summary.participation_code) if summary.participation_code else
                Cell("— not chosen yet", sort="",
                     tooltip="A draft: choose the participation code before the record "
                             "is completed"),
                Cell(reviews.label(reviews.REVIEW_STATUSES, summary.status)
                     + (" (imported)" if imported else "")),
                Cell("—") if imported else _deadline_cell(deadlines.circulate, self.today),
                Cell("—") if imported else _deadline_cell(deadlines.complete, self.today),
                Cell("—") if imported else _deadline_cell(deadlines.letter, self.today),
            ]))
        info = f"{len(rows)} review{'s' if len(rows) != 1 else ''}."
        return rows, info

    def create_item(self) -> tuple[int | None, bool]:
        from iro_desktop.gui.review_form import ReviewForm

        return ReviewForm.edit(self, self.store, self.child_id)

    def show_item(self, item_id: int, part: str = "") -> None:
        """Select the review; with a `part` ("status") also open its form there, once the
        record is on screen (My week's decisions and records lines)."""
        super().show_item(item_id)
        if part and self.model.row_of(item_id) >= 0:
            QTimer.singleShot(0, self, lambda: self._after(self.open_item(item_id, part)))

    def open_item(self, item_id: int, part: str = "") -> tuple[int | None, bool]:
        from iro_desktop.gui.review_form import ReviewForm

        return ReviewForm.edit(self, self.store, self.child_id, item_id, part)

    def delete_item(self, session: Any, item_id: int) -> None:
        reviews.delete_review(session, item_id)


class MidwayTab(ListTab):
    headers = ["Date", "How", "What was found", "Note"]
    new_text = "&New midway review…"
    what = "midway reviews"
    delete_what = "the midway review"

    def load(self, session: Any) -> tuple[list[Row], str]:
        rows = []
        for view in midway.list_midways(session, self.child_id):
            found = ", ".join(f"{count} {label.lower()}" for key, label in midway.PROGRESS_STATUSES
                              if (count := view.counts.get(key, 0)))
            drifting = view.counts.get(midway.DRIFTING, 0) > 0
            rows.append(Row(view.midway_id, [
                Cell(format_date(view.held_on), sort=view.held_on),
                Cell(label_of(view.method, midway.METHODS)),
                Cell(("⚠ " if drifting else "") + (found or "no decisions"),
                     colour=LATE_COLOUR if drifting else None),
                Cell(" ".join(view.note.split())[:120], tooltip=view.note),
            ]))
        due = midway.midway_due(session, self.child_id)
        if due is None:
            info = "No midway review due (no review yet in this period of care)."
        else:
            late = is_late(due, None, self.today)
            stands = deadline_text(due, None, self.today)
            info = ("⚠ " if late else "") + f"Midway review: {stands}."
        return rows, info

    def create_item(self) -> tuple[int | None, bool]:
        from iro_desktop.gui.midway_dialog import MidwayDialog

        return MidwayDialog.edit(self, self.store, self.child_id)

    def open_item(self, item_id: int) -> tuple[int | None, bool]:
        from iro_desktop.gui.midway_dialog import MidwayDialog

        return MidwayDialog.edit(self, self.store, self.child_id, item_id)

    def delete_item(self, session: Any, item_id: int) -> None:
        midway.delete_midway(session, item_id)


class NotesTab(ListTab):
    headers = ["Date", "Type", "Seen alone", "What happened"]
    new_text = "&New note…"
    what = "case notes"
    delete_what = "the case note"

    def load(self, session: Any) -> tuple[list[Row], str]:
        rows = [Row(note.note_id, [
            Cell(format_date(note.noted_on), sort=note.noted_on),
            Cell(note.kind_label),
            Cell("Yes" if note.seen_alone else ""),
            Cell(" ".join(note.text.split())[:160], tooltip=note.text),
        ]) for note in notes.list_notes(session, self.child_id)]
        last = notes.last_seen(session, self.child_id)
        flagged = notes.not_seen(session, self.child_id, self.today)
        info = (f"Last seen by you: {format_date(last)}." if last
                else "Not seen by you yet.")
        if flagged:
            info = f"⚠ {info} A visit is due."
        return rows, info

    def create_item(self) -> tuple[int | None, bool]:
        from iro_desktop.gui.note_dialog import NoteDialog

        return NoteDialog.edit(self, self.store, self.child_id)

    def open_item(self, item_id: int) -> tuple[int | None, bool]:
        from iro_desktop.gui.note_dialog import NoteDialog

        return NoteDialog.edit(self, self.store, self.child_id, item_id)

    def delete_item(self, session: Any, item_id: int) -> None:
        notes.delete_note(session, item_id)


class EscalationsTab(ListTab):
    headers = ["Raised", "Kind", "Stage now", "Where it stands", "Themes"]
    new_text = "&Raise an escalation…"
    what = "escalations"

    def load(self, session: Any) -> tuple[list[Row], str]:
        rows = []
        open_count = 0
        for view in escalations.list_escalations(session, self.child_id):
            current = view.current
            if view.closed:
                stands = Cell(f"✔ {label_of(view.outcome, escalations.OUTCOMES)} "
                              f"{format_date(view.outcome_on)}", colour=DONE_COLOUR)
            elif view.waiting_for_response and current is not None:
                open_count += 1
                late = is_late(current.response_due_on, None, self.today)
                stands = Cell(("⚠ " if late else "◷ ")
                              + deadline_text(current.response_due_on, None, self.today),
                              sort=current.response_due_on, colour=LATE_COLOUR if late else None)
            else:
                open_count += 1
                stands = Cell("Response received")
            rows.append(Row(view.escalation_id, [
                Cell(format_date(view.raised_on), sort=view.raised_on),
                Cell(label_of(view.kind, escalations.ESCALATION_KINDS)),
                Cell(current.label if current else "—"),
                stands,
                Cell(", ".join(view.themes)),
            ]))
        return rows, f"{open_count} open, {len(rows)} in all."

    def create_item(self) -> tuple[int | None, bool]:
        from iro_desktop.gui.escalation_view import EscalationView

        return EscalationView.edit(self, self.store, self.child_id)

    def open_item(self, item_id: int) -> tuple[int | None, bool]:
        from iro_desktop.gui.escalation_view import EscalationView

        return EscalationView.edit(self, self.store, self.child_id, item_id)
