"""Fuzzing the 903 importer: broken inputs of every kind, no traceback, never a partial write.

The examples are few and aimed (each strategy breaks one layer: bytes, encoding, header, cells,
whole tables) so the file runs in a few seconds on CI; IRO_FUZZ=thorough runs ten times as many,
randomised, for a deeper look before a release.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from iro_desktop.interchange import codes903
from iro_desktop.interchange.import903 import (
    CHILDREN_FILE,
    EPISODES_FILE,
    HEADER_FILE,
    REVIEWS_FILE,
    ImportProblem,
    import_903_files,
)
from tests.interchange.test_import903_support import (
    CHILDREN,
    EPISODES,
    HEADER,
    REVIEWS,
    TODAY,
    snapshot,
)

NAMES = (HEADER_FILE, EPISODES_FILE, REVIEWS_FILE, CHILDREN_FILE)
VALID = {
    HEADER_FILE: HEADER,
    EPISODES_FILE: EPISODES,
    REVIEWS_FILE: REVIEWS,
    CHILDREN_FILE: CHILDREN,
}
THOROUGH = os.environ.get("IRO_FUZZ") == "thorough"


def fuzz(examples: int) -> settings:
    """`examples` on CI (the same ones every run); ten times as many, random, when thorough."""
    return settings(
        max_examples=examples * 10 if THOROUGH else examples,
        deadline=None,
        derandomize=not THOROUGH,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture
def loaded(session):
    """A store already holding the valid files: a broken import must leave every value alone."""
    files = {name: text.encode() for name, text in VALID.items()}
    assert import_903_files(session, files, today=TODAY).ok
    session.flush()
    return session


def check(session, files) -> None:
    """Run one import in a savepoint; the contract holds; the savepoint is rolled back after."""
    before = snapshot(session)
    nested = session.begin_nested()
    try:
        result = import_903_files(session, files, today=TODAY)
        for problem in [*result.errors, *result.warnings]:
            assert isinstance(problem, ImportProblem)
            assert problem.file in NAMES
            assert problem.line >= 0
            assert problem.reason and isinstance(problem.reason, str)
            str(problem)  # printable
        if result.errors:
            assert result.changed == 0
            session.flush()
            assert snapshot(session) == before
    finally:
        nested.rollback()


cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=14)
csv_noise = st.sampled_from(
    [
        "",
        " ",
        ",",
        '"',
        '""',
        "\n",
        "\r\n",
        "'",
        "01/01/2020",
        "31/02/2020",
        "29/02/2023",
        "00/00/0000",
        "99/99/9999",
        "1/1/20",
        "2020-01-01",
        "PN0",
        "PN8",
        "X1",
        "E4A",
        "C2",
        "U4",
        "S",
        "M",
        "2",
        "ZZ1 1ZZ",
        "A12345678901B",
        "C001",
        "C999",
        "\ufeff",
        "\x00",
        "é",
        "0",
        "-1",
        "9" * 40,
    ]
)
cell = st.one_of(cell_text, csv_noise)


# Random bytes alone rarely get past the UTF-8 check: after a good header row they reach the rows.
def _after_header(name: str) -> st.SearchStrategy[bytes]:
    return st.binary(max_size=300).map(lambda tail: VALID[name].split("\n", 1)[0].encode() + tail)


@fuzz(150)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.binary(max_size=400), _after_header(name)) for name in NAMES
        },
    )
)
def test_random_bytes(loaded, raw):
    check(loaded, {**{n: None for n in NAMES}, **raw})


@fuzz(250)
@given(st.sampled_from(NAMES[:3]), st.data())
def test_random_cells_in_valid_files(loaded, name, data):
    lines = VALID[name].splitlines()
    rows = [line.split(",") for line in lines]
    for _ in range(data.draw(st.integers(1, 4))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(cell)
    text = "\n".join(",".join(row) for row in rows) + "\n"
    files = {n: t.encode() for n, t in VALID.items()}
    files[name] = text.encode("utf-8", "surrogatepass")
    check(loaded, files)


@fuzz(120)
@given(
    st.sampled_from(NAMES),
    st.integers(0, 400),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
)
def test_truncated_and_re_encoded_files(loaded, name, cut, encoding):
    files = {n: t.encode() for n, t in VALID.items()}
    text = VALID[name].replace("Testwood", "Tëstwood")
    files[name] = text.encode(encoding)[:cut]
    check(loaded, files)


@fuzz(120)
@given(st.sampled_from(NAMES), st.data())
def test_broken_header_rows(loaded, name, data):
    columns = list(COLUMNS_OF[name])
    action = data.draw(st.sampled_from(["drop", "duplicate", "extra", "rename", "shuffle"]))
    if action == "drop":
        columns.pop(data.draw(st.integers(0, len(columns) - 1)))
    elif action == "duplicate":
        columns.append(data.draw(st.sampled_from(columns)))
    elif action == "extra":
        columns.append(data.draw(cell_text))
    elif action == "rename":
        columns[data.draw(st.integers(0, len(columns) - 1))] = data.draw(cell_text)
    else:
        columns = data.draw(st.permutations(columns))
    body = VALID[name].split("\n", 1)[1]
    files = {n: t.encode() for n, t in VALID.items()}
    files[name] = (",".join(columns) + "\n" + body).encode()
    check(loaded, files)


COLUMNS_OF = {
    HEADER_FILE: codes903.HEADER_COLUMNS,
    EPISODES_FILE: codes903.EPISODES_COLUMNS,
    REVIEWS_FILE: codes903.REVIEWS_COLUMNS,
    CHILDREN_FILE: codes903.CHILDREN_COLUMNS,
}


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


plausible_day = st.dates(min_value=dt.date(1999, 1, 1), max_value=dt.date(2027, 12, 31))


@st.composite
def whole_tables(draw):
    """Generated tables in the right shape: many import cleanly, the rest are refused whole."""
    refs = draw(
        st.lists(
            st.sampled_from(["C001", "C002", "N1", "N2", "N3", "Z9"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    header = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    dobs = {}
    for ref in refs:
        dobs[ref] = draw(plausible_day)
        header.append(
            f"{ref},{draw(st.sampled_from('MFU12X'))},{_date(dobs[ref])},"
            f"{draw(st.sampled_from(['WBRI', 'BAFR', '', 'XXXX']))},,,"
        )
    episodes = [",".join(codes903.EPISODES_COLUMNS)]
    reviews = [",".join(codes903.REVIEWS_COLUMNS)]
    for ref in draw(st.lists(st.sampled_from([*refs, "GHOST"]), max_size=6)):
        start = draw(plausible_day)
        end = draw(st.one_of(st.none(), plausible_day))
        episodes.append(
            f"{ref},{_date(start)},{draw(st.sampled_from('SLPTBUQ'))},"
            f"{draw(st.sampled_from(['C1', 'C2', 'V2', 'V3', 'V4', 'J1', 'ZZ']))},,"
            f"{draw(st.sampled_from(['U4', 'K2', 'P1', 'H5']))},,"
            f"{_date(end) if end else ''},{draw(st.sampled_from(['', 'X1', 'E4A', 'E99']))},,,,"
        )
    for ref in draw(st.lists(st.sampled_from([*refs, "GHOST"]), max_size=8)):
        dob = dobs.get(ref, dt.date(2010, 1, 1))
        reviews.append(
            f"{ref},{_date(dob)},{_date(draw(plausible_day))},"
            f"{draw(st.sampled_from((*codes903.REVIEW_CODES, 'PN9', '')))}"
        )
    return {
        HEADER_FILE: "\n".join(header).encode(),
        EPISODES_FILE: "\n".join(episodes).encode(),
        REVIEWS_FILE: "\n".join(reviews).encode(),
        CHILDREN_FILE: None,
    }


@fuzz(200)
@given(whole_tables())
def test_generated_tables_import_whole_or_not_at_all(loaded, files):
    check(loaded, files)


REFS = ["C001", "C002", "N1", "N2", "N3", "Z9"]


@st.composite
def clean_tables(draw):
    """Tables that must import cleanly: good codes, dates in order, no duplicate keys; with or
    without children.csv, in any column order. Some refs are the loaded store's own children."""
    children = draw(st.lists(st.sampled_from(REFS), min_size=1, max_size=4, unique=True))
    header = [",".join(codes903.HEADER_COLUMNS)]
    episodes = [",".join(codes903.EPISODES_COLUMNS)]
    reviews = [",".join(codes903.REVIEWS_COLUMNS)]
    names = [",".join(codes903.CHILDREN_COLUMNS)]
    for ref in children:
        dob = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY))
        mother = draw(st.sampled_from(["", "0", "1"]))
        header.append(
            f"{ref},{draw(st.sampled_from('MFU12mf'))},{_date(dob)},"
            f"{draw(st.sampled_from(['WBRI', 'bafr', '', 'MWBC']))},"
            f"{draw(st.sampled_from(['', 'A12345678901B', 'UN1']))},{mother},"
        )
        in_care = st.dates(min_value=dob, max_value=TODAY)
        for start in draw(st.lists(in_care, max_size=3, unique=True)):
            ended = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=TODAY)))
            episodes.append(
                f"{ref},{_date(start)},{draw(st.sampled_from('SLPTBUs'))},"
                f"{draw(st.sampled_from(['C1', 'C2', 'V2', 'e1', 'J1']))},"
                f"{draw(st.sampled_from(['', 'N1', 'N4']))},"
                f"{draw(st.sampled_from(['U4', 'K2', 'P1', 'z14']))},"
                f"{draw(st.sampled_from(['', 'PR1', 'PR4']))},"
                f"{_date(ended) if ended else ''},{'E4A' if ended else ''},"
                f"{draw(st.sampled_from(['', 'CARPL']))},"
                f"{draw(st.sampled_from(['', 'ZZ1 1ZZ', 'zz9 9zz']))},,"
                f"{draw(st.sampled_from(['', 'SC123456', 'XXXXXXX']))}"
            )
        for held in draw(st.lists(in_care, max_size=4, unique=True)):
            reviews.append(
                f"{ref},{_date(dob)},{_date(held)},{draw(st.sampled_from(codes903.REVIEW_CODES))}"
            )
        names.append(f"{ref},{draw(st.sampled_from(['Ivy', 'Obi', '']))},Testwood,")

    def shuffled(lines: list[str]) -> bytes:
        rows = [line.split(",") for line in lines]
        order = draw(st.permutations(range(len(rows[0]))))
        return "\n".join(",".join(row[i] for i in order) for row in rows).encode()

    return {
        HEADER_FILE: shuffled(header),
        EPISODES_FILE: shuffled(episodes),
        REVIEWS_FILE: shuffled(reviews),
        CHILDREN_FILE: draw(st.sampled_from([None, "\n".join(names).encode()])),
    }


