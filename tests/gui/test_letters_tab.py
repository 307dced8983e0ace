"""The Letters tab of a child's record: each review's letter, its state and lateness."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from iro_desktop.gui import child_record
from iro_desktop.gui.letter_composer import LetterComposer
from iro_desktop.gui.letters_tab import (
    LETTER,
    ON_TIME,
    LettersModel,
    LettersTab,
    open_letter_for_review,
)
from iro_desktop.letters import compose
from tests.factory import make_child

D = dt.date
TODAY = D(2026, 4, 20)


@pytest.fixture
def child(store):  # type: ignore[no-untyped-def]
    """Reviews on 2 Feb (letter sent in time), 2 Mar (draft saved, now late) and 13 Apr 2026."""
    with store.transaction() as session:
        child = make_child(session, first_name="Ben", date_of_birth=D(2018, 1, 5),
                           reviews=[D(2026, 2, 2), D(2026, 3, 2), D(2026, 4, 13)])
        ids = [r.id for r in child.reviews]
        for review_id in ids[:2]:
            compose.save_letter(session, review_id, compose.draft_letter(session, review_id))
        compose.mark_letter_sent(session, ids[0], D(2026, 2, 9))
        return child.id, ids


@pytest.fixture
def tab(qtbot, store, child):  # type: ignore[no-untyped-def]
    child_id, _ids = child
    widget = LettersTab(store, child_id)
    widget.today = lambda: TODAY
    widget.refresh()
    qtbot.addWidget(widget)
    return widget


def _row_texts(tab: LettersTab, column: int) -> list[str]:
    return [tab.model.index(r, column).data() for r in range(tab.model.rowCount())]


def test_each_review_with_its_letter_state_and_lateness(tab) -> None:  # type: ignore[no-untyped-def]
    assert _row_texts(tab, LETTER) == ["No letter yet", "Draft saved, not sent",
                                       "Sent on 09/02/2026"]
    in_time = _row_texts(tab, ON_TIME)
    assert in_time[0].startswith("Send within")
    assert in_time[1].startswith("⚠ Not sent:") and in_time[1].endswith("days late")
    assert in_time[2] == "✔ On time"
    assert tab.model.index(1, ON_TIME).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_write_or_open_and_changed(qtbot, tab, child, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _child_id, ids = child
    opened: list[int] = []

    def fake_edit(_parent, _store, review_id: int) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
        opened.append(review_id)
        return True, True

    monkeypatch.setattr(LetterComposer, "edit", staticmethod(fake_edit))
    tab.show_item(ids[2])
    assert tab.open_button.text() == "&Write letter"
    tab.show_item(ids[1])
    assert tab.open_button.text() == "&Open letter"
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert opened == [ids[1]]
    assert tab.current_review_id() == ids[1]  # the row stays chosen after the refresh


def test_open_letter_for_review_is_the_composer(store, child, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(LetterComposer, "edit", staticmethod(lambda *_a: (False, True)))
    assert open_letter_for_review(None, store, child[1][0]) is False


def test_save_pdf_for_a_review(qtbot, tab, child, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ben.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    tab.show_item(child[1][0])
    assert tab.save_pdf() == target
    assert "Ben" in PdfReader(target).pages[0].extract_text()


def test_registered_as_a_tab_of_the_child_record() -> None:
    assert ("letters", "Letters", "iro_desktop.gui.letters_tab:LettersTab") in child_record.TABS


def test_a_child_with_no_reviews(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    with store.transaction() as session:
        child_id = make_child(session).id
    widget = LettersTab(store, child_id)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 0
    assert not widget.open_button.isEnabled()
    assert widget.empty_label.isVisibleTo(widget)


def test_the_model_passes_the_model_tester(qtmodeltester, store, child) -> None:  # type: ignore[no-untyped-def]
    model = LettersModel()
    with store.session() as session:
        model.set_rows(compose.letter_summaries(session, child[0], TODAY), TODAY)
    qtmodeltester.check(model)


def test_an_imported_review_is_no_letter_owed(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    """A review imported from a 903 file (no meetings in the app) is never late."""
    with store.transaction() as session:
        child = make_child(session, first_name="Ava", date_of_birth=D(2016, 1, 5),
                           reviews=[D(2023, 12, 1), D(2026, 4, 13)])
        old = min(child.reviews, key=lambda r: r.review_date)
        old.source = "903"
        child_id = child.id
    widget = LettersTab(store, child_id)
    widget.today = lambda: TODAY
    widget.refresh()
    qtbot.addWidget(widget)
    assert _row_texts(widget, ON_TIME)[1] == "Imported review: no letter expected"
    assert "late" not in _row_texts(widget, ON_TIME)[1]
    assert _row_texts(widget, LETTER)[1] == "No letter (imported review)"
    assert widget.model.index(1, 2).data() == "—"
    assert widget.model.index(1, ON_TIME).data(Qt.ItemDataRole.BackgroundRole) is None
    assert _row_texts(widget, ON_TIME)[0].startswith("Send within")  # the app's own review
