"""Letters fixtures: children of each age band with a full review recorded through the review use
case (meetings, people, record, decisions), and the IRO's settings. All people are invented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from dateutil.relativedelta import relativedelta

from iro_desktop import settings
from iro_desktop.caseload.reviews import (
    DecisionInput,
    MeetingInput,
    ParticipantInput,
    ReviewInput,
    save_review,
)
from iro_desktop.db.models import Child
from tests.factory import D, make_child

REVIEW_DAY = D(2026, 10, 14)
TODAY = D(2026, 11, 20)

IRO = {
    "iro_name": "Sam Okafor",
    "iro_first_name": "Sam",
    "iro_phone": "07700 900123",
    "iro_email": "sam.okafor@example.org",
    "iro_council": "Northmoor Council",
}


@dataclass
class Case:
    child: Child
    review_id: int
    data: ReviewInput


def set_iro(session) -> None:  # type: ignore[no-untyped-def]
    for key, value in IRO.items():
        settings.put(session, key, value)


# Record notes as IROs write them (third person, some care words), by age band.
RECORDS = {
    "0-3": {
        "where_child_lives": "Ruby is settled with her carers and is growing well.",
        "health": "Health assessment up to date; all jabs done.",
        "education": "Attends nursery three mornings a week and loves the sand pit.",
        "family_time": "Family time with Mum every Saturday at the family centre.",
    },
    "4-8": {
        "where_child_lives": "Leo is happy living with Janet and says he feels safe.",
        "plan_permanence": "The plan is for Leo to stay with Janet while he grows up.",
        "health": "Leo had his health check in September. He needs new glasses.",
        "education": "Leo is in Year 1. His teacher says he is trying hard with reading.",
        "family_time": "Leo sees his mum every other Saturday. He sees his brother Kai at school.",
        "emotional_wellbeing": "Leo still has bad dreams sometimes. Janet helps him to feel calm.",
    },
    "9-12": {
        "where_child_lives": "Maya has lived with Jo and Alex for two years and says she "
                             "feels part of the family.",
        "plan_permanence": "Maya's plan is to stay with Jo and Alex for good.",
        "health": "Maya is well. The dentist check is due in December.",
        "education": "PEP reviewed; Maya is doing well at Hillside Primary and wants to join "
                     "the choir.",
        "family_time": "Contact with birth mother once a month, supervised at the contact centre.",
        "identity": "Maya is proud of her Ghanaian heritage and is learning to cook jollof rice.",
        "emotional_wellbeing": "SDQ score in the normal range.",
    },
    "13+": {
        "where_child_lives": "Jas lives at Elm Court (key worker Abdi) and says she wants to "
                             "stay there until she is 18.",
        "plan_permanence": "The plan is for Jas to stay at Elm Court and get ready to live on her "
                           "own.",
        "health": "Jas is registered with a GP. She has asked for help with her sleep.",
        "education": "Jas is at Northmoor College doing Level 2 Art and goes most days.",
        "family_time": "Jas sees her dad and her sister Ellie when she wants to; she would like "
                       "more time with Ellie.",
        "emotional_wellbeing": "Jas says she feels more settled than last year.",
        "leaving_care": "Pathway plan drafted; personal adviser allocated.",
    },
}

DECISIONS = {
    "0-3": [
        DecisionInput("Book a dental check and tell the IRO when it is done.", "Carer",
                      due_on=D(2026, 12, 11), key_decision=True),
        DecisionInput("Start life story work with the child.", "Social worker",
                      due_on=D(2027, 1, 15)),
    ],
    "4-8": [
        DecisionInput("Take Leo for an eye test and get new glasses.", "Carer",
                      due_on=D(2026, 11, 27), key_decision=True),
        DecisionInput("Arrange family time with Kai after school once a week.", "Social worker",
                      due_on=D(2026, 12, 4)),
        DecisionInput("Find a swimming club near home.", "Carer", due_on=D(2027, 1, 8)),
    ],
    "9-12": [
        DecisionInput("Arrange for Maya to join the school choir.", "Carer",
                      due_on=D(2026, 11, 6), key_decision=True),
        DecisionInput("Update the PEP with the Virtual School.", "Designated teacher",
                      owner_name="Mrs Patel", due_on=D(2026, 12, 1)),
        DecisionInput("Ask Mum about family time in the summer holidays.", "Social worker",
                      due_on=D(2027, 2, 26)),
        DecisionInput("Send the child's views form before the next review.", "The child",
                      due_on=D(2027, 3, 31)),
    ],
    "13+": [
        DecisionInput("Complete the pathway plan with Jas.", "Personal adviser",
                      owner_name="Tariq Hussain", due_on=D(2026, 12, 18), key_decision=True),
        DecisionInput("Refer Jas to CAMHS for help with sleep.", "Social worker",
                      due_on=D(2026, 11, 13)),
        DecisionInput("Arrange more family time with Ellie.", "Social worker",
                      due_on=D(2026, 12, 4)),
        DecisionInput("Help Jas open a bank account.", "Personal adviser",
                      owner_name="Tariq Hussain", due_on=D(2027, 1, 29)),
        DecisionInput("Tell Jas about the Staying Close scheme.", "IRO", due_on=D(2027, 2, 1)),
    ],
}

CHILDREN = {
    "0-3": dict(first_name="Ruby", last_name="Ashdown", sex="F", age=2, interests="bubbles, "
                "the park swings and singing nursery rhymes", carer_name="Ruth Atherton",
                social_worker_name="Hollie Brennan", placement="U4", code="PN0"),
    "4-8": dict(first_name="Leonardo", preferred_name="Leo", last_name="Marsden", sex="M", age=5,
                interests="dinosaurs, Lego and drawing", carer_name="Janet Pickering",
                social_worker_name="Amira Haddad", placement="U4", code="PN1"),
    "9-12": dict(first_name="Maya", last_name="Mensah", sex="F", age=10,
                 interests="K-Pop, drawing and swimming", carer_name="Jo and Alex Whitfield",
                 social_worker_name="Grace Adeyemi", placement="U4", code="PN1"),
    "13+": dict(first_name="Jasmine", preferred_name="Jas", last_name="Begum", sex="F", age=16,
                interests="football, music production and the gym",
                carer_name="Elm Court Supported Housing", social_worker_name="Beth Lindley",
                placement="K3", code="PN1"),
}


def make_case(session, band: str, *, review_day: dt.date = REVIEW_DAY,  # type: ignore[no-untyped-def]
              code: str | None = None, with_record: bool = True) -> Case:
    spec = dict(CHILDREN[band])
    age = spec.pop("age")
    default_code = spec.pop("code")
    placement = spec.pop("placement")
    dob = review_day - relativedelta(years=age, months=4)
    child = make_child(session, date_of_birth=dob, looked_after_since=review_day - relativedelta(
        years=1, months=8), placement=placement, reviews=[review_day - relativedelta(months=6)],
        **spec)
    first = child.preferred_name or child.first_name
    code = code or default_code
    attends = code in ("PN1", "PN2", "PN3", "PN4") or (code == "PN0")
    people = [
        ParticipantInput(name=child.display_name, role="child", attended=attends),
        ParticipantInput(name=child.carer_name, role="carer", attended=True),
        ParticipantInput(name=child.social_worker_name, role="social_worker", attended=True),
        ParticipantInput(name="Mum", role="parent", attended=band != "13+"),
    ]
    if band == "9-12":
        people.append(ParticipantInput(name="Mrs Patel", role="teacher", attended=True))
    if band == "13+":
        people.append(ParticipantInput(name="Tariq Hussain", role="personal_adviser",
                                       attended=True))
    data = ReviewInput(
        meetings=[MeetingInput(held_on=review_day, format="in_person",
                               venue="The child's home")],
        participation_code=code,
        participants=people,
        seen_alone=band in ("9-12", "13+"),
        consultation_child=band in ("9-12", "13+"),
        advocacy="discussed",
        independent_visitor="discussed" if band == "13+" else "",
        record=dict(RECORDS[band]) if with_record else {},
        decisions=[DecisionInput(d.text, d.owner_role, d.owner_name, d.due_on, d.key_decision)
                   for d in DECISIONS[band]],
    )
    assert first
    review_id = save_review(session, child.id, data, today=TODAY)
    session.flush()
    return Case(child=child, review_id=review_id, data=data)


@pytest.fixture
def iro(session):  # type: ignore[no-untyped-def]
    set_iro(session)
    return IRO


@pytest.fixture(params=["0-3", "4-8", "9-12", "13+"])
def band_case(request, session, iro):  # type: ignore[no-untyped-def]
    return make_case(session, request.param)
