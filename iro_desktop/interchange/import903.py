"""SSDA903 import: header, episodes and reviews CSVs checked whole, then written in bulk or not."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from iro_desktop.db.models import Child, Episode, Review
from iro_desktop.interchange import codes903
from iro_desktop.rules.participation import age_on
from iro_desktop.rules.reviews import SHORT_BREAK_STATUSES

log = logging.getLogger(__name__)

HEADER_FILE = "header.csv"
EPISODES_FILE = "episodes.csv"
REVIEWS_FILE = "reviews.csv"
CHILDREN_FILE = "children.csv"  # ours, optional: names the 903 return does not carry
REQUIRED_FILES = (HEADER_FILE, EPISODES_FILE, REVIEWS_FILE)
COLUMNS: dict[str, tuple[str, ...]] = {
    HEADER_FILE: codes903.HEADER_COLUMNS,
    EPISODES_FILE: codes903.EPISODES_COLUMNS,
    REVIEWS_FILE: codes903.REVIEWS_COLUMNS,
    CHILDREN_FILE: codes903.CHILDREN_COLUMNS,
}
MAX_FILE_BYTES = 200 * 1024 * 1024
CHILD_REF_RE = re.compile(r"^[A-Za-z0-9]{1,10}$")
# A UPN: a check letter and 12 digits, the last of which may be a letter (temporary UPNs);
# UN1-UN5 stand for "no UPN" with a reason.
UPN_RE = re.compile(r"^([A-Z][0-9]{11}[0-9A-Z]|UN[1-5])$")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?(?: ?[0-9][A-Z]{2})?$")
URN_RE = re.compile(r"^([A-Z0-9]{1,8}|XXXXXXX)$")
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem with the files: where it is (file, line, column) and why, in plain words."""

    file: str
    line: int  # the physical line in the file (the header row is line 1); 0 for the whole file
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f", line {self.line}"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.reason}"


@dataclass
class ImportResult:
    """What an import did, or every reason it did nothing."""

    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    children_added: int = 0
    children_updated: int = 0
    episodes_added: int = 0
    episodes_updated: int = 0
    reviews_added: int = 0
    reviews_updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return (
            self.children_added
            + self.children_updated
            + self.episodes_added
            + self.episodes_updated
            + self.reviews_added
            + self.reviews_updated
        )

    def summary(self) -> str:
        if self.errors:
            return f"Nothing imported: {len(self.errors)} problem(s) in the files."
        return (
            f"Children: {self.children_added} added, {self.children_updated} updated; "
            f"episodes: {self.episodes_added} added, {self.episodes_updated} updated; "
            f"reviews: {self.reviews_added} added, {self.reviews_updated} updated; "
            f"{len(self.warnings)} warning(s)."
        )


# ---------------------------------------------------------------- reading


def read_folder(folder: Path) -> tuple[dict[str, bytes | None], list[ImportProblem]]:
    """The raw bytes of each 903 file in `folder` (None for an absent optional file)."""
    files: dict[str, bytes | None] = {}
    problems: list[ImportProblem] = []
    if not folder.is_dir():
        reason = "This is a file, not a folder." if folder.exists() else (
            "This folder does not exist.")
        problems.append(ImportProblem(str(folder), 0, "", reason))
        return files, problems
    for name in (*REQUIRED_FILES, CHILDREN_FILE):
        path = _find_case_insensitive(folder, name)
        if path is None:
            files[name] = None
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                problems.append(
                    ImportProblem(name, 0, "", "The file is too large to be a 903 table.")
                )
                continue
            files[name] = path.read_bytes()
        except OSError as exc:
            problems.append(
                ImportProblem(name, 0, "", f"The file cannot be read ({exc.strerror}).")
            )
    return files, problems


def _find_case_insensitive(folder: Path, name: str) -> Path | None:
    exact = folder / name
    if exact.is_file():
        return exact
    for candidate in folder.iterdir():
        if candidate.name.lower() == name and candidate.is_file():
            return candidate
    return None


@dataclass
class _Table:
    name: str
    rows: list[tuple[int, dict[str, str]]]  # (line, {column: stripped value})


