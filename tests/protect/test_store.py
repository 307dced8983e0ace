"""The store: wrong passphrase, encrypted-without-passphrase, full disk, re-keying, pooling."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select

from iro_desktop import settings
from iro_desktop.db.models import Child, Setting
from iro_desktop.db.store import (
    DiskFull,
    PassphraseNeeded,
    ReadOnlyFolder,
    StoreError,
    WrongPassphrase,
    is_plain_sqlite,
    open_store,
    rekey,
    translate_error,
)
from tests.factory import make_child
from tests.protect.conftest import files_bytes, raw_query


def test_wrong_passphrase_is_a_clear_error_and_changes_nothing(store_path):
    before = files_bytes(store_path.parent)
    with pytest.raises(WrongPassphrase) as caught:
        open_store(store_path, "not the passphrase")
    assert str(caught.value) == ("That passphrase does not open this caseload. "
                                 "Check it and try again.")
    assert files_bytes(store_path.parent) == before


def test_an_encrypted_file_needs_a_passphrase(store_path):
    with pytest.raises(PassphraseNeeded):
        open_store(store_path, None)


def test_store_file_is_encrypted_with_sqlcipher_4(store, store_path, passphrase):
    assert not is_plain_sqlite(store_path)
    version = raw_query(store_path, "PRAGMA cipher_version", passphrase)[0][0]
    assert version.startswith("4.")
    assert raw_query(store_path, "PRAGMA journal_mode", passphrase) == [("wal",)]


def test_check_passphrase(store, passphrase):
    assert store.check_passphrase(passphrase)
    assert not store.check_passphrase(passphrase + "x")
    assert not store.check_passphrase("")


def test_two_sessions_in_one_thread_do_not_share_a_transaction(store):
    """SQLAlchemy's default pool for "sqlite://" (SingletonThreadPool) would give both sessions one
    connection, so rolling back one would undo the other's write."""
    with store.session() as reader:
        reader.execute(select(func.count()).select_from(Setting)).scalar()
        with store.transaction() as writer:
            settings.put(writer, "iro_name", "Test IRO")
        reader.rollback()
    with store.session() as check:
        assert settings.get(check, "iro_name") == "Test IRO"


def test_rekey_changes_the_passphrase_and_keeps_every_row(store, store_path, passphrase):
    with store.transaction() as session:
        for _ in range(5):
            make_child(session)
    with store.session() as session:  # a pooled connection with the old key exists now
        session.execute(select(Child.id)).all()
    rekey(store, passphrase, "a brand new passphrase for tests")
    # The same Store object keeps working, with connections keyed with the new passphrase.
    with store.transaction() as session:
        make_child(session)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 6
    store.close()
    with pytest.raises(WrongPassphrase):
        open_store(store_path, passphrase)
    reopened = open_store(store_path, "a brand new passphrase for tests")
    with reopened.session() as session:
        assert session.scalar(select(func.count()).select_from(Child)) == 6
    verdict = raw_query(store_path, "PRAGMA integrity_check", "a brand new passphrase for tests")
    assert verdict == [("ok",)]
    reopened.close()


def test_rekey_with_a_wrong_old_passphrase_changes_nothing(store, store_path, passphrase):
    with pytest.raises(WrongPassphrase):
        rekey(store, "wrong", "another passphrase entirely")
    assert store.check_passphrase(passphrase)
    with store.session() as session:
        session.execute(select(Child.id)).all()


def _limit_pages(store, extra_pages):
    """Make SQLite itself report a full disk once the file grows by `extra_pages` pages: every new
    connection gets PRAGMA max_page_count, which fails a write with SQLITE_FULL, "database or disk
    is full", the same code and message as a full disk."""
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn, _record):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")


def test_full_disk_is_a_clear_error_and_nothing_committed_is_lost(store, store_path, passphrase):
    with store.transaction() as session:
        kept = [make_child(session, first_name="Kept").id for _ in range(3)]
    _limit_pages(store, 2)
    with pytest.raises(DiskFull) as caught, store.transaction() as session:
        for _ in range(400):
            make_child(session, interests="x" * 2000)
    assert "disk is full" in str(caught.value)
    assert "Everything saved before it is safe" in str(caught.value)
    store.close()
    reopened = open_store(store_path, passphrase)
    with reopened.session() as session:
        ids = session.scalars(select(Child.id).order_by(Child.id)).all()
    reopened.close()
    assert ids == kept  # the failed unit left nothing behind; the committed one is whole
    assert raw_query(store_path, "PRAGMA integrity_check", passphrase) == [("ok",)]


def test_translate_error_knows_full_disk_and_read_only():
    import errno

    import sqlcipher3.dbapi2 as sqlcipher

    sqlite_error = sqlcipher.OperationalError
    assert isinstance(translate_error(sqlite_error("database or disk is full")), DiskFull)
    assert isinstance(translate_error(sqlite_error("attempt to write a readonly database")),
                      ReadOnlyFolder)
    assert isinstance(translate_error(OSError(errno.ENOSPC, "No space left on device")), DiskFull)
    assert isinstance(translate_error(OSError(errno.EROFS, "Read-only file system")),
                      ReadOnlyFolder)
    assert translate_error(sqlcipher.OperationalError("no such table: x")) is None


def test_a_folder_that_cannot_be_created_is_read_only(tmp_path, passphrase):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ReadOnlyFolder):
        open_store(blocker / "sub" / "caseload.db", passphrase)


def test_a_url_store_takes_no_passphrase():
    with pytest.raises(StoreError):
        open_store("sqlite:///:memory:", "pw")


def test_url_store_still_opens_without_backup_hooks(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'service.db'}", None)
    assert store.path is None and not store.encrypted
    with store.transaction() as session:
        make_child(session, date_of_birth=dt.date(2015, 1, 1))
    store.close()
    assert not (tmp_path / "home" / "data" / "iro-desktop" / "backups").exists()


def test_the_wal_and_shm_of_an_open_store_hold_no_readable_data(store, store_path):
    with store.transaction() as session:
        make_child(session, first_name="Wilhelmina", last_name="Blackthorne",
                   date_of_birth=dt.date(2013, 8, 30))
    wal = store_path.with_name(store_path.name + "-wal")
    shm = store_path.with_name(store_path.name + "-shm")
    assert wal.stat().st_size > 0  # the commit is in the WAL, not yet in the main file
    for path in (store_path, wal, shm):
        data = path.read_bytes()
        for needle in (b"Wilhelmina", b"Blackthorne", b"2013-08-30", b"30/08/2013"):
            assert needle not in data, path.name
