"""The manager's window, driven by pytest-qt: a service database made with the exchange's API,
an IRO's key trusted, that IRO's export imported on the worker thread (progress to 100%), the IRO
in the list with their last import, the report's tables and charts (made on the worker thread),
export as PDF and XLSX (written there too). The threading itself: tests/gui/test_manager_jobs.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.factory import D, make_child

MANAGER_PASSPHRASE = "manager passphrase for the window"
YEAR_START, YEAR_END = D(2025, 4, 1), D(2026, 3, 31)


@pytest.fixture
def exchange(tmp_path: Path) -> SimpleNamespace:
    """The manager's keys (on disk, in this test's data folder), an empty service database, and
    one IRO (keys in memory) with three children and their reviews, sealed as their year export
    (as tests/manager builds them)."""
    from iro_desktop.db.service import open_service
    from iro_desktop.interchange import bundle, keys
    from tests.manager.helpers import iro_store, sealed_export

    manager = keys.create_keys(keys.ROLE_MANAGER, "Pat Manager", MANAGER_PASSPHRASE)
    service_path = tmp_path / "service.db"
    open_service(service_path).close()

    iro = keys.generate(keys.ROLE_IRO, "Sam Taylor")
    store = iro_store(tmp_path / "iro.db", "Sam Taylor")
    with store.transaction() as session:
        bundle.set_manager_key(session, manager.public.armored())
        make_child(session, child_ref="X100001", looked_after_since=D(2025, 4, 20),
                   reviews=[D(2025, 5, 15), D(2025, 8, 10)], participation_code="PN1")
        make_child(session, child_ref="X100002", looked_after_since=D(2025, 6, 2),
                   reviews=[D(2025, 6, 27)], participation_code="PN7")
        make_child(session, child_ref="X100003", looked_after_since=D(2025, 9, 1),
                   date_of_birth=D(2024, 1, 5), reviews=[D(2025, 9, 25)],
                   participation_code="PN0")
    export = tmp_path / "sam.iroexport"
    export.write_bytes(sealed_export(store, iro, manager.public))
    store.close()
    key_file = tmp_path / "sam-public.txt"
    key_file.write_text(iro.public.armored(), encoding="utf-8")
    return SimpleNamespace(service=service_path, export=export, key_file=key_file,
                           iro=iro, manager=manager)


@pytest.fixture
def window(qtbot: Any, exchange: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> Any:
    from PySide6.QtWidgets import QMessageBox

    from iro_desktop.gui.manager_window import ManagerWindow

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, _title, text, *a, **k: warnings.append(text))
    w = ManagerWindow(target=str(exchange.service))
    qtbot.addWidget(w)
    w.warnings = warnings
    return w


def _import(qtbot: Any, window: Any, paths: list[Path], passphrase: str = MANAGER_PASSPHRASE,
            ) -> tuple[int, int]:
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as blocker:
        window.start_import(paths, passphrase)
    return tuple(blocker.args)  # type: ignore[return-value]


def _report(qtbot: Any, window: Any, start: dt.date, end: dt.date) -> bool:
    """Make the report on the worker thread and wait for it: True when its tables are shown."""
    with qtbot.waitSignal(window.report_finished, timeout=60_000) as blocker:
        assert window.show_report(start, end)
    return bool(blocker.args[0])


def _export(qtbot: Any, window: Any, kind: str, path: Path) -> bool:
    with qtbot.waitSignal(window.export_finished, timeout=60_000) as blocker:
        assert window.export(kind, path)
    return bool(blocker.args[0])


def _column(model: Any, column: int) -> list[Any]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_trust_import_and_report(qtbot: Any, qtmodeltester: Any, window: Any, *,
                                 exchange: SimpleNamespace, monkeypatch: pytest.MonkeyPatch,
                                 tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from iro_desktop.gui import manager_window
    from iro_desktop.gui.manager_window import IroModel

    assert window.store is not None and window.iro_model.rowCount() == 0
    assert window.import_button.isEnabled()  # a database is open
    assert exchange.manager.public.fingerprint in window.database_label.text()

    monkeypatch.setattr(manager_window, "ask_name", lambda _parent, suggested: ("Sam T.", True))
    assert window.trust_key_file(exchange.key_file)
    assert _column(window.iro_model, IroModel.NAME) == ["Sam T."]
    assert _column(window.iro_model, IroModel.FINGERPRINT) == [exchange.iro.public.fingerprint]
    assert _column(window.iro_model, IroModel.IMPORTED) == ["–"]  # nothing imported yet
    qtmodeltester.check(window.iro_model)

    progress_seen: list[int] = []
    window.progress.valueChanged.connect(progress_seen.append)
    assert _import(qtbot, window, [exchange.export]) == (1, 1)
    assert window.progress.value() == window.progress.maximum() == 1
    assert progress_seen[-1] == 1
    assert window.results_model.results[0]["status"] == "applied"
    assert "Sam T." in window.results_model.results[0]["details"]
    qtmodeltester.check(window.results_model)
    assert window.import_button.isEnabled()

    assert _column(window.iro_model, IroModel.NAME) == ["Sam T."]
    imported = window.iro_model.index(0, IroModel.IMPORTED).data(Qt.ItemDataRole.UserRole)
    assert isinstance(imported, dt.datetime)
    assert window.iro_model.index(0, IroModel.PERIOD).data() == "01/04/2025 to 31/03/2026"
    assert window.iro_model.index(0, IroModel.CHILDREN).data() == "3"
    assert window.iro_model.index(0, IroModel.REVIEWS).data() == "4"
    qtmodeltester.check(window.iro_model)

    # The report: the window's tables show the report's figures.
    assert _report(qtbot, window, YEAR_START, YEAR_END)
    report, page = window.report, window.report_page
    assert report["reviews_held"] == 4 and report["participation"]["PN1"] == 2
    assert page.pdf_button.isEnabled() and page.report_button.isEnabled()
    page.sections.setCurrentRow(list(page.tables).index("Reviews on time"))
    model = page.table_model
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(4)] == [
        "Reviews held on time", str(report["reviews_on_time"]), "4",
        f"{report['percent']['reviews_on_time']:.1f}%"]
    assert page.chart.bars[0][1] == pytest.approx(report["percent"]["reviews_on_time"])

    page.sections.setCurrentRow(list(page.tables).index("Participation by code"))
    codes = {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}
    assert codes["PN1"] == "2" and codes["PN7"] == "1" and codes["PN0"] == "1"
    assert dict(page.chart.bars)["PN1"] == pytest.approx(50.0)
    assert "PN1: 50.0%" in page.chart.accessibleDescription()
    qtmodeltester.check(model)

    page.sections.setCurrentRow(list(page.tables).index("Caseloads"))
    assert page.chart.bars == [("Sam T.", 3.0)]
    assert [g[0] for g in page.chart.guides] == [50, 70]
    assert model.index(0, 0).data() == "Sam T." and model.index(0, 1).data() == "3"
    assert model.index(0, 2).data() == "Below 50"
    qtmodeltester.check(model)
    assert not page.chart.grab().isNull()  # paints: bars, the 50 and 70 lines

    page.sections.setCurrentRow(0)
    assert page.section_title.text() == "Key figures"
    qtmodeltester.check(model)

    # Export, with the service name for the title page.
    page.service_name.setText("Southbridge IRO Service")
    assert _export(qtbot, window, "pdf", tmp_path / "report.pdf")
    assert _export(qtbot, window, "xlsx", tmp_path / "report.xlsx")
    from openpyxl import load_workbook
    from pypdf import PdfReader

    assert "Southbridge IRO Service" in PdfReader(str(tmp_path / "report.pdf")).pages[0]\
        .extract_text()
    assert load_workbook(tmp_path / "report.xlsx")["Reviews on time"]["B2"].value == \
        report["reviews_on_time"]
    assert window.warnings == []


def test_second_import_and_refusals(qtbot: Any, window: Any, exchange: SimpleNamespace,
                                    tmp_path: Path) -> None:
    """The same file again is 'already imported'; an untrusted signer is refused with its
    reason; a wrong passphrase stops the run before any file."""
    assert _import(qtbot, window, [exchange.export]) == (0, 1)  # the IRO is not trusted yet
    result = window.results_model.results[0]
    assert result["status"] == "refused" and result["details"]
    assert window.progress.value() == window.progress.maximum()

    assert window.trust_key_file(exchange.key_file, "Sam Taylor")
    damaged = tmp_path / "damaged.iroexport"
    damaged.write_bytes(exchange.export.read_bytes()[:-40])
    assert _import(qtbot, window, [exchange.export, damaged]) == (1, 2)
    assert [r["status"] for r in window.results_model.results] == ["applied", "refused"]
    assert window.progress.value() == 2 and window.progress.maximum() == 2

    assert _import(qtbot, window, [exchange.export]) == (0, 1)
    assert window.results_model.results[0]["status"] == "already imported"

    assert _import(qtbot, window, [exchange.export], "not the passphrase") == (0, 1)
    assert window.results_model.results[0]["status"] == "not started"
    assert any("passphrase" in w for w in window.warnings)


def test_report_dates_are_checked(window: Any) -> None:
    page = window.report_page
    page.start.set_text("not a date")
    assert not window.show_report()
    assert not page.report_error.isHidden()
    page.start.set_date(YEAR_END)
    page.end.set_date(YEAR_START)
    assert not window.show_report()
    assert "ends before" in page.report_error.text()
    assert not page.pdf_button.isEnabled()
    assert not window.jobs.busy  # nothing was started


def test_default_period_is_this_april_to_march_year(window: Any) -> None:
    from iro_desktop.reports.figures import april_year

    start, end = april_year(dt.date.today())
    assert window.report_page.start.date() == start and window.report_page.end.date() == end


def test_open_from_the_main_windows_menu(qtbot: Any, exchange: SimpleNamespace) -> None:
    """ACTIONS calls open_manager_window(window): it reopens the last database used."""
    from iro_desktop.gui import main_window
    from iro_desktop.gui.manager_window import ManagerWindow, open_manager_window

    spec = "iro_desktop.gui.manager_window:open_manager_window"
    assert any(a[3] == spec for a in main_window.ACTIONS)
    first = ManagerWindow(target=str(exchange.service))  # remembers the database
    qtbot.addWidget(first)
    first.close()
    host = SimpleNamespace()
    opened = open_manager_window(host)
    qtbot.addWidget(opened)
    assert opened.isVisible() and opened.store is not None
    assert open_manager_window(host) is opened
    opened.close()


def test_a_bad_key_file_is_refused(window: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("not a key", encoding="utf-8")
    assert not window.trust_key_file(bad, "Nobody")
    assert window.iro_model.rowCount() == 0 and window.warnings


def test_remembered_database_never_keeps_a_password() -> None:
    from iro_desktop.gui.manager_window import display_url, remembered_url

    url = "postgresql://pat:secret@db.example:5433/iro"
    assert remembered_url(url) == "postgresql://pat@db.example:5433/iro"
    assert "secret" not in display_url(url)
    assert remembered_url("sqlite:////tmp/service.db") == "/tmp/service.db"


def test_create_the_managers_keys(qtbot: Any, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A new manager, no keys yet: the window offers to make them (name, passphrase twice)."""
    from PySide6.QtWidgets import QInputDialog

    from iro_desktop.db.service import open_service
    from iro_desktop.gui import manager_window
    from iro_desktop.interchange import keys

    open_service(tmp_path / "new.db").close()
    w = manager_window.ManagerWindow(target=str(tmp_path / "new.db"))
    qtbot.addWidget(w)
    assert not w.keys_button.isHidden() and "no manager's keys" in w.database_label.text()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Pat Manager", True))
    monkeypatch.setattr(manager_window, "ask_passphrase", lambda *a, **k: ("a long pw", True))
    assert w.create_keys()
    assert keys.has_keys(keys.ROLE_MANAGER) and w.keys_button.isHidden()
    assert keys.load_public(keys.ROLE_MANAGER).fingerprint in w.database_label.text()