def _parse_table(name: str, raw: bytes, problems: list[ImportProblem]) -> _Table | None:
    """Decode and split one CSV; None when its shape is wrong (problems say why)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            ImportProblem(
                name,
                0,
                "",
                f"The file is not UTF-8 text (unreadable byte at position {exc.start}); "
                "save it as 'CSV UTF-8' and try again.",
            )
        )
        return None
    if "\x00" in text:
        problems.append(
            ImportProblem(
                name, 0, "", "The file contains NUL characters: it is not a CSV text file."
            )
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(ImportProblem(name, 1, "", f"The header row cannot be read ({exc})."))
        return None
    if header is None or not any(cell.strip() for cell in header):
        problems.append(ImportProblem(name, 1, "", "The file is empty: it needs a header row."))
        return None
    columns = [cell.strip().upper() for cell in header]
    expected = COLUMNS[name]
    shape_ok = True
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            problems.append(ImportProblem(name, 1, column, "This column appears twice."))
            shape_ok = False
        seen.add(column)
    for column in expected:
        if column not in seen:
            problems.append(ImportProblem(name, 1, column, "This column is missing."))
            shape_ok = False
    for column in columns:
        if column not in expected:
            shown = column if column else "(blank)"
            problems.append(
                ImportProblem(
                    name,
                    1,
                    shown,
                    f"This is not a column of the 903 {name.removesuffix('.csv')} table "
                    f"(expected exactly: {', '.join(expected)}).",
                )
            )
            shape_ok = False
    if not shape_ok:
        return None
    rows: list[tuple[int, dict[str, str]]] = []
    width = len(columns)
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # a blank line (often the last one)
            if len(cells) != width:
                problems.append(
                    ImportProblem(
                        name, line, "", f"This row has {len(cells)} cells; the header has {width}."
                    )
                )
                continue
            rows.append((line, {c: v.strip() for c, v in zip(columns, cells, strict=True)}))
    except csv.Error as exc:
        problems.append(
            ImportProblem(name, reader.line_num, "", f"The CSV cannot be read ({exc}).")
        )
        return None
    return _Table(name, rows)


# ---------------------------------------------------------------- checking


class _Checker:
    """Turns cells into values, noting every problem against its file, line and column."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.errors: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        self._dates: dict[str, dt.date | None] = {}

    def error(self, file: str, line: int, column: str, reason: str) -> None:
        self.errors.append(ImportProblem(file, line, column, reason))

    def warn(self, file: str, line: int, column: str, reason: str) -> None:
        self.warnings.append(ImportProblem(file, line, column, reason))

    def parse_date(self, text: str) -> dt.date | None:
        if text in self._dates:
            return self._dates[text]
        value: dt.date | None = None
        match = _DATE_RE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                value = dt.date(year, month, day)
            except ValueError:
                value = None
        self._dates[text] = value
        return value

    def date(
        self,
        file: str,
        line: int,
        row: dict[str, str],
        column: str,
        *,
        required: bool,
        not_future: bool = True,
    ) -> dt.date | None:
        text = row[column]
        if not text:
            if required:
                self.error(file, line, column, "A date is required here (dd/mm/YYYY).")
            return None
        value = self.parse_date(text)
        if value is None:
            self.error(file, line, column, f"{text!r} is not a real date in the form dd/mm/YYYY.")
            return None
        if value < EARLIEST_PLAUSIBLE:
            self.error(file, line, column, f"{text} is before 1900: it cannot be right.")
            return None
        if not_future and value > self.today:
            self.error(file, line, column, f"{text} is in the future.")
            return None
        return value

    def code(
        self,
        file: str,
        line: int,
        row: dict[str, str],
        column: str,
        table: Mapping[str, str],
        *,
        required: bool,
        what: str,
    ) -> str:
        text = row[column].upper()
        if not text:
            if required:
                self.error(file, line, column, f"A {what} code is required here.")
            return ""
        if text not in table:
            self.error(file, line, column, f"{row[column]!r} is not a {what} code.")
            return ""
        return text


@dataclass
class _HeaderRow:
    line: int
    child_ref: str
    sex: str
    dob: dt.date
    ethnicity: str
    upn: str
    mother: bool | None
    mc_dob: dt.date | None


@dataclass
class _EpisodeRow:
    line: int
    child_ref: str
    values: dict[str, Any]


@dataclass
class _ReviewRow:
    line: int
    child_ref: str
    review_date: dt.date
    code: str


