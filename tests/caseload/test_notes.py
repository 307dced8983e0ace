"""Case notes and when the IRO last saw the child."""

from __future__ import annotations

import datetime as dt

import pytest

from iro_desktop import settings
from iro_desktop.caseload import notes, reviews
from iro_desktop.caseload.notes import NoteInput
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import CaseNote
from tests.caseload.test_reviews_support import series_review
from tests.factory import make_child

D = dt.date


def test_save_load_and_list_notes(session):
    child = make_child(session)
    first = notes.save_note(
        session,
        child.id,
        NoteInput(D(2025, 7, 3), "visit", True, "Saw Mia at home."),
        today=D(2025, 7, 3),
    )
    second = notes.save_note(
        session,
        child.id,
        NoteInput(D(2025, 7, 10), "contact_guardian", False, "Spoke to the Guardian."),
        today=D(2025, 7, 10),
    )
    assert notes.load_note(session, first) == NoteInput(
        D(2025, 7, 3), "visit", True, "Saw Mia at home."
    )
    listed = notes.list_notes(session, child.id)
    assert [(n.note_id, n.kind_label) for n in listed] == [
        (second, "Contact with the Children's Guardian"),
        (first, "Visit to the child"),
    ]
    notes.save_note(
        session,
        child.id,
        NoteInput(D(2025, 7, 4), "visit", False, "Saw Mia at school."),
        first,
        today=D(2025, 7, 10),
    )
    assert session.get(CaseNote, first).noted_on == D(2025, 7, 4)
    notes.delete_note(session, second)
    assert [n.note_id for n in notes.list_notes(session, child.id)] == [first]


def test_note_validation_reports_everything(session):
    child = make_child(session)
    with pytest.raises(ValidationError) as caught:
        notes.save_note(
            session, child.id, NoteInput(D(2025, 7, 11), "gossip", True, " "), today=D(2025, 7, 10)
        )
    assert caught.value.errors == {
        "noted_on": "11/07/2025 is in the future.",
        "kind": "Choose the type of note.",
        "text": "Write what happened.",
    }
    with pytest.raises(ValidationError) as caught:
        notes.save_note(
            session,
            child.id,
            NoteInput(D(2025, 7, 10), "panel", True, "Panel agreed."),
            today=D(2025, 7, 10),
        )
    assert list(caught.value.errors) == ["seen_alone"]
    assert session.query(CaseNote).count() == 0


def test_last_seen_counts_visits_seen_alone_and_reviews_in_person(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
    assert notes.last_seen(session, child.id) is None
    notes.save_note(
        session,
        child.id,
        NoteInput(D(2025, 6, 20), "visit", False, "Home visit."),
        today=D(2025, 7, 1),
    )
    notes.save_note(
        session,
        child.id,
        NoteInput(D(2025, 6, 25), "call", False, "Phoned Mia."),
        today=D(2025, 7, 1),
    )
    assert notes.last_seen(session, child.id) == D(2025, 6, 20)  # a call is not seeing the child
    notes.save_note(
        session,
        child.id,
        NoteInput(D(2025, 7, 1), "pre_meeting", True, "Saw Mia alone."),
        today=D(2025, 7, 1),
    )
    assert notes.last_seen(session, child.id) == D(2025, 7, 1)

    # At a review: the child came to the in-person meeting (28/08) but not the virtual one.
    data = series_review(D(2025, 8, 28), D(2025, 9, 4))
    data.seen_alone = False
    reviews.save_review(session, child.id, data, today=D(2025, 9, 5))
    assert notes.last_seen(session, child.id) == D(2025, 8, 28)
    data = reviews.load_review(session, child.reviews[-1].id)
    data.participants[0].meetings_attended = [1]  # only the virtual meeting
    reviews.save_review(session, child.id, data, child.reviews[-1].id, today=D(2025, 9, 5))
    assert notes.last_seen(session, child.id) == D(2025, 7, 1)


def test_not_seen_after_six_months_or_the_setting(session):
    child = make_child(session, looked_after_since=D(2025, 1, 6))
    # Never seen: counted from coming into care.
    assert notes.not_seen(session, child.id, D(2025, 7, 6)) is False
    assert notes.not_seen(session, child.id, D(2025, 7, 7)) is True
    notes.save_note(
        session, child.id, NoteInput(D(2025, 3, 31), "visit", False, "Visit."), today=D(2025, 7, 7)
    )
    assert notes.not_seen(session, child.id, D(2025, 9, 30)) is False
    assert notes.not_seen(session, child.id, D(2025, 10, 1)) is True
    settings.put(session, "not_seen_months", 3)
    assert notes.not_seen(session, child.id, D(2025, 7, 1)) is True


def test_a_child_who_left_care_is_not_flagged(session):
    child = make_child(session, looked_after_since=D(2025, 1, 6))
    child.episodes[0].end, child.episodes[0].reason_ended = D(2025, 3, 1), "E4A"
    session.flush()
    assert notes.not_seen(session, child.id, D(2025, 12, 1)) is False
