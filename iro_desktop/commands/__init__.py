"""Command-line subcommands, one module per area so each area's commands live with its owners."""

from __future__ import annotations

import argparse
import importlib

# Each module has `register(subparsers)` adding its subcommands with `set_defaults(handler=...)`.
COMMAND_MODULES = ("caseload", "protect", "reviews", "letters", "exchange", "manager")


def register_all(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"iro_desktop.commands.{name}")
        module.register(subparsers)