def _check_header(table: _Table, check: _Checker) -> dict[str, _HeaderRow]:
    name = table.name
    children: dict[str, _HeaderRow] = {}
    first_line: dict[str, int] = {}
    for line, row in table.rows:
        ref = row["CHILD"]
        bad = len(check.errors)
        if not ref:
            check.error(name, line, "CHILD", "The child's identifier is missing.")
        elif not CHILD_REF_RE.match(ref):
            check.error(
                name,
                line,
                "CHILD",
                "A CHILD identifier is 1 to 10 letters or digits, with no spaces.",
            )
        elif ref in first_line:
            check.error(
                name, line, "CHILD", f"This child is already listed on line {first_line[ref]}."
            )
        sex_text = row["SEX"].upper()
        sex = codes903.SEX_NUMERIC.get(sex_text, sex_text)
        if sex not in codes903.SEX:
            check.error(name, line, "SEX", f"{row['SEX']!r} is not a sex code (M, F, U, 1 or 2).")
        dob = check.date(name, line, row, "DOB", required=True)
        ethnicity = check.code(
            name, line, row, "ETHNIC", codes903.ETHNICITY, required=False, what="903 ethnicity"
        )
        upn = row["UPN"].upper()
        if upn and not UPN_RE.match(upn):
            check.error(
                name,
                line,
                "UPN",
                "A UPN is 13 characters: a letter then 12 digits (or UN1 to UN5).",
            )
        mother_text = row["MOTHER"]
        mother: bool | None = None
        if mother_text in ("1", "0"):
            mother = mother_text == "1"
        elif mother_text:
            check.error(name, line, "MOTHER", "MOTHER is 1 (yes), 0 (no) or blank.")
        mc_dob = check.date(name, line, row, "MC_DOB", required=False)
        if mc_dob and dob and mc_dob <= dob:
            check.error(name, line, "MC_DOB", "The baby's date of birth is before the child's.")
        if len(check.errors) == bad and ref and dob:
            first_line[ref] = line
            children[ref] = _HeaderRow(line, ref, sex, dob, ethnicity, upn, mother, mc_dob)
        elif ref and ref not in first_line:
            first_line[ref] = line
    return children


def _check_episodes(
    table: _Table, check: _Checker, header_refs: set[str], dobs: dict[str, dt.date]
) -> list[_EpisodeRow]:
    name = table.name
    episodes: list[_EpisodeRow] = []
    first_line: dict[tuple[str, dt.date], int] = {}
    for line, row in table.rows:
        bad = len(check.errors)
        ref = row["CHILD"]
        if not ref:
            check.error(name, line, "CHILD", "The child's identifier is missing.")
        elif ref not in header_refs:
            check.error(name, line, "CHILD", f"Child {ref!r} is not in {HEADER_FILE}.")
        start = check.date(name, line, row, "DECOM", required=True)
        rne = check.code(
            name,
            line,
            row,
            "RNE",
            codes903.REASON_NEW_EPISODE,
            required=True,
            what="reason for new episode (RNE)",
        )
        legal_status = check.code(
            name, line, row, "LS", codes903.LEGAL_STATUS, required=True, what="legal status"
        )
        cin = check.code(
            name, line, row, "CIN", codes903.CIN, required=False, what="category of need"
        )
        placement = check.code(
            name, line, row, "PLACE", codes903.PLACEMENT, required=True, what="placement type"
        )
        provider = check.code(
            name,
            line,
            row,
            "PLACE_PROVIDER",
            codes903.PLACE_PROVIDER,
            required=False,
            what="placement provider",
        )
        end = check.date(name, line, row, "DEC", required=False)
        reason_ended = check.code(
            name,
            line,
            row,
            "REC",
            codes903.REASON_ENDED,
            required=False,
            what="reason episode ceased (REC)",
        )
        if row["DEC"] and not row["REC"]:
            check.error(name, line, "REC", "The episode has an end date (DEC) but no reason (REC).")
        if row["REC"] and not row["DEC"]:
            check.error(name, line, "DEC", "The episode has a reason ended (REC) but no end date.")
        if start and end and end < start:
            check.error(name, line, "DEC", "The episode ends (DEC) before it starts (DECOM).")
        dob = dobs.get(ref)
        if start and dob and start < dob:
            check.error(name, line, "DECOM", "The episode starts before the child's date of birth.")
        place_change = check.code(
            name,
            line,
            row,
            "REASON_PLACE_CHANGE",
            codes903.REASON_PLACE_CHANGE,
            required=False,
            what="reason for placement change",
        )
        postcodes: dict[str, str] = {}
        for column in ("HOME_POST", "PL_POST"):
            value = row[column].upper()
            if value and not POSTCODE_RE.match(value):
                check.error(name, line, column, f"{row[column]!r} is not a UK postcode.")
            postcodes[column] = value
        urn = row["URN"].upper()
        if urn and not URN_RE.match(urn):
            check.error(name, line, "URN", "A URN is up to 8 letters or digits (or XXXXXXX).")
        if ref and start:
            key = (ref, start)
            if key in first_line:
                check.error(
                    name,
                    line,
                    "DECOM",
                    f"This child already has an episode starting that day "
                    f"(line {first_line[key]}).",
                )
            else:
                first_line[key] = line
        if len(check.errors) == bad and start:
            episodes.append(
                _EpisodeRow(
                    line,
                    ref,
                    {
                        "start": start,
                        "reason_new_episode": rne,
                        "legal_status": legal_status,
                        "cin": cin,
                        "placement": placement,
                        "placement_provider": provider,
                        "end": end,
                        "reason_ended": reason_ended,
                        "reason_place_change": place_change,
                        "home_postcode": postcodes["HOME_POST"],
                        "placement_postcode": postcodes["PL_POST"],
                        "urn": urn,
                    },
                )
            )
    return episodes


