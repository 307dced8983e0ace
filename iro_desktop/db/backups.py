"""Encrypted, rotating backups of the caseload file, and restoring one.

A backup is written with `VACUUM INTO` on one of the store's own connections: SQLite reads a single
consistent snapshot (WAL lets the app keep writing meanwhile) and SQLCipher encrypts the copy with
the same key, so a backup is no easier to read than the caseload itself. Each backup is written
as `*.partial`, checked, flushed, then renamed into place, so a half-written backup never shows up.

File names carry a time and a kind, never anything about a child:
`caseload-20261201-071500-daily.db`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from iro_desktop.db.store import (
    NewerDatabase,
    NotACaseload,
    ReadOnlyFolder,
    Store,
    StoreError,
    WrongPassphrase,
    _quote,
    connect_encrypted,
    is_plain_sqlite,
    translate_error,
)
from iro_desktop.paths import data_dir

log = logging.getLogger(__name__)

DEFAULT_KEPT = 14
DAILY = "daily"
MANUAL = "manual"
_NAME = re.compile(r"^caseload-(\d{8})-(\d{6})(?:-\d+)?-([a-z0-9-]+)\.db$")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    kind: str  # daily | manual | before-<revision> | before-encryption | before-restore
    size: int


def default_backup_folder() -> Path:
    return data_dir() / "backups"


def backup_folder_from(settings_values: Mapping[str, Any]) -> Path:
    """The folder the `backup_folder` setting names (empty: data_dir()/backups)."""
    value = settings_values.get("backup_folder") or ""
    return Path(str(value)).expanduser() if value else default_backup_folder()


def backup_file_name(kind: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"caseload-{now:%Y%m%d-%H%M%S}-{kind}.db"


def _free_name(folder: Path, kind: str, now: dt.datetime | None) -> Path:
    candidate = folder / backup_file_name(kind, now)
    number = 2
    while candidate.exists():
        stem = backup_file_name(kind, now).removesuffix(f"-{kind}.db")
        candidate = folder / f"{stem}-{number}-{kind}.db"
        number += 1
    return candidate


def _settings_of(store: Store) -> dict[str, Any]:
    """The store's settings, tolerating an old schema (this runs before migrations too)."""
    try:
        from iro_desktop import settings

        with store.session() as session:
            return settings.get_all(session)
    except Exception:
        return {}


