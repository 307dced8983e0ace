"""The demo caseload: realistic, consistent with the statutory rules, deterministic and quick."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict

import pytest
from sqlalchemy import Date, func, select

from iro_desktop import settings
from iro_desktop.caseload.demo import CaseloadNotEmpty, make_demo_caseload
from iro_desktop.caseload.myweek import my_week
from iro_desktop.caseload.overview import caseload_rows, episode_facts
from iro_desktop.caseload.reviews import deadlines_from
from iro_desktop.db.models import (
    Base,
    CaseNote,
    Child,
    Decision,
    DecisionProgress,
    Episode,
    Escalation,
    EscalationStage,
    Letter,
    MidwayReview,
    Review,
    ReviewMeeting,
    ReviewParticipant,
    SiblingGroup,
)
from iro_desktop.interchange import codes903
from iro_desktop.letters.compose import age_band_for
from iro_desktop.rules.participation import age_on, allowed_codes
from iro_desktop.rules.reviews import periods_of_care, review_timeliness
from iro_desktop.rules.workdays import add_working_days
from tests.factory import make_child

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def demo(session):
    summary = make_demo_caseload(session, today=TODAY, seed=1)
    session.flush()
    return summary


def test_sixty_children_aged_0_to_17_all_looked_after(session, demo):
    assert demo.children == 60
    rows = caseload_rows(session, TODAY)
    assert len(rows) == 60
    ages = [r.age for r in rows]
    assert min(ages) >= 0 and max(ages) <= 17
    assert len(set(ages)) >= 12  # spread over childhood, not bunched
    assert all(r.next_review is not None for r in rows)


def test_legal_statuses_placements_and_codes_are_real_903_codes(session, demo):
    episodes = session.scalars(select(Episode)).all()
    statuses = Counter(e.legal_status for e in episodes)
    placements = Counter(e.placement for e in episodes)
    assert set(statuses) <= set(codes903.LEGAL_STATUS)
    assert set(placements) <= set(codes903.PLACEMENT)
    assert {"C1", "C2", "V2"} <= set(statuses)
    assert len(placements) >= 6
    assert {e.reason_new_episode for e in episodes} <= set(codes903.REASON_NEW_EPISODE)
    assert {e.reason_ended for e in episodes} - {""} <= set(codes903.REASON_ENDED)
    children = session.scalars(select(Child)).all()
    assert {c.ethnicity for c in children} <= set(codes903.ETHNICITY)
    assert {c.sex for c in children} <= {"M", "F"}


def test_sibling_groups_of_two_to_four_share_a_surname(session, demo):
    groups = session.scalars(select(SiblingGroup)).all()
    assert len(groups) == demo.sibling_groups >= 2
    for group in groups:
        assert 2 <= len(group.children) <= 4
        assert len({c.last_name for c in group.children}) == 1
        starts = {c.episodes[0].start for c in group.children}
        assert len(starts) == 1  # brothers and sisters came into care together


def test_review_histories_follow_the_rules(session, demo):
    late = 0
    for child in session.scalars(select(Child)).all():
        facts = [episode_facts(e) for e in child.episodes]
        periods = periods_of_care(facts)
        dates = [r.review_date for r in child.reviews]
        assert all(d <= TODAY for d in dates)
        # Every review lies inside a period of care, and PN0 is used exactly for under-4s.
        for review in child.reviews:
            assert any(
                p.start <= review.review_date and (p.end is None or review.review_date <= p.end)
                for p in periods
            )
            assert review.participation_code in allowed_codes(
                child.date_of_birth, review.review_date
            )
        timeliness = review_timeliness(facts, dates)
        late += sum(not h.on_time for h in timeliness)
        # The recorded kind is the kind the rules expect (extra reviews are marked as such).
        for held, review in zip(timeliness, child.reviews, strict=True):
            assert review.kind in (str(held.kind), "extra")
        # No episode starts before birth; the child was under 18 when they came into care.
        assert all(e.start > child.date_of_birth for e in child.episodes)
    assert late >= 3


def test_some_overdue_some_due_soon_some_moved_and_some_in_a_second_period(session, demo):
    rows = caseload_rows(session, TODAY)
    assert sum(r.overdue for r in rows) >= 2
    assert sum(r.due_soon for r in rows) >= 4
    assert sum(r.placement_changed for r in rows) >= 2
    assert sum(r.next_review.kind == "initial" for r in rows) >= 2
    second_period = 0
    for child in session.scalars(select(Child)).all():
        periods = periods_of_care([episode_facts(e) for e in child.episodes])
        if len(periods) > 1:
            second_period += 1
            assert periods[0].end is not None
            assert child.episodes[0].reason_ended in codes903.REASON_ENDED
    assert second_period >= 1


def test_children_have_lives_social_workers_and_carers(session, demo):
    children = session.scalars(select(Child)).all()
    assert all(c.interests for c in children)
    assert all(c.social_worker_name and c.social_worker_team for c in children)
    assert all(c.social_worker_email.endswith("@council.example") for c in children)
    assert sum(bool(c.carer_name) for c in children) >= 50
    assert sum(bool(c.communication_needs) for c in children) >= 3
    for child in children:
        if child.upn:
            assert len(child.upn) == 13 or child.upn in {"UN1", "UN2"}
        if child.uasc:
            assert child.language != "English" and child.interpreter_needed
            assert 14 <= (TODAY - child.date_of_birth).days // 365 <= 17


def test_uasc_teenagers_appear_in_a_bigger_caseload(session):
    make_demo_caseload(session, today=TODAY, seed=3, children=200)
    uasc = session.scalars(select(Child).where(Child.uasc.is_(True))).all()
    assert len(uasc) >= 3
    assert {c.language for c in uasc} - {"English"}


def test_recent_reviews_have_records_decisions_midway_reviews_and_notes(session, demo):
    assert session.scalar(select(func.count()).select_from(ReviewMeeting)) >= 60
    assert session.scalar(select(func.count()).select_from(ReviewParticipant)) >= 180
    assert session.scalar(select(func.count()).select_from(Decision)) >= 180
    assert (
        demo.midway_reviews == session.scalar(select(func.count()).select_from(MidwayReview)) > 10
    )
    assert demo.case_notes == session.scalar(select(func.count()).select_from(CaseNote)) >= 60
    for midway in session.scalars(select(MidwayReview)).all():
        review = session.get(Review, midway.review_id)
        assert review.child_id == midway.child_id
        assert review.review_date < midway.held_on < TODAY
        for progress in midway.progress:
            assert progress.decision.review_id == review.id
    for note in session.scalars(select(CaseNote)).all():
        assert note.noted_on <= TODAY
        assert note.noted_on >= note.child.episodes[0].start
    statuses = Counter(r.status for r in session.scalars(select(Review)))
    assert statuses["completed"] > 0 and statuses["circulated"] + statuses["draft"] > 0
    assert session.scalar(select(func.count()).select_from(DecisionProgress)) > 0


def test_escalations_have_stages_due_ten_working_days_on(session, demo):
    escalations = session.scalars(select(Escalation)).all()
    assert len(escalations) == demo.escalations >= 2
    for escalation in escalations:
        assert escalation.raised_on < TODAY
        if escalation.kind == "escalation":
            assert escalation.themes
            assert escalation.stages
        for stage in escalation.stages:
            assert stage.response_due_on == add_working_days(stage.started_on, 10)
    assert session.scalar(select(func.count()).select_from(EscalationStage)) >= 2


def test_same_seed_same_caseload_other_seed_different(store):
    def fingerprint(seed: int) -> list[tuple]:
        with store.transaction() as session:
            make_demo_caseload(session, today=TODAY, seed=seed, replace=True)
        with store.session() as session:
            return [
                (
                    c.child_ref,
                    c.first_name,
                    c.last_name,
                    c.date_of_birth,
                    tuple(r.review_date for r in c.reviews),
                )
                for c in session.scalars(select(Child).order_by(Child.child_ref))
            ]

    first = fingerprint(7)
    assert fingerprint(7) == first
    assert fingerprint(8) != first


def test_dates_follow_today(session):
    make_demo_caseload(session, today=dt.date(2031, 6, 15), seed=1)
    latest = session.scalar(select(func.max(Review.review_date)))
    assert dt.date(2031, 1, 1) < latest <= dt.date(2031, 6, 15)


# Dates of things planned, not done: these may lie after today. Every other date column (a review,
# a meeting, a midway review, a note, a letter sent, an escalation and each answer to it, a move,
# the end of an episode...) records something that has happened.
PLANNED_DATES = {("decision", "due_on"), ("escalation_stage", "response_due_on")}


@pytest.mark.parametrize("seed", [1, 7, 9])
@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 12, 1),
        dt.date(2025, 1, 6),  # just after Christmas and New Year
        dt.date(2028, 2, 29),
        dt.date(2031, 6, 15),  # a Sunday
        dt.date(2027, 8, 27),  # the Friday before a bank holiday
    ],
)
def test_nothing_that_happened_is_dated_after_today(session, seed, today):
    make_demo_caseload(session, children=70, seed=seed, today=today)
    session.flush()
    checked = 0
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, Date) or (table.name, column.name) in PLANNED_DATES:
                continue
            checked += 1
            future = session.execute(select(column).where(column > today)).scalars().all()
            assert not future, f"{table.name}.{column.name} after {today}: {sorted(future)}"
    assert checked >= 15
    # A review may be held over more than one meeting: each held between its date (the first
    # meeting) and today. Some reviews of the demo have a second meeting.
    meetings: dict[int, list[dt.date]] = defaultdict(list)
    for review_id, held_on in session.execute(
        select(ReviewMeeting.review_id, ReviewMeeting.held_on)
    ):
        meetings[review_id].append(held_on)
    for review in session.scalars(select(Review).where(Review.id.in_(meetings))):
        assert min(meetings[review.id]) == review.review_date
        assert all(review.review_date <= held <= today for held in meetings[review.id])
    assert sum(len(held) > 1 for held in meetings.values()) >= 3


def test_refuses_a_caseload_that_has_children(session):
    make_child(session)
    with pytest.raises(CaseloadNotEmpty) as caught:
        make_demo_caseload(session, today=TODAY)
    assert "--replace" in str(caught.value)
    assert session.scalar(select(func.count()).select_from(Child)) == 1


def test_replace_deletes_the_old_children_and_everything_about_them(session):
    old_ref = make_child(session, reviews=[dt.date(2025, 6, 2)]).child_ref
    summary = make_demo_caseload(session, today=TODAY, children=10, replace=True)
    session.expire_all()
    assert summary.children == 10
    assert session.scalars(select(Child).where(Child.child_ref == old_ref)).first() is None
    assert session.scalar(select(func.count()).select_from(Child)) == 10
    reviews_per_child = defaultdict(int)
    for review in session.scalars(select(Review)):
        reviews_per_child[review.child_id] += 1
    assert set(reviews_per_child) <= set(session.scalars(select(Child.id)))


def test_sixty_children_well_under_two_seconds(store):
    start = time.perf_counter()
    with store.transaction() as session:
        make_demo_caseload(session, today=TODAY)
    assert time.perf_counter() - start < 2.0


def test_demo_values_are_the_keys_the_review_work_screens_know(session, demo):
    reviews = pytest.importorskip("iro_desktop.caseload.reviews")
    midway = pytest.importorskip("iro_desktop.caseload.midway")
    notes = pytest.importorskip("iro_desktop.caseload.notes")
    escalations = pytest.importorskip("iro_desktop.caseload.escalations")
    headings = {key for key, _ in reviews.RECORD_HEADINGS}
    for review in session.scalars(select(Review)):
        assert review.kind in {key for key, _ in reviews.REVIEW_KINDS}
        assert review.status in {key for key, _ in reviews.REVIEW_STATUSES}
        assert set(review.record) <= headings
        assert review.advocacy in {key for key, _ in reviews.SERVICE_OPTIONS}
        assert review.independent_visitor in {key for key, _ in reviews.SERVICE_OPTIONS}
        for meeting in review.meetings:
            assert meeting.format in {key for key, _ in reviews.MEETING_FORMATS}
        for person in review.participants:
            assert person.role in {key for key, _ in reviews.PARTICIPANT_ROLES}
    for held in session.scalars(select(MidwayReview)):
        assert held.method in {key for key, _ in midway.METHODS}
        assert {p.status for p in held.progress} <= {key for key, _ in midway.PROGRESS_STATUSES}
    assert {n.kind for n in session.scalars(select(CaseNote))} <= {k for k, _ in notes.NOTE_KINDS}
    stages = {key for key, _ in escalations.STAGES}
    for escalation in session.scalars(select(Escalation)):
        assert escalation.kind in {key for key, _ in escalations.ESCALATION_KINDS}
        assert escalation.outcome in {"", *(key for key, _ in escalations.OUTCOMES)}
        assert {s.stage for s in escalation.stages} <= stages


def _week(session, today=TODAY) -> tuple[Counter, Counter]:
    items = my_week(session, today)
    return Counter(i.category for i in items), Counter(i.category for i in items if i.overdue)


def test_my_week_on_the_demo_is_a_busy_ordinary_week_not_a_crisis(session, demo):
    lines, overdue = _week(session)
    # A handful of reviews overdue, more due in the next four weeks.
    assert 3 <= overdue["review"] <= 5
    assert 4 <= lines["review"] - overdue["review"] <= 15
    # Some midway reviews coming up, hardly any missed.
    assert 3 <= lines["midway"] <= 15 and overdue["midway"] <= 3
    # Records of recent reviews in progress; one to three late.
    assert 1 <= overdue["record"] <= 3
    # Letters: the ones after the last few reviews still to send, none late.
    assert 1 <= lines["letter"] <= 8 and overdue["letter"] == 0
    # A few escalations waiting for an answer; one or two children not seen for six months;
    # a couple of moves since the last review.
    assert 2 <= lines["escalation"] <= 4
    assert 1 <= lines["not_seen"] <= 2
    assert 2 <= lines["placement_change"] <= 3
    assert sum(overdue.values()) <= 15


@pytest.mark.parametrize("seed", [2, 5, 9])
def test_other_seeds_look_the_same_kind_of_week(session, seed):
    make_demo_caseload(session, today=TODAY, seed=seed)
    session.flush()
    lines, overdue = _week(session)
    assert 2 <= overdue["review"] <= 6
    assert overdue["record"] <= 3 and overdue["letter"] <= 1
    assert lines["not_seen"] <= 3 and lines["placement_change"] <= 4
    assert sum(lines.values()) <= 70


def test_letters_went_after_the_reviews_mostly_on_time(session, demo):
    letters = session.scalars(select(Letter)).all()
    reviews = {r.id: r for r in session.scalars(select(Review))}
    sent = [letter for letter in letters if letter.sent_on is not None]
    assert len(sent) >= 100
    days = tuple(
        int(settings.get(session, key))
        for key in ("decisions_circulated_days", "record_completed_days", "letter_sent_days")
    )
    late = 0
    for letter in sent:
        review = reviews[letter.review_id]
        last_meeting = max((m.held_on for m in review.meetings), default=review.review_date)
        letter_by = deadlines_from(last_meeting, days)[2]
        assert review.review_date < letter.sent_on <= TODAY
        assert letter.age_band == age_band_for(review.child.date_of_birth, review.review_date)
        late += letter.sent_on > letter_by
    assert 1 <= late <= 3
    # The letters not sent yet follow recent reviews; the first few are drafted in the composer.
    drafts = [letter for letter in letters if letter.sent_on is None]
    assert 1 <= len(drafts) <= 3
    for draft in drafts:
        assert draft.sections and draft.header
        assert (TODAY - reviews[draft.review_id].review_date).days <= 40
    # Every review has its letter, sent, drafted or (after a review of the last few weeks)
    # not started yet.
    with_letter = {letter.review_id for letter in letters}
    for review in reviews.values():
        if review.id not in with_letter:
            assert (TODAY - review.review_date).days <= 40


def test_postcodes_urns_and_placements_are_valid_903_data(session, demo):
    # What the DfE rules ask of the episodes (tests/interchange runs the public validator itself):
    # real postcodes, own provision and supported accommodation inside the council's area, the
    # home only as the placement of a child placed with parents, URNs where the placement needs
    # one and none where it must not have one, supported accommodation from 16.
    from iro_desktop.caseload import demo as demo_module

    episodes = session.scalars(select(Episode)).all()
    dob = {c.id: c.date_of_birth for c in session.scalars(select(Child))}
    assert {e.home_postcode for e in episodes} <= set(demo_module.LA_POSTCODES)
    assert {e.placement_postcode for e in episodes} <= set(demo_module.ANY_POSTCODE)
    assert {e.placement_postcode for e in episodes} & set(demo_module.NEIGHBOURING_POSTCODES)
    no_urn = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4"}
    for e in episodes:
        if e.placement_provider == "PR1" or e.placement == "K3":
            assert e.placement_postcode in demo_module.LA_POSTCODES, e.id
        assert (e.placement_postcode == e.home_postcode) == (e.placement == "P1"), e.id
        if e.placement in no_urn or e.placement.startswith("Z"):
            assert e.urn == "", e.id
        elif e.placement == "K3":
            assert len(e.urn) == 7 and e.urn.isdigit(), e.urn
            assert age_on(dob[e.child_id], e.start) >= 16, e.id
        else:
            assert len(e.urn) == 8 and e.urn.startswith("SC") and e.urn[2:].isdigit(), e.urn
    # A move keeps the child's home: each period of care (from an RNE S) has one home postcode.
    homes: dict[tuple[int, int], set[str]] = defaultdict(set)
    periods: Counter[int] = Counter()
    for e in sorted(episodes, key=lambda e: (e.child_id, e.start)):
        periods[e.child_id] += e.reason_new_episode == "S"
        homes[e.child_id, periods[e.child_id]].add(e.home_postcode)
    assert all(len(h) == 1 for h in homes.values())


def test_same_seed_same_postcodes_and_urns(store):
    def episodes(seed: int) -> list[tuple]:
        with store.transaction() as session:
            make_demo_caseload(session, today=TODAY, seed=seed, replace=True)
        with store.session() as session:
            return sorted(
                (e.child.child_ref, e.start, e.home_postcode, e.placement_postcode, e.urn)
                for e in session.scalars(select(Episode))
            )

    assert episodes(4) == episodes(4)


def test_demo_signs_letters_as_an_invented_iro_but_keeps_one_already_set(session):
    from iro_desktop import settings
    from iro_desktop.caseload.demo import DEMO_IRO, make_demo_caseload

    settings.put(session, "iro_first_name", "Alex")
    make_demo_caseload(session, children=3, seed=2, today=dt.date(2026, 12, 1))
    assert settings.get(session, "iro_name") == DEMO_IRO["iro_name"]
    assert settings.get(session, "iro_first_name") == "Alex"


def test_demo_letters_carry_the_invented_iros_photo(session, demo):
    from iro_desktop.db.models import Picture

    ref = settings.get(session, "iro_photo")
    assert ref.startswith("own:")
    picture = session.get(Picture, int(ref.removeprefix("own:")))
    assert picture is not None and picture.mime_type == "image/svg+xml"
    assert b"<svg" in picture.content


def test_demo_keeps_a_photo_already_set(session):
    settings.put(session, "iro_photo", "openmoji:1F9D1")
    make_demo_caseload(session, children=3, seed=2, today=TODAY)
    assert settings.get(session, "iro_photo") == "openmoji:1F9D1"


@pytest.mark.parametrize("seed", [1, 7, 9])
def test_no_child_or_carer_shares_the_iros_first_name(session, seed):
    """"Dear Sam, my name is Sam" or "Sam (your carer)" in a letter signed by Sam reads oddly."""
    from iro_desktop.caseload.demo import DEMO_IRO

    make_demo_caseload(session, children=70, seed=seed, today=TODAY)
    first = DEMO_IRO["iro_first_name"]
    for child in session.scalars(select(Child)):
        assert child.first_name != first
        assert first not in (child.carer_name or "").replace(",", " ").split()