def _check_reviews(
    table: _Table, check: _Checker, header_refs: set[str], dobs: dict[str, dt.date]
) -> list[_ReviewRow]:
    name = table.name
    reviews: list[_ReviewRow] = []
    first_line: dict[tuple[str, dt.date], int] = {}
    for line, row in table.rows:
        bad = len(check.errors)
        ref = row["CHILD"]
        if not ref:
            check.error(name, line, "CHILD", "The child's identifier is missing.")
        elif ref not in header_refs:
            check.error(name, line, "CHILD", f"Child {ref!r} is not in {HEADER_FILE}.")
        dob = check.date(name, line, row, "DOB", required=True)
        header_dob = dobs.get(ref)
        if dob and header_dob and dob != header_dob:
            check.error(
                name, line, "DOB", f"This date of birth differs from the one in {HEADER_FILE}."
            )
        review_date = check.date(name, line, row, "REVIEW", required=True)
        if review_date and header_dob and review_date < header_dob:
            check.error(name, line, "REVIEW", "The review is before the child's date of birth.")
        code = check.code(
            name,
            line,
            row,
            "REVIEW_CODE",
            dict.fromkeys(codes903.REVIEW_CODES, ""),
            required=True,
            what="participation (PN0 to PN7)",
        )
        if ref and review_date:
            key = (ref, review_date)
            if key in first_line:
                check.error(
                    name,
                    line,
                    "REVIEW",
                    f"This review is already listed on line {first_line[key]}.",
                )
            else:
                first_line[key] = line
        if len(check.errors) == bad and review_date and code:
            if header_dob:
                under_4 = age_on(header_dob, review_date) < 4
                if code == "PN0" and not under_4:
                    check.warn(
                        name,
                        line,
                        "REVIEW_CODE",
                        "PN0 is for a child under 4, but the child was 4 or older on the "
                        "review date (imported as given).",
                    )
                elif code != "PN0" and under_4:
                    check.warn(
                        name,
                        line,
                        "REVIEW_CODE",
                        f"{code} given for a child under 4 on the review date: PN0 is "
                        "expected (imported as given).",
                    )
            reviews.append(_ReviewRow(line, ref, review_date, code))
    return reviews


def _check_children(
    table: _Table, check: _Checker, header_refs: set[str]
) -> dict[str, dict[str, str]]:
    name = table.name
    names: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    for line, row in table.rows:
        bad = len(check.errors)
        ref = row["CHILD"]
        if not ref:
            check.error(name, line, "CHILD", "The child's identifier is missing.")
        elif ref not in header_refs:
            check.error(name, line, "CHILD", f"Child {ref!r} is not in {HEADER_FILE}.")
        elif ref in first_line:
            check.error(
                name, line, "CHILD", f"This child is already listed on line {first_line[ref]}."
            )
        for column in ("FIRST_NAME", "LAST_NAME", "PREFERRED_NAME"):
            if len(row[column]) > 80:
                check.error(name, line, column, "A name can be at most 80 characters.")
        if ref:
            first_line.setdefault(ref, line)
        if len(check.errors) == bad:
            names[ref] = {
                "first_name": row["FIRST_NAME"],
                "last_name": row["LAST_NAME"],
                "preferred_name": row["PREFERRED_NAME"],
            }
    return names


