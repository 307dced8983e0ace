"""A child's record: a header with what the IRO needs at a glance, and tabs from `TABS`."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from iro_desktop.caseload.overview import caseload_row
from iro_desktop.db.models import Child
from iro_desktop.gui.caseload_model import next_review_text
from iro_desktop.gui.widgets import (
    DUE_SOON_FOREGROUND,
    OVERDUE_FOREGROUND,
    days_text,
    format_date,
    load_object,
)
from iro_desktop.interchange.codes903 import LEGAL_STATUS, PLACEMENT, label

log = logging.getLogger(__name__)

# Tabs of a child's record: (key, title, "module:Class"). A tab is a QWidget with
# __init__(store, child_id, parent=None), refresh(), changed = Signal(), optionally show_item(id)
# and, to open a part of an item ("reviews:status" opens the review form at its Status part),
# show_item(id, part).
TABS: list[tuple[str, str, str]] = [
    ("details", "Details", "iro_desktop.gui.child_details:ChildDetails"),
    ("letters", "Letters", "iro_desktop.gui.letters_tab:LettersTab"),
    ("timeline", "Timeline", "iro_desktop.gui.timeline_tab:TimelineTab"),
    ("reviews", "Reviews", "iro_desktop.gui.reviews_tab:ReviewsTab"),
    ("midway", "Midway reviews", "iro_desktop.gui.reviews_tab:MidwayTab"),
    ("notes", "Notes", "iro_desktop.gui.reviews_tab:NotesTab"),
    ("escalations", "Escalations", "iro_desktop.gui.reviews_tab:EscalationsTab"),
]
TAB_ORDER = ("details", "timeline", "reviews", "midway", "notes", "escalations", "letters")


@dataclass(frozen=True, slots=True)
class HeaderFacts:
    name: str
    preferred_name: str
    child_ref: str
    date_of_birth: dt.date
    age: int
    legal_status: str
    placement: str
    social_worker: str
    looked_after: bool
    next_review: str
    days_until_due: int | None
    last_seen: dt.date | None
    placement_changed: bool = False


def load_header(session: Session, child_id: int, today: dt.date) -> HeaderFacts:
    child = session.get(Child, child_id)
    if child is None:
        raise LookupError(f"no child with id {child_id}")
    row = caseload_row(session, child_id, today)  # this child's line only, not the caseload's
    last_seen = None
    try:
        from iro_desktop.caseload.notes import last_seen as notes_last_seen

        last_seen = notes_last_seen(session, child_id)
    except ImportError:
        pass
    return HeaderFacts(
        name=f"{child.first_name} {child.last_name}".strip() or child.child_ref,
        preferred_name=child.preferred_name,
        child_ref=child.child_ref,
        date_of_birth=child.date_of_birth,
        age=row.age if row else 0,
        legal_status=row.legal_status if row else "",
        placement=row.placement if row else "",
        social_worker=child.social_worker_name,
        looked_after=bool(row and row.looked_after),
        next_review=next_review_text(row) if row else "Transferred to another IRO",
        days_until_due=row.days_until_due if row else None,
        last_seen=last_seen,
        placement_changed=bool(row and row.placement_changed),
    )


class _Placeholder(QLabel):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.changed = None

    def refresh(self) -> None:
        pass


class ChildRecord(QWidget):
    """One child's record. Signals:

    - `back_requested()`: the IRO pressed Back.
    - `open_child_requested(child_id, tab_key, item_id)`: open another child (a brother or sister).
    - `changed()`: a tab saved something; pages showing the caseload should reload.
    """

    back_requested = Signal()
    open_child_requested = Signal(int, str, int)
    changed = Signal()

    def __init__(self, store: Any, child_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.child_id = child_id
        self.today = dt.date.today
        self.setAccessibleName("Child's record")

        self.back_button = QPushButton("← &Back")
        self.back_button.setToolTip("Back (Alt+Left)")
        self.back_button.setAccessibleName("Back")
        self.back_button.clicked.connect(self.back_requested)
        self.name_label = QLabel()
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setAccessibleName("Child's name")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_label = QLabel()
        self.due_label.setAccessibleName("Next review due")
        due_font = self.due_label.font()
        due_font.setPointSizeF(due_font.pointSizeF() * 1.15)
        due_font.setBold(True)
        self.due_label.setFont(due_font)
        self.consider_label = QLabel(
            "⚠ The placement changed since the last review: consider a review.")
        self.consider_label.setStyleSheet(f"color: {DUE_SOON_FOREGROUND.name()};")
        self.consider_label.hide()
        self.facts: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(2)
        for index, (key, caption) in enumerate((
            ("child_ref", "CHILD id"), ("age", "Age"), ("legal_status", "Legal status"),
            ("placement", "Placement"), ("social_worker", "Social worker"),
            ("last_seen", "Last seen by you"),
        )):
            name = QLabel(f"{caption}:")
            name.setStyleSheet("color: palette(placeholder-text);")
            value = QLabel()
            value.setAccessibleName(caption)
            if key == "placement":  # a long placement label wraps rather than widen the window
                value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            grid.addWidget(name, index % 2, (index // 2) * 2)
            grid.addWidget(value, index % 2, (index // 2) * 2 + 1)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)

        # The due line is what the IRO reads first: it keeps its whole width on one line
        # ("· ⚠ 34 days overdue" was split, and cut, on a 1366-pixel screen) and a long name
        # wraps instead.
        self.name_label.setWordWrap(True)
        self.name_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.name_label.setMinimumWidth(self.name_label.fontMetrics().horizontalAdvance("0") * 12)
        self.due_label.setWordWrap(False)
        self.due_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        title_row = QHBoxLayout()
        title_row.addWidget(self.back_button)
        title_row.addSpacing(8)
        title_row.addWidget(self.name_label, 1)
        title_row.addWidget(self.due_label)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Record tabs")
        self.tabs.setDocumentMode(True)
        self._tab_specs = sorted(
            TABS, key=lambda t: TAB_ORDER.index(t[0]) if t[0] in TAB_ORDER else len(TAB_ORDER)
        )
        self._built: dict[str, QWidget] = {}
        for _key, title, _spec in self._tab_specs:
            self.tabs.addTab(QWidget(), title)
        self.tabs.currentChanged.connect(self._tab_shown)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(title_row)
        layout.addLayout(grid)
        layout.addWidget(self.consider_label)
        layout.addWidget(self.tabs, 1)
        self.refresh_header()
        self._tab_shown(self.tabs.currentIndex())

    # -- header --------------------------------------------------------------------------------
    def refresh_header(self) -> None:
        with self.store.session() as session:
            facts = load_header(session, self.child_id, self.today())
        self.header = facts
        name = facts.name
        if facts.preferred_name and facts.preferred_name not in facts.name:
            name += f"  (known as {facts.preferred_name})"
        self.name_label.setText(name)
        self.facts["child_ref"].setText(facts.child_ref)
        self.facts["age"].setText(f"{facts.age}  (born {format_date(facts.date_of_birth)})")
        self.facts["legal_status"].setText(label(LEGAL_STATUS, facts.legal_status) or "—")
        self.facts["placement"].setText(label(PLACEMENT, facts.placement) or "—")
        self.facts["social_worker"].setText(facts.social_worker or "Not recorded")
        self.facts["last_seen"].setText(format_date(facts.last_seen, "No visit recorded"))
        self.consider_label.setVisible(facts.looked_after and facts.placement_changed)
        days = facts.days_until_due
        if facts.looked_after and days is not None:
            words = days_text(days) if days <= 28 else f"in {days} days"
            due = facts.next_review.replace("6-monthly", "6\u2011monthly")  # keep it on one line
            self.due_label.setText(f"Next review due {due} · {words}")
            colour = OVERDUE_FOREGROUND if days < 0 else DUE_SOON_FOREGROUND if days <= 28 else None
            self.due_label.setStyleSheet(f"color: {colour.name()};" if colour else "")
        else:
            self.due_label.setText(facts.next_review if not facts.looked_after else "No review due")
            self.due_label.setStyleSheet("")

    # -- tabs ----------------------------------------------------------------------------------
    def tab_keys(self) -> list[str]:
        return [k for k, _t, _s in self._tab_specs]

    def tab(self, key: str) -> QWidget | None:
        if key not in self.tab_keys():
            return None
        self._build(self.tab_keys().index(key))
        return self._built.get(key)

    def current_tab_key(self) -> str:
        index = self.tabs.currentIndex()
        return self._tab_specs[index][0] if 0 <= index < len(self._tab_specs) else ""

    def show_tab(self, key: str, item_id: int = 0) -> None:
        """Show tab `key` at item `item_id`; `key` may name a part of the item as "tab:part"."""
        keys = self.tab_keys()
        if not keys:
            return
        key, _, part = key.partition(":")
        index = keys.index(key) if key in keys else 0
        self.tabs.setCurrentIndex(index)
        widget = self._build(index)
        show_item = getattr(widget, "show_item", None)
        if not item_id or show_item is None:
            return
        if part and len(inspect.signature(show_item).parameters) >= 2:
            show_item(item_id, part)
        else:  # no part asked for, or a tab without parts: just the item
            show_item(item_id)

    def _tab_shown(self, index: int) -> None:
        if index >= 0:
            self._build(index)

    def _build(self, index: int) -> QWidget | None:
        key, title, spec = self._tab_specs[index]
        if key in self._built:
            return self._built[key]
        try:
            widget = load_object(spec)(self.store, self.child_id, self)
        except Exception:  # another area's tab must not stop the record opening
            log.exception("tab %s could not be built", key)
            widget = _Placeholder(f"{title} is not available in this build.")
        changed = getattr(widget, "changed", None)
        if changed is not None:
            changed.connect(lambda k=key: self._tab_changed(k))
        opener = getattr(widget, "open_child_requested", None)
        if opener is not None:
            opener.connect(self.open_child_requested)
        self._built[key] = widget
        self.tabs.blockSignals(True)
        current = self.tabs.currentIndex()
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        return widget

    def _tab_changed(self, key: str) -> None:
        self.refresh_header()
        for other, widget in self._built.items():
            if other != key:
                widget.refresh()  # type: ignore[attr-defined]
        self.changed.emit()

    def refresh(self) -> None:
        self.refresh_header()
        for widget in self._built.values():
            widget.refresh()  # type: ignore[attr-defined]
