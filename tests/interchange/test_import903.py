"""The 903 importer: real files in, whole-file refusal with every problem, idempotent updates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from iro_desktop.caseload.overview import caseload_rows
from iro_desktop.db.models import Child, Episode, Review
from iro_desktop.interchange.import903 import ImportProblem, import_903_folder
from tests.factory import make_child
from tests.interchange.test_import903_support import (
    CHILDREN,
    EPISODES,
    HEADER,
    REVIEWS,
    TODAY,
    counts,
    snapshot,
    write_903,
)

D = dt.date


def run(session, folder):
    return import_903_folder(session, folder, today=TODAY)


def test_valid_files_import_children_episodes_and_reviews(session, tmp_path):
    result = run(session, write_903(tmp_path / "in"))
    assert result.ok, result.errors
    assert (result.children_added, result.episodes_added, result.reviews_added) == (4, 5, 4)
    assert counts(session) == (4, 5, 4)
    ivy = session.scalars(select(Child).where(Child.child_ref == "C001")).one()
    assert (ivy.first_name, ivy.last_name, ivy.sex, ivy.date_of_birth) == (
        "Ivy",
        "Testwood",
        "F",
        D(2014, 3, 9),
    )
    assert ivy.upn == "A12345678901B"
    raff = session.scalars(select(Child).where(Child.child_ref == "C003")).one()
    assert raff.sex == "M"  # 903 numeric 1 = male
    assert raff.mother is False
    assert raff.preferred_name == "Raff"
    assert [e.placement for e in raff.episodes] == ["U4", "K2"]
    assert raff.episodes[0].reason_ended == "X1"
    assert raff.episodes[1].urn == "SC123456"
    assert {r.source for r in session.scalars(select(Review))} == {"903"}


def test_imported_caseload_gives_statutory_dates(session, tmp_path):
    assert run(session, write_903(tmp_path / "in")).ok
    rows = {r.child_ref: r for r in caseload_rows(session, TODAY)}
    # C001: in care 01/05/2025, reviews 02/06/2025 and 01/09/2025: third due 01/03/2026.
    assert rows["C001"].next_review.kind == "subsequent"
    assert rows["C001"].next_review.due == D(2026, 3, 1)
    # C003: X1 continuation keeps one period from 01/01/2024; one review held, second due +3 months.
    assert rows["C003"].next_review.due == D(2024, 4, 29)
    assert rows["C003"].placement == "K2"
    assert rows["C003"].placement_changed  # moved 01/06/2024, after the review of 29/01/2024
    # C004 is on short breaks only: looked after, but no review due.
    assert rows["C004"].next_review is None


def test_same_files_twice_change_nothing(session, tmp_path):
    folder = write_903(tmp_path / "in")
    assert run(session, folder).ok
    session.flush()
    before = snapshot(session)
    again = run(session, folder)
    assert again.ok
    assert again.changed == 0
    assert snapshot(session) == before  # not even updated_at moved


def test_changed_rows_update_in_place(session, tmp_path):
    assert run(session, write_903(tmp_path / "a")).ok
    child_id = session.scalars(select(Child.id).where(Child.child_ref == "C001")).one()
    episodes = EPISODES.replace(
        "C001,01/05/2025,S,C2,N1,U4,PR1,,,", "C001,01/05/2025,S,C2,N1,U5,PR1,,,"
    )
    reviews = REVIEWS + "C001,09/03/2014,01/03/2026,PN2\n"
    children = CHILDREN.replace("C001,Ivy,Testwood,", "C001,Ivy,Testwood,Ives")
    result = run(
        session, write_903(tmp_path / "b", episodes=episodes, reviews=reviews, children=children)
    )
    assert result.ok, result.errors
    assert (result.children_added, result.children_updated) == (0, 1)
    assert (result.episodes_added, result.episodes_updated) == (0, 1)
    assert (result.reviews_added, result.reviews_updated) == (1, 0)
    session.expire_all()
    child = session.get(Child, child_id)
    assert child.id == child_id  # the same row, not a new child
    assert child.preferred_name == "Ives"
    assert child.episodes[0].placement == "U5"
    assert [r.review_date for r in child.reviews][-1] == D(2026, 3, 1)


def test_without_children_csv_names_are_kept(session, tmp_path):
    assert run(session, write_903(tmp_path / "a")).ok
    assert run(session, write_903(tmp_path / "b", children=None)).ok
    session.expire_all()
    assert session.scalars(select(Child.first_name).where(Child.child_ref == "C001")).one() == "Ivy"


def test_review_recorded_in_the_app_is_not_overwritten(session, tmp_path):
    make_child(
        session,
        child_ref="C001",
        date_of_birth=D(2014, 3, 9),
        reviews=[D(2025, 6, 2)],
        participation_code="PN2",
    )
    result = run(session, write_903(tmp_path / "in"))
    assert result.ok
    review = session.scalars(
        select(Review)
        .join(Child)
        .where(Child.child_ref == "C001", Review.review_date == D(2025, 6, 2))
    ).one()
    assert review.participation_code == "PN2"
    assert any("recorded in the app" in w.reason for w in result.warnings)


def test_utf8_bom_and_crlf_are_read(session, tmp_path):
    folder = write_903(
        tmp_path / "in",
        encoding="utf-8-sig",
        newline="\r\n",
        children=CHILDREN.replace("Testwood", "Tëstwood"),
    )
    result = run(session, folder)
    assert result.ok, result.errors
    assert (
        session.scalars(select(Child.last_name).where(Child.child_ref == "C001")).one()
        == "Tëstwood"
    )


def test_columns_in_another_order_are_accepted(session, tmp_path):
    reviews = "REVIEW_CODE,REVIEW,DOB,CHILD\n" + "".join(
        ",".join(reversed(line.split(","))) + "\n" for line in REVIEWS.splitlines()[1:]
    )
    result = run(session, write_903(tmp_path / "in", reviews=reviews))
    assert result.ok, result.errors
    assert result.reviews_added == 4


def problems_of(result) -> set[tuple[str, int, str]]:
    return {(p.file, p.line, p.column) for p in result.errors}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"header": HEADER.replace("09/03/2014", "31/02/2014")}, ("header.csv", 2, "DOB")),
        ({"header": HEADER.replace("09/03/2014", "2014-03-09")}, ("header.csv", 2, "DOB")),
        ({"header": HEADER.replace("09/03/2014", "09/03/2027")}, ("header.csv", 2, "DOB")),
        ({"header": HEADER.replace("C002,M,", "C002,X,")}, ("header.csv", 3, "SEX")),
        ({"header": HEADER.replace("BAFR", "ZZZZ")}, ("header.csv", 3, "ETHNIC")),
        ({"header": HEADER.replace("A12345678901B", "A123")}, ("header.csv", 2, "UPN")),
        ({"header": HEADER + "C001,F,09/03/2014,WBRI,,,\n"}, ("header.csv", 6, "CHILD")),
        ({"episodes": EPISODES.replace(",C2,N1,U4,", ",Q9,N1,U4,")}, ("episodes.csv", 2, "LS")),
        ({"episodes": EPISODES.replace(",C2,N1,U4,", ",C2,N1,H5,")}, ("episodes.csv", 2, "PLACE")),
        (
            {"episodes": EPISODES.replace("01/05/2025,S,", "01/05/2025,Z,")},
            ("episodes.csv", 2, "RNE"),
        ),
        (
            {"episodes": EPISODES.replace("01/06/2024,X1", "01/06/2024,E99")},
            ("episodes.csv", 4, "REC"),
        ),
        ({"episodes": EPISODES.replace("01/06/2024,X1", ",X1")}, ("episodes.csv", 4, "DEC")),
        (
            {"episodes": EPISODES.replace("01/06/2024,X1", "01/12/2023,X1")},
            ("episodes.csv", 4, "DEC"),
        ),
        (
            {"episodes": EPISODES.replace("ZZ2 2ZZ", "NOT A POSTCODE")},
            ("episodes.csv", 2, "PL_POST"),
        ),
        (
            {"episodes": EPISODES + "C999,01/05/2025,S,C2,N1,U4,PR1,,,,,,\n"},
            ("episodes.csv", 7, "CHILD"),
        ),
        (
            {"episodes": EPISODES + "C001,01/05/2025,S,C2,N1,U4,PR1,,,,,,\n"},
            ("episodes.csv", 7, "DECOM"),
        ),
        (
            {"episodes": EPISODES.replace("C002,01/02/2026", "C002,01/02/2023")},
            ("episodes.csv", 3, "DECOM"),
        ),
        ({"reviews": REVIEWS + "C999,09/03/2014,02/06/2025,PN1\n"}, ("reviews.csv", 6, "CHILD")),
        ({"reviews": REVIEWS + "C001,09/03/2014,02/06/2025,PN1\n"}, ("reviews.csv", 6, "REVIEW")),
        (
            {"reviews": REVIEWS.replace("02/06/2025,PN1", "02/06/2025,PN9")},
            ("reviews.csv", 2, "REVIEW_CODE"),
        ),
        (
            {"reviews": REVIEWS.replace("02/06/2025,PN1", "02/06/2025,")},
            ("reviews.csv", 2, "REVIEW_CODE"),
        ),
        (
            {"reviews": REVIEWS.replace("02/06/2025,PN1", "02/06/2027,PN1")},
            ("reviews.csv", 2, "REVIEW"),
        ),
        (
            {"reviews": REVIEWS.replace("C001,09/03/2014,02/06", "C001,10/03/2014,02/06")},
            ("reviews.csv", 2, "DOB"),
        ),
        ({"children": CHILDREN + "C777,A,B,\n"}, ("children.csv", 6, "CHILD")),
    ],
)
def test_each_kind_of_error_is_placed_by_file_line_and_column(session, tmp_path, change, expected):
    result = run(session, write_903(tmp_path / "in", **change))
    assert not result.ok
    assert expected in problems_of(result), [str(p) for p in result.errors]
    assert counts(session) == (0, 0, 0)
    assert result.changed == 0


@pytest.mark.parametrize("table", ["header", "episodes", "reviews"])
def test_missing_file_is_an_error(session, tmp_path, table):
    result = run(session, write_903(tmp_path / "in", **{table: ""}))
    assert (f"{table}.csv", 0, "") in problems_of(result)
    assert "missing" in str(result.errors[0])
    assert counts(session) == (0, 0, 0)


def test_missing_and_extra_columns_are_errors(session, tmp_path):
    header = HEADER.replace(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,NAME"
    ).replace(",,\n", ",,x\n")
    reviews = REVIEWS.replace("CHILD,DOB,REVIEW,REVIEW_CODE", "CHILD,DOB,REVIEW")
    result = run(session, write_903(tmp_path / "in", header=header, reviews=reviews))
    found = problems_of(result)
    assert ("header.csv", 1, "MC_DOB") in found
    assert ("header.csv", 1, "NAME") in found
    assert ("reviews.csv", 1, "REVIEW_CODE") in found
    assert counts(session) == (0, 0, 0)


def test_not_utf8_is_refused_with_a_hint(session, tmp_path):
    folder = write_903(
        tmp_path / "in", children=CHILDREN.replace("Testwood", "Tëstwood"), encoding="latin-1"
    )
    result = run(session, folder)
    [problem] = result.errors
    assert problem.file == "children.csv"
    assert "UTF-8" in problem.reason
    assert counts(session) == (0, 0, 0)


def test_every_problem_is_reported_at_once(session, tmp_path):
    header = HEADER.replace("09/03/2014", "31/13/2014").replace("C002,M,", "C002,Q,")
    episodes = (
        EPISODES.replace("01/06/2024,X1", "01/12/2023,X1") + "C999,01/05/2025,S,C2,,U4,,,,,,,\n"
    )
    reviews = REVIEWS.replace("PN6", "PN8")
    result = run(
        session, write_903(tmp_path / "in", header=header, episodes=episodes, reviews=reviews)
    )
    found = problems_of(result)
    assert {
        ("header.csv", 2, "DOB"),
        ("header.csv", 3, "SEX"),
        ("episodes.csv", 4, "DEC"),
        ("episodes.csv", 7, "CHILD"),
        ("reviews.csv", 3, "REVIEW_CODE"),
    } <= found
    assert str(ImportProblem("episodes.csv", 4, "DEC", "x")) == "episodes.csv, line 4, DEC: x"


def test_refused_import_leaves_the_database_exactly_as_before(session, tmp_path):
    assert run(session, write_903(tmp_path / "a")).ok
    session.flush()
    before = snapshot(session)
    # Valid changes for C001 together with one bad review line: none of it may land.
    episodes = EPISODES.replace(",C2,N1,U4,", ",C2,N1,U5,") + "C001,01/10/2026,P,C2,,K2,,,,,,,\n"
    children = CHILDREN.replace("Ivy", "Ivana")
    reviews = REVIEWS + "C001,09/03/2014,30/02/2026,PN1\n"
    result = run(
        session, write_903(tmp_path / "b", episodes=episodes, reviews=reviews, children=children)
    )
    assert ("reviews.csv", 6, "REVIEW") in problems_of(result)
    assert snapshot(session) == before


def test_doubtful_participation_codes_are_imported_with_warnings(session, tmp_path):
    reviews = REVIEWS.replace("C001,09/03/2014,02/06/2025,PN1", "C001,09/03/2014,02/06/2025,PN0")
    reviews = reviews.replace("C002,15/06/2023,01/03/2026,PN0", "C002,15/06/2023,01/03/2026,PN1")
    result = run(session, write_903(tmp_path / "in", reviews=reviews))
    assert result.ok
    warned = {(w.line, w.column) for w in result.warnings}
    assert warned == {(2, "REVIEW_CODE"), (4, "REVIEW_CODE")}
    assert counts(session) == (4, 5, 4)


def test_pn0_on_the_fourth_birthday_is_doubtful(session, tmp_path):
    header = HEADER.replace("C002,M,15/06/2023", "C002,M,01/03/2022")
    reviews = REVIEWS.replace("C002,15/06/2023,01/03/2026,PN0", "C002,01/03/2022,01/03/2026,PN0")
    result = run(session, write_903(tmp_path / "in", header=header, reviews=reviews))
    assert [(w.line, w.column) for w in result.warnings] == [(4, "REVIEW_CODE")]


def test_short_breaks_child_with_reviews_is_a_warning(session, tmp_path):
    reviews = REVIEWS + "C004,20/08/2012,01/06/2025,PN1\n"
    result = run(session, write_903(tmp_path / "in", reviews=reviews))
    assert result.ok
    assert [(w.file, w.line) for w in result.warnings] == [("reviews.csv", 6)]
    assert "short breaks" in result.warnings[0].reason


def test_missing_folder_is_one_clear_error(session, tmp_path):
    result = run(session, tmp_path / "nowhere")
    assert len(result.errors) == 1
    assert "does not exist" in result.errors[0].reason


def test_blank_trailing_lines_and_padding_are_ignored(session, tmp_path):
    reviews = REVIEWS.replace(
        "C001,09/03/2014,02/06/2025,PN1", " C001 , 09/03/2014 ,02/06/2025, PN1"
    )
    result = run(session, write_903(tmp_path / "in", reviews=reviews + "\n\n,,,\n"))
    assert result.ok, result.errors
    assert result.reviews_added == 4


def test_row_with_wrong_number_of_cells(session, tmp_path):
    result = run(session, write_903(tmp_path / "in", reviews=REVIEWS + "C001,09/03/2014\n"))
    assert ("reviews.csv", 6, "") in problems_of(result)


def test_episode_and_review_keys_match_existing_rows(session, tmp_path):
    assert run(session, write_903(tmp_path / "a")).ok
    ids = sorted(session.scalars(select(Episode.id)))
    assert run(session, write_903(tmp_path / "b")).changed == 0
    assert sorted(session.scalars(select(Episode.id))) == ids


def test_an_open_episode_before_a_later_one_is_a_warning(session, tmp_path):
    episodes = EPISODES.replace("C003,01/01/2024,S,V2,N4,U4,PR1,01/06/2024,X1,",
                                "C003,01/01/2024,S,V2,N4,U4,PR1,,,")
    result = run(session, write_903(tmp_path / "in", episodes=episodes))
    assert result.ok
    assert [(w.file, w.line, w.column) for w in result.warnings] == [("episodes.csv", 4, "DEC")]
    assert "01/06/2024" in result.warnings[0].reason


def test_a_file_instead_of_a_folder(session, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(HEADER)
    [problem] = run(session, path).errors
    assert problem.reason == "This is a file, not a folder."


def test_names_are_kept_when_children_csv_leaves_out_the_first_child(session, tmp_path):
    # The old bulk insert took its columns from the first new row, so one child missing from
    # children.csv (here the first) silently dropped every other child's name.
    children = CHILDREN.replace("C001,Ivy,Testwood,\n", "")
    assert run(session, write_903(tmp_path / "in", children=children)).ok
    names = dict(session.execute(select(Child.child_ref, Child.first_name)).all())
    assert names == {"C001": "", "C002": "Obi", "C003": "Rafferty", "C004": "Juno"}