def _short_break_warnings(
    episodes: list[_EpisodeRow], reviews: list[_ReviewRow], check: _Checker
) -> None:
    statuses: dict[str, set[str]] = {}
    for episode in episodes:
        statuses.setdefault(episode.child_ref, set()).add(episode.values["legal_status"])
    warned: set[str] = set()
    for review in reviews:
        held = statuses.get(review.child_ref)
        if held and held <= SHORT_BREAK_STATUSES and review.child_ref not in warned:
            warned.add(review.child_ref)
            check.warn(
                REVIEWS_FILE,
                review.line,
                "CHILD",
                "This child is on short breaks only (V3/V4), which have no looked-after "
                "reviews in the 903 return (imported as given).",
            )


def _open_episode_warnings(episodes: list[_EpisodeRow], check: _Checker) -> None:
    """An episode with no end date should be the child's last: say so when it is not."""
    by_child: dict[str, list[_EpisodeRow]] = {}
    for episode in episodes:
        by_child.setdefault(episode.child_ref, []).append(episode)
    for rows in by_child.values():
        rows.sort(key=lambda e: e.values["start"])
        for earlier, later in itertools.pairwise(rows):
            if earlier.values["end"] is None:
                check.warn(
                    EPISODES_FILE,
                    earlier.line,
                    "DEC",
                    "This episode has no end date, but the child has a later episode (from "
                    f"{later.values['start']:%d/%m/%Y}); imported as given.",
                )


# ---------------------------------------------------------------- the use case


def import_903_folder(
    session: Session, folder: Path, *, today: dt.date | None = None
) -> ImportResult:
    """Import the 903 files in `folder`; nothing is written unless every file is right."""
    files, problems = read_folder(folder)
    if problems:
        return ImportResult(errors=problems)
    return import_903_files(session, files, today=today)


def import_903_files(
    session: Session, files: Mapping[str, bytes | None], *, today: dt.date | None = None
) -> ImportResult:
    """Check every file completely, then add or update children, episodes and reviews in bulk.

    Children are matched by CHILD, episodes by (child, DECOM), reviews by (child, date), so the
    same files imported twice change nothing. The caller owns the transaction.
    """
    today = today or dt.date.today()
    check = _Checker(today)
    structural: list[ImportProblem] = []
    tables: dict[str, _Table] = {}
    for name in (*REQUIRED_FILES, CHILDREN_FILE):
        raw = files.get(name)
        if raw is None:
            if name != CHILDREN_FILE:
                structural.append(
                    ImportProblem(name, 0, "", "This file is missing from the folder.")
                )
            continue
        table = _parse_table(name, raw, structural)
        if table is not None:
            tables[name] = table
    check.errors.extend(structural)

    header = _check_header(tables[HEADER_FILE], check) if HEADER_FILE in tables else {}
    header_refs = (
        {row["CHILD"] for _, row in tables[HEADER_FILE].rows} if HEADER_FILE in tables else set()
    )
    dobs = {ref: h.dob for ref, h in header.items()}
    episodes = (
        _check_episodes(tables[EPISODES_FILE], check, header_refs, dobs)
        if EPISODES_FILE in tables
        else []
    )
    reviews = (
        _check_reviews(tables[REVIEWS_FILE], check, header_refs, dobs)
        if REVIEWS_FILE in tables
        else []
    )
    names = (
        _check_children(tables[CHILDREN_FILE], check, header_refs)
        if CHILDREN_FILE in tables
        else None
    )
    if not check.errors:
        _short_break_warnings(episodes, reviews, check)
        _open_episode_warnings(episodes, check)
    result = ImportResult(errors=check.errors, warnings=check.warnings)
    if result.errors:
        log.info("903 import refused: %d error(s)", len(result.errors))
        return result
    _write(session, header=header, episodes=episodes, reviews=reviews, names=names,
           result=result)
    log.info(
        "903 import: %d children, %d episodes, %d reviews changed",
        result.children_added + result.children_updated,
        result.episodes_added + result.episodes_updated,
        result.reviews_added + result.reviews_updated,
    )
    return result


_CHILD_FIELDS = ("sex", "date_of_birth", "ethnicity", "upn", "mother", "mother_child_dob")
_NAME_FIELDS = ("first_name", "last_name", "preferred_name")
_EPISODE_FIELDS = (
    "reason_new_episode",
    "legal_status",
    "cin",
    "placement",
    "placement_provider",
    "end",
    "reason_ended",
    "reason_place_change",
    "home_postcode",
    "placement_postcode",
    "urn",
)


