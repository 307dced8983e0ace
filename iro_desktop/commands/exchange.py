"""Exchange (the IRO's side): keys, the export for the manager, and the 903 files."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from iro_desktop.cli import (
    EXIT_BAD_INPUT,
    CommandError,
    add_db_option,
    passphrase_for,
    read_text_file,
)
from iro_desktop.db.store import Store, StoreError, open_store
from iro_desktop.paths import default_db_path


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from exc


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2026 (for 2025-26)")
    return int(text)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    keys = sub.add_parser("keys", help="your public key, and your manager's")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="KEYS_COMMAND", required=True)
    show = keys_sub.add_parser("show", help="print your public key (to email to your manager)")
    add_db_option(show)
    show.set_defaults(handler=run_keys_show)
    add = keys_sub.add_parser("add-manager", help="set your manager's public key (once)")
    add.add_argument("keyfile", type=Path, help="the manager's public key file")
    add_db_option(add)
    add.set_defaults(handler=run_keys_add_manager)

    export = sub.add_parser(
        "export", help="an encrypted, signed file of your records for your manager"
    )
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    export.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="first day (default: 1 April of the year containing --to)",
    )
    export.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="last day (default: today)",
    )
    add_db_option(export)
    export.set_defaults(handler=run_export)

    e903 = sub.add_parser("export-903", help="SSDA903 header, episodes and reviews CSV files")
    e903.add_argument(
        "folder", type=Path, help="folder to write header.csv, episodes.csv, reviews.csv"
    )
    e903.add_argument(
        "--year",
        type=_year,
        default=None,
        help="collection year by its end: 2026 = 1 April 2025 to 31 March 2026 "
        "(default: the year containing today)",
    )
    add_db_option(e903)
    e903.set_defaults(handler=run_export_903)


def _open(db: Path | None) -> tuple[Store, str]:
    path = db or default_db_path()
    passphrase = passphrase_for(path, confirm_new=True)
    try:
        return open_store(path, passphrase), passphrase
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc


def _iro_public(store: Store, passphrase: str):  # type: ignore[no-untyped-def]
    from iro_desktop.interchange import bundle, keys

    try:
        with store.session() as session:
            return bundle.iro_public_key(session, passphrase)
    except keys.KeyProblem as exc:
        raise CommandError(str(exc)) from exc


def run_keys_show(args: argparse.Namespace) -> int:
    from iro_desktop.interchange import bundle

    store, passphrase = _open(args.db)
    try:
        public = _iro_public(store, passphrase)
        with store.session() as session:
            manager = bundle.manager_key_of(session)
    finally:
        store.close()
    print(public.armored(), end="")
    print(f"\nYour fingerprint: {public.fingerprint}")
    if manager is not None:
        print(f"Your manager's key: {manager.name}, fingerprint {manager.fingerprint}")
    else:
        print("Your manager's key: not set yet (iro-desktop keys add-manager KEYFILE)")
    return 0


def run_keys_add_manager(args: argparse.Namespace) -> int:
    from iro_desktop.interchange import bundle, keys

    text = read_text_file(args.keyfile)
    try:
        keys.parse_public_key(text)  # a damaged file is refused before the passphrase is asked
    except keys.KeyFormatError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    store, _passphrase = _open(args.db)
    try:
        with store.transaction() as session:
            manager = bundle.set_manager_key(session, text)
    except keys.KeyFormatError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    finally:
        store.close()
    print(f"Manager's key set: {manager.name}, fingerprint {manager.fingerprint}")
    print(
        "Read the fingerprint to your manager over the phone: it must be the same on their screen."
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    from iro_desktop.interchange import bundle, keys

    end = args.end or dt.date.today()
    start = args.start or bundle.collection_year_start(end)
    if end < start:
        raise CommandError(
            f"--to {end.isoformat()} is before --from {start.isoformat()}.", EXIT_BAD_INPUT
        )
    store, passphrase = _open(args.db)
    try:
        with store.session() as session:
            manager = bundle.manager_key_of(session)
        if manager is None:
            raise CommandError(
                "Your manager's public key is not set: run "
                "`iro-desktop keys add-manager KEYFILE` first.",
                EXIT_BAD_INPUT,
            )
        _iro_public(store, passphrase)
        try:
            pair = keys.unlock(keys.ROLE_IRO, passphrase)
        except keys.KeyProblem as exc:
            raise CommandError(str(exc)) from exc
        with store.session() as session:
            manifest = bundle.export_for_manager(
                session, args.out, start, end, keys=pair, manager=manager
            )
    finally:
        store.close()
    c = manifest["counts"]
    print(
        f"Wrote {args.out}: {c['children']} children, {c['reviews']} reviews, "
        f"{c['midway_reviews']} midway reviews, {c['escalations']} escalations, "
        f"{start.isoformat()} to {end.isoformat()}; for {manager.name} ({manager.fingerprint}) "
        f"and you; export id {manifest['export_id']}."
    )
    return 0


def run_export_903(args: argparse.Namespace) -> int:
    from iro_desktop.interchange.export903 import (
        CodesMissing,
        current_collection_year,
        export_903,
    )

    year = args.year or current_collection_year(dt.date.today())
    store, _passphrase = _open(args.db)
    try:
        with store.session() as session:
            result = export_903(session, args.folder, year)
    except CodesMissing as exc:  # drafts without a code: nothing written (exit 2)
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc
    finally:
        store.close()
    print(
        f"Wrote header.csv, episodes.csv and reviews.csv for {year - 1}-{str(year)[2:]} "
        f"(1 April {year - 1} to 31 March {year}) in {args.folder}: {result.children} children, "
        f"{result.episodes} episodes, {result.reviews} reviews."
    )
    if result.reviews_left_out:
        print(
            f"{result.reviews_left_out} review(s) left out: held during short breaks (V3/V4) "
            "or outside any episode."
        )
    for warning in result.warnings:
        print(f"warning: {warning}")
    return 0
