"""SSDA903 import: header, episodes and reviews CSVs checked whole, then written in bulk or not."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from iro_desktop.db.models import Child, Episode, Review
from iro_desktop.interchange import codes903
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
    # (line, cells): every cell stripped, in the order of COLUMNS[name] whatever the file's order.
    rows: list[tuple[int, list[str]]]


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
    # Exactly the expected columns, once each: put every row's cells in the expected order.
    order = [columns.index(column) for column in expected]
    reorder = order != list(range(len(order)))
    width = len(columns)
    rows: list[tuple[int, list[str]]] = []
    append = rows.append
    strip = str.strip
    try:
        for cells in reader:
            values = list(map(strip, cells))
            if not any(values):
                continue  # a blank line (often the last one)
            if len(values) != width:
                problems.append(
                    ImportProblem(
                        name, reader.line_num, "",
                        f"This row has {len(values)} cells; the header has {width}.",
                    )
                )
                continue
            if reorder:
                values = [values[index] for index in order]
            append((reader.line_num, values))
    except csv.Error as exc:
        problems.append(
            ImportProblem(name, reader.line_num, "", f"The CSV cannot be read ({exc}).")
        )
        return None
    return _Table(name, rows)


# ---------------------------------------------------------------- checking
#
# The checks run once per cell over up to a few hundred thousand cells, so the usual case is a
# dictionary or set lookup inline: a cell already seen to be a good date, a code as it appears in
# the code list. Anything else goes to the _Checker method that says exactly what is wrong.

_REVIEW_CODES = frozenset(codes903.REVIEW_CODES)
_REVIEW_CODE_TABLE = dict.fromkeys(codes903.REVIEW_CODES, "")
_SEX_OF = {**{code: code for code in codes903.SEX}, **codes903.SEX_NUMERIC}


class _Checker:
    """Turns cells into values, noting every problem against its file, line and column."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.errors: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        self._parsed: dict[str, dt.date | None] = {}
        # Cells already found to be real dates from 1900 to today: the checks look here first.
        self.good_dates: dict[str, dt.date] = {}
        # Postcode and URN cells already found good, with the value to store (upper case).
        self.good_postcodes: dict[str, str] = {"": ""}
        self.good_urns: dict[str, str] = {"": ""}

    def error(self, file: str, line: int, column: str, reason: str) -> None:
        self.errors.append(ImportProblem(file, line, column, reason))

    def warn(self, file: str, line: int, column: str, reason: str) -> None:
        self.warnings.append(ImportProblem(file, line, column, reason))

    def parse_date(self, text: str) -> dt.date | None:
        """dd/mm/YYYY (one-digit day and month allowed) as a date, None if it is not one."""
        if text in self._parsed:
            return self._parsed[text]
        value: dt.date | None = None
        digits = text[0:2] + text[3:5] + text[6:10] if len(text) == 10 else ""
        if digits and text[2] == text[5] == "/" and digits.isascii() and digits.isdigit():
            day, month, year = int(text[0:2]), int(text[3:5]), int(text[6:10])
        else:  # the other shapes the pattern allows (1/3/2024), or not a date at all
            match = _DATE_RE.match(text)
            day, month, year = (int(g) for g in match.groups()) if match else (0, 0, 0)
        if year:
            try:
                value = dt.date(year, month, day)
            except ValueError:
                value = None
        self._parsed[text] = value
        return value

    def date(self, file: str, line: int, column: str, text: str, *, required: bool
             ) -> dt.date | None:
        """The date in `text` (None, with the error noted, when it is not a good one)."""
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
        if value > self.today:
            self.error(file, line, column, f"{text} is in the future.")
            return None
        self.good_dates[text] = value
        return value

    def code(
        self,
        file: str,
        line: int,
        column: str,
        text: str,
        table: Mapping[str, str],
        *,
        required: bool,
        what: str,
    ) -> str:
        """The code in `text` in upper case ("" when blank or wrong, the error noted)."""
        upper = text.upper()
        if not upper:
            if required:
                self.error(file, line, column, f"A {what} code is required here.")
            return ""
        if upper not in table:
            self.error(file, line, column, f"{text!r} is not a {what} code.")
            return ""
        return upper

    def postcode(self, file: str, line: int, column: str, text: str) -> str:
        value = text.upper()
        if value and not POSTCODE_RE.match(value):
            self.error(file, line, column, f"{text!r} is not a UK postcode.")
        else:
            self.good_postcodes[text] = value
        return value

    def urn(self, file: str, line: int, text: str) -> str:
        value = text.upper()
        if value and not URN_RE.match(value):
            self.error(file, line, "URN", "A URN is up to 8 letters or digits (or XXXXXXX).")
        else:
            self.good_urns[text] = value
        return value


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


