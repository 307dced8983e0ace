"""Protection: back up, restore a backup, change the passphrase."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from iro_desktop.caseload.security import change_passphrase as change_store_passphrase
from iro_desktop.cli import (
    EXIT_BAD_INPUT,
    CommandError,
    add_db_option,
    open_cli_store,
    passphrase_for,
)
from iro_desktop.db.store import StoreError, open_store
from iro_desktop.paths import default_db_path

NEW_PASSPHRASE_ENV = "IRO_DESKTOP_NEW_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="write an encrypted backup of the caseload now")
    add_db_option(backup)
    backup.add_argument("--to", type=Path, default=None, metavar="FOLDER",
                        help="backup folder (default: the backup folder setting)")
    backup.set_defaults(handler=run_backup)

    restore = sub.add_parser("restore", help="replace the caseload with a backup")
    restore.add_argument("file", type=Path, metavar="FILE", help="the backup file")
    add_db_option(restore)
    restore.set_defaults(handler=run_restore)

    change = sub.add_parser("passphrase", help="change the caseload's passphrase")
    add_db_option(change)
    change.set_defaults(handler=run_change_passphrase)


def _db(args: argparse.Namespace) -> Path:
    return args.db or default_db_path()


def run_backup(args: argparse.Namespace) -> int:
    from iro_desktop.db.backups import backup_now

    store = open_cli_store(args.db)
    try:
        path = backup_now(store, args.to)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        store.close()
    print(f"Backup written: {path}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from iro_desktop.db.backups import restore

    target = _db(args)
    passphrase = passphrase_for(args.file)
    try:
        kept = restore(args.file, target, passphrase)
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    print(f"Restored {args.file.name} into {target}.")
    if kept is not None:
        print(f"The caseload it replaced was kept as {kept}.")
    return 0


def _new_passphrase() -> str:
    from iro_desktop.db.passphrase import estimate_strength

    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if not value:
        if not sys.stdin.isatty():
            raise CommandError(f"Set {NEW_PASSPHRASE_ENV} or run from a terminal.", EXIT_BAD_INPUT)
        value = getpass.getpass("New passphrase: ")
        if getpass.getpass("Type it again: ") != value:
            raise CommandError("The two passphrases differ; nothing was changed.", EXIT_BAD_INPUT)
    strength = estimate_strength(value)
    if not strength.acceptable:
        raise CommandError(f"That passphrase is too easy to guess ({strength.label.lower()}). "
                           f"{strength.hint} Nothing was changed.", EXIT_BAD_INPUT)
    return value


def run_change_passphrase(args: argparse.Namespace) -> int:
    path = _db(args)
    if not path.exists():
        raise CommandError(f"There is no caseload at {path}.", EXIT_BAD_INPUT)
    old = passphrase_for(path)
    new = _new_passphrase()
    try:
        store = open_store(path, old)
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    try:
        note = change_store_passphrase(store, old, new)
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    finally:
        store.close()
    if note:
        print(note)
    print("Passphrase changed. Backups taken before today still open with the old passphrase.")
    return 0
