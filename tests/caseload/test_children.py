"""Adding, editing and closing a child; moves and new periods of care; the form's validation."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from iro_desktop.caseload.children import (
    CHOICES,
    ChildInput,
    add_child,
    close_child,
    load_child,
    reason_new_episode,
    record_placement_change,
    sibling_choices,
    start_new_period,
    update_child,
)
from iro_desktop.caseload.overview import caseload_rows, episode_facts
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Child, Episode, SiblingGroup
from iro_desktop.rules.reviews import ReviewKind, next_review
from iro_desktop.rules.workdays import add_working_days
from tests.factory import make_child

D = dt.date
TODAY = D(2026, 12, 1)


def valid(**changes) -> ChildInput:
    data = ChildInput(
        child_ref="A100",
        first_name="Ivy",
        last_name="Testwood",
        date_of_birth=D(2014, 3, 9),
        sex="F",
        ethnicity="WBRI",
        upn="A12345678901B",
        interests="football, drawing",
        social_worker_name="Sam Worker",
        social_worker_team="Children in Care Team 1",
        social_worker_phone="01632 960123",
        social_worker_email="sam.worker@council.example",
        carer_name="Pat Carer",
        carer_phone="07700 900123",
        looked_after_since=D(2025, 5, 1),
        legal_status="C2",
        placement="U4",
        placement_postcode="zz1 1zz",
    )
    return dataclasses.replace(data, **changes)


def errors_of(call) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.errors


def test_add_child_saves_details_and_first_episode(session):
    child_id = add_child(session, valid(), today=TODAY)
    child = session.get(Child, child_id)
    assert (child.child_ref, child.first_name, child.date_of_birth) == (
        "A100",
        "Ivy",
        D(2014, 3, 9),
    )
    [episode] = child.episodes
    assert (episode.start, episode.reason_new_episode, episode.legal_status, episode.placement) == (
        D(2025, 5, 1),
        "S",
        "C2",
        "U4",
    )
    assert episode.placement_postcode == "ZZ1 1ZZ"  # tidied to capitals
    [row] = caseload_rows(session, TODAY)
    assert row.next_review.kind is ReviewKind.INITIAL
    assert row.next_review.due == D(2025, 6, 2)  # the guide's worked example


def test_load_child_round_trips(session):
    child_id = add_child(
        session,
        valid(
            preferred_name="Ives",
            uasc=True,
            language="Tigrinya",
            interpreter_needed=True,
            communication_needs="Symbols",
        ),
        today=TODAY,
    )
    loaded = load_child(session, child_id)
    assert loaded == dataclasses.replace(
        valid(
            preferred_name="Ives",
            uasc=True,
            language="Tigrinya",
            interpreter_needed=True,
            communication_needs="Symbols",
        ),
        placement_postcode="ZZ1 1ZZ",
    )


def test_every_problem_is_reported_at_once_in_words(session):
    make_child(session, child_ref="A100")
    errors = errors_of(
        lambda: add_child(
            session,
            valid(
                first_name="  ",
                date_of_birth=D(2027, 1, 1),
                sex="X",
                ethnicity="ZZZZ",
                upn="123",
                legal_status="Q1",
                placement="H5",
                placement_postcode="not a code",
                social_worker_email="sam@",
                carer_phone="call me",
            ),
            today=TODAY,
        )
    )
    assert errors == {
        "child_ref": "Another child already has the identifier A100.",
        "first_name": "Give the child's first name.",
        "date_of_birth": "Date of birth cannot be in the future.",
        "sex": "Sex is M (male), F (female) or U (unknown).",
        "ethnicity": "'ZZZZ' is not a 903 ethnicity code.",
        "upn": errors["upn"],
        "social_worker_email": errors["social_worker_email"],
        "carer_phone": errors["carer_phone"],
        "looked_after_since": "The date the child became looked after is before the child's "
        "date of birth.",
        "legal_status": "'Q1' is not a legal status code.",
        "placement": "'H5' is not a placement type code.",
        "placement_postcode": errors["placement_postcode"],
    }
    assert "13 characters" in errors["upn"]
    assert session.scalar(select(func.count()).select_from(Child)) == 1  # nothing saved


def test_a_child_must_be_under_18_when_they_became_looked_after(session):
    errors = errors_of(
        lambda: add_child(
            session,
            valid(date_of_birth=D(2007, 5, 1), looked_after_since=D(2025, 5, 1)),
            today=TODAY,
        )
    )
    assert errors == {
        "looked_after_since": "A child in care must be under 18 on the day they "
        "became looked after."
    }
    # The day before the 18th birthday is fine.
    assert add_child(
        session, valid(date_of_birth=D(2007, 5, 2), looked_after_since=D(2025, 5, 1)), today=TODAY
    )


def test_leap_day_birthday_is_18_on_1_march(session):
    # Born 29/02/2008: still 17 on 28/02/2026, 18 on 01/03/2026.
    assert add_child(
        session,
        valid(child_ref="L1", date_of_birth=D(2008, 2, 29), looked_after_since=D(2026, 2, 28)),
        today=TODAY,
    )
    errors = errors_of(
        lambda: add_child(
            session,
            valid(child_ref="L2", date_of_birth=D(2008, 2, 29), looked_after_since=D(2026, 3, 1)),
            today=TODAY,
        )
    )
    assert "under 18" in errors["looked_after_since"]


def test_missing_fields_and_future_start(session):
    errors = errors_of(
        lambda: add_child(session, ChildInput(looked_after_since=D(2027, 1, 1)), today=TODAY)
    )
    assert errors["child_ref"].startswith("Give the council's identifier")
    assert errors["date_of_birth"] == "Give the child's date of birth."
    assert errors["last_name"] == "Give the child's last name."
    assert (
        errors["looked_after_since"] == "The date the child became looked after cannot be in "
        "the future."
    )
    assert errors["legal_status"] == "Choose the legal status."
    assert errors["placement"] == "Choose the placement type."


def test_child_ref_shape_and_case_insensitive_duplicates(session):
    make_child(session, child_ref="AB12")
    assert errors_of(lambda: add_child(session, valid(child_ref="ab12"), today=TODAY)) == {
        "child_ref": "Another child already has the identifier AB12."
    }
    assert (
        "no spaces"
        in errors_of(lambda: add_child(session, valid(child_ref="AB 12"), today=TODAY))["child_ref"]
    )
    assert (
        "no spaces"
        in errors_of(lambda: add_child(session, valid(child_ref="A" * 11), today=TODAY))[
            "child_ref"
        ]
    )


def test_update_child_keeps_episodes_and_checks_dob_against_care(session):
    child_id = add_child(session, valid(), today=TODAY)
    update_child(session, child_id, valid(first_name="Ivana", placement="K2"), today=TODAY)
    child = session.get(Child, child_id)
    assert child.first_name == "Ivana"
    assert [e.placement for e in child.episodes] == ["U4"]  # moves go through a placement change
    errors = errors_of(
        lambda: update_child(session, child_id, valid(date_of_birth=D(2025, 6, 1)), today=TODAY)
    )
    assert errors == {
        "date_of_birth": "The child came into care on 01/05/2025, before this date of birth."
    }
    # Its own identifier is not a duplicate of itself.
    update_child(session, child_id, valid(), today=TODAY)


def test_update_a_missing_child(session):
    assert errors_of(lambda: update_child(session, 999, valid(), today=TODAY)) == {
        "child_id": "This child is no longer on the caseload."
    }


def test_siblings_form_a_group_and_can_leave_it(session):
    first = add_child(session, valid(child_ref="S1"), today=TODAY)
    second = add_child(
        session, valid(child_ref="S2", first_name="Obi", siblings=[first]), today=TODAY
    )
    third = add_child(
        session, valid(child_ref="S3", first_name="Rae", siblings=[first, second]), today=TODAY
    )
    groups = session.scalars(select(SiblingGroup)).all()
    assert len(groups) == 1
    assert groups[0].name == "Testwood brothers and sisters"
    assert load_child(session, first).siblings == sorted([second, third])
    assert load_child(session, third).sibling_group_name == "Testwood brothers and sisters"
    # Third leaves the group: the other two stay together.
    update_child(session, third, valid(child_ref="S3", first_name="Rae"), today=TODAY)
    assert load_child(session, third).siblings == []
    assert load_child(session, first).siblings == [second]
    # Second leaves too: a group of one is no group.
    update_child(session, second, valid(child_ref="S2", first_name="Obi"), today=TODAY)
    assert load_child(session, first).siblings == []
    assert session.scalar(select(func.count()).select_from(SiblingGroup)) == 0


def test_sibling_group_by_name_and_unknown_sibling(session):
    a = add_child(session, valid(child_ref="N1", sibling_group_name="The Testwoods"), today=TODAY)
    b = add_child(session, valid(child_ref="N2", sibling_group_name="the testwoods"), today=TODAY)
    assert load_child(session, a).siblings == [b]
    errors = errors_of(
        lambda: add_child(session, valid(child_ref="N3", siblings=[4242]), today=TODAY)
    )
    assert errors == {"siblings[0]": "That brother or sister is not on the caseload."}
    assert errors_of(
        lambda: update_child(session, a, valid(child_ref="N1", siblings=[a]), today=TODAY)
    ) == {"siblings[0]": "A child cannot be their own brother or sister."}


def test_sibling_choices_list_other_children(session):
    a = add_child(session, valid(child_ref="C1"), today=TODAY)
    b = add_child(session, valid(child_ref="C2", first_name="Obi", preferred_name="O"), today=TODAY)
    assert sibling_choices(session, a) == [(b, "O Testwood (C2)")]


def test_close_child_ends_care_with_a_903_reason(session):
    child_id = add_child(session, valid(), today=TODAY)
    close_child(session, child_id, D(2026, 11, 30), "e4a", today=TODAY)
    episode = session.get(Child, child_id).episodes[-1]
    assert (episode.end, episode.reason_ended) == (D(2026, 11, 30), "E4A")
    assert caseload_rows(session, TODAY) == []  # left care: hidden by default
    assert caseload_rows(session, TODAY, include_left_care=True)[0].looked_after is False
    assert errors_of(
        lambda: close_child(session, child_id, D(2026, 11, 30), "E4A", today=TODAY)
    ) == {"left_on": "This child is not in care now, so there is nothing to close."}


@pytest.mark.parametrize(
    ("left_on", "reason", "expected"),
    [
        (
            D(2026, 12, 2),
            "E4A",
            {"left_on": "The date the child left care cannot be in the future."},
        ),
        (
            D(2025, 4, 30),
            "E4A",
            {
                "left_on": "The child's current episode started on 01/05/2025: "
                "they cannot have left care before that."
            },
        ),
        (
            None,
            "",
            {
                "left_on": "Give the date the child left care.",
                "reason_ended": "Choose why the child left care.",
            },
        ),
        (
            D(2026, 1, 5),
            "X1",
            {
                "reason_ended": "X1 means a new episode starts the same day: the "
                "child is still in care. Choose why they left care."
            },
        ),
        (D(2026, 1, 5), "E99", {"reason_ended": "'E99' is not a 903 reason for leaving care."}),
        (
            D(2026, 1, 5),
            "E17",
            {
                "reason_ended": "E17 (staying put at 18) is for a young person who "
                "is 18 on the day care ended."
            },
        ),
    ],
)
def test_close_child_validation(session, left_on, reason, expected):
    child_id = add_child(session, valid(), today=TODAY)
    assert (
        errors_of(lambda: close_child(session, child_id, left_on, reason, today=TODAY)) == expected
    )
    assert session.get(Child, child_id).episodes[-1].end is None


def test_close_on_the_day_care_started_is_allowed(session):
    child_id = add_child(session, valid(looked_after_since=D(2026, 11, 2)), today=TODAY)
    close_child(session, child_id, D(2026, 11, 2), "E13", today=TODAY)
    assert session.get(Child, child_id).episodes[0].end == D(2026, 11, 2)


@pytest.mark.parametrize(
    ("status", "placed", "carer", "expected"),
    [
        (False, True, True, "P"),
        (True, False, True, "L"),
        (True, False, False, "L"),
        (True, True, True, "B"),
        (False, True, False, "T"),
        (True, True, False, "U"),
        (False, False, True, None),
    ],
)
def test_reason_new_episode(status, placed, carer, expected):
    assert (
        reason_new_episode(
            legal_status_changed=status, placement_changed=placed, carer_changed=carer
        )
        == expected
    )


def test_placement_change_ends_with_x1_and_flags_consider_a_review(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
    episode_id = record_placement_change(
        session,
        child.id,
        D(2025, 7, 14),
        placement="K2",
        placement_postcode="ZZ3 3ZZ",
        reason_place_change="CREQB",
        carer_name="Oak House",
        today=TODAY,
    )
    session.expire_all()
    first, second = session.get(Child, child.id).episodes
    assert (first.end, first.reason_ended, first.reason_place_change) == (
        D(2025, 7, 14),
        "X1",
        "CREQB",
    )
    assert second.id == episode_id
    assert (second.start, second.reason_new_episode, second.placement, second.legal_status) == (
        D(2025, 7, 14),
        "P",
        "K2",
        "C2",
    )
    assert session.get(Child, child.id).carer_name == "Oak House"
    [row] = caseload_rows(session, TODAY)
    assert row.placement == "K2"
    assert row.placement_changed  # moved after the review of 02/06/2025
    # The period of care is unbroken: the second review is still due 3 months after the first.
    assert row.next_review.kind is ReviewKind.SECOND
    assert row.next_review.due == D(2025, 9, 2)


def test_legal_status_change_only_is_l_and_not_a_move(session):
    child = make_child(session, legal_status="C1", reviews=[D(2025, 6, 2)])
    record_placement_change(session, child.id, D(2025, 8, 1), legal_status="C2", today=TODAY)
    session.expire_all()
    episodes = session.get(Child, child.id).episodes
    assert [e.reason_new_episode for e in episodes] == ["S", "L"]
    assert not caseload_rows(session, TODAY)[0].placement_changed


def test_placement_change_validation(session):
    child = make_child(session, looked_after_since=D(2025, 5, 1))
    assert errors_of(
        lambda: record_placement_change(
            session, child.id, D(2025, 5, 1), placement="K2", today=TODAY
        )
    ) == {
        "on": "The current episode started on 01/05/2025: a change must come after that "
        "(correct the episode instead)."
    }
    assert errors_of(
        lambda: record_placement_change(session, child.id, D(2025, 6, 1), today=TODAY)
    ) == {"placement": "Nothing has changed: give the new placement or legal status."}
    errors = errors_of(
        lambda: record_placement_change(
            session,
            child.id,
            D(2027, 1, 1),
            placement="H5",
            legal_status="Q2",
            reason_place_change="WHIM",
            today=TODAY,
        )
    )
    assert set(errors) == {"on", "placement", "legal_status", "reason_place_change"}
    assert len(session.get(Child, child.id).episodes) == 1


def test_new_period_of_care_restarts_at_the_initial_review(session):
    child = make_child(
        session, looked_after_since=D(2024, 1, 8), reviews=[D(2024, 2, 1), D(2024, 5, 1)]
    )
    close_child(session, child.id, D(2024, 9, 1), "E4A", today=TODAY)
    assert errors_of(
        lambda: start_new_period(
            session, child.id, D(2024, 8, 1), legal_status="V2", placement="U6", today=TODAY
        )
    ) == {
        "on": "The child's last period of care ended on 01/09/2024: a new one must start after "
        "that."
    }
    start_new_period(
        session,
        child.id,
        D(2025, 3, 3),
        legal_status="C1",
        placement="U6",
        placement_postcode="zz99zz",
        today=TODAY,
    )
    session.expire_all()
    fresh = session.get(Child, child.id)
    assert [e.reason_new_episode for e in fresh.episodes] == ["S", "S"]
    assert fresh.episodes[-1].placement_postcode == "ZZ9 9ZZ"
    upcoming = next_review(
        [episode_facts(e) for e in fresh.episodes], [r.review_date for r in fresh.reviews]
    )
    assert upcoming.kind is ReviewKind.INITIAL
    assert upcoming.due == add_working_days(D(2025, 3, 3), 20)
    assert load_child(session, child.id).looked_after_since == D(2025, 3, 3)
    assert errors_of(
        lambda: start_new_period(
            session, child.id, D(2025, 6, 1), legal_status="C1", placement="U6", today=TODAY
        )
    ) == {"on": "This child is still in care: record a move or close the child first."}


def test_choices_for_the_forms(session):
    assert ("C2", "C2 Full care order") in CHOICES["legal_status"]
    assert ("U4", "U4 Foster: other carer, long term") in CHOICES["placement"]
    assert "X1" not in dict(CHOICES["reason_ended"])
    assert dict(CHOICES["reason_ended"])["E11"].startswith("E11 Adopted")
    assert [code for code, _ in CHOICES["sex"]] == ["M", "F", "U"]
    assert len(CHOICES["ethnicity"]) == 20
    assert session.scalar(select(func.count()).select_from(Episode)) == 0


def test_moving_to_another_named_group_dissolves_a_group_left_with_one(session):
    a = add_child(session, valid(child_ref="G1"), today=TODAY)
    b = add_child(session, valid(child_ref="G2", siblings=[a]), today=TODAY)
    c = add_child(session, valid(child_ref="G3", sibling_group_name="Half-brothers"), today=TODAY)
    update_child(session, b, valid(child_ref="G2", sibling_group_name="Half-brothers"),
                 today=TODAY)
    assert load_child(session, b).siblings == [c]
    assert load_child(session, a).siblings == []
    assert [g.name for g in session.scalars(select(SiblingGroup))] == ["Half-brothers"]