# An episode: (line, CHILD, values in _EPISODE_VALUES order).
_EpisodeRow = tuple[int, str, tuple[Any, ...]]
_EPISODE_VALUES = (
    "start",
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
_START, _LEGAL_STATUS, _END = 0, 2, 6
# A review: (line, CHILD, review date, participation code).
_ReviewRow = tuple[int, str, dt.date, str]


def _check_header(table: _Table, check: _Checker) -> dict[str, _HeaderRow]:
    name = table.name
    children: dict[str, _HeaderRow] = {}
    first_line: dict[str, int] = {}
    errors = check.errors
    good_dates = check.good_dates
    for line, (ref, sex_text, dob_text, ethnic_text, upn_text, mother_text, mc_dob_text) in (
        table.rows
    ):
        bad = len(errors)
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
        sex = _SEX_OF.get(sex_text)
        if sex is None:
            upper = sex_text.upper()
            sex = codes903.SEX_NUMERIC.get(upper, upper)
            if sex not in codes903.SEX:
                check.error(name, line, "SEX", f"{sex_text!r} is not a sex code (M, F, U, 1 or 2).")
        dob = good_dates.get(dob_text) or check.date(name, line, "DOB", dob_text, required=True)
        ethnicity = (
            ethnic_text
            if ethnic_text in codes903.ETHNICITY
            else check.code(
                name, line, "ETHNIC", ethnic_text, codes903.ETHNICITY, required=False,
                what="903 ethnicity",
            )
        )
        upn = upn_text.upper()
        if upn and not UPN_RE.match(upn):
            check.error(
                name,
                line,
                "UPN",
                "A UPN is 13 characters: a letter then 12 digits (or UN1 to UN5).",
            )
        mother: bool | None = None
        if mother_text in ("1", "0"):
            mother = mother_text == "1"
        elif mother_text:
            check.error(name, line, "MOTHER", "MOTHER is 1 (yes), 0 (no) or blank.")
        mc_dob = (
            good_dates.get(mc_dob_text)
            or check.date(name, line, "MC_DOB", mc_dob_text, required=False)
            if mc_dob_text
            else None
        )
        if mc_dob and dob and mc_dob <= dob:
            check.error(name, line, "MC_DOB", "The baby's date of birth is before the child's.")
        if len(errors) == bad and ref and dob:
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
    errors = check.errors
    good_dates = check.good_dates
    good_postcodes = check.good_postcodes
    good_urns = check.good_urns
    rnes = codes903.REASON_NEW_EPISODE
    legal_statuses = codes903.LEGAL_STATUS
    cins = codes903.CIN
    placements = codes903.PLACEMENT
    providers = codes903.PLACE_PROVIDER
    reasons_ended = codes903.REASON_ENDED
    place_changes = codes903.REASON_PLACE_CHANGE
    for line, (
        ref, decom, rne_text, ls_text, cin_text, place_text, provider_text, dec, rec,
        place_change_text, home_text, pl_text, urn_text,
    ) in table.rows:
        bad = len(errors)
        if not ref:
            check.error(name, line, "CHILD", "The child's identifier is missing.")
        elif ref not in header_refs:
            check.error(name, line, "CHILD", f"Child {ref!r} is not in {HEADER_FILE}.")
        start = good_dates.get(decom) or check.date(name, line, "DECOM", decom, required=True)
        rne = rne_text if rne_text in rnes else check.code(
            name, line, "RNE", rne_text, rnes, required=True,
            what="reason for new episode (RNE)",
        )
        legal_status = ls_text if ls_text in legal_statuses else check.code(
            name, line, "LS", ls_text, legal_statuses, required=True, what="legal status"
        )
        cin = cin_text if (cin_text in cins or not cin_text) else check.code(
            name, line, "CIN", cin_text, cins, required=False, what="category of need"
        )
        placement = place_text if place_text in placements else check.code(
            name, line, "PLACE", place_text, placements, required=True, what="placement type"
        )
        provider = provider_text if (
            provider_text in providers or not provider_text
        ) else check.code(
            name, line, "PLACE_PROVIDER", provider_text, providers, required=False,
            what="placement provider",
        )
        end = (
            good_dates.get(dec) or check.date(name, line, "DEC", dec, required=False)
            if dec
            else None
        )
        reason_ended = rec if (rec in reasons_ended or not rec) else check.code(
            name, line, "REC", rec, reasons_ended, required=False,
            what="reason episode ceased (REC)",
        )
        if dec and not rec:
            check.error(name, line, "REC", "The episode has an end date (DEC) but no reason (REC).")
        if rec and not dec:
            check.error(name, line, "DEC", "The episode has a reason ended (REC) but no end date.")
        if start and end and end < start:
            check.error(name, line, "DEC", "The episode ends (DEC) before it starts (DECOM).")
        dob = dobs.get(ref)
        if start and dob and start < dob:
            check.error(name, line, "DECOM", "The episode starts before the child's date of birth.")
        place_change = place_change_text if (
            place_change_text in place_changes or not place_change_text
        ) else check.code(
            name, line, "REASON_PLACE_CHANGE", place_change_text, place_changes,
            required=False, what="reason for placement change",
        )
        home = good_postcodes.get(home_text)
        if home is None:
            home = check.postcode(name, line, "HOME_POST", home_text)
        placement_postcode = good_postcodes.get(pl_text)
        if placement_postcode is None:
            placement_postcode = check.postcode(name, line, "PL_POST", pl_text)
        urn = good_urns.get(urn_text)
        if urn is None:
            urn = check.urn(name, line, urn_text)
        if ref and start:
            first = first_line.setdefault((ref, start), line)
            if first != line:
                check.error(
                    name,
                    line,
                    "DECOM",
                    f"This child already has an episode starting that day (line {first}).",
                )
        if len(errors) == bad and start:
            episodes.append(
                (
                    line,
                    ref,
                    (
                        start, rne, legal_status, cin, placement, provider, end, reason_ended,
                        place_change, home, placement_postcode, urn,
                    ),
                )
            )
    return episodes


def _fourth_birthday(dob: dt.date) -> dt.date:
    """The first day on which rules.participation.age_on(dob, day) is 4 (29 February: 1 March)."""
    try:
        return dob.replace(year=dob.year + 4)
    except ValueError:
        return dt.date(dob.year + 4, 3, 1)


def _check_reviews(
    table: _Table, check: _Checker, header_refs: set[str], dobs: dict[str, dt.date]
) -> list[_ReviewRow]:
    name = table.name
    reviews: list[_ReviewRow] = []
    append = reviews.append
    first_line: dict[tuple[str, dt.date], int] = {}
    errors = check.errors
    good_dates = check.good_dates
    fourth: dict[str, dt.date] = {}
    for line, (ref, dob_text, review_text, code_text) in table.rows:
        bad = len(errors)
        if not ref:
            check.error(name, line, "CHILD", "The child's identifier is missing.")
        elif ref not in header_refs:
            check.error(name, line, "CHILD", f"Child {ref!r} is not in {HEADER_FILE}.")
        dob = good_dates.get(dob_text) or check.date(name, line, "DOB", dob_text, required=True)
        header_dob = dobs.get(ref)
        if dob and header_dob and dob != header_dob:
            check.error(
                name, line, "DOB", f"This date of birth differs from the one in {HEADER_FILE}."
            )
        review_date = good_dates.get(review_text) or check.date(
            name, line, "REVIEW", review_text, required=True
        )
        if review_date and header_dob and review_date < header_dob:
            check.error(name, line, "REVIEW", "The review is before the child's date of birth.")
        code = code_text if code_text in _REVIEW_CODES else check.code(
            name, line, "REVIEW_CODE", code_text, _REVIEW_CODE_TABLE, required=True,
            what="participation (PN0 to PN7)",
        )
        if ref and review_date:
            first = first_line.setdefault((ref, review_date), line)
            if first != line:
                check.error(
                    name, line, "REVIEW", f"This review is already listed on line {first}."
                )
        if len(errors) == bad and review_date and code:
            if header_dob:
                turns_4 = fourth.get(ref)
                if turns_4 is None:
                    turns_4 = fourth[ref] = _fourth_birthday(header_dob)
                under_4 = review_date < turns_4
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
            append((line, ref, review_date, code))
    return reviews


def _check_children(
    table: _Table, check: _Checker, header_refs: set[str]
) -> dict[str, dict[str, str]]:
    name = table.name
    names: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    for line, (ref, first_name, last_name, preferred_name) in table.rows:
        bad = len(check.errors)
        if not ref:
            check.error(name, line, "CHILD", "The child's identifier is missing.")
        elif ref not in header_refs:
            check.error(name, line, "CHILD", f"Child {ref!r} is not in {HEADER_FILE}.")
        elif ref in first_line:
            check.error(
                name, line, "CHILD", f"This child is already listed on line {first_line[ref]}."
            )
        for column, value in (
            ("FIRST_NAME", first_name),
            ("LAST_NAME", last_name),
            ("PREFERRED_NAME", preferred_name),
        ):
            if len(value) > 80:
                check.error(name, line, column, "A name can be at most 80 characters.")
        if ref:
            first_line.setdefault(ref, line)
        if len(check.errors) == bad:
            names[ref] = {
                "first_name": first_name,
                "last_name": last_name,
                "preferred_name": preferred_name,
            }
    return names


def _short_break_warnings(
    episodes: list[_EpisodeRow], reviews: list[_ReviewRow], check: _Checker
) -> None:
    statuses: dict[str, set[str]] = {}
    for _, ref, values in episodes:
        statuses.setdefault(ref, set()).add(values[_LEGAL_STATUS])
    short_breaks_only = {ref for ref, held in statuses.items() if held <= SHORT_BREAK_STATUSES}
    if not short_breaks_only:
        return
    warned: set[str] = set()
    for line, ref, _, _ in reviews:
        if ref in short_breaks_only and ref not in warned:
            warned.add(ref)
            check.warn(
                REVIEWS_FILE,
                line,
                "CHILD",
                "This child is on short breaks only (V3/V4), which have no looked-after "
                "reviews in the 903 return (imported as given).",
            )


def _open_episode_warnings(episodes: list[_EpisodeRow], check: _Checker) -> None:
    """An episode with no end date should be the child's last: say so when it is not."""
    by_child: dict[str, list[_EpisodeRow]] = {}
    for episode in episodes:
        by_child.setdefault(episode[1], []).append(episode)
    for rows in by_child.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda e: e[2][_START])
        for (line, _, earlier), (_, _, later) in itertools.pairwise(rows):
            if earlier[_END] is None:
                check.warn(
                    EPISODES_FILE,
                    line,
                    "DEC",
                    "This episode has no end date, but the child has a later episode (from "
                    f"{later[_START]:%d/%m/%Y}); imported as given.",
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
        {cells[0] for _, cells in tables[HEADER_FILE].rows} if HEADER_FILE in tables else set()
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


# ---------------------------------------------------------------- writing
#
# Straight through the DB-API cursor of the session's own connection (so inside its transaction
# and savepoint): one SELECT per table for what is there already, then one executemany per
# statement. Values are turned into what SQLAlchemy would store (its own bind processors: dates
# as 'YYYY-MM-DD', booleans as 0/1, JSON as text), so the ORM reads the rows back as usual, and
# the columns the import does not set get the model's defaults.

_CHILD_FIELDS = ("sex", "date_of_birth", "ethnicity", "upn", "mother", "mother_child_dob")
_NAME_FIELDS = ("first_name", "last_name", "preferred_name")
_EPISODE_FIELDS = _EPISODE_VALUES[1:]
_REVIEW_FIELDS = ("participation_code", "source")


def _bind_processor(column: Any, dialect: Any) -> Callable[[Any], Any]:
    """The function SQLAlchemy applies to a value of `column` before it goes to the driver."""
    return column.type.dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)


