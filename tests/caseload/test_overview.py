"""caseload_row: one child's caseload line, the same as that child's line in caseload_rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from iro_desktop.caseload.overview import caseload_row, caseload_rows
from iro_desktop.db.models import Episode
from tests.factory import D, make_child

TODAY = D(2026, 1, 15)


def test_one_childs_row_equals_their_line_in_the_whole_caseload(session: Any) -> None:
    children = [make_child(session, reviews=[D(2025, 6, 2)]),
                make_child(session, reviews=[D(2025, 6, 2), D(2025, 9, 1)]),
                make_child(session)]
    session.flush()
    whole = {r.child_id: r for r in caseload_rows(session, TODAY)}
    for child in children:
        assert caseload_row(session, child.id, TODAY) == whole[child.id]


def test_a_child_who_left_care_still_has_a_row_and_an_unknown_child_none(session: Any) -> None:
    child = make_child(session)
    session.flush()
    episode = session.query(Episode).filter_by(child_id=child.id).one()
    episode.end, episode.reason_ended = D(2025, 11, 1), "E13"
    session.flush()
    row = caseload_row(session, child.id, TODAY)
    assert row is not None and row.looked_after is False
    assert caseload_row(session, 999_999, TODAY) is None


def test_reads_only_that_childs_rows(session: Any, store: Any) -> None:
    for _ in range(5):
        make_child(session, reviews=[D(2025, 6, 2)])
    target = make_child(session, reviews=[D(2025, 6, 2)])
    session.flush()
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        caseload_row(session, target.id, TODAY)
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    assert len(statements) == 3
    assert all("WHERE" in s for s in statements)
