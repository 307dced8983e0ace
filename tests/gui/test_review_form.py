"""The review form driven as an IRO would: a series of two meetings, people, decisions, a PN code;
PN0 only under 4; validation beside each field with nothing saved; keyboard and accessible names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tests.factory import D, make_child

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Closing a form with changes asks the IRO; in tests the answer is "discard", recorded."""
    from iro_desktop.gui import review_parts

    asked: list[bool] = []
    monkeypatch.setattr(review_parts, "confirm_discard",
                        lambda _parent: asked.append(True) or True)
    return asked


def _child(store: Any, **fields: Any) -> int:
    with store.transaction() as session:
        return make_child(session, first_name="Maya", last_name="Stone",
                          carer_name="Jo Carer", social_worker_name="Sam Worker", **fields).id


def _type_date(qtbot: Any, field: Any, day: dt.date) -> None:
    """Type a date into a DateField as the IRO would (emits `edited` on each key)."""
    field.line_edit.clear()
    qtbot.keyClicks(field.line_edit, day.strftime("%d/%m/%Y"))


def _form(qtbot: Any, store: Any, child_id: int, review_id: int | None = None) -> Any:
    from iro_desktop.gui.review_form import ReviewForm

    form = ReviewForm(store, child_id, review_id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    form.raise_()
    # Shortcuts (Ctrl+S, Ctrl+Enter) need the form to be the active window.
    qtbot.waitUntil(form.isActiveWindow, timeout=5000)
    return form


def test_record_a_whole_review_of_two_meetings(qtbot: Any, store: Any) -> None:
    from iro_desktop.caseload import reviews
    from iro_desktop.db.models import Review

    first_on, second_on = TODAY - dt.timedelta(days=14), TODAY - dt.timedelta(days=7)
    child_id = _child(store, date_of_birth=D(2012, 5, 1), looked_after_since=D(2025, 5, 1),
                      reviews=[D(2025, 5, 29)])
    form = _form(qtbot, store, child_id)
    assert form.focusWidget() is form.meetings.rows[0].held_on.line_edit  # start typing
    _type_date(qtbot, form.meetings.rows[0].held_on, first_on)
    form.meetings.rows[0].venue.setText("Foster home")
    qtbot.keyClick(form.meetings.rows[0].venue, Qt.Key.Key_Return)
    assert form.isVisible() and not form.saved  # Enter in a field neither saves nor closes
    qtbot.mouseClick(form.add_meeting_button, Qt.MouseButton.LeftButton)
    assert len(form.meetings.rows) == 2
    second = form.meetings.rows[1]
    assert second.venue.text() == "Foster home"  # carried over from the first meeting
    _type_date(qtbot, second.held_on, second_on)
    second.format.set_value("virtual")
    child, carer, worker, parent = form.people.rows
    assert [len(p.came_boxes) for p in form.people.rows] == [2, 2, 2, 2]
    child.came_boxes[0].setChecked(True)
    child.came_boxes[1].setChecked(True)
    carer.came_boxes[0].setChecked(True)
    worker.came_boxes[1].setChecked(True)
    parent.name.setText("Pat Stone")
    parent.came_boxes[0].setChecked(True)
    form.tabs.setCurrentIndex(1)
    form.code.set_value("PN1")
    form.seen_alone.set_value(True)
    form.consultation_child.set_value(True)
    form.advocacy.set_value("discussed")
    form.record_boxes["health"].setPlainText("Dental check overdue.")
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(form.decisions.rows) == 1, "Ctrl+Enter adds a decision"
    first_decision = form.decisions.rows[0]
    assert form.focusWidget() is first_decision.text
    qtbot.keyClicks(first_decision.text, "Book a dental check")
    first_decision.owner_role.setEditText("Carer")
    first_decision.owner_name.setText("Jo Carer")
    first_decision.due_on.set_date(TODAY + dt.timedelta(days=28))
    first_decision.key_decision.setChecked(True)
    qtbot.keyClick(first_decision.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(form.decisions.rows) == 2, "Ctrl+Enter works from inside a decision too"
    later = form.decisions.rows[1]
    assert form.focusWidget() is later.text
    later.text.setPlainText("Update the care plan")
    later.owner_role.setEditText("Social worker")
    qtbot.mouseClick(later.up, Qt.MouseButton.LeftButton)  # reorder: it goes first
    assert form.decisions.rows[0] is later
    later.owner_name.setFocus()
    qtbot.keyClick(later.owner_name, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert form.decisions.rows[1] is later  # Alt+Down moves it back, focus stays in it
    assert form.focusWidget() is later.owner_name
    qtbot.keyClick(later.owner_name, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert form.decisions.rows[0] is later
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves
    assert form.banner.isHidden(), form.banner.text()
    assert form.review_id is not None and form.saved

    with store.session() as session:
        review = session.get(Review, form.review_id)
        assert review.review_date == first_on
        assert review.kind == "second"
        assert review.participation_code == "PN1"
        assert review.seen_alone is True and review.advocacy == "discussed"
        assert review.record["health"] == "Dental check overdue."
        assert [m.held_on for m in review.meetings] == [first_on, second_on]
        saved = reviews.load_review(session, form.review_id)
    came = {p.role: p.meetings_attended for p in saved.participants}
    assert came == {"child": [0, 1], "carer": [0], "social_worker": [1], "parent": [0]}
    assert [(d.text, d.owner_role, d.key_decision) for d in saved.decisions] == [
        ("Update the care plan", "Social worker", False),
        ("Book a dental check", "Carer", True),
    ]
    assert "Due" in form.circulate_due.text()


def test_status_dates_and_lateness(qtbot: Any, store: Any) -> None:
    child_id = _child(store, date_of_birth=D(2012, 5, 1), looked_after_since=D(2025, 5, 1),
                      reviews=[D(2025, 5, 29)])
    form = _form(qtbot, store, child_id)
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=30))
    form.code.set_value("PN5")
    assert form.save()
    assert "late" in form.circulate_due.text()  # 30 days on, nothing circulated: late
    assert "⚠" in form.circulate_due.text()
    form.circulated_on.set_date(TODAY - dt.timedelta(days=28))
    assert form.save()
    assert "decisions circulated" in form.status_label.text()
    assert "done" in form.circulate_due.text()


def test_reopening_keeps_the_status_dates(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Review

    child_id = _child(store)
    form = _form(qtbot, store, child_id)
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=10))
    form.code.set_value("PN4")
    form.people.rows[0].came_boxes[0].setChecked(True)  # PN4: the child attended
    form.completed_on.set_date(TODAY - dt.timedelta(days=2))
    assert form.save(), form.banner.text()
    again = _form(qtbot, store, child_id, form.review_id)
    assert again.completed_on.date() == TODAY - dt.timedelta(days=2)
    assert again.circulated_on.date() == TODAY - dt.timedelta(days=2)
    assert again.save()
    with store.session() as session:
        review = session.get(Review, form.review_id)
        assert review.record_completed_on == TODAY - dt.timedelta(days=2)
        assert review.status == "completed"


def test_closing_with_changes_asks_first(qtbot: Any, store: Any,
                                          _closing_never_asks: list[bool],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.gui import review_parts

    form = _form(qtbot, store, _child(store))
    form.reject()
    assert _closing_never_asks == []  # nothing typed: closes without a question
    form = _form(qtbot, store, _child(store))
    form.meetings.rows[0].venue.setText("School")
    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: False)
    form.reject()
    assert form.isVisible()  # the IRO chose to stay
    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)
    form.reject()
    assert not form.isVisible()


