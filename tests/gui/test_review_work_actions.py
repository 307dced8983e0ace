"""Review work actions: Write letter from the review form, My week's decisions / records lines
opening the review form at its Status part, correcting an escalation's concern and themes, and
deleting reviews, midway reviews and case notes with a confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.caseload.test_reviews_support import series_review
from tests.factory import add_decision, make_child

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.gui import review_parts

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)


def _recorded(store: Any) -> tuple[int, int]:
    """A child with a review recorded in the app 10 days ago, decisions not yet circulated."""
    from iro_desktop.caseload import reviews

    with store.transaction() as session:
        child = make_child(session, first_name="Tia", looked_after_since=TODAY - dt.timedelta(400),
                           reviews=[TODAY - dt.timedelta(380)])
        review_id = reviews.save_review(session, child.id, series_review(TODAY - dt.timedelta(10)))
        return child.id, review_id


def _confirm(monkeypatch: Any, answer: bool) -> list[str]:
    from iro_desktop.gui import review_parts

    asked: list[str] = []
    monkeypatch.setattr(review_parts, "confirm_delete",
                        lambda _parent, what, detail="": asked.append(what) or answer)
    return asked


# -- Write letter ----------------------------------------------------------------------------
def test_write_letter_is_enabled_once_saved_and_opens_the_letter(qtbot: Any, store: Any,
                                                                 monkeypatch: Any) -> None:
    from iro_desktop.gui import letters_tab
    from iro_desktop.gui.review_form import ReviewForm

    child_id, review_id = _recorded(store)
    opened: list[tuple[Any, int]] = []
    monkeypatch.setattr(letters_tab, "open_letter_for_review",
                        lambda parent, s, rid: opened.append((parent, rid)) or True)
    new = ReviewForm(store, child_id)
    qtbot.addWidget(new)
    assert not new.letter_button.isEnabled()  # nothing to write about until it is saved
    assert new.letter_button.accessibleName()
    saved = ReviewForm(store, child_id, review_id)
    qtbot.addWidget(saved)
    saved.show()
    assert saved.letter_button.isEnabled()
    qtbot.mouseClick(saved.letter_button, Qt.MouseButton.LeftButton)
    assert opened == [(saved, review_id)]


def test_write_letter_saves_unsaved_changes_first(qtbot: Any, store: Any,
                                                  monkeypatch: Any) -> None:
    from iro_desktop.caseload import reviews
    from iro_desktop.gui import letters_tab
    from iro_desktop.gui.review_form import ReviewForm

    child_id, review_id = _recorded(store)
    monkeypatch.setattr(letters_tab, "open_letter_for_review", lambda *_a: True)
    form = ReviewForm(store, child_id, review_id)
    qtbot.addWidget(form)
    key = next(iter(form.record_boxes))
    form.record_boxes[key].setPlainText("Settled at school; enjoys football.")
    assert form.write_letter() is True
    with store.session() as session:
        assert reviews.load_review(session, review_id).record[key].startswith("Settled")


# -- My week opens the review form at its Status part ---------------------------------------
def test_my_week_decisions_line_opens_the_review_form_on_status(qtbot: Any, store: Any,
                                                                monkeypatch: Any) -> None:
    from iro_desktop.caseload import myweek
    from iro_desktop.gui.main_window import MainWindow
    from iro_desktop.gui.my_week import CHILD_ROLE, TAB_ROLE
    from iro_desktop.gui.review_form import PARTS, ReviewForm

    child_id, review_id = _recorded(store)
    shown: list[tuple[int | None, str]] = []

    def fake_exec(form: ReviewForm) -> int:
        shown.append((form.review_id, form.tabs.tabText(form.tabs.currentIndex())))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(ReviewForm, "exec", fake_exec)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    page = window.pages["my_week"]
    model = page.model
    lines = {}
    for row in range(model.rowCount()):
        section = model.index(row, 0)
        for line in range(model.rowCount(section)):
            index = model.index(line, 0, section)
            if index.data(CHILD_ROLE) == child_id:
                lines[index.data(TAB_ROLE)] = index
    assert "reviews:status" in lines, lines.keys()
    page.open_index(lines["reviews:status"])
    record = window.child_record
    assert record is not None and record.current_tab_key() == "reviews"
    assert record.tab("reviews").selected_id() == review_id
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert shown == [(review_id, ReviewForm(store, child_id, review_id).tab_titles[
        PARTS.index("status")])]
    # The categories that open the Status part are exactly decisions and records.
    from iro_desktop.gui.my_week import PART_FOR
    assert set(PART_FOR) == {myweek.DECISIONS, myweek.RECORD}
    window.lock.shutdown()


def test_a_tab_without_parts_still_opens_at_the_item(qtbot: Any, store: Any) -> None:
    from iro_desktop.gui.child_record import ChildRecord

    child_id, _review_id = _recorded(store)
    from iro_desktop.caseload import notes

    with store.transaction() as session:
        note_id = notes.save_note(session, child_id, notes.NoteInput(
            TODAY, "visit", True, "Visited at home."))
    record = ChildRecord(store, child_id)
    qtbot.addWidget(record)
    record.show_tab("notes:status", note_id)  # a part the notes tab does not know: ignored
    assert record.current_tab_key() == "notes"
    assert record.tab("notes").selected_id() == note_id


# -- Escalations: correct the concern and themes --------------------------------------------
def test_correct_an_escalations_concern_and_themes(qtbot: Any, store: Any) -> None:
    from iro_desktop.caseload import escalations
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _review_id = _recorded(store)
    with store.transaction() as session:
        escalation_id = escalations.raise_escalation(session, child_id, escalations.EscalationInput(
            raised_on=TODAY - dt.timedelta(days=3), concern="No PEP", themes=["Education"]))
        themes = escalations.theme_choices(session)
    view = EscalationView(store, child_id, escalation_id)
    qtbot.addWidget(view)
    assert view.edit_concern.toPlainText() == "No PEP"
    assert view.edit_themes.checked() == ["Education"]
    other = next(t for t in themes if t != "Education")
    view.edit_concern.setPlainText("")
    qtbot.mouseClick(view.correct_panel.button, Qt.MouseButton.LeftButton)
    assert view.correct_panel.form.message("concern")  # beside the field; nothing saved
    with store.session() as session:
        assert escalations.load_escalation(session, escalation_id).concern == "No PEP"
    view.edit_concern.setPlainText("No PEP for two terms")
    view.edit_themes.set_checked(["Education", other])
    qtbot.mouseClick(view.correct_panel.button, Qt.MouseButton.LeftButton)
    with store.session() as session:
        stored = escalations.load_escalation(session, escalation_id)
    assert stored.concern == "No PEP for two terms"
    assert set(stored.themes) == {"Education", other}
    assert len(stored.stages) == 1  # the ladder is untouched
    assert view.changed and "No PEP for two terms" in view.summary.text()


# -- Delete with a confirmation ---------------------------------------------------------------
def test_delete_a_review_asks_first_and_cancel_keeps_it(qtbot: Any, store: Any,
                                                        monkeypatch: Any) -> None:
    from iro_desktop.db.models import Review
    from iro_desktop.gui.reviews_tab import ReviewsTab

    child_id, review_id = _recorded(store)
    tab = ReviewsTab(store, child_id)
    qtbot.addWidget(tab)
    tab.show_item(review_id)
    asked = _confirm(monkeypatch, False)
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].startswith("the review of ")
    assert tab.model.rowCount() == 2
    _confirm(monkeypatch, True)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == 1
    with store.session() as session:
        assert session.get(Review, review_id) is None


def test_delete_a_midway_review_and_a_case_note(qtbot: Any, store: Any,
                                                monkeypatch: Any) -> None:
    from iro_desktop.caseload import midway, notes
    from iro_desktop.db.models import CaseNote, MidwayReview
    from iro_desktop.gui.reviews_tab import EscalationsTab, MidwayTab, NotesTab

    with store.transaction() as session:
        child = make_child(session, looked_after_since=TODAY - dt.timedelta(400),
                           reviews=[TODAY - dt.timedelta(380), TODAY - dt.timedelta(100)])
        add_decision(session, child.reviews[-1], "Arrange a dental check", "Carer")
        child_id = child.id
        decision = midway.decisions_for_midway(session, child_id, TODAY).decisions[0]
        midway_id = midway.save_midway(session, child_id, midway.MidwayInput(
            held_on=TODAY, progress={decision.decision_id: ("on_track", "")}))
        note_id = notes.save_note(session, child_id, notes.NoteInput(
            TODAY, "call", False, "Called the carer."))
    asked = _confirm(monkeypatch, True)
    for tab_class, item_id, model in ((MidwayTab, midway_id, MidwayReview),
                                      (NotesTab, note_id, CaseNote)):
        tab = tab_class(store, child_id)
        qtbot.addWidget(tab)
        tab.show_item(item_id)
        assert not tab.delete_button.isHidden()
        assert tab.delete_selected() is True
        assert tab.model.rowCount() == 0 and not tab.delete_button.isEnabled()
        with store.session() as session:
            assert session.get(model, item_id) is None
    assert asked[0].startswith("the midway review of ") and asked[1].startswith("the case note")
    escalations_tab = EscalationsTab(store, child_id)
    qtbot.addWidget(escalations_tab)
    assert escalations_tab.delete_button.isHidden()  # escalations are closed, not deleted
