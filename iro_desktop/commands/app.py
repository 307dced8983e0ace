"""Opening the desktop app from the command line."""

from __future__ import annotations

import argparse

from iro_desktop.cli import CommandError


def run_app(args: argparse.Namespace) -> int:
    try:
        from iro_desktop.gui.app import run
    except ImportError as exc:  # Qt libraries missing on this machine
        raise CommandError(f"The desktop app cannot start here: {exc}") from exc
    return run(db=args.db, self_test=args.self_test)
