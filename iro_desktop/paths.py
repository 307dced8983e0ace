"""The one place that finds files: bundled resources (checkout or frozen build) and user folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from iro_desktop import APP_SLUG

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundle_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return _PACKAGE_DIR.parent


def resource_path(*parts: str) -> Path:
    """A file under `resources/`, from a checkout, an installed wheel or a frozen build."""
    return _bundle_root().joinpath("resources", *parts)


def package_path(*parts: str) -> Path:
    """A file inside the `iro_desktop` package (Alembic migrations); frozen builds keep it so."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    base = Path(frozen_root) / "iro_desktop" if frozen_root else _PACKAGE_DIR
    return base.joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder (database, keys). Honours XDG_DATA_HOME: tests isolate each actor."""
    path = Path(platformdirs.user_data_dir(APP_SLUG, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = Path(platformdirs.user_log_dir(APP_SLUG, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    path = Path(platformdirs.user_config_dir(APP_SLUG, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    override = os.environ.get("IRO_DESKTOP_DB")
    return Path(override) if override else data_dir() / "caseload.db"
