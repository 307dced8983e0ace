"""SSDA903 export: header.csv, episodes.csv and reviews.csv for one collection year.

`--year 2026` means the 2025-26 collection: 1 April 2025 to 31 March 2026, the DfE's convention
(the year in which the collection ends; the public validator's `collectionYear` uses it too).

- episodes: every episode open at some time in the year; DEC, REC and REASON_PLACE_CHANGE are
  left blank when the episode ends after 31 March (it was still open at the year's end);
- header: the children with at least one such episode;
- reviews: the reviews held in the year during an episode that is not a short break (V3/V4):
  children on short breaks have no reviews in the return.
Columns, codes and dd/mm/YYYY dates exactly as the return has them: SEX as M/F/U (the 2024-25
and later returns; 1/2 before), MOTHER as 1/0.

Every review in the return must carry its REVIEW_CODE: a review saved as a draft before the IRO
chose the participation code refuses the whole export (`CodesMissing`, listing each child's 903
id and review date) and nothing is written. All three files are written, or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from iro_desktop.db.models import Child, Episode
from iro_desktop.interchange.codes903 import (
    DATE_FORMAT,
    EPISODES_COLUMNS,
    HEADER_COLUMNS,
    REVIEW_CODES,
    REVIEWS_COLUMNS,
    SEX,
)
from iro_desktop.rules.reviews import SHORT_BREAK_STATUSES


def collection_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """(1 April year-1, 31 March year): `year` is the year the collection ends."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def current_collection_year(today: dt.date) -> int:
    """The collection year that contains `today` (April 2025 to March 2026 -> 2026)."""
    return today.year + 1 if today.month >= 4 else today.year


def _d(day: dt.date | None) -> str:
    return day.strftime(DATE_FORMAT) if day is not None else ""


@dataclass
class Export903Result:
    year: int
    children: int = 0
    episodes: int = 0
    reviews: int = 0
    reviews_left_out: int = 0  # short breaks, or outside any episode
    warnings: list[str] = field(default_factory=list)  # ids and counts only
    files: list[Path] = field(default_factory=list)


class CodesMissing(Exception):
    """Reviews in the return with no participation code yet (drafts): the export is refused.

    `missing` lists (903 CHILD id, review date). The message names children by 903 id only; it is
    for the IRO's screen and is never logged."""

    def __init__(self, missing: list[tuple[str, dt.date]]) -> None:
        self.missing = missing
        listed = ", ".join(f"{ref} (review of {_d(day)})" for ref, day in missing)
        super().__init__(
            f"The 903 return needs the participation code of every review held in the year, and "
            f"{len(missing)} review(s) do not have one yet: {listed}. Open each review, choose "
            "the participation code first, then export again. Nothing was written."
        )


def _open_in_year(e: Episode, start: dt.date, end: dt.date) -> bool:
    return e.start <= end and (e.end is None or e.end >= start)


def _episode_at(child: Child, day: dt.date) -> Episode | None:
    found = None
    for e in child.episodes:
        if e.start <= day and (e.end is None or day <= e.end):
            found = e  # the later one wins on a changeover day
    return found


def build_903_tables(
    session: Session, year: int
) -> tuple[dict[str, list[list[str]]], Export903Result]:
    """The three tables as rows of strings (header row first). Raises `CodesMissing` when a
    review that belongs in the return has no participation code yet."""
    start, end = collection_year_bounds(year)
    result = Export903Result(year=year)
    header: list[list[str]] = [list(HEADER_COLUMNS)]
    episodes: list[list[str]] = [list(EPISODES_COLUMNS)]
    reviews: list[list[str]] = [list(REVIEWS_COLUMNS)]
    children = session.scalars(
        select(Child)
        .order_by(Child.child_ref)
        .options(selectinload(Child.episodes), selectinload(Child.reviews))
    ).all()
    missing: list[tuple[str, dt.date]] = []
    for child in children:
        in_year = [e for e in child.episodes if _open_in_year(e, start, end)]
        if not in_year:
            continue
        result.children += 1
        sex = child.sex if child.sex in SEX else "U"
        mother = "" if child.mother is None else ("1" if child.mother else "0")
        header.append(
            [
                child.child_ref,
                sex,
                _d(child.date_of_birth),
                child.ethnicity,
                child.upn,
                mother,
                _d(child.mother_child_dob),
            ]
        )
        for e in in_year:
            ended = e.end is not None and e.end <= end
            episodes.append(
                [
                    child.child_ref,
                    _d(e.start),
                    e.reason_new_episode,
                    e.legal_status,
                    e.cin,
                    e.placement,
                    e.placement_provider,
                    _d(e.end) if ended else "",
                    e.reason_ended if ended else "",
                    # The reason for a placement change goes with the episode's end (rule 233).
                    e.reason_place_change if ended else "",
                    e.home_postcode,
                    e.placement_postcode,
                    e.urn,
                ]
            )
            result.episodes += 1
        for r in child.reviews:
            if not start <= r.review_date <= end:
                continue
            episode = _episode_at(child, r.review_date)
            if episode is None or episode.legal_status in SHORT_BREAK_STATUSES:
                result.reviews_left_out += 1
                continue
            if r.participation_code not in REVIEW_CODES:  # a draft: the code not chosen yet
                missing.append((child.child_ref, r.review_date))
            reviews.append(
                [child.child_ref, _d(child.date_of_birth), _d(r.review_date), r.participation_code]
            )
            result.reviews += 1
    if missing:
        raise CodesMissing(sorted(missing))
    return {"header.csv": header, "episodes.csv": episodes, "reviews.csv": reviews}, result


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export_903(session: Session, folder: Path, year: int) -> Export903Result:
    """Write the three files into `folder` (created if needed), all or nothing: refused
    (`CodesMissing`) before anything is written when a review has no participation code yet;
    otherwise each file is written beside its final name, and only once all three are written
    are they renamed, so a failure leaves no half file and no mix of old and new files."""
    tables, result = build_903_tables(session, year)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for name, rows in tables.items():
            partial = folder / f".{name}.partial"
            partial.write_bytes(_csv_bytes(rows))
            written.append((partial, folder / name))
    except BaseException:
        for partial, _target in written:
            partial.unlink(missing_ok=True)
        (folder / f".{name}.partial").unlink(missing_ok=True)
        raise
    for partial, target in written:
        partial.replace(target)
        result.files.append(target)
    return result