def test_run_manager_window_on_its_own(monkeypatch: pytest.MonkeyPatch,
                                       exchange: SimpleNamespace) -> None:
    """What `iro-desktop manager gui --db URL` would call."""
    from PySide6.QtWidgets import QApplication

    from iro_desktop.gui import manager_window

    shown: list[Any] = []
    monkeypatch.setattr(QApplication, "exec", lambda _self: 0)
    def fake_show(self: Any) -> None:
        shown.append(self)

    monkeypatch.setattr(manager_window.ManagerWindow, "show", fake_show)
    assert manager_window.run_manager_window(str(exchange.service)) == 0
    assert shown[0].store is not None
    shown[0].close()


@pytest.fixture(scope="module")
def pg_url() -> Any:
    from tests.manager import pg_server

    reason = pg_server.unavailable()
    if reason:
        pytest.skip(f"no PostgreSQL server for this test: {reason}")
    with pg_server.postgres_server() as url:
        yield url


def test_the_window_on_postgresql(qtbot: Any, pg_url: str, exchange: SimpleNamespace,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The same window on a SQLAlchemy URL: the council's PostgreSQL server."""
    from PySide6.QtWidgets import QMessageBox

    from iro_desktop.gui.manager_window import IroModel, ManagerWindow

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(str(a[2])))
    w = ManagerWindow()
    qtbot.addWidget(w)
    assert w.open_database(pg_url) and w.store is not None
    assert w.trust_key_file(exchange.key_file, "Sam Taylor")
    assert _import(qtbot, w, [exchange.export]) == (1, 1)
    assert _column(w.iro_model, IroModel.NAME) == ["Sam Taylor"]
    assert _report(qtbot, w, YEAR_START, YEAR_END) and w.report["reviews_held"] == 4
    w.close()