def test_the_kind_follows_the_rules_until_extra_is_chosen(qtbot: Any, store: Any) -> None:
    child_id = _child(store, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 5, 29)])
    form = _form(qtbot, store, child_id)
    _type_date(qtbot, form.meetings.rows[0].held_on, D(2025, 5, 20))
    assert form.kind.value() == "initial"  # before the review of 29/05/2025
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=1))
    assert form.kind.value() == "second"
    form.kind.set_value("extra")
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=2))
    assert form.kind.value() == "extra"


def test_pn0_only_under_four_and_switching_at_the_fourth_birthday(qtbot: Any, store: Any) -> None:
    birthday = TODAY - dt.timedelta(days=10)
    born = birthday.replace(year=birthday.year - 4)
    child_id = _child(store, date_of_birth=born, looked_after_since=TODAY - dt.timedelta(days=60))
    form = _form(qtbot, store, child_id)
    date_field = form.meetings.rows[0].held_on
    _type_date(qtbot, date_field, birthday - dt.timedelta(days=1))
    codes = [form.code.itemData(i) for i in range(form.code.count())]
    assert codes == ["PN0"]
    assert not form.code.isEnabled()
    assert "under 4" in form.code_note.text()
    _type_date(qtbot, date_field, birthday)  # the 4th birthday itself is not under 4
    codes = [form.code.itemData(i) for i in range(form.code.count())]
    assert "PN0" not in codes
    assert codes[1:] == ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]
    assert form.code.isEnabled()
    assert form.code.value() == ""  # the IRO must choose; nothing is picked for them
    form.code.setCurrentIndex(form.code.findData("PN3"))
    form.code.activated.emit(form.code.currentIndex())  # as when the IRO picks it
    _type_date(qtbot, date_field, birthday - dt.timedelta(days=3))
    assert [form.code.itemData(i) for i in range(form.code.count())] == ["PN0"]
    _type_date(qtbot, date_field, birthday + dt.timedelta(days=1))
    assert form.code.value() == "PN3"  # the IRO's choice comes back once the date allows it


