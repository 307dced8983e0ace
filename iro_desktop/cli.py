"""The command line: a second front door on the same use cases as the app."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from iro_desktop import APP_NAME, __version__
from iro_desktop.db.errors import StoreError
from iro_desktop.paths import default_db_path

if TYPE_CHECKING:
    from iro_desktop.db.store import Store

PASSPHRASE_ENV = "IRO_DESKTOP_PASSPHRASE"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

log = logging.getLogger(__name__)


class CommandError(Exception):
    """A failure to report to the user in one line, with an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, default=None, help="caseload file (default: your data folder)"
    )


def read_text_file(path: Path) -> str:
    """A text file the user named (a key file), or a one-line error (exit 2) when it is not one."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"Cannot read {path}: not a readable text file."
        raise CommandError(message, EXIT_BAD_INPUT) from exc


def passphrase_for(path: Path, *, confirm_new: bool = False) -> str:
    """The store passphrase: from IRO_DESKTOP_PASSPHRASE, else asked for at the terminal."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandError(
            f"This caseload is encrypted: set {PASSPHRASE_ENV} or run from a terminal.",
            EXIT_BAD_INPUT,
        )
    first = getpass.getpass("Caseload passphrase: ")
    if confirm_new and not path.exists() and getpass.getpass("Type it again: ") != first:
        raise CommandError("The two passphrases differ; nothing was created.", EXIT_BAD_INPUT)
    return first


def open_cli_store(db: Path | None) -> Store:
    from iro_desktop.db.store import open_store

    path = db or default_db_path()
    try:
        return open_store(path, passphrase_for(path, confirm_new=True))
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_BAD_INPUT) from exc


def _app_parser() -> argparse.ArgumentParser:
    """The options of the app itself (no subcommand)."""
    parser = argparse.ArgumentParser(
        prog="iro-desktop", description=f"{APP_NAME}: caseload, reviews and letters for IROs."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_db_option(parser)
    parser.add_argument("--self-test", action="store_true", help="check this installation and exit")
    return parser


def build_parser() -> argparse.ArgumentParser:
    from iro_desktop.commands import register_all

    parser = _app_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register_all(sub)
    return parser


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed command line. Opening the app (no subcommand, the usual case) does not load
    every command's module: they bring SQLAlchemy and the rules, which the unlock screen must not
    wait for (issue 7)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if not {"-h", "--help"} & set(words):
        args, rest = _app_parser().parse_known_args(words)
        if not rest:
            return args
    return build_parser().parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from iro_desktop.commands.app import run_app

            return run_app(args)
        return int(handler(args) or EXIT_OK)
    except CommandError as exc:
        print(f"iro-desktop: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `iro-desktop due | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # no traceback reaches a user: a one-line message and a report
        return report_unexpected(exc)


def report_unexpected(exc: BaseException) -> int:
    """Log a crash report (types and code locations only: no case details) and say where it is."""
    from iro_desktop.crash_report import crash_report
    from iro_desktop.logs import setup_logging

    try:
        where = f" A report without personal details is in {setup_logging()}."
        log.error("%s", crash_report(type(exc), exc, exc.__traceback__))
    except OSError:
        where = ""
    print(f"iro-desktop: something went wrong ({type(exc).__name__}); any unfinished change was "
          f"undone.{where}", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