def _chunks(items: list[Any], size: int = 900) -> Iterator[list[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _write(
    session: Session,
    *,
    header: dict[str, _HeaderRow],
    episodes: list[_EpisodeRow],
    reviews: list[_ReviewRow],
    names: dict[str, dict[str, str]] | None,
    result: ImportResult,
) -> None:
    # A savepoint: should the database refuse a row, nothing of this import stays.
    with session.begin_nested():
        session.flush()
        # Core executemany on the session's connection: one statement per table, no ORM objects.
        connection = session.connection()
        existing = {
            row.child_ref: row
            for row in session.execute(
                select(
                    Child.id,
                    Child.child_ref,
                    *(getattr(Child, f) for f in _CHILD_FIELDS),
                    *(getattr(Child, f) for f in _NAME_FIELDS),
                )
            )
        }
        new_children: list[dict[str, Any]] = []
        changed_children: list[dict[str, Any]] = []
        for ref, h in header.items():
            values: dict[str, Any] = {
                "sex": h.sex,
                "date_of_birth": h.dob,
                "ethnicity": h.ethnicity,
                "upn": h.upn,
                "mother": h.mother,
                "mother_child_dob": h.mc_dob,
            }
            if names is not None and ref in names:
                values.update(names[ref])
            old = existing.get(ref)
            if old is None:
                new_children.append({"child_ref": ref, **values})
                continue
            if any(getattr(old, key) != value for key, value in values.items()):
                changed_children.append({"b_id": old.id, **values})
        if new_children:
            connection.execute(insert(Child.__table__), new_children)
        _update_many(session, Child, changed_children)
        result.children_added = len(new_children)
        result.children_updated = len(changed_children)

        ids: dict[str, int] = {
            ref: id_ for ref, id_ in session.execute(select(Child.child_ref, Child.id))
        }

        old_episodes = {
            (row.child_id, row.start): row
            for row in session.execute(
                select(
                    Episode.id,
                    Episode.child_id,
                    Episode.start,
                    *(getattr(Episode, f) for f in _EPISODE_FIELDS),
                )
            )
        }
        new_episodes: list[dict[str, Any]] = []
        changed_episodes: list[dict[str, Any]] = []
        for episode in episodes:
            child_id = ids[episode.child_ref]
            old = old_episodes.get((child_id, episode.values["start"]))
            if old is None:
                new_episodes.append({"child_id": child_id, **episode.values})
            elif any(getattr(old, f) != episode.values[f] for f in _EPISODE_FIELDS):
                changed_episodes.append(
                    {"b_id": old.id, **{f: episode.values[f] for f in _EPISODE_FIELDS}}
                )
        if new_episodes:
            connection.execute(insert(Episode.__table__), new_episodes)
        _update_many(session, Episode, changed_episodes)
        result.episodes_added = len(new_episodes)
        result.episodes_updated = len(changed_episodes)

        old_reviews = {
            (row.child_id, row.review_date): row
            for row in session.execute(
                select(
                    Review.id,
                    Review.child_id,
                    Review.review_date,
                    Review.participation_code,
                    Review.source,
                )
            )
        }
        new_reviews: list[dict[str, Any]] = []
        changed_reviews: list[dict[str, Any]] = []
        for review in reviews:
            child_id = ids[review.child_ref]
            old = old_reviews.get((child_id, review.review_date))
            if old is None:
                new_reviews.append(
                    {
                        "child_id": child_id,
                        "review_date": review.review_date,
                        "participation_code": review.code,
                        "source": "903",
                    }
                )
            elif old.participation_code != review.code:
                if old.source == "app":
                    result.warnings.append(
                        ImportProblem(
                            REVIEWS_FILE,
                            review.line,
                            "REVIEW_CODE",
                            f"This review was recorded in the app with {old.participation_code}; "
                            f"the app's record was kept, not {review.code}.",
                        )
                    )
                else:
                    changed_reviews.append({"b_id": old.id, "participation_code": review.code})
        if new_reviews:
            connection.execute(insert(Review.__table__), new_reviews)
        _update_many(session, Review, changed_reviews)
        result.reviews_added = len(new_reviews)
        result.reviews_updated = len(changed_reviews)


def _update_many(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Executemany UPDATE by primary key, grouped by the set of columns changed."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "b_id")), []).append(row)
    table = model.__table__
    for columns, group in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({c: bindparam(c) for c in columns})
        )
        session.connection().execute(statement, group)
