"""The manager: service database, trusted IROs, import, annual report."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds this area's subcommands (none yet)."""
