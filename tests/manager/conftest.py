"""Exchange fixtures: a manager and three IROs with demo caseloads, their year exports made once."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from iro_desktop.db.service import open_service, trust_iro
from iro_desktop.db.store import Store
from iro_desktop.interchange import bundle, keys
from iro_desktop.reports.figures import iro_figures
from tests.manager.helpers import REPORT_DAY, YEAR_END, YEAR_START, demo_store

MANAGER_PASSPHRASE = "manager passphrase for tests"


@dataclass
class DemoIro:
    name: str
    keys: keys.KeyPair
    path: Path
    export: bytes
    stats: dict


@contextlib.contextmanager
def data_folder(folder: Path) -> Iterator[None]:
    """Act as one person: their own XDG_DATA_HOME (session fixtures cannot use monkeypatch)."""
    old = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(folder)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("XDG_DATA_HOME", None)
        else:
            os.environ["XDG_DATA_HOME"] = old


@pytest.fixture(scope="session")
def actors_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("actors")


@pytest.fixture(scope="session")
def manager_keys(actors_folder: Path) -> keys.KeyPair:
    """The manager's keys, made and unlocked from the manager's own data folder."""
    with data_folder(actors_folder / "manager"):
        keys.create_keys(keys.ROLE_MANAGER, "Pat Manager", MANAGER_PASSPHRASE)
        return keys.unlock(keys.ROLE_MANAGER, MANAGER_PASSPHRASE)


@pytest.fixture(scope="session")
def demo_iros(actors_folder: Path, manager_keys: keys.KeyPair) -> list[DemoIro]:
    """Three IROs (seeds 11, 12, 13; 903 ids A..., B..., C...), each with their own data folder
    (keys made there under the store passphrase), encrypted store, year export written by the
    same code as `iro-desktop export`, and their own `stats` figures for the year."""
    result = []
    for seed, prefix, name in (
        (11, "A", "Alex Ash"),
        (12, "B", "Bo Birch"),
        (13, "C", "Cat Cedar"),
    ):
        home = actors_folder / prefix
        passphrase = f"{name} store passphrase"
        with data_folder(home):
            path = home / "caseload.db"
            store = demo_store(path, name, seed=seed, prefix=prefix, passphrase=passphrase)
            try:
                with store.transaction() as session:
                    manager = bundle.set_manager_key(session, manager_keys.public.armored())
                    bundle.iro_public_key(session, passphrase)  # the keys are made on first use
                pair = keys.unlock(keys.ROLE_IRO, passphrase)
                out = home / f"{prefix}.iroexport"
                with store.session() as session:
                    bundle.export_for_manager(
                        session, out, YEAR_START, YEAR_END, keys=pair, manager=manager
                    )
                    stats = iro_figures(session, YEAR_START, YEAR_END, today=REPORT_DAY)
            finally:
                store.close()
        result.append(DemoIro(name, pair, path, out.read_bytes(), stats))
    return result


@pytest.fixture
def service(tmp_path: Path) -> Store:
    store = open_service(tmp_path / "service.db")
    yield store
    store.close()


def trust_all(service: Store, iros: list[DemoIro]) -> None:
    with service.transaction() as session:
        for iro in iros:
            trust_iro(session, iro.keys.public.armored(), iro.name)
