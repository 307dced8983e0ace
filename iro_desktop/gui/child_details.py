"""The Details tab of a child's record: everything known about the child, read-only, with Edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop.caseload.overview import episode_facts
from iro_desktop.db.models import Child
from iro_desktop.gui.caseload_model import SORT_ROLE
from iro_desktop.gui.widgets import OVERDUE_FOREGROUND, format_date
from iro_desktop.interchange.codes903 import (
    ETHNICITY,
    LEGAL_STATUS,
    PLACEMENT,
    REASON_ENDED,
    REASON_NEW_EPISODE,
    SEX,
    label,
)
from iro_desktop.rules.participation import PARTICIPATION_CODES, age_on
from iro_desktop.rules.reviews import review_timeliness

_Index = QModelIndex | QPersistentModelIndex
_KIND_WORDS = {"initial": "First", "second": "Second", "subsequent": "6-monthly"}
# Short words for the episode table; the tooltip has the full 903 label.
_STARTED = {"S": "Came into care", "L": "Legal status changed", "P": "Moved placement",
            "T": "Legal status and placement", "B": "Legal status, placement, carer",
            "U": "Legal status and carer"}


def _ended(code: str) -> str:
    if not code:
        return ""
    if code == "X1":
        return "X1 (next episode)"
    return label(REASON_ENDED, code)


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    sort: Any = None
    tooltip: str = ""
    warn: bool = False


@dataclass
class ChildFacts:
    """Everything the Details tab shows, as plain values."""

    about: list[tuple[str, str]] = field(default_factory=list)
    contacts: list[tuple[str, str]] = field(default_factory=list)
    siblings: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, age
    episodes: list[list[Cell]] = field(default_factory=list)
    reviews: list[list[Cell]] = field(default_factory=list)
    looked_after: bool = False  # an episode is open: a move can be recorded, not a new period


def _yes_no(value: bool | None) -> str:
    return "Not recorded" if value is None else ("Yes" if value else "No")


def load_facts(session: Session, child_id: int, today: dt.date) -> ChildFacts:
    child = session.get(Child, child_id)
    if child is None:
        raise LookupError(f"no child with id {child_id}")
    facts = ChildFacts()
    facts.looked_after = any(e.end is None for e in child.episodes)
    facts.about = [
        ("Full name", f"{child.first_name} {child.last_name}".strip()),
        ("Known as", child.preferred_name or "—"),
        ("Date of birth",
         f"{format_date(child.date_of_birth)} (age {age_on(child.date_of_birth, today)})"),
        ("Sex", SEX.get(child.sex, child.sex)),
        ("Ethnicity", label(ETHNICITY, child.ethnicity) or "Not recorded"),
        ("UPN", child.upn or "—"),
        ("UASC", "Yes: unaccompanied asylum-seeking child" if child.uasc else "No"),
        ("Language",
         child.language + ("; needs an interpreter" if child.interpreter_needed else "")),
        ("Communication needs", child.communication_needs or "None recorded"),
        ("Interests", child.interests or "None recorded"),
    ]
    if child.mother:
        born = format_date(child.mother_child_dob, "?")
        facts.about.append(("Is a mother", f"Yes, child born {born}"))
    worker = child.social_worker_name or "Not recorded"
    if child.social_worker_team:
        worker += f" ({child.social_worker_team})"
    facts.contacts = [
        ("Social worker", worker),
        ("Social worker's phone", child.social_worker_phone or "—"),
        ("Social worker's email", child.social_worker_email or "—"),
        ("Carer", child.carer_name or "Not recorded"),
        ("Carer's phone", child.carer_phone or "—"),
    ]
    if child.sibling_group_id is not None:
        for sibling in session.scalars(
            select(Child)
            .where(Child.sibling_group_id == child.sibling_group_id, Child.id != child.id)
            .order_by(Child.date_of_birth)
        ):
            age = age_on(sibling.date_of_birth, today)
            facts.siblings.append((sibling.id, sibling.display_name, age))
    for episode in reversed(child.episodes):
        facts.episodes.append([
            Cell(format_date(episode.start), episode.start.toordinal()),
            Cell(_STARTED.get(episode.reason_new_episode, episode.reason_new_episode),
                 episode.reason_new_episode, label(REASON_NEW_EPISODE, episode.reason_new_episode)),
            Cell(label(LEGAL_STATUS, episode.legal_status), episode.legal_status,
                 label(LEGAL_STATUS, episode.legal_status)),
            Cell(label(PLACEMENT, episode.placement), episode.placement,
                 label(PLACEMENT, episode.placement)),
            Cell(episode.placement_postcode, episode.placement_postcode),
            Cell(format_date(episode.end, "Open"),
                 episode.end.toordinal() if episode.end else 10**7),
            Cell(_ended(episode.reason_ended), episode.reason_ended,
                 label(REASON_ENDED, episode.reason_ended) if episode.reason_ended else ""),
        ])
    codes = {r.review_date: r.participation_code for r in child.reviews}
    timeliness = review_timeliness([episode_facts(e) for e in child.episodes], codes)
    for held in reversed(timeliness):
        code = codes.get(held.held_on, "")
        late_by = (held.held_on - held.due).days
        facts.reviews.append([
            Cell(format_date(held.held_on), held.held_on.toordinal()),
            Cell(_KIND_WORDS.get(held.kind.value, held.kind.value), held.kind.value),
            Cell(format_date(held.due), held.due.toordinal()),
            Cell("On time" if held.on_time
                 else f"⚠ Late by {late_by} day{'s' if late_by != 1 else ''}",
                 late_by, warn=not held.on_time),
            _code_cell(code),
        ])
    counted = {h.held_on for h in timeliness}
    for review in child.reviews:  # held outside any period of care we know of (old imports)
        if review.review_date not in counted:
            facts.reviews.append([
                Cell(format_date(review.review_date), review.review_date.toordinal()),
                Cell("Outside a period of care", ""), Cell("", 0), Cell("", 0),
                _code_cell(review.participation_code),
            ])
    return facts


NO_CODE_YET = "not chosen yet (draft)"


def _code_cell(code: str) -> Cell:
    """The participation code, its meaning as the tooltip; a draft saved before the code was
    chosen shows a dash that says so, not an empty cell."""
    if not code:
        return Cell("—", "", NO_CODE_YET)
    return Cell(code, code, PARTICIPATION_CODES.get(code, ""))


class RowsModel(QAbstractTableModel):
    """A read-only table of `Cell`s, sortable by each cell's real value."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self._rows: list[list[Cell]] = []

    def set_rows(self, rows: Sequence[Sequence[Cell]]) -> None:
        self.beginResetModel()
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if not 0 <= index.column() < len(row):
            return None
        cell = row[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell.text
        if role == SORT_ROLE:
            return cell.sort if cell.sort is not None else cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tooltip or None
        if role == Qt.ItemDataRole.ForegroundRole and cell.warn:
            return OVERDUE_FOREGROUND
        return None


def _table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ChildDetails(QWidget):
    """The Details tab. Signals: `changed()` after the IRO edited the child;
    `open_child_requested(child_id, tab_key, item_id)` when a brother or sister is clicked."""

    changed = Signal()
    open_child_requested = Signal(int, str, int)

    def __init__(self, store: Any, child_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.child_id = child_id
        self.today = dt.date.today
        self.edit_button = QPushButton("&Edit details…")
        self.edit_button.setAccessibleName("Edit the child's details")
        self.edit_button.clicked.connect(self.edit)
        self.move_button = QPushButton("&Moved home / change of legal status…")
        self.move_button.setAccessibleName("Record a move or a change of legal status")
        self.move_button.clicked.connect(self.record_move)
        self.new_period_button = QPushButton("Came bac&k into care…")
        self.new_period_button.setAccessibleName("Record that the child came back into care")
        self.new_period_button.clicked.connect(self.record_new_period)
        self.about_box, self.about_form = self._facts_box("About the child")
        self.contacts_box, self.contacts_form = self._facts_box("Social worker and carer")
        self.siblings_box = QGroupBox("Brothers and sisters")
        self.siblings_layout = QVBoxLayout(self.siblings_box)
        self.episodes_model = RowsModel(
            ("From", "Reason", "Legal status", "Placement", "Postcode", "Until", "Ended"), self)
        self.reviews_model = RowsModel(("Held on", "Review", "Due by", "Timeliness", "PN"), self)
        self.episodes_view = _table(self.episodes_model, "Episodes of care")
        self.reviews_view = _table(self.reviews_model, "Reviews held")
        # Its minimum width holds every column (set in refresh), so it never scrolls sideways.
        self.reviews_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        episodes_box = QGroupBox("Episodes of care (latest first)")
        QVBoxLayout(episodes_box).addWidget(self.episodes_view)
        reviews_box = QGroupBox("Reviews held (latest first)")
        QVBoxLayout(reviews_box).addWidget(self.reviews_view)

        self.reviews_box = reviews_box
        self.episodes_box = episodes_box
        content = QWidget()
        self.grid = QGridLayout(content)
        self._wide: bool | None = None
        self._arrange(wide=True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.new_period_button)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.refresh()

    def _arrange(self, *, wide: bool) -> None:
        """Three columns when there is room; at large text or on a small screen the reviews
        move under the facts, so nothing needs a sideways scroll."""
        if wide == self._wide:
            return
        self._wide = wide
        grid = self.grid
        for box in (self.about_box, self.contacts_box, self.siblings_box, self.reviews_box,
                    self.episodes_box):
            grid.removeWidget(box)
        for column in range(3):
            grid.setColumnStretch(column, 0)
        for row in range(4):
            grid.setRowStretch(row, 0)
        grid.addWidget(self.about_box, 0, 0, 2, 1)
        grid.addWidget(self.contacts_box, 0, 1)
        grid.addWidget(self.siblings_box, 1, 1)
        if wide:
            grid.addWidget(self.reviews_box, 0, 2, 2, 1)
            grid.addWidget(self.episodes_box, 2, 0, 1, 3)
            for column, stretch in enumerate((1, 1, 1)):
                grid.setColumnStretch(column, stretch)
            grid.setRowStretch(2, 1)
        else:
            grid.addWidget(self.reviews_box, 2, 0, 1, 2)
            grid.addWidget(self.episodes_box, 3, 0, 1, 2)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
            grid.setRowStretch(3, 1)

    def resizeEvent(self, event: Any) -> None:
        needed = sum(box.minimumSizeHint().width()
                     for box in (self.about_box, self.contacts_box, self.reviews_box)) + 40
        self._arrange(wide=event.size().width() >= needed)
        super().resizeEvent(event)

    def _facts_box(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return box, form

    def _fill(self, form: QFormLayout, pairs: Sequence[tuple[str, str]]) -> None:
        while form.rowCount():
            form.removeRow(0)
        for caption, text in pairs:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            form.addRow(f"{caption}:", value)

    def refresh(self) -> None:
        with self.store.session() as session:
            facts = load_facts(session, self.child_id, self.today())
        self._fill(self.about_form, facts.about)
        self._fill(self.contacts_form, facts.contacts)
        while self.siblings_layout.count():
            item = self.siblings_layout.takeAt(0)
            if item is not None and item.widget():
                item.widget().deleteLater()
        if not facts.siblings:
            self.siblings_layout.addWidget(QLabel("None on your caseload"))
        for sibling_id, name, age in facts.siblings:
            link = QLabel(f'<a href="{sibling_id}">{name}</a>, {age}')
            link.setAccessibleName(f"Open {name}'s record")
            link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                         | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            link.linkActivated.connect(
                lambda href: self.open_child_requested.emit(int(href), "", 0))
            self.siblings_layout.addWidget(link)
        self.siblings_layout.addStretch(1)
        self.siblings = facts.siblings
        self.episodes_model.set_rows(facts.episodes)
        self.move_button.setVisible(facts.looked_after)
        self.new_period_button.setVisible(not facts.looked_after and bool(facts.episodes))
        self.reviews_model.set_rows(facts.reviews)
        view = self.reviews_view
        header = view.horizontalHeader()
        content = sum(max(view.sizeHintForColumn(c), header.sectionSizeHint(c))
                      for c in range(self.reviews_model.columnCount()))
        view.setMinimumWidth(content + view.verticalScrollBar().sizeHint().width() + 40)
        if not facts.reviews:
            self.reviews_view.setToolTip("No reviews held yet in this period of care")

    def edit(self) -> None:
        from iro_desktop.gui.child_dialog import ChildDialog

        _, accepted = ChildDialog.edit_child(self.store, self.child_id, self)
        if accepted:
            self.refresh()
            self.changed.emit()

    def record_move(self) -> None:
        self._new_episode("move")

    def record_new_period(self) -> None:
        self._new_episode("new_period")

    def _new_episode(self, mode: str) -> None:
        from iro_desktop.gui.episode_dialog import EpisodeDialog

        _, accepted = EpisodeDialog.record(self.store, self.child_id, mode, self)
        if accepted:
            self.refresh()
            self.changed.emit()
