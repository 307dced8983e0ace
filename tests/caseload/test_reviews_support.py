"""Builders shared by the review work tests (no tests here): a whole review as an IRO records it.

All people are invented. Dates are real English calendar dates; bank holidays matter."""

from __future__ import annotations

import datetime as dt

from iro_desktop.caseload.reviews import DecisionInput, MeetingInput, ParticipantInput, ReviewInput

D = dt.date


def series_review(
    first: dt.date,
    second: dt.date | None = None,
    *,
    code: str = "PN2",
    decisions: list[DecisionInput] | None = None,
) -> ReviewInput:
    """A review held as a series: an in-person meeting at the carer's home on `first`, then (when
    `second` is given) a virtual meeting with the parents. The child came to the first only."""
    meetings = [MeetingInput(held_on=first, format="in_person", venue="Carer's home")]
    if second is not None:
        meetings.append(MeetingInput(held_on=second, format="virtual", venue="Teams"))
    both = [0, 1] if second is not None else [0]
    return ReviewInput(
        meetings=meetings,
        participation_code=code,
        participants=[
            ParticipantInput(name="Mia", role="child", meetings_attended=[0]),
            ParticipantInput(name="Jo Carer", role="carer", meetings_attended=[0]),
            ParticipantInput(name="Sam Worker", role="social_worker", meetings_attended=both),
            ParticipantInput(
                name="Lee Parent", role="parent", meetings_attended=[1] if second else []
            ),
            ParticipantInput(name="Pat Teacher", role="teacher", invited=True, attended=False),
        ],
        seen_alone=True,
        consultation_child=True,
        consultation_parents=False,
        consultation_carers=True,
        advocacy="referred",
        independent_visitor="discussed",
        communication_needs_met=True,
        record={
            "plan_permanence": "Long-term fostering with Jo remains the plan.",
            "health": "Dental check overdue.",
            "education": "PEP in place; settled in Year 7.",
        },
        decisions=decisions
        if decisions is not None
        else [
            DecisionInput(
                "Book a dental check", "Carer", "Jo Carer", first + dt.timedelta(days=28), True
            ),
            DecisionInput(
                "Refer to the advocacy service",
                "Social worker",
                "Sam Worker",
                first + dt.timedelta(days=14),
            ),
            DecisionInput("Update the PEP targets", "Designated teacher", "", None),
        ],
    )
