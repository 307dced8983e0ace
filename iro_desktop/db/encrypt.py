"""Encrypting a plain caseload from before encryption, once; and the careful file moves around it.

A caseload written before encryption is a plain SQLite file (header `SQLite format 3\\0`). On the
first open with a passphrase it is exported into an encrypted copy with `sqlcipher_export`, the
copy is verified (integrity check, same row counts), an encrypted backup of it is kept, the copy
atomically takes the plain file's place, and the plain bytes are overwritten before their blocks
are freed. Overwriting is best effort: SSD wear levelling and copy-on-write filesystems may keep
old blocks, which is why full-disk encryption (BitLocker, FileVault, LUKS) is still advised.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from iro_desktop.db.store import (
    StoreError,
    _quote,
    connect_encrypted,
    is_plain_sqlite,
    translate_error,
)

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename inside `folder` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _overwrite_fd(fd: int) -> None:
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    zeros = b"\0" * _CHUNK
    left = size
    while left > 0:
        left -= os.write(fd, zeros[: min(left, _CHUNK)])
    os.fsync(fd)


def secure_remove(path: Path) -> None:
    """Overwrite a file's bytes with zeros, flush them to disk, then unlink it."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return
    try:
        _overwrite_fd(fd)
    finally:
        os.close(fd)
    path.unlink()


def _table_counts(conn: Any) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _setting_backup_folder(conn: Any) -> Path | None:
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = 'backup_folder'").fetchone()
    except sqlcipher.Error:
        return None
    if not row or row[0] is None:
        return None
    try:
        value = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    except ValueError:
        value = row[0]
    return Path(str(value)).expanduser() if value else None


def _refuse_newer(conn: Any) -> None:
    """A plain file from a newer version is refused before anything is written to it."""
    from iro_desktop.db import migrations

    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlcipher.Error:
        return  # no schema yet
    migrations.check_not_newer(row[0] if row else None)


def encrypt_plain_database(path: Path, passphrase: str, *,
                           backup_folder: Path | None = None) -> Path:
    """Replace the plain SQLite file at `path` with an encrypted copy; returns the backup's path.

    Nothing is removed until the encrypted copy has been verified; if anything fails the plain
    file stays exactly where it was and a StoreError says why.
    """
    from iro_desktop.db.backups import backup_file_name, default_backup_folder

    if not is_plain_sqlite(path):
        raise StoreError("This caseload is already encrypted.")
    work = path.with_name(path.name + ".encrypting")
    for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}-journal")):
        leftover.unlink(missing_ok=True)  # encrypted leftovers of an interrupted attempt
    plain = sqlcipher.connect(str(path))
    try:
        plain.execute("PRAGMA busy_timeout = 10000")
        if plain.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise StoreError("The unencrypted caseload is damaged, so it was not converted; "
                             "nothing was changed. Restore a backup if you have one.")
        _refuse_newer(plain)
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        expected = _table_counts(plain)
        folder = backup_folder or _setting_backup_folder(plain) or default_backup_folder()
        plain.execute(f"ATTACH DATABASE {_quote(str(work))} AS encrypted KEY {_quote(passphrase)}")
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    except StoreError:
        plain.close()
        raise
    except sqlcipher.Error as exc:
        plain.close()
        work.unlink(missing_ok=True)
        mapped = translate_error(exc, path.parent)
        if mapped is not None:
            raise mapped from exc
        raise
    plain.close()

    check = connect_encrypted(work, passphrase)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        same = _table_counts(check) == expected
    finally:
        check.close()
    if not (ok and same) or is_plain_sqlite(work):
        work.unlink(missing_ok=True)
        raise StoreError("The encrypted copy of the caseload did not verify, so the "
                         "unencrypted file was kept unchanged.")
    fsync_file(work)

    try:
        folder.mkdir(parents=True, exist_ok=True)
        backup = folder / backup_file_name("before-encryption")
        partial = backup.with_name(backup.name + ".partial")
        with work.open("rb") as src, partial.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(partial, backup)
        fsync_dir(folder)
    except OSError as exc:
        work.unlink(missing_ok=True)
        mapped = translate_error(exc, folder)
        raise (mapped or StoreError("The backup before encryption could not be written; "
                                    "nothing was changed.")) from exc

    # The plain WAL was checkpointed into the main file above; a -wal left beside the path
    # would otherwise be replayed onto the encrypted file after the swap.
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        secure_remove(side)
    # Hold the plain inode open across the atomic swap, then overwrite it before it is freed:
    # the caseload path always names either the whole plain file or the whole encrypted one.
    fd = os.open(path, os.O_RDWR)
    try:
        os.replace(work, path)
        fsync_dir(path.parent)
        _overwrite_fd(fd)
    finally:
        os.close(fd)
    log.info("plain caseload encrypted; %d tables, backup kept", len(expected))
    return backup
