"""Participation codes (SSDA903 REVIEW_CODE) and the age rule that ties PN0 to under-4s."""

from __future__ import annotations

import datetime as dt

PARTICIPATION_CODES: dict[str, str] = {
    "PN0": "Child under 4 at the date of the review",
    "PN1": "Child attends and speaks for themselves",
    "PN2": "Child attends; an advocate (or the IRO) speaks for them",
    "PN3": "Child attends and conveys their views symbolically (non-verbally)",
    "PN4": "Child attends but does not contribute",
    "PN5": "Child does not attend but briefs an advocate or the IRO",
    "PN6": "Child does not attend but conveys views another way (text, letter, phone, video, app)",
    "PN7": "Child does not attend and their views are not conveyed",
}

# Codes in which the child takes part in their review (the seeds' "participation" measure).
PARTICIPATED = frozenset({"PN1", "PN2", "PN3", "PN5", "PN6"})


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`.

    Someone born on 29 February has their birthday on 1 March in other years (the usual reading
    of the Family Law Reform Act 1969 s9); relativedelta would make them a year older on
    28 February, which matters for "under 18 when they came into care".
    """
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def allowed_codes(date_of_birth: dt.date, review_date: dt.date) -> list[str]:
    """PN0 if and only if the child is under 4 on the review date; otherwise PN1..PN7."""
    if age_on(date_of_birth, review_date) < 4:
        return ["PN0"]
    return [code for code in PARTICIPATION_CODES if code != "PN0"]


def code_problem(code: str, date_of_birth: dt.date, review_date: dt.date) -> str | None:
    """Why `code` does not fit the child on that date, or None when it does."""
    if code not in PARTICIPATION_CODES:
        return f"{code!r} is not a participation code (PN0 to PN7)."
    age = age_on(date_of_birth, review_date)
    if code == "PN0" and age >= 4:
        return f"PN0 is only for a child under 4; the child was {age} on the review date."
    if code != "PN0" and age < 4:
        return f"The child was under 4 on the review date, so the code must be PN0, not {code}."
    return None
