"""Hermetic tests: every test gets its own folders and a fresh encrypted store; nothing touches
the user's real data folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TEST_PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every platform folder (data, config, logs, cache) into this test's tmp_path."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(folder))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("IRO_DESKTOP_DB", raising=False)
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", TEST_PASSPHRASE)
    return home


@pytest.fixture(scope="session")
def _template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, encrypted store per run; each test copies it (key derivation and migration
    cost ~0.3 s, which would otherwise be paid by every test)."""
    from iro_desktop.db.store import open_store

    path = tmp_path_factory.mktemp("template") / "template.db"
    store = open_store(path, TEST_PASSPHRASE)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, _template_store: Path) -> Path:
    path = tmp_path / "caseload.db"
    shutil.copyfile(_template_store, path)
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[object]:
    from iro_desktop.db.store import open_store

    opened = open_store(store_path, TEST_PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def session(store) -> Iterator[object]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        yield s
