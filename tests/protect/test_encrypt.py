"""A plain caseload from before encryption is encrypted once, with a backup; the plain bytes go."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import select

from iro_desktop.db import encrypt
from iro_desktop.db.backups import default_backup_folder, list_backups
from iro_desktop.db.models import Child
from iro_desktop.db.store import (
    PLAIN_SQLITE_HEADER,
    StoreError,
    WrongPassphrase,
    is_plain_sqlite,
    open_store,
)
from tests.factory import make_child
from tests.protect.conftest import raw_query

NAME = "Zebedee"
SURNAME = "Quartermaine"


@pytest.fixture
def plain_caseload(tmp_path):
    path = tmp_path / "old" / "caseload.db"
    store = open_store(path, None)
    with store.transaction() as session:
        make_child(session, first_name=NAME, last_name=SURNAME, date_of_birth=dt.date(2013, 7, 21),
                   reviews=[dt.date(2025, 6, 2)])
        for _ in range(9):
            make_child(session)
    store.close()
    assert is_plain_sqlite(path)
    assert NAME.encode() in path.read_bytes()
    return path


def test_plain_file_is_encrypted_on_first_open_with_a_backup(plain_caseload, passphrase):
    folder = plain_caseload.parent
    twin = folder / "same-inode"
    os.link(plain_caseload, twin)  # a second name for the plain file's bytes, to see them wiped

    store = open_store(plain_caseload, passphrase)
    with store.session() as session:
        names = sorted(session.scalars(select(Child.first_name)).all())
    store.close()

    assert len(names) == 10 and NAME in names
    assert plain_caseload.read_bytes()[:16] != PLAIN_SQLITE_HEADER
    assert raw_query(plain_caseload, "PRAGMA integrity_check", passphrase) == [("ok",)]
    for path in folder.iterdir():
        assert NAME.encode() not in path.read_bytes(), path.name
    # The old plain bytes were overwritten before their blocks were freed, not merely unlinked.
    assert twin.read_bytes() == b"\0" * twin.stat().st_size
    assert not any(p.name.endswith(".encrypting") for p in folder.iterdir())

    backups = list_backups(default_backup_folder())
    assert [b.kind for b in backups] == ["before-encryption"]
    backup = backups[0].path
    assert not is_plain_sqlite(backup)
    assert NAME.encode() not in backup.read_bytes()
    assert raw_query(backup, "SELECT count(*) FROM child", passphrase) == [(10,)]


def test_it_happens_once_then_the_passphrase_is_needed(plain_caseload, passphrase):
    open_store(plain_caseload, passphrase).close()
    open_store(plain_caseload, passphrase).close()
    assert len(list_backups(default_backup_folder())) == 1
    with pytest.raises(WrongPassphrase):
        open_store(plain_caseload, "another passphrase")


def test_a_failed_verification_keeps_the_plain_file_untouched(plain_caseload, passphrase,
                                                               monkeypatch):
    before = plain_caseload.read_bytes()
    calls = iter([{"child": 10}, {"child": 9}])  # the copy "lost" a row
    monkeypatch.setattr(encrypt, "_table_counts", lambda conn: next(calls))
    with pytest.raises(StoreError, match="did not verify"):
        open_store(plain_caseload, passphrase)
    assert plain_caseload.read_bytes() == before
    assert sorted(p.name for p in plain_caseload.parent.iterdir()) == ["caseload.db"]


def test_the_backup_goes_to_the_folder_the_setting_names(plain_caseload, passphrase, tmp_path):
    from iro_desktop import settings

    usb = tmp_path / "usb"
    store = open_store(plain_caseload, None)
    with store.transaction() as session:
        settings.put(session, "backup_folder", str(usb))
    store.close()
    open_store(plain_caseload, passphrase).close()
    assert [b.kind for b in list_backups(usb)] == ["before-encryption"]


def test_secure_remove_overwrites_then_unlinks(tmp_path):
    path = tmp_path / "secret"
    path.write_bytes(b"Amelia Ashdown 09/03/2014" * 1000)
    twin = tmp_path / "twin"
    os.link(path, twin)
    encrypt.secure_remove(path)
    assert not path.exists()
    assert twin.read_bytes() == b"\0" * (25 * 1000)
