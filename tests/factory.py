"""Test factories: valid defaults, one line for a child with an episode and three reviews.

    child = make_child(session, reviews=[D(2025, 6, 2), D(2025, 9, 1), D(2026, 3, 1)])

All people and places are invented.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from sqlalchemy.orm import Session

from iro_desktop.db.models import Child, Decision, Episode, Review

D = dt.date
DEFAULT_DOB = D(2014, 3, 9)
DEFAULT_LOOKED_AFTER_SINCE = D(2025, 5, 1)
_refs = itertools.count(1)


def make_child(
    session: Session,
    *,
    child_ref: str | None = None,
    first_name: str = "Test",
    last_name: str | None = None,
    preferred_name: str = "",
    date_of_birth: dt.date = DEFAULT_DOB,
    sex: str = "F",
    looked_after_since: dt.date | None = DEFAULT_LOOKED_AFTER_SINCE,
    legal_status: str = "C2",
    placement: str = "U4",
    reviews: Sequence[dt.date] = (),
    participation_code: str | None = None,
    **fields: object,
) -> Child:
    """A child in care since `looked_after_since` (one open episode, RNE S) with `reviews` held."""
    number = next(_refs)
    child = Child(
        child_ref=child_ref or f"T{number:05d}",
        first_name=first_name,
        last_name=last_name if last_name is not None else f"Child{number}",
        preferred_name=preferred_name,
        date_of_birth=date_of_birth,
        sex=sex,
        ethnicity=str(fields.pop("ethnicity", "WBRI")),
        **fields,  # type: ignore[arg-type]
    )
    session.add(child)
    if looked_after_since is not None:
        child.episodes.append(
            Episode(start=looked_after_since, reason_new_episode="S", legal_status=legal_status,
                    placement=placement, placement_postcode="ZZ1 1ZZ")
        )
    for day in reviews:
        code = participation_code or ("PN0" if (day - date_of_birth).days < 4 * 365 + 1 else "PN1")
        child.reviews.append(Review(review_date=day, participation_code=code, source="app"))
    session.flush()
    return child


def add_decision(  # noqa: PLR0917 (tests pass the owner positionally)
    session: Session, review: Review, text: str = "Arrange a dental check",
    owner_role: str = "Social worker", owner_name: str = "A. Worker",
    due_on: dt.date | None = None, key_decision: bool = False,
) -> Decision:
    decision = Decision(text=text, owner_role=owner_role, owner_name=owner_name, due_on=due_on,
                        key_decision=key_decision, position=len(review.decisions))
    review.decisions.append(decision)
    session.flush()
    return decision
