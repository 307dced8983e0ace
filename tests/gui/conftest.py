"""Fixtures for the GUI tests: a small caseload in the encrypted store, and app-wide Qt names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.factory import D, make_child

TODAY = D(2026, 1, 15)


@pytest.fixture(autouse=True)
def _qt_names(qapp: Any) -> None:
    """QSettings needs the organisation and app names the real app sets (and no real folders:
    tests/conftest.py points XDG_CONFIG_HOME into tmp_path)."""
    from iro_desktop.gui.app import make_application

    make_application()


@pytest.fixture
def caseload(store: Any) -> dict[str, int]:
    """Four children in care and one who has left, with reviews relative to TODAY (15/01/2026).

    - Amira Khan: in care since 01/05/2025, reviews 02/06 and 02/09/2025 -> due 02/03/2026 (46 days)
    - Ben Carter: in care since 10/12/2025, no review -> first due 12/01/2026: 3 days overdue
    - Cara Doyle: in care since 01/05/2025, review 20/10/2025 -> second due 20/01/2026 (5 days)
    - Dev Patel: in care since 22/12/2025, no review -> first due 22/01/2026 (7 days)
    - Ellie Left: left care 01/11/2025 (E13)

    By name: Amira, Ben, Cara, Dev; by next review due: Ben, Cara, Dev, Amira (and as display
    strings "02/03/2026" would wrongly come first).
    """
    from iro_desktop.db.models import Child, Episode

    with store.transaction() as session:
        ids = {
            "amira": make_child(session, child_ref="A1001", first_name="Amira", last_name="Khan",
                                looked_after_since=D(2025, 5, 1),
                                reviews=[D(2025, 6, 2), D(2025, 9, 2)],
                                social_worker_name="Jo Marsh", placement="U4").id,
            "ben": make_child(session, child_ref="B2002", first_name="Ben", last_name="Carter",
                              looked_after_since=D(2025, 12, 10), social_worker_name="Sam Reid",
                              placement="K2", date_of_birth=D(2010, 7, 1)).id,
            "cara": make_child(session, child_ref="C3003", first_name="Cara", last_name="Doyle",
                               looked_after_since=D(2025, 5, 1), reviews=[D(2025, 10, 20)],
                               social_worker_name="Jo Marsh", placement="P1",
                               date_of_birth=D(2019, 2, 3)).id,
            "dev": make_child(session, child_ref="D4004", first_name="Dev", last_name="Patel",
                              looked_after_since=D(2025, 12, 22), social_worker_name="Priya Shah",
                              placement="U6", date_of_birth=D(2023, 8, 30)).id,
        }
        left = Child(child_ref="E5005", first_name="Ellie", last_name="Left",
                     date_of_birth=D(2009, 1, 1), social_worker_name="Sam Reid")
        left.episodes.append(Episode(start=D(2024, 1, 10), reason_new_episode="S",
                                     legal_status="V2", placement="U6", end=D(2025, 11, 1),
                                     reason_ended="E13"))
        session.add(left)
        session.flush()
        ids["ellie"] = left.id
    return ids


@pytest.fixture
def caseload_page(qtbot: Any, store: Any, caseload: dict[str, int]) -> Iterator[Any]:
    from iro_desktop.gui.caseload_page import CaseloadPage

    page = CaseloadPage(store)
    page.today = lambda: TODAY
    page.refresh()
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    yield page


@pytest.fixture
def main_window(qtbot: Any, store: Any, caseload: dict[str, int]) -> Iterator[Any]:
    from iro_desktop.gui.main_window import MainWindow

    window = MainWindow(store)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    yield window
    window.lock.shutdown()


def today() -> dt.date:
    return TODAY
