"""Fuzzing every form's validation (hypothesis): thousands of malformed inputs to the use cases
the forms call. Each either saves or raises ValidationError, never another exception, and a
refused input writes nothing (row counts unchanged, nothing pending in the session)."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Base

TODAY = dt.date(2026, 3, 2)
EXAMPLES = 1200
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text as forms give it: empty, spaces, very long, control characters, RTL marks, emoji, quotes,
# SQL and format-string lookalikes, plausible codes.
nasty = st.sampled_from(["", " ", "\t\n", "\x00", "'; DROP TABLE child; --", "%s %d {0}", "\u202e",
                         "ZZ1 1ZZ", "zz11zz", "C2", "U4", "WBRI", "A" * 81, "9" * 11, "👧🏽",
                         "O'Brien-Ní Bhriain", "UN3", "A12345678901B", "+44 (0)1632 960000",
                         "a@b.c", "@@", "x" * 10_000])
text = st.one_of(nasty, st.text(max_size=120))
codes = st.one_of(nasty, st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=4))
dates = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
                  st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
ids = st.lists(st.one_of(st.integers(min_value=-5, max_value=10**12), st.sampled_from([1, 2, 3])),
               max_size=4)


def _counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables}


def _expect_valid_or_refused(session, call) -> bool:
    """Run `call` in a savepoint; True if it saved. A refusal must leave no trace."""
    before = _counts(session)
    savepoint = session.begin_nested()
    try:
        call()
    except ValidationError as exc:
        assert exc.errors and all(isinstance(m, str) and m for m in exc.errors.values())
        assert not session.new and not session.dirty and not session.deleted
        session.flush()
        assert _counts(session) == before, "a refused input wrote something"
        savepoint.rollback()
        return False
    savepoint.rollback()  # keep the store the same for the next example
    return True


@pytest.fixture
def fuzz_session(store):
    from tests.factory import make_child

    with store.session() as session:
        make_child(session, child_ref="FUZZ1", date_of_birth=dt.date(2012, 4, 4),
                   reviews=[dt.date(2025, 6, 2)])
        make_child(session, child_ref="FUZZ2", date_of_birth=dt.date(2019, 1, 1))
        session.commit()
        yield session


def _child_inputs():
    children = pytest.importorskip("iro_desktop.caseload.children")
    strategies = {}
    for f in fields(children.ChildInput):
        if f.name == "siblings":
            strategies[f.name] = ids
        elif f.name in ("date_of_birth", "looked_after_since"):
            strategies[f.name] = dates
        elif f.type in ("bool", bool):
            strategies[f.name] = st.booleans()
        elif f.name in ("sex", "ethnicity", "legal_status", "placement", "placement_provider",
                        "cin"):
            strategies[f.name] = codes
        else:
            strategies[f.name] = text
    return children, st.builds(children.ChildInput, **strategies)


@pytest.mark.slow
def test_fuzz_add_child(fuzz_session):
    children, inputs = _child_inputs()
    saved = []

    @FUZZ
    @given(data=inputs)
    def run(data):
        saved.append(_expect_valid_or_refused(
            fuzz_session, lambda: children.add_child(fuzz_session, data, today=TODAY)))

    run()
    assert len(saved) >= EXAMPLES * 0.9


@pytest.mark.slow
def test_fuzz_update_child(fuzz_session):
    children, inputs = _child_inputs()
    child_id = fuzz_session.scalar(
        select(children.Child.id).where(children.Child.child_ref == "FUZZ1"))

    @FUZZ
    @given(data=inputs, which=st.sampled_from([child_id, child_id, 999_999]))
    def run(data, which):
        _expect_valid_or_refused(
            fuzz_session, lambda: children.update_child(fuzz_session, which, data, today=TODAY))

    run()


@pytest.mark.slow
def test_fuzz_case_notes(fuzz_session):
    notes = pytest.importorskip("iro_desktop.caseload.notes")
    child_id = fuzz_session.scalar(select(func.min(notes.Child.id)))
    inputs = st.builds(notes.NoteInput, noted_on=dates,
                       kind=st.one_of(st.sampled_from([k for k, _ in notes.NOTE_KINDS]), text),
                       seen_alone=st.booleans(), text=text)

    @FUZZ
    @given(data=inputs)
    def run(data):
        _expect_valid_or_refused(
            fuzz_session, lambda: notes.save_note(fuzz_session, child_id, data, today=TODAY))

    run()


@pytest.mark.slow
def test_fuzz_escalations(fuzz_session):
    esc = pytest.importorskip("iro_desktop.caseload.escalations")
    from iro_desktop.db.models import Child

    child_id = fuzz_session.scalar(select(func.min(Child.id)))
    stages = [s[0] if isinstance(s, tuple) else getattr(s, "key", s) for s in esc.STAGES]
    kinds = [k for k, _ in esc.ESCALATION_KINDS]
    inputs = st.builds(
        esc.EscalationInput,
        kind=st.one_of(st.sampled_from(kinds), text), raised_on=dates, concern=text,
        themes=st.lists(st.one_of(st.sampled_from(["Health", "Education", "Other"]), text),
                        max_size=4),
        stage=st.one_of(st.sampled_from(stages), text),
        midway_review_id=st.one_of(st.none(), st.integers(min_value=-3, max_value=10**9)))

    @FUZZ
    @given(data=inputs)
    def run(data):
        _expect_valid_or_refused(
            fuzz_session, lambda: esc.raise_escalation(fuzz_session, child_id, data, today=TODAY))

    run()


@pytest.mark.parametrize("module", ["iro_desktop.caseload.children"])
def test_the_fuzzed_use_cases_exist(module):
    importlib.import_module(module)


def _keys(pairs) -> list[str]:
    return [k for k, _ in pairs]


@pytest.mark.slow
def test_fuzz_reviews(fuzz_session):
    reviews = pytest.importorskip("iro_desktop.caseload.reviews")
    from iro_desktop.db.models import Child

    child_id = fuzz_session.scalar(select(func.min(Child.id)))
    some_index = st.integers(min_value=-2, max_value=4)
    meetings = st.builds(reviews.MeetingInput, held_on=dates,
                         format=st.one_of(st.sampled_from(_keys(reviews.MEETING_FORMATS)), text),
                         venue=text, note=text)
    participants = st.builds(
        reviews.ParticipantInput, name=text,
        role=st.one_of(st.sampled_from(_keys(reviews.PARTICIPANT_ROLES)), text),
        invited=st.booleans(), attended=st.booleans(),
        meetings_attended=st.lists(some_index, max_size=3))
    decisions = st.builds(
        reviews.DecisionInput, text=text,
        owner_role=st.one_of(st.sampled_from(reviews.DECISION_OWNER_ROLES), text),
        owner_name=text, due_on=dates, key_decision=st.booleans())
    optional_bool = st.one_of(st.none(), st.booleans())
    service = st.one_of(st.sampled_from(_keys(reviews.SERVICE_OPTIONS)), text)
    inputs = st.builds(
        reviews.ReviewInput,
        meetings=st.lists(meetings, max_size=3),
        kind=st.one_of(st.sampled_from(_keys(reviews.REVIEW_KINDS)), text),
        extra_reason=text,
        participation_code=st.one_of(st.sampled_from([f"PN{n}" for n in range(8)]), text),
        participants=st.lists(participants, max_size=4),
        seen_alone=optional_bool, consultation_child=optional_bool,
        consultation_parents=optional_bool, consultation_carers=optional_bool,
        advocacy=service, independent_visitor=service, communication_needs_met=optional_bool,
        record=st.dictionaries(st.one_of(st.sampled_from(_keys(reviews.RECORD_HEADINGS)), text),
                               text, max_size=4),
        decisions=st.lists(decisions, max_size=4))

    @FUZZ
    @given(data=inputs)
    def run(data):
        _expect_valid_or_refused(
            fuzz_session, lambda: reviews.save_review(fuzz_session, child_id, data, today=TODAY))

    run()


@pytest.mark.slow
def test_fuzz_midway_reviews(fuzz_session):
    midway = pytest.importorskip("iro_desktop.caseload.midway")
    from iro_desktop.db.models import Child

    child_id = fuzz_session.scalar(select(func.min(Child.id)))
    statuses = st.one_of(st.sampled_from(_keys(midway.PROGRESS_STATUSES)), text)
    inputs = st.builds(
        midway.MidwayInput, held_on=dates,
        method=st.one_of(st.sampled_from(_keys(midway.METHODS)), text), note=text,
        progress=st.dictionaries(st.integers(min_value=-3, max_value=10**9),
                                 st.tuples(statuses, text), max_size=3))

    @FUZZ
    @given(data=inputs)
    def run(data):
        _expect_valid_or_refused(
            fuzz_session, lambda: midway.save_midway(fuzz_session, child_id, data, today=TODAY))

    run()
