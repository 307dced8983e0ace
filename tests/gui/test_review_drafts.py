"""Recording a review in stages on the real form: Save draft keeps what is typed so far and says
calmly what is still to do; Finish record needs everything and shows each missing thing beside its
field; what is impossible is refused even for a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.factory import D, make_child

TODAY = dt.date.today()
HELD = TODAY - dt.timedelta(days=3)


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.gui import review_parts

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)


def _child(store: Any) -> int:
    with store.transaction() as session:
        return make_child(session, first_name="Maya", last_name="Stone",
                          date_of_birth=D(2012, 5, 1), carer_name="Jo Carer",
                          social_worker_name="Sam Worker",
                          looked_after_since=TODAY - dt.timedelta(days=60)).id


def _form(qtbot: Any, store: Any, child_id: int, review_id: int | None = None) -> Any:
    from iro_desktop.gui.review_form import ReviewForm

    form = ReviewForm(store, child_id, review_id)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def _type_date(qtbot: Any, field: Any, day: dt.date) -> None:
    field.line_edit.clear()
    qtbot.keyClicks(field.line_edit, day.strftime("%d/%m/%Y"))


def _notes_in_the_meeting(qtbot: Any, form: Any) -> Any:
    """What the IRO types in the meeting: the date, the venue, who came, a health note and a
    decision whose owner is still to be agreed. No participation code yet."""
    meeting = form.meetings.rows[0]
    _type_date(qtbot, meeting.held_on, HELD)
    qtbot.keyClicks(meeting.venue, "Foster home")
    form.people.rows[0].came_boxes[0].setChecked(True)  # the child came
    form.tabs.setCurrentIndex(2)
    qtbot.keyClicks(form.record_boxes["health"], "Dental check overdue.")
    decision = form.add_decision()
    qtbot.keyClicks(decision.text, "Book a dental check")
    return decision


def test_save_draft_without_a_code_then_reopen_and_see_the_values(qtbot: Any,
                                                                  store: Any) -> None:
    from iro_desktop.db.models import Review

    child_id = _child(store)
    form = _form(qtbot, store, child_id)
    assert form.code.value() == ""
    _notes_in_the_meeting(qtbot, form)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert form.saved and form.review_id is not None
    assert form.banner.isHidden()  # no errors: a calm note instead
    assert not form.to_do_note.isHidden()
    assert form.to_do_note.text() == (
        "✎ Draft saved. Still to do before the record can be completed: participation code, "
        "who will do decision 1.")
    assert form.forms[1].message("participation_code") in ("", None)
    assert form.decisions.rows[0].error.isHidden()
    assert "record not finished" in form.status_label.text()
    with store.session() as session:
        review = session.get(Review, form.review_id)
        assert (review.status, review.participation_code) == ("draft", "")

    again = _form(qtbot, store, child_id, form.review_id)
    assert again.meetings.rows[0].held_on.date() == HELD
    assert again.meetings.rows[0].venue.text() == "Foster home"
    assert again.people.rows[0].came_boxes[0].isChecked()
    assert again.record_boxes["health"].value() == "Dental check overdue."
    assert [row.text.value() for row in again.decisions.rows] == ["Book a dental check"]
    assert again.decisions.rows[0].owner_role.value() == ""
    assert again.code.value() == ""
    assert again.to_do_note.text().startswith("✎ Record not finished. Still to do")
    assert "participation code" in again.to_do_note.text()


def test_finish_record_without_a_code_shows_the_field_error_and_saves_nothing(
        qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Review

    child_id = _child(store)
    form = _form(qtbot, store, child_id)
    decision = _notes_in_the_meeting(qtbot, form)
    assert form.save()
    qtbot.mouseClick(form.finish_button, Qt.MouseButton.LeftButton)

    assert "Choose how the child took part" in form.forms[1].message("participation_code")
    assert "Say who will do this" in decision.error.text()
    assert "2 things to put right before the record can be completed" in form.banner.text()
    assert "Save draft keeps your work as it is" in form.banner.text()
    assert form.tabs.currentIndex() == 1 and form.focusWidget() is form.code  # first one shown
    assert form.completed_on.is_empty()  # taken off again: Save draft still saves a draft
    with store.session() as session:
        review = session.get(Review, form.review_id)
        assert (review.status, review.record_completed_on) == ("draft", None)

    form.code.set_value("PN1")
    decision.owner_role.setEditText("Carer")
    qtbot.mouseClick(form.finish_button, Qt.MouseButton.LeftButton)
    assert form.banner.isHidden(), form.banner.text()
    assert form.completed_on.date() == TODAY
    assert form.to_do_note.isHidden()
    assert "record completed" in form.status_label.text()
    with store.session() as session:
        review = session.get(Review, form.review_id)
        assert (review.status, review.participation_code) == ("completed", "PN1")
        assert review.record_completed_on == TODAY


def test_a_completed_date_typed_in_needs_everything_too(qtbot: Any, store: Any) -> None:
    form = _form(qtbot, store, _child(store))
    _notes_in_the_meeting(qtbot, form)
    form.completed_on.set_date(TODAY)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.saved
    assert "Choose how the child took part" in form.forms[1].message("participation_code")
    assert "empty “Record completed on” and save" in form.banner.text()
    form.completed_on.set_text("")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.saved and form.banner.isHidden()
    assert form.forms[1].message("participation_code") in ("", None)  # the errors are cleared


def test_impossible_values_are_refused_even_for_a_draft(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Review

    child_id = _child(store)
    form = _form(qtbot, store, child_id)
    decision = _notes_in_the_meeting(qtbot, form)
    decision.due_on.set_date(HELD - dt.timedelta(days=1))  # due before the meeting
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert not form.saved and form.review_id is None
    assert "before the review" in decision.error.text()
    assert "Say who will do this" not in decision.error.text()  # missing, not impossible
    assert "1 thing to put right before this can be saved" in form.banner.text()
    assert form.to_do_note.isHidden()
    with store.session() as session:
        assert session.query(Review).filter_by(child_id=child_id).count() == 0

    decision.due_on.set_text("30/02/2030")  # not a date at all
    assert not form.save()
    assert "There is no date 30/02/2030" in decision.error.text()
    decision.due_on.set_date(HELD + dt.timedelta(days=28))
    assert form.save(), form.banner.text()


def test_saving_a_draft_again_keeps_the_same_rows(qtbot: Any, store: Any) -> None:
    from iro_desktop.caseload import reviews

    form = _form(qtbot, store, _child(store))
    decision = _notes_in_the_meeting(qtbot, form)
    form.add_decision()  # an empty row: not saved, and no bother
    assert form.save()
    with store.session() as session:
        first = reviews.load_review(session, form.review_id)
    assert len(first.decisions) == 1
    decision.owner_role.setEditText("Carer")
    form.add_decision().text.setPlainText("Ask about a tutor")
    assert form.save()
    with store.session() as session:
        second = reviews.load_review(session, form.review_id)
    assert second.decisions[0].id == first.decisions[0].id  # edited, not made again
    assert [p.id for p in second.participants] == [p.id for p in first.participants]
    assert [m.id for m in second.meetings] == [m.id for m in first.meetings]
    assert [(d.text, d.owner_role) for d in second.decisions] == [
        ("Book a dental check", "Carer"), ("Ask about a tutor", "")]
    assert "what was decided" not in form.to_do_note.text()
    assert "who will do decision 3" in form.to_do_note.text()  # numbered as on the form
    form.reject()  # nothing unsaved: closes without asking


def test_save_and_close_keeps_a_draft(qtbot: Any, store: Any) -> None:
    form = _form(qtbot, store, _child(store))
    _notes_in_the_meeting(qtbot, form)
    qtbot.mouseClick(form.close_button, Qt.MouseButton.LeftButton)
    assert form.saved and not form.isVisible()


def test_the_reviews_tab_says_the_code_is_not_chosen_yet(qtbot: Any, store: Any) -> None:
    from iro_desktop.gui.reviews_tab import ReviewsTab

    child_id = _child(store)
    form = _form(qtbot, store, child_id)
    _notes_in_the_meeting(qtbot, form)
    assert form.save()
    tab = ReviewsTab(store, child_id)
    qtbot.addWidget(tab)
    row = tab.model.row_of(form.review_id)
    assert tab.model.index(row, 2).data() == "— not chosen yet"
    assert tab.model.index(row, 3).data() == "Draft"
