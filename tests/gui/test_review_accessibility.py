"""Every control of the review work views has an accessible name (or its own text): the midway
review, the escalation view (raise and follow), the note dialog, My week, the figures, the tabs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

from tests.factory import add_decision, make_child

TODAY = dt.date.today()
CONTROLS = (QLineEdit, QComboBox, QAbstractButton, QPlainTextEdit, QAbstractItemView)


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.gui import review_parts

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.window() is not root.window():
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QComboBox | QAbstractItemView | QTabBar):
            continue  # a combo's line edit, a view's viewport, a tab bar's arrows
        if widget.accessibleName():
            continue
        if isinstance(widget, QAbstractButton) and widget.text().strip("&"):
            continue
        missing.append(f"{widget.metaObject().className()} under "
                       f"{parent.metaObject().className() if parent else '-'}")
    return missing


def _child(store: Any) -> tuple[int, int]:
    from iro_desktop.caseload import escalations

    with store.transaction() as session:
        child = make_child(session, looked_after_since=TODAY - dt.timedelta(400),
                           reviews=[TODAY - dt.timedelta(380), TODAY - dt.timedelta(90)])
        add_decision(session, child.reviews[-1], "Find a school place", "Social worker")
        escalation_id = escalations.raise_escalation(session, child.id, escalations.EscalationInput(
            raised_on=TODAY - dt.timedelta(days=5), concern="No school", themes=["Education"]))
        return child.id, escalation_id


def _build(name: str, store: Any, child_id: int, escalation_id: int) -> QWidget:
    from iro_desktop.gui import reviews_tab
    from iro_desktop.gui.escalation_view import EscalationView
    from iro_desktop.gui.figures_page import FiguresPage
    from iro_desktop.gui.midway_dialog import MidwayDialog
    from iro_desktop.gui.my_week import MyWeekPage
    from iro_desktop.gui.note_dialog import NoteDialog
    from iro_desktop.gui.timeline_tab import TimelineTab

    builders = {
        "midway": lambda: MidwayDialog(store, child_id),
        "raise": lambda: EscalationView(store, child_id),
        "follow": lambda: EscalationView(store, child_id, escalation_id),
        "note": lambda: NoteDialog(store, child_id),
        "my_week": lambda: MyWeekPage(store),
        "figures": lambda: FiguresPage(store),
        "timeline": lambda: TimelineTab(store, child_id),
        "reviews": lambda: reviews_tab.ReviewsTab(store, child_id),
    }
    return builders[name]()


@pytest.mark.parametrize("name", ["midway", "raise", "follow", "note", "my_week", "figures",
                                  "timeline", "reviews"])
def test_every_control_is_named(qtbot: Any, store: Any, name: str) -> None:
    child_id, escalation_id = _child(store)
    widget = _build(name, store, child_id, escalation_id)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert unnamed(widget) == []
