"""The manager's window imports each IRO's files oldest first, whatever order they were picked in
(`manager_import.import_order`, called once by the import job): the job imports file by file, and
before this a newer file picked first made the older one after it "refused". An applied file's row
says what it removed (`removal_summary`), its tooltip lists the records; an export older than one
already imported is explained in plain words.

Sam's exports: March (`early`), 2 April (`april`), then Sam deletes the review of 10/08/2025 and
exports on 9 April (`later`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.factory import D, make_child

MANAGER_PASSPHRASE = "manager passphrase for the window"


@pytest.fixture
def exports(tmp_path: Path) -> SimpleNamespace:
    from sqlalchemy import select

    from iro_desktop.db.models import Review
    from iro_desktop.db.service import open_service, trust_iro
    from iro_desktop.interchange import keys
    from tests.manager.helpers import iro_store, sealed_export

    manager = keys.create_keys(keys.ROLE_MANAGER, "Pat Manager", MANAGER_PASSPHRASE)
    service_path = tmp_path / "service.db"
    service = open_service(service_path)
    iro = keys.generate(keys.ROLE_IRO, "Sam Taylor")
    with service.transaction() as session:
        trust_iro(session, iro.public.armored(), "Sam T.")
    service.close()
    store = iro_store(tmp_path / "iro.db", "Sam Taylor")
    with store.transaction() as session:
        make_child(session, child_ref="X100001", looked_after_since=D(2025, 4, 20),
                   reviews=[D(2025, 5, 15), D(2025, 8, 10)], participation_code="PN1")
        make_child(session, child_ref="X100002", looked_after_since=D(2025, 6, 2),
                   reviews=[D(2025, 6, 27)], participation_code="PN7")
    files = {}

    def write(name: str, made: dt.datetime) -> None:
        files[name] = tmp_path / f"{name}.iroexport"
        files[name].write_bytes(sealed_export(store, iro, manager.public, now=made))

    write("early", dt.datetime(2026, 3, 20, 9, 0))
    write("april", dt.datetime(2026, 4, 2, 10, 0))
    with store.transaction() as session:  # Sam deletes a review recorded in error
        session.delete(session.scalar(select(Review).where(Review.review_date == D(2025, 8, 10))))
    write("later", dt.datetime(2026, 4, 9, 10, 0))
    store.close()
    return SimpleNamespace(service=service_path, **files)


@pytest.fixture
def window(qtbot: Any, exports: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> Any:
    from PySide6.QtWidgets import QMessageBox

    from iro_desktop.gui.manager_window import ManagerWindow

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *a, **k: warnings.append(text))
    w = ManagerWindow(target=str(exports.service))
    qtbot.addWidget(w)
    w.warnings = warnings
    yield w
    w.jobs.wait(10_000)


def _import(qtbot: Any, window: Any, paths: list[Path]) -> tuple[int, int]:
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
        assert window.start_import(paths, MANAGER_PASSPHRASE)
    return tuple(blocker.args)  # type: ignore[return-value]


def _cell(window: Any, row: int, column: int, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
    model = window.results_model
    return model.index(row, column).data(role)


def test_a_newer_file_picked_first_no_longer_refuses_the_older(
        qtbot: Any, qtmodeltester: Any, window: Any, exports: SimpleNamespace) -> None:
    assert _import(qtbot, window, [exports.later, exports.april]) == (2, 2)
    results = window.results_model.results
    # Imported oldest first: the rows say so.
    assert [(r["file"], r["status"]) for r in results] == [
        ("april.iroexport", "applied"), ("later.iroexport", "applied")]
    assert window.progress.value() == window.progress.maximum() == 2

    # The April file removed nothing; the later one removed the review Sam deleted.
    assert results[0]["details"] == (
        "Sam T., 01/04/2025 to 31/03/2026: 2 children, 3 reviews, 3 new; nothing removed")
    assert results[1]["details"] == (
        "Sam T., 01/04/2025 to 31/03/2026: 2 children, 2 reviews, 0 new; "
        "removed: 1 review (no longer in the IRO's export)")
    tooltip = _cell(window, 1, 2, Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Removed, no longer in the IRO's export:\nX100001 review 2025-08-10"
    assert _cell(window, 1, 1, Qt.ItemDataRole.ToolTipRole) == tooltip
    assert _cell(window, 0, 2, Qt.ItemDataRole.ToolTipRole) == results[0]["details"]
    assert _cell(window, 1, 0, Qt.ItemDataRole.ToolTipRole) == "later.iroexport"
    qtmodeltester.check(window.results_model)
    assert window.warnings == []


def test_an_export_older_than_one_imported_is_explained(
        qtbot: Any, qtmodeltester: Any, window: Any, exports: SimpleNamespace) -> None:
    assert _import(qtbot, window, [exports.later]) == (1, 1)
    assert _import(qtbot, window, [exports.early]) == (0, 1)
    (result,) = window.results_model.results
    assert result["status"] == "refused"
    assert result["details"].startswith(
        "Not applied: an older export. A newer export from Sam T. is already imported")
    assert "would bring back records they have deleted since. Nothing was changed." in (
        result["details"])
    # The tooltip has the exports' dates.
    tooltip = _cell(window, 0, 2, Qt.ItemDataRole.ToolTipRole)
    assert "made on 2026-03-20 at 09:00" in tooltip and "2026-04-09 at 10:00" in tooltip
    qtmodeltester.check(window.results_model)


def test_import_order_is_asked_once_per_run(
        qtbot: Any, window: Any, exports: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.interchange import manager_import

    calls: list[list[str]] = []
    real = manager_import.import_order

    def counted(paths: Any, pair: Any) -> list[Path]:
        calls.append([Path(p).name for p in paths])
        return real(paths, pair)

    monkeypatch.setattr(manager_import, "import_order", counted)
    assert _import(qtbot, window, [exports.later, exports.early, exports.april]) == (3, 3)
    # Once by the job for the whole run (import_files calls it again per file, with one path).
    assert calls[0] == ["later.iroexport", "early.iroexport", "april.iroexport"]
    assert [c for c in calls if len(c) > 1] == [calls[0]]
    assert [r["file"] for r in window.results_model.results] == [
        "early.iroexport", "april.iroexport", "later.iroexport"]
