"""Exchange: keys, export for the manager, export-903."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds this area's subcommands (none yet)."""
