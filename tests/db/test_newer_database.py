"""A caseload saved by a newer version is refused with a clear message, byte-for-byte unchanged."""

from __future__ import annotations

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from iro_desktop.db.store import NewerDatabase, open_store
from tests.conftest import TEST_PASSPHRASE


def _all_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _mark_newer(path, revision="0099_from_the_future"):
    conn = sqlcipher.connect(str(path))
    conn.execute(f"PRAGMA key = '{TEST_PASSPHRASE}'")
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_newer_database_is_refused_and_left_byte_for_byte(store_path, isolated_user_folders):
    _mark_newer(store_path)
    before = _all_bytes(store_path.parent)
    user_files_before = sorted(p for p in isolated_user_folders.rglob("*") if p.is_file())

    with pytest.raises(NewerDatabase) as caught:
        open_store(store_path, TEST_PASSPHRASE)

    assert caught.value.revision == "0099_from_the_future"
    assert str(caught.value) == (
        "This caseload was saved by a newer version of IRO Desktop (schema 0099_from_the_future). "
        "Install the newer version to open it; nothing was changed."
    )
    assert _all_bytes(store_path.parent) == before
    # ... and no backup or other file was written on the way.
    assert sorted(p for p in isolated_user_folders.rglob("*") if p.is_file()) == user_files_before


def test_newer_plain_database_is_refused_too(tmp_path):
    path = tmp_path / "plain.db"
    open_store(path, None).close()
    conn = sqlcipher.connect(str(path))
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase):
        open_store(path, None)
    assert path.read_bytes() == before


def test_newer_plain_database_is_not_encrypted_either(tmp_path):
    path = tmp_path / "plain.db"
    open_store(path, None).close()
    conn = sqlcipher.connect(str(path))
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = _all_bytes(tmp_path)
    with pytest.raises(NewerDatabase):
        open_store(path, TEST_PASSPHRASE)
    assert _all_bytes(tmp_path) == before