def backup_now(store: Store, folder: Path | None = None, *, kind: str = MANUAL,
               now: dt.datetime | None = None) -> Path:
    """Write a consistent, encrypted copy of the store into `folder`; returns its path."""
    if store.path is None:
        raise StoreError("Backups apply to a local caseload file only.")
    folder = folder or backup_folder_from(_settings_of(store))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise (translate_error(exc, folder) or ReadOnlyFolder(folder)) from exc
    if not os.access(folder, os.W_OK):
        raise ReadOnlyFolder(folder)
    final = _free_name(folder, kind, now)
    partial = final.with_name(final.name + ".partial")
    partial.unlink(missing_ok=True)
    raw = store.engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        dbapi.execute(f"VACUUM INTO {_quote(str(partial))}")
        # Same key, no KEY clause: the backup must open with the caseload's own passphrase.
        dbapi.execute(f"ATTACH DATABASE {_quote(str(partial))} AS backup_check")
        try:
            verdict = dbapi.execute("PRAGMA backup_check.quick_check").fetchone()[0]
        finally:
            dbapi.execute("DETACH DATABASE backup_check")
    except (sqlcipher.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        mapped = translate_error(exc, folder)
        if mapped is not None:
            raise mapped from exc
        raise
    finally:
        raw.close()
    if verdict != "ok" or (store.encrypted and is_plain_sqlite(partial)):
        partial.unlink(missing_ok=True)
        raise StoreError("The backup did not verify, so it was not kept. Try again.")
    from iro_desktop.db.encrypt import fsync_dir, fsync_file

    fsync_file(partial)
    os.replace(partial, final)
    fsync_dir(folder)
    log.info("backup written (%s, %d bytes)", kind, final.stat().st_size)
    return final


def list_backups(folder: Path) -> list[BackupInfo]:
    """Backups in `folder`, newest first (only files named the way this module names them)."""
    found: list[BackupInfo] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if not match or not path.is_file():
            continue
        try:
            taken = dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
        except ValueError:
            continue
        found.append(BackupInfo(path, taken, match[3], path.stat().st_size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def rotate(folder: Path, keep: int, kind: str = DAILY) -> list[Path]:
    """Remove all but the newest `keep` backups of `kind`; returns what was removed."""
    keep = max(1, int(keep))
    removed = []
    for info in [b for b in list_backups(folder) if b.kind == kind][keep:]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    if removed:
        log.info("backups rotated: %d removed, %d kept", len(removed), keep)
    return removed


def daily_backup_if_due(store: Store, settings_values: Mapping[str, Any],
                        now: dt.datetime | None = None) -> Path | None:
    """At app start: the day's backup if none was taken today, then rotation. None if not due
    (or the store is not a local file)."""
    if store.path is None:
        return None
    now = now or dt.datetime.now()
    folder = backup_folder_from(settings_values)
    if any(b.kind == DAILY and b.taken_at.date() == now.date() for b in list_backups(folder)):
        return None
    path = backup_now(store, folder, kind=DAILY, now=now)
    rotate(folder, int(settings_values.get("backups_kept") or DEFAULT_KEPT))
    return path


def backup_before_migrate_into(folder: Path | None) -> Callable[[Store, str | None], None]:
    """The `before_migrate` hook of open_store: an encrypted backup before any schema change."""

    def take(store: Store, revision: str | None) -> None:
        kind = f"before-{re.sub(r'[^a-z0-9]+', '-', str(revision).lower()).strip('-') or 'x'}"
        backup_now(store, folder, kind=kind)

    return take


def verify_backup(backup_path: Path, passphrase: str | None) -> str | None:
    """Check that a backup opens with `passphrase` and is sound; returns its schema revision.

    WrongPassphrase, NotACaseload or NewerDatabase say what is wrong with it.
    """
    from iro_desktop.db import migrations

    if not backup_path.is_file():
        raise StoreError("That backup file does not exist.")
    if passphrase is None or is_plain_sqlite(backup_path):
        if passphrase is not None:
            raise StoreError("That backup is not encrypted; it cannot be restored into an "
                             "encrypted caseload this way.")
        conn = sqlcipher.connect(str(backup_path))
    else:
        conn = connect_encrypted(backup_path, passphrase)
    try:
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlcipher.Error as exc:
            raise NotACaseload() from exc
    finally:
        conn.close()
    if verdict != "ok":
        raise NotACaseload()
    revision = row[0] if row else None
    migrations.check_not_newer(revision)
    return revision


def restore(backup_path: Path, target_path: Path, passphrase: str | None) -> Path | None:
    """Replace the caseload at `target_path` with a backup; returns where the old file was kept.

    The backup is verified with `passphrase` first (nothing changes if it does not open). The
    current caseload, if any, is kept as `<name>.before-restore` (with its WAL), then the backup
    atomically takes its place. The store at `target_path` must be closed.
    """
    from iro_desktop.db.encrypt import fsync_dir, fsync_file

    backup_path = Path(backup_path)
    target_path = Path(target_path)
    try:
        verify_backup(backup_path, passphrase)
    except (WrongPassphrase, NewerDatabase, NotACaseload):
        raise
    folder = target_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise ReadOnlyFolder(folder)
    incoming = target_path.with_name(target_path.name + ".restoring")
    kept: Path | None = None
    try:
        shutil.copyfile(backup_path, incoming)
        fsync_file(incoming)
        wal = Path(f"{target_path}-wal")
        shm = Path(f"{target_path}-shm")
        if target_path.exists():
            if passphrase is not None and not is_plain_sqlite(target_path):
                _checkpoint_quietly(target_path, passphrase)
            kept = target_path.with_name(target_path.name + ".before-restore")
            shutil.copyfile(target_path, kept)
            if wal.exists() and wal.stat().st_size:
                shutil.copyfile(wal, Path(f"{kept}-wal"))
                fsync_file(Path(f"{kept}-wal"))
            fsync_file(kept)
        # The old WAL belongs to the old file: replayed onto the backup it would corrupt it.
        wal.unlink(missing_ok=True)
        shm.unlink(missing_ok=True)
        os.replace(incoming, target_path)
        fsync_dir(folder)
    except OSError as exc:
        incoming.unlink(missing_ok=True)
        mapped = translate_error(exc, folder)
        raise (mapped or StoreError("The backup could not be restored; the caseload was not "
                                    "changed.")) from exc
    log.info("backup restored (previous file kept: %s)", kept is not None)
    return kept


def _checkpoint_quietly(path: Path, passphrase: str) -> None:
    """Fold the current file's WAL into it when the same passphrase opens it (best effort)."""
    try:
        conn = connect_encrypted(path, passphrase)
    except StoreError:
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlcipher.Error:
        pass
    finally:
        conn.close()