@fuzz(80)
@given(clean_tables(), clean_tables())
def test_clean_imports_apply_and_are_idempotent(loaded, first, second):
    """Two clean sets in turn (the second adds to and updates the first) both import; the same
    files again change nothing, not even a timestamp; and a set the store already holds adds
    nothing."""
    nested = loaded.begin_nested()
    try:
        for files in (first, second):
            result = import_903_files(loaded, files, today=TODAY)
            assert result.ok, [str(p) for p in result.errors]
            loaded.flush()
            after = snapshot(loaded)
            again = import_903_files(loaded, files, today=TODAY)
            assert again.ok and again.changed == 0
            assert again.children_added == again.episodes_added == again.reviews_added == 0
            loaded.flush()
            assert snapshot(loaded) == after
    finally:
        nested.rollback()


@fuzz(60)
@given(whole_tables())
def test_a_clean_import_is_idempotent(loaded, files):
    nested = loaded.begin_nested()
    try:
        first = import_903_files(loaded, files, today=TODAY)
        event("imported" if first.ok else "refused")
        if first.ok:
            loaded.flush()
            after_first = snapshot(loaded)
            again = import_903_files(loaded, files, today=TODAY)
            assert again.ok and again.changed == 0
            loaded.flush()
            assert snapshot(loaded) == after_first
    finally:
        nested.rollback()
