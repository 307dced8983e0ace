"""Revision 0004 moves `review_participant.meeting_id` into `review_meeting_attendance`: data
written at revision 0003 comes through, and back again on downgrade."""

from __future__ import annotations

from sqlalchemy import text

from iro_desktop.db import migrations
from iro_desktop.db.store import make_engine


def _insert(conn, table: str, **values) -> None:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)


def _write_0003_data(conn) -> None:
    stamp = "2025-09-01 10:00:00"
    _insert(
        conn,
        "child",
        id=1,
        child_ref="M0001",
        first_name="Test",
        last_name="Child",
        preferred_name="",
        date_of_birth="2014-03-09",
        sex="F",
        ethnicity="WBRI",
        upn="",
        uasc=0,
        interests="",
        communication_needs="",
        language="English",
        interpreter_needed=0,
        social_worker_name="",
        social_worker_team="",
        social_worker_phone="",
        social_worker_email="",
        carer_name="",
        carer_phone="",
        created_at=stamp,
        updated_at=stamp,
    )
    _insert(
        conn,
        "review",
        id=1,
        child_id=1,
        review_date="2025-08-28",
        participation_code="PN1",
        source="app",
        kind="second",
        extra_reason="",
        format="mixed",
        venue="",
        advocacy="",
        independent_visitor="",
        record="{}",
        status="draft",
        created_at=stamp,
        updated_at=stamp,
    )
    for meeting_id, held_on, fmt in ((1, "2025-08-28", "in_person"), (2, "2025-09-04", "virtual")):
        _insert(
            conn,
            "review_meeting",
            id=meeting_id,
            review_id=1,
            held_on=held_on,
            format=fmt,
            venue="",
            note="",
        )
    for person_id, meeting_id, name, role, attended in (
        (1, 1, "Mia", "child", 1),
        (2, 2, "Lee", "parent", 0),
        (3, None, "Pat", "teacher", 0),
    ):
        _insert(
            conn,
            "review_participant",
            id=person_id,
            review_id=1,
            meeting_id=meeting_id,
            name=name,
            role=role,
            invited=1,
            attended=attended,
        )


def test_meeting_attendance_survives_upgrade_and_downgrade(tmp_path):
    engine = make_engine(tmp_path / "old.db", None)
    migrations.upgrade(engine, "0003")
    with engine.begin() as conn:
        _write_0003_data(conn)

    migrations.upgrade(engine, "0004")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT participant_id, meeting_id FROM review_meeting_attendance ORDER BY 1")
        ).all()
        attended = conn.execute(
            text("SELECT id, attended FROM review_participant ORDER BY id")
        ).all()
        columns = [r[1] for r in conn.execute(text("PRAGMA table_info(review_participant)"))]
    assert rows == [(1, 1), (2, 2)]
    # Recorded at a meeting means they came, whatever the old flag said.
    assert attended == [(1, 1), (2, 1), (3, 0)]
    assert "meeting_id" not in columns

    with engine.begin() as conn:  # a person at both meetings keeps the first on the way down
        conn.execute(text("INSERT INTO review_meeting_attendance VALUES (2, 1)"))
    migrations.downgrade(engine, "0003")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT id, meeting_id FROM review_participant ORDER BY id")).all()
        tables = {
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    assert back == [(1, 1), (2, 1), (3, None)]
    assert "review_meeting_attendance" not in tables
    engine.dispose()