def test_leaving_care_heading_only_from_sixteen(qtbot: Any, store: Any) -> None:
    young = _child(store, date_of_birth=D(2014, 3, 9))
    form = _form(qtbot, store, young)
    assert form.record_boxes["leaving_care"].parentWidget().isHidden()
    older = _child(store, date_of_birth=D(2008, 3, 9))
    form = _form(qtbot, store, older)
    assert not form.record_boxes["leaving_care"].parentWidget().isHidden()


def test_extra_reason_shown_only_for_an_extra_review(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Review

    form = _form(qtbot, store, _child(store, reviews=[D(2025, 5, 29)]))
    assert form.extra_reason.parentWidget().isHidden()
    assert [form.kind.itemData(i) for i in range(form.kind.count())][1:] == ["extra"]
    assert "(from the dates)" in form.kind.itemText(0)
    form.kind.set_value("extra")
    assert not form.extra_reason.parentWidget().isHidden()
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=1))
    form.code.set_value("PN7")
    assert form.save()  # a draft may wait for the reason
    assert "why this extra review was brought forward" in form.to_do_note.text()
    assert not form.finish_record()
    assert "Say why" in form.forms[0].message("extra_reason")
    form.extra_reason.setText("Placement move planned")
    assert form.save(), form.banner.text()
    with store.session() as session:
        review = session.get(Review, form.review_id)
        assert (review.kind, review.extra_reason) == ("extra", "Placement move planned")