class _Stored(dict[Any, Any]):
    """Value -> how the column type stores it, each distinct value converted once."""

    def __init__(self, column: Any, dialect: Any) -> None:
        super().__init__({None: None})
        self._process = _bind_processor(column, dialect)

    def __missing__(self, value: Any) -> Any:
        stored = self[value] = self._process(value)
        return stored


def _defaults(table: Any, given: tuple[str, ...], dialect: Any, *, update: bool = False
              ) -> dict[str, Any]:
    """The stored values of the model's Python-side defaults (onupdate ones for an UPDATE) for
    the columns not in `given`; one call per import, so every row of it gets the same time."""
    values: dict[str, Any] = {}
    for column in table.columns:
        default = column.onupdate if update else column.default
        if column.name in given or column.primary_key or default is None:
            continue
        if default.is_scalar:
            value = default.arg
        elif default.is_callable:
            value = default.arg(None)
        else:  # pragma: no cover - the models use no SQL-expression defaults
            raise TypeError(f"{table.name}.{column.name}: unsupported default")
        values[column.name] = _bind_processor(column, dialect)(value)
    return values


class _Writer:
    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self.dialect = connection.dialect
        self.quote = self.dialect.identifier_preparer.quote
        self.cursor = connection.connection.cursor()

    def select(self, table: str, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
        self.cursor.execute(
            f"SELECT {', '.join(map(self.quote, columns))} FROM {self.quote(table)}"
        )
        return self.cursor.fetchall()

    def insert(self, model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """INSERT the rows (values for `columns`), the model's defaults for the other columns."""
        if not rows:
            return
        table = model.__table__
        defaults = _defaults(table, columns, self.dialect)
        names = (*columns, *defaults)
        extra = tuple(defaults.values())
        self.cursor.executemany(
            f"INSERT INTO {self.quote(table.name)} ({', '.join(map(self.quote, names))}) "
            f"VALUES ({', '.join('?' * len(names))})",
            [row + extra for row in rows] if extra else rows,
        )

    def update(self, model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """UPDATE by id: each row is (values for `columns`..., id); onupdate columns too."""
        if not rows:
            return
        table = model.__table__
        defaults = _defaults(table, columns, self.dialect, update=True)
        names = (*columns, *defaults)
        extra = tuple(defaults.values())
        assignments = ", ".join(f"{self.quote(name)} = ?" for name in names)
        self.cursor.executemany(
            f"UPDATE {self.quote(table.name)} SET {assignments} WHERE id = ?",
            [(*row[:-1], *extra, row[-1]) for row in rows],
        )

    def close(self) -> None:
        self.cursor.close()


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
        writer = _Writer(session)
        try:
            _write_rows(
                writer, header=header, episodes=episodes, reviews=reviews, names=names,
                result=result,
            )
        finally:
            writer.close()


def _write_rows(
    writer: _Writer,
    *,
    header: dict[str, _HeaderRow],
    episodes: list[_EpisodeRow],
    reviews: list[_ReviewRow],
    names: dict[str, dict[str, str]] | None,
    result: ImportResult,
) -> None:
    dialect = writer.dialect
    day = _Stored(Child.__table__.c.date_of_birth, dialect)
    flag = _Stored(Child.__table__.c.mother, dialect)

    # Children, by CHILD.
    existing = {
        row[1]: (row[0], row[2:8], row[8:])
        for row in writer.select("child", ("id", "child_ref", *_CHILD_FIELDS, *_NAME_FIELDS))
    }
    no_names = ("", "", "")
    new_children: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    changed_with_names: list[tuple[Any, ...]] = []
    for ref, h in header.items():
        values = (h.sex, day[h.dob], h.ethnicity, h.upn, flag[h.mother], day[h.mc_dob])
        given = names.get(ref) if names is not None else None
        new_names = tuple(given.values()) if given is not None else None
        old = existing.get(ref)
        if old is None:
            new_children.append((ref, *values, *(new_names or no_names)))
        elif new_names is None:
            if old[1] != values:
                changed.append((*values, old[0]))
        elif old[1] != values or old[2] != new_names:
            changed_with_names.append((*values, *new_names, old[0]))
    writer.insert(Child, ("child_ref", *_CHILD_FIELDS, *_NAME_FIELDS), new_children)
    writer.update(Child, _CHILD_FIELDS, changed)
    writer.update(Child, (*_CHILD_FIELDS, *_NAME_FIELDS), changed_with_names)
    result.children_added = len(new_children)
    result.children_updated = len(changed) + len(changed_with_names)

    ids: dict[str, int] = {
        ref: id_ for id_, ref in writer.select("child", ("id", "child_ref"))
    } if new_children else {ref: old[0] for ref, old in existing.items()}

    # Episodes, by (child, DECOM).
    old_episodes = {
        (row[1], row[2]): (row[0], row[3:])
        for row in writer.select("episode", ("id", "child_id", "start", *_EPISODE_FIELDS))
    }
    new_episodes: list[tuple[Any, ...]] = []
    changed_episodes: list[tuple[Any, ...]] = []
    for _, ref, values in episodes:
        child_id = ids[ref]
        start = day[values[_START]]
        stored = (*values[1:_END], day[values[_END]], *values[_END + 1 :])
        old = old_episodes.get((child_id, start))
        if old is None:
            new_episodes.append((child_id, start, *stored))
        elif old[1] != stored:
            changed_episodes.append((*stored, old[0]))
    writer.insert(Episode, ("child_id", "start", *_EPISODE_FIELDS), new_episodes)
    writer.update(Episode, _EPISODE_FIELDS, changed_episodes)
    result.episodes_added = len(new_episodes)
    result.episodes_updated = len(changed_episodes)

    # Reviews, by (child, date); a review recorded in the app keeps its own code.
    old_reviews = {
        (row[1], row[2]): (row[0], row[3], row[4])
        for row in writer.select("review", ("id", "child_id", "review_date", *_REVIEW_FIELDS))
    }
    new_reviews: list[tuple[Any, ...]] = []
    changed_reviews: list[tuple[Any, ...]] = []
    for line, ref, review_date, code in reviews:
        child_id = ids[ref]
        held = day[review_date]
        old = old_reviews.get((child_id, held))
        if old is None:
            new_reviews.append((child_id, held, code, "903"))
        elif old[1] != code:
            if old[2] == "app":
                result.warnings.append(
                    ImportProblem(
                        REVIEWS_FILE,
                        line,
                        "REVIEW_CODE",
                        f"This review was recorded in the app with {old[1]}; "
                        f"the app's record was kept, not {code}.",
                    )
                )
            else:
                changed_reviews.append((code, old[0]))
    writer.insert(Review, ("child_id", "review_date", *_REVIEW_FIELDS), new_reviews)
    writer.update(Review, ("participation_code",), changed_reviews)
    result.reviews_added = len(new_reviews)
    result.reviews_updated = len(changed_reviews)
