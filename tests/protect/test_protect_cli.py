"""`iro-desktop backup`, `restore FILE` and `passphrase` from the command line."""

from __future__ import annotations

import pytest

from iro_desktop.cli import main
from iro_desktop.db import backups
from iro_desktop.db.store import WrongPassphrase, open_store
from tests.factory import make_child
from tests.protect.conftest import raw_query

NEW = "plum orchard under winter rain"


def test_backup_to_a_folder(store_path, tmp_path, capsys):
    assert main(["backup", "--db", str(store_path), "--to", str(tmp_path / "usb")]) == 0
    listed = backups.list_backups(tmp_path / "usb")
    assert len(listed) == 1 and listed[0].kind == "manual"
    assert str(listed[0].path) in capsys.readouterr().out


def test_backup_to_the_default_folder(store_path):
    assert main(["backup", "--db", str(store_path)]) == 0
    assert len(backups.list_backups(backups.default_backup_folder())) == 1


def test_restore_from_the_command_line(store, store_path, passphrase, tmp_path, capsys):
    backup = backups.backup_now(store, tmp_path / "bk")
    with store.transaction() as session:
        make_child(session)
    store.close()
    assert main(["restore", str(backup), "--db", str(store_path)]) == 0
    out = capsys.readouterr().out
    assert "before-restore" in out
    assert raw_query(store_path, "SELECT count(*) FROM child", passphrase) == [(0,)]


def test_wrong_passphrase_is_one_line_and_status_2(store_path, monkeypatch, capsys):
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", "not the passphrase")
    assert main(["backup", "--db", str(store_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("iro-desktop: That passphrase does not open this caseload. "
                           "Check it and try again.")


def test_restore_with_a_wrong_passphrase_changes_nothing(store, store_path, tmp_path,
                                                         monkeypatch, capsys):
    backup = backups.backup_now(store, tmp_path / "bk")
    store.close()
    before = store_path.read_bytes()
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", "not the passphrase")
    assert main(["restore", str(backup), "--db", str(store_path)]) == 2
    assert "does not open" in capsys.readouterr().err
    assert store_path.read_bytes() == before


def test_change_passphrase(store_path, passphrase, monkeypatch, capsys):
    monkeypatch.setenv("IRO_DESKTOP_NEW_PASSPHRASE", NEW)
    assert main(["passphrase", "--db", str(store_path)]) == 0
    assert "Passphrase changed" in capsys.readouterr().out
    with pytest.raises(WrongPassphrase):
        open_store(store_path, passphrase)
    open_store(store_path, NEW).close()


def test_a_weak_new_passphrase_is_refused(store_path, passphrase, monkeypatch, capsys):
    monkeypatch.setenv("IRO_DESKTOP_NEW_PASSPHRASE", "password1")
    assert main(["passphrase", "--db", str(store_path)]) == 2
    assert "too easy to guess" in capsys.readouterr().err
    open_store(store_path, passphrase).close()


def test_change_passphrase_asks_twice_at_a_terminal(store_path, monkeypatch):
    import sys

    from iro_desktop.commands import protect

    monkeypatch.delenv("IRO_DESKTOP_NEW_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter([NEW, NEW + " typo"])
    monkeypatch.setattr(protect.getpass, "getpass", lambda prompt="": next(answers))
    assert main(["passphrase", "--db", str(store_path)]) == 2
    open_store(store_path, "correct horse battery staple").close()


def test_change_passphrase_moves_the_export_keys_too(store_path, passphrase, monkeypatch):
    from iro_desktop.interchange import keys

    keys.create_keys(keys.ROLE_IRO, "Test IRO", passphrase)
    monkeypatch.setenv("IRO_DESKTOP_NEW_PASSPHRASE", NEW)
    assert main(["passphrase", "--db", str(store_path)]) == 0
    assert keys.unlock(keys.ROLE_IRO, NEW).public == keys.load_public(keys.ROLE_IRO)
    with pytest.raises(keys.WrongKeyPassphrase):
        keys.unlock(keys.ROLE_IRO, passphrase)
