"""My week: sections overdue first, words as well as colour, each line opening the child at the
right tab and item (in the real main window), and a model that passes qtmodeltester."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from iro_desktop.gui.my_week import CHILD_ROLE
from tests.factory import make_child

TODAY = dt.date.today()


def _week(store: Any) -> dict[str, int]:
    from iro_desktop.caseload import escalations

    with store.transaction() as session:
        overdue = make_child(session, first_name="Olly", reviews=[TODAY - dt.timedelta(270)],
                             looked_after_since=TODAY - dt.timedelta(300))
        soon = make_child(session, first_name="Sana", looked_after_since=TODAY - dt.timedelta(400),
                          reviews=[TODAY - dt.timedelta(380), TODAY - dt.timedelta(170)])
        ids = {"overdue": overdue.id, "soon": soon.id}
        concern = escalations.EscalationInput(raised_on=TODAY - dt.timedelta(days=30),
                                              concern="No school place", themes=["Education"])
        ids["escalation"] = escalations.raise_escalation(session, soon.id, concern)
    return ids


def _page(qtbot: Any, store: Any) -> Any:
    from iro_desktop.gui.my_week import MyWeekPage

    page = MyWeekPage(store)
    qtbot.addWidget(page)
    return page


def _lines(model: Any) -> list[tuple[str, QModelIndex]]:
    found = []
    for row in range(model.rowCount()):
        section = model.index(row, 0)
        for line in range(model.rowCount(section)):
            found.append((section.data(), model.index(line, 0, section)))
    return found


def test_sections_overdue_first_with_words_not_only_colour(qtbot: Any, store: Any) -> None:
    _week(store)
    page = _page(qtbot, store)
    model = page.model
    first = model.index(0, 0).data()
    assert first.startswith("⚠ Reviews overdue")
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert any(t.startswith("Escalations waiting") and "1 late" in t for t in titles)
    overdue_section = model.index(0, 0)
    for line in range(model.rowCount(overdue_section)):
        when = model.index(line, 3, overdue_section).data()
        assert "late" in when or "due today" in when  # the words say it, not only the red
        assert model.index(line, 0, overdue_section).data(Qt.ItemDataRole.ForegroundRole)
        assert model.index(line, 0, overdue_section).data(Qt.ItemDataRole.DecorationRole)
    assert "overdue" in page.summary.text()


def test_a_line_opens_the_child_at_the_right_tab_and_item(qtbot: Any, store: Any) -> None:
    ids = _week(store)
    page = _page(qtbot, store)
    escalation_line = next(index for section, index in _lines(page.model)
                           if section.startswith("Escalations"))
    page.tree.setCurrentIndex(escalation_line)
    with qtbot.waitSignal(page.open_child_requested) as blocker:
        qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert blocker.args == [ids["soon"], "escalations", ids["escalation"]]
    review_line = next(index for _s, index in _lines(page.model)
                       if index.data(CHILD_ROLE) == ids["overdue"])
    with qtbot.waitSignal(page.open_child_requested) as blocker:
        page.tree.doubleClicked.emit(review_line)
    assert blocker.args[:2] == [ids["overdue"], "reviews"]
    with qtbot.assertNotEmitted(page.open_child_requested):
        page.open_index(page.model.index(0, 0))  # a section header opens nothing


def test_in_the_main_window_the_record_opens_at_the_escalation(qtbot: Any, store: Any) -> None:
    from iro_desktop.gui.main_window import MainWindow

    ids = _week(store)
    window = MainWindow(store)
    qtbot.addWidget(window)
    page = window.pages.get("my_week")
    assert page is not None, "My week is the page the app opens on"
    assert window.stack.currentWidget() is page
    line = next(index for section, index in _lines(page.model)
                if section.startswith("Escalations"))
    page.open_index(line)
    record = window.child_record
    assert record is not None and record.current_tab_key() == "escalations"
    tab = record.tab("escalations")
    assert tab.selected_id() == ids["escalation"]


def test_nothing_to_do(qtbot: Any, store: Any) -> None:
    page = _page(qtbot, store)
    assert page.model.rowCount() == 0
    assert "Nothing needs doing" in page.summary.text()


def test_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any, store: Any) -> None:
    _week(store)
    page = _page(qtbot, store)
    qtmodeltester.check(page.model)
    page.refresh()
    qtmodeltester.check(page.model)


def test_a_past_date_that_is_not_a_deadline_is_not_called_late() -> None:
    """A placement move 75 days ago (overdue=False) read "⚠ 75 days late", and was not counted
    in the summary's "overdue or late"; it is a date in the past, not a missed deadline."""
    import datetime as dt

    from iro_desktop.gui.my_week import when_text

    today = dt.date(2026, 12, 1)
    assert when_text(dt.date(2026, 9, 17), False, today) == "75 days ago"
    assert when_text(dt.date(2026, 9, 17), True, today) == "⚠ 75 days late"
    assert when_text(today, True, today) == "⚠ due today"
    assert when_text(dt.date(2026, 12, 3), False, today) == "In 2 days"


def test_a_draft_with_no_code_opens_the_review_form_where_the_code_is_chosen(
    qtbot: Any, store: Any, monkeypatch: Any
) -> None:
    """A review held 10 days ago, saved as a draft before the participation code was chosen: its
    record line says so and opens the form at the child's voice (the code's part); the decisions
    line still opens it at Status."""
    from PySide6.QtWidgets import QDialog

    from iro_desktop.caseload import reviews
    from iro_desktop.gui import review_parts
    from iro_desktop.gui.main_window import MainWindow
    from iro_desktop.gui.my_week import TAB_ROLE
    from iro_desktop.gui.review_form import PARTS, ReviewForm
    from tests.caseload.test_reviews_support import series_review

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)
    with store.transaction() as session:
        child = make_child(session, first_name="Kit", looked_after_since=TODAY - dt.timedelta(400),
                           reviews=[TODAY - dt.timedelta(380)])
        child_id = child.id
        review_id = reviews.save_review(
            session, child_id, series_review(TODAY - dt.timedelta(10), code=""), today=TODAY)
    shown: list[tuple[int | None, int]] = []

    def fake_exec(form: ReviewForm) -> int:
        shown.append((form.review_id, form.tabs.currentIndex()))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ReviewForm, "exec", fake_exec)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    page = window.pages["my_week"]
    lines = {index.data(TAB_ROLE): index for _section, index in _lines(page.model)
             if index.data(CHILD_ROLE) == child_id}
    assert set(lines) >= {"reviews:voice", "reviews:status"}
    record_line = lines["reviews:voice"]
    what = page.model.index(record_line.row(), 1, record_line.parent()).data()
    assert what.startswith("Record not finished: the review of ")
    assert "(no participation code yet) – complete by " in what
    page.open_index(record_line)
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert shown == [(review_id, PARTS.index("voice"))]
    window.lock.shutdown()