def test_problems_shown_beside_their_fields_and_nothing_saved(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Review

    child_id = _child(store, looked_after_since=TODAY - dt.timedelta(days=20))
    form = _form(qtbot, store, child_id)
    meeting = form.meetings.rows[0]
    _type_date(qtbot, meeting.held_on, TODAY - dt.timedelta(days=40))  # before care began
    form.code.set_value("PN5")
    decision = form.add_decision()
    decision.text.setPlainText("Arrange family time")  # no owner
    form.circulated_on.set_date(TODAY)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert not form.saved and form.review_id is None
    assert "before the child became looked after" in meeting.error.text()
    assert meeting.held_on.property("invalid") is True
    assert meeting.property("invalid") is True  # the row is highlighted
    assert "Say who will do this" in decision.error.text()
    assert decision.owner_role.property("invalid") is True
    assert not form.banner.isHidden() and "Nothing was saved" in form.banner.text()
    assert form.tabs.currentIndex() == 0  # the first wrong field is shown and focused
    assert form.focusWidget() is meeting.held_on.line_edit
    with store.session() as session:
        assert session.query(Review).filter_by(child_id=child_id).count() == 0

    _type_date(qtbot, meeting.held_on, TODAY - dt.timedelta(days=2))
    decision.owner_role.setEditText("Social worker")
    assert form.save(), form.banner.text()
    assert meeting.error.isHidden() and decision.error.isHidden()


def test_a_typed_date_that_is_not_a_date(qtbot: Any, store: Any) -> None:
    form = _form(qtbot, store, _child(store, looked_after_since=TODAY - dt.timedelta(days=20)))
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=2))
    form.code.set_value("PN5")  # the date is the only problem (all are reported together)
    decision = form.add_decision()
    decision.text.setPlainText("Something")
    decision.owner_role.setEditText("IRO")
    decision.due_on.set_text("31/02/2027")
    assert not form.save()
    assert "There is no date 31/02/2027" in decision.error.text()
    assert form.focusWidget() is decision.due_on.line_edit


def test_a_mistyped_date_and_a_missing_owner_are_reported_together(qtbot: Any,
                                                                    store: Any) -> None:
    """A mistyped date stopped the check, so the missing owner came up only on the next Save.
    (A draft may wait for the owner: finishing the record needs it.)"""
    from iro_desktop.db.models import Review

    child_id = _child(store, looked_after_since=TODAY - dt.timedelta(days=20))
    form = _form(qtbot, store, child_id)
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=2))
    form.code.set_value("PN5")
    first, second = form.add_decision(), form.add_decision()
    first.text.setPlainText("Arrange family time")  # no owner
    second.text.setPlainText("Book a dental check")
    second.owner_role.setEditText("Carer")
    second.due_on.set_text("31/02/2027")
    assert not form.finish_record()
    assert "Say who will do this" in first.error.text()
    assert "There is no date 31/02/2027" in second.error.text()
    assert "2 things to put right before the record can be completed" in form.banner.text()
    with store.session() as session:
        assert session.query(Review).filter_by(child_id=child_id).count() == 0


def test_editing_keeps_decision_rows(qtbot: Any, store: Any) -> None:
    from iro_desktop.caseload import reviews

    child_id = _child(store)
    form = _form(qtbot, store, child_id)
    _type_date(qtbot, form.meetings.rows[0].held_on, TODAY - dt.timedelta(days=3))
    form.code.set_value("PN6")
    row = form.add_decision()
    row.text.setPlainText("Visit the school")
    row.owner_role.setEditText("Social worker")
    assert form.save()
    with store.session() as session:
        decision_id = reviews.load_review(session, form.review_id).decisions[0].id
    again = _form(qtbot, store, child_id, form.review_id)
    assert again.decisions.rows[0].text.value() == "Visit the school"
    again.decisions.rows[0].owner_name.setText("Sam Worker")
    assert again.save()
    with store.session() as session:
        assert reviews.load_review(session, form.review_id).decisions[0].id == decision_id


def _visible_focus_chain(form: QWidget, start: QWidget, limit: int = 5000) -> list[QWidget]:
    chain, widget = [], start
    for _ in range(limit):
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(form)
                and widget.isEnabled() and widget.window() is form):
            chain.append(widget)
    return chain


