"""Backups: encrypted, consistent while the app writes, daily and rotating, before migrations;
restore verifies first and keeps the file it replaces."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from iro_desktop import settings
from iro_desktop.db import backups, migrations
from iro_desktop.db.models import Child, Setting
from iro_desktop.db.store import (
    NewerDatabase,
    StoreError,
    WrongPassphrase,
    is_plain_sqlite,
    open_store,
)
from tests.factory import make_child
from tests.protect.conftest import raw_query

T0 = dt.datetime(2026, 3, 2, 9, 30)


def _children(path, passphrase):
    return raw_query(path, "SELECT count(*) FROM child", passphrase)[0][0]


def test_a_backup_is_encrypted_with_the_same_passphrase(store, passphrase, tmp_path):
    with store.transaction() as session:
        make_child(session, first_name="Philippa", last_name="Wintergreen")
    path = backups.backup_now(store, tmp_path / "bk")
    assert path.parent == tmp_path / "bk" and path.name.startswith("caseload-")
    assert not is_plain_sqlite(path)
    assert b"Wintergreen" not in path.read_bytes()
    assert _children(path, passphrase) == 1
    assert raw_query(path, "PRAGMA integrity_check", passphrase) == [("ok",)]
    with pytest.raises(WrongPassphrase):
        backups.verify_backup(path, "wrong passphrase")
    assert backups.verify_backup(path, passphrase) == migrations.head_revision()
    assert not list((tmp_path / "bk").glob("*.partial"))


def test_backups_are_consistent_while_the_app_is_writing(store, passphrase, tmp_path):
    """A writer thread commits two rows per transaction the whole time; every backup must open,
    pass the integrity check and hold whole transactions only (an even number of rows)."""
    stop = threading.Event()
    commits = []

    def writer():
        n = 0
        while not stop.is_set():
            with store.transaction() as session:
                settings.put(session, "iro_name", f"n{n}")
                session.add(Setting(key=f"pair-{n}-a", value=n))
                session.add(Setting(key=f"pair-{n}-b", value=n))
            commits.append(n)
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        taken = [backups.backup_now(store, tmp_path / "bk") for _ in range(8)]
    finally:
        stop.set()
        thread.join()
    assert len(commits) > 8
    for path in taken:
        assert raw_query(path, "PRAGMA integrity_check", passphrase) == [("ok",)]
        pairs = raw_query(path, "SELECT count(*) FROM setting WHERE key LIKE 'pair-%'",
                          passphrase)[0][0]
        assert pairs % 2 == 0


def test_daily_backup_once_a_day_and_rotation_keeps_n(store, tmp_path):
    folder = tmp_path / "usb"
    values = {"backup_folder": str(folder), "backups_kept": 5}
    first = backups.daily_backup_if_due(store, values, now=T0)
    assert first is not None and first.parent == folder
    assert backups.daily_backup_if_due(store, values, now=T0 + dt.timedelta(hours=3)) is None
    for day in range(1, 9):
        assert backups.daily_backup_if_due(store, values, now=T0 + dt.timedelta(days=day))
    manual = backups.backup_now(store, folder, now=T0)  # manual backups are not rotated away
    listed = backups.list_backups(folder)
    daily = [b for b in listed if b.kind == "daily"]
    assert len(daily) == 5
    assert [b.taken_at.date() for b in daily] == [(T0 + dt.timedelta(days=d)).date()
                                                 for d in range(8, 3, -1)]
    assert manual in [b.path for b in listed]
    assert all(b.size > 0 for b in listed)


def test_daily_backup_defaults_to_the_data_folder_and_14(store):
    values = {"backup_folder": "", "backups_kept": 14}
    for day in range(20):
        backups.daily_backup_if_due(store, values, now=T0 + dt.timedelta(days=day))
    listed = backups.list_backups(backups.default_backup_folder())
    assert len(listed) == 14


def test_no_backups_for_a_database_url(tmp_path):
    service = open_store(f"sqlite:///{tmp_path / 'svc.db'}", None)
    assert backups.daily_backup_if_due(service, {}) is None
    service.close()


def test_list_backups_ignores_other_files(tmp_path):
    folder = tmp_path / "bk"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"x")
    (folder / "caseload-20260101-120000-daily.db.partial").write_bytes(b"x")
    (folder / "caseload-20260101-120000-daily.db").write_bytes(b"xy")
    (folder / "caseload-20260102-080000-manual.db").write_bytes(b"xyz")
    listed = backups.list_backups(folder)
    assert [(b.kind, b.size) for b in listed] == [("manual", 3), ("daily", 2)]
    assert backups.list_backups(tmp_path / "missing") == []


def test_restore_verifies_keeps_the_current_file_and_replaces_it(store, store_path, passphrase,
                                                                 tmp_path):
    with store.transaction() as session:
        make_child(session)
    backup = backups.backup_now(store, tmp_path / "bk")
    with store.transaction() as session:
        make_child(session)
        make_child(session)
    store.close()  # WAL holds the last commit until checkpointed: restore must keep it

    kept = backups.restore(backup, store_path, passphrase)
    assert _children(store_path, passphrase) == 1
    assert kept == store_path.with_name("caseload.db.before-restore")
    assert _children(kept, passphrase) == 3
    reopened = open_store(store_path, passphrase)
    with reopened.session() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 1
    reopened.close()


def test_restore_with_the_wrong_passphrase_changes_nothing(store, store_path, passphrase, tmp_path):
    backup = backups.backup_now(store, tmp_path / "bk")
    store.close()
    before = store_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        backups.restore(backup, store_path, "not it")
    assert store_path.read_bytes() == before
    assert not store_path.with_name("caseload.db.before-restore").exists()


def test_restore_refuses_a_backup_from_a_newer_version(store, store_path, passphrase, tmp_path):
    backup = backups.backup_now(store, tmp_path / "bk")
    store.close()
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(backup))
    conn.execute(f"PRAGMA key = '{passphrase}'")
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    with pytest.raises(NewerDatabase):
        backups.restore(backup, store_path, passphrase)


def test_restore_refuses_something_that_is_not_a_caseload(store_path, tmp_path, passphrase):
    junk = tmp_path / "caseload-20260101-120000-daily.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        backups.restore(junk, store_path, passphrase)


def test_a_backup_is_taken_before_every_migration(store_path, passphrase):
    store = open_store(store_path, passphrase)
    migrations.downgrade(store.engine, "-1")
    older = migrations.current_revision(store.engine)
    store.close()
    assert backups.list_backups(backups.default_backup_folder()) == []

    open_store(store_path, passphrase).close()

    listed = backups.list_backups(backups.default_backup_folder())
    assert [b.kind for b in listed] == [f"before-{older}"]
    assert backups.verify_backup(listed[0].path, passphrase) == older


def test_no_backup_when_nothing_migrates_or_when_turned_off(store_path, passphrase):
    open_store(store_path, passphrase).close()
    store = open_store(store_path, passphrase)
    migrations.downgrade(store.engine, "-1")
    store.close()
    open_store(store_path, passphrase, before_migrate=None).close()
    assert backups.list_backups(backups.default_backup_folder()) == []


def test_restore_onto_a_new_laptop(store, passphrase, tmp_path):
    """No caseload yet (a new laptop, backups on a USB drive): the backup simply becomes it."""
    with store.transaction() as session:
        make_child(session)
    backup = backups.backup_now(store, tmp_path / "usb")
    target = tmp_path / "new-laptop" / "caseload.db"
    assert backups.restore(backup, target, passphrase) is None
    reopened = open_store(target, passphrase)
    with reopened.session() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 1
    reopened.close()