def test_tab_order_follows_the_form(qtbot: Any, store: Any) -> None:
    form = _form(qtbot, store, _child(store))
    form.add_meeting()
    form.add_person()
    qtbot.wait(5)  # new rows show on the next turn of the event loop
    meeting = form.meetings.rows[1]
    chain = _visible_focus_chain(form, form.kind)
    person = form.people.rows[0]
    expected = [meeting.held_on.line_edit, meeting.format, meeting.venue, meeting.note,
                meeting.remove, form.add_meeting_button, person.name, person.role,
                person.invited, *person.came_boxes, person.remove, form.people.rows[1].name]
    positions = [chain.index(w) for w in expected]
    assert positions == sorted(positions)
    new_person = form.people.rows[-1]
    assert chain.index(new_person.remove) < chain.index(form.add_person_button)
    form.tabs.setCurrentIndex(3)
    first = form.add_decision()
    second = form.add_decision()
    qtbot.wait(5)
    chain = _visible_focus_chain(form, first.text)
    order = [first.owner_role, first.owner_name, first.due_on.line_edit, first.key_decision,
             second.text, second.owner_role, form.add_decision_button]
    positions = [chain.index(w) for w in order]
    assert positions == sorted(positions)


def test_every_label_with_a_mnemonic_has_a_buddy(qtbot: Any, store: Any) -> None:
    form = _form(qtbot, store, _child(store, date_of_birth=D(2008, 1, 1)))
    buttons = {"s", "l"}  # Save draft, Save and close: on every page
    letters_by_page: dict[int, list[str]] = {}
    for label in form.findChildren(QLabel):
        buddy = label.buddy()
        if "&" not in label.text() or label.text().startswith("<"):
            continue
        assert buddy is not None, label.text()
        assert buddy is not label and not isinstance(buddy, QLabel)
        page = next(i for i in range(form.tabs.count()) if form.tabs.widget(i).isAncestorOf(buddy))
        letters_by_page.setdefault(page, []).append(label.text().split("&")[1][0].lower())
    assert sum(len(v) for v in letters_by_page.values()) >= 12
    for page, letters in letters_by_page.items():
        assert len(set(letters)) == len(letters), (page, letters)
        assert not set(letters) & buttons, (page, letters)
    headings = [form.record_form.layout.labelForField(box.parentWidget())
                for box in form.record_boxes.values()]
    assert all(label.buddy() is box for label, box in zip(headings, form.record_boxes.values(),
                                                          strict=True))


@pytest.mark.parametrize("tab", range(5))
def test_every_control_has_an_accessible_name(qtbot: Any, store: Any, tab: int) -> None:
    form = _form(qtbot, store, _child(store, date_of_birth=D(2008, 1, 1)))
    form.add_meeting()
    form.add_decision()
    form.tabs.setCurrentIndex(tab)
    controls = (QLineEdit, QComboBox, QAbstractButton, QPlainTextEdit, QAbstractItemView)
    missing = []
    for widget in form.findChildren(QWidget):
        if not isinstance(widget, controls) or widget.window() is not form:
            continue
        if isinstance(widget.parentWidget(), QComboBox | QAbstractItemView):
            continue  # a combo's own line edit and popup list speak through the combo
        if widget.metaObject().className() == "QToolButton" and widget.parentWidget() is form.tabs:
            continue  # the tab bar's scroll arrows
        if not widget.accessibleName() and not (
                isinstance(widget, QAbstractButton) and widget.text()):
            missing.append(f"{widget.metaObject().className()} {widget.objectName()}")
    assert missing == []


@pytest.mark.parametrize("point_size", [None, 15])
def test_layout_fits_a_small_laptop_and_150_percent_text(qtbot: Any, store: Any,
                                                         point_size: int | None) -> None:
    form = _form(qtbot, store, _child(store))
    if point_size:
        font = form.font()
        font.setPointSize(point_size)
        form.setFont(font)
    form.resize(1366, 740)
    for tab in range(form.tabs.count()):
        form.tabs.setCurrentIndex(tab)
        qtbot.wait(1)
        assert form.width() <= 1366 and form.height() <= 768
        assert form.save_button.isVisible()
        assert form.save_button.geometry().bottom() <= form.height()
