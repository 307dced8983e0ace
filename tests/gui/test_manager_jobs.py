"""The manager's window's background jobs: the report is made, and the PDF/XLSX written, on the
worker thread (its session made there too) while the window stays responsive and shows it is
busy; a failure is one line for the manager with no child's data in it or in the log; the window
will not close while a job runs; the import runs there too."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factory import D

YEAR_START, YEAR_END = D(2025, 4, 1), D(2026, 3, 31)
CHILD_NAME = "Amira Khan"  # what a database error's text could quote: it must go nowhere


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The manager's window, shown, on an empty service database; message boxes recorded."""
    from PySide6.QtWidgets import QMessageBox

    from iro_desktop.db.service import open_service
    from iro_desktop.gui.manager_window import ManagerWindow

    open_service(tmp_path / "service.db").close()
    said: dict[str, list[str]] = {"warning": [], "information": []}
    for kind in said:
        monkeypatch.setattr(QMessageBox, kind,
                            lambda _parent, _title, text, *a, _kind=kind, **k:
                            said[_kind].append(text))
    w = ManagerWindow(target=str(tmp_path / "service.db"))
    w.said = said
    qtbot.addWidget(w)
    w.show()
    yield w
    w.jobs.wait(10_000)  # never leave a job running past the test


class Gate:
    """Holds a job on the worker thread until the test lets it go; records that thread."""

    def __init__(self) -> None:
        self.entered, self.released = threading.Event(), threading.Event()
        self.threads: list[int] = []

    def hold(self) -> None:
        self.threads.append(threading.get_ident())
        self.entered.set()
        assert self.released.wait(30), "the test never let the job go"


def _report(qtbot: Any, window: Any) -> bool:
    with qtbot.waitSignal(window.report_finished, timeout=30_000) as blocker:
        assert window.show_report(YEAR_START, YEAR_END)
    return bool(blocker.args[0])


def _one_line_without_the_child(text: str) -> None:
    assert text and "\n" not in text and "Traceback" not in text
    assert CHILD_NAME not in text and "SELECT" not in text


def test_the_report_is_made_off_the_gui_thread_and_the_window_stays_responsive(
        qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QTimer

    from iro_desktop.reports import annual

    gate, real = Gate(), annual.annual_report
    sessions_made_on: list[int] = []
    real_session = window.store.session

    def session() -> Any:
        sessions_made_on.append(threading.get_ident())
        return real_session()

    def held_report(session: Any, start: Any, end: Any, **kw: Any) -> dict[str, Any]:
        gate.hold()
        return real(session, start, end, **kw)

    monkeypatch.setattr(window.store, "session", session)
    monkeypatch.setattr(annual, "annual_report", held_report)
    page = window.report_page
    assert window.show_report(YEAR_START, YEAR_END)
    assert gate.entered.wait(10)

    # The job is held on the worker thread, yet the GUI thread's event loop turns...
    ticks: list[int] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=5_000)
    timer.stop()
    # ...showing that it is busy, with nothing else to start meanwhile.
    assert window.jobs.busy and not window.busy.isHidden()
    assert "Making the report" in window.statusBar().currentMessage()
    for button in (page.report_button, page.pdf_button, window.import_button,
                   window.trust_button, window.open_button):
        assert not button.isEnabled()
    assert not window.show_report() and not window.start_import([Path("x.iroexport")], "pw")

    # Closing now is refused politely; the window and its database stay.
    assert not window.close()
    assert window.isVisible() and window.store is not None
    assert window.said["information"] == [
        "The report is still running: close the window when it has finished."]

    with qtbot.waitSignal(window.report_finished, timeout=30_000) as blocker:
        gate.released.set()
    assert blocker.args == [True]
    assert gate.threads and gate.threads[0] != threading.get_ident()
    assert sessions_made_on == gate.threads  # the session was made where it was used
    assert window.report is not None and window.report["reviews_held"] == 0
    assert next(iter(page.tables)) == "Key figures"
    assert page.section_title.text() == "Key figures"
    assert window.busy.isHidden() and page.pdf_button.isEnabled()
    assert page.report_button.isEnabled() and window.import_button.isEnabled()
    assert window.said["warning"] == []

    assert window.close()  # now it closes, and lets the database go
    assert window.store is None


def test_a_failing_report_says_so_in_one_line(
        qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A database error's text quotes the SQL and a child's data: neither is shown nor logged."""
    from sqlalchemy.exc import OperationalError

    from iro_desktop.reports import annual

    def failing(*_a: Any, **_k: Any) -> dict[str, Any]:
        raise OperationalError("SELECT * FROM child WHERE first_name = ?", (CHILD_NAME,),
                               Exception(f"database is locked near {CHILD_NAME}"))

    real = annual.annual_report
    assert _report(qtbot, window)  # a first report, which the failure then clears
    monkeypatch.setattr(annual, "annual_report", failing)
    caplog.set_level("DEBUG")
    assert not _report(qtbot, window)

    page = window.report_page
    message = page.report_error.text()
    assert not page.report_error.isHidden()
    _one_line_without_the_child(message)
    assert message == ("Cannot make the report: the service database could not be read "
                       "(OperationalError).")
    assert window.statusBar().currentMessage() == message
    assert window.report is None and page.tables == {} and not page.pdf_button.isEnabled()
    assert CHILD_NAME not in caplog.text and "SELECT" not in caplog.text
    assert "OperationalError" in caplog.text
    assert page.report_button.isEnabled() and not window.jobs.busy

    monkeypatch.setattr(annual, "annual_report", real)
    assert _report(qtbot, window) and page.report_error.isHidden()  # it recovers


def test_export_is_written_off_the_gui_thread(qtbot: Any, window: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.reports import annual_xlsx

    assert _report(qtbot, window)
    written_on: list[int] = []
    real = annual_xlsx.write_xlsx

    def recording(report: dict[str, Any], path: Path) -> Path:
        written_on.append(threading.get_ident())
        return real(report, path)

    monkeypatch.setattr(annual_xlsx, "write_xlsx", recording)
    out = tmp_path / "report.xlsx"
    with qtbot.waitSignal(window.export_finished, timeout=30_000) as blocker:
        assert window.export("xlsx", out)
        assert window.jobs.busy and not window.busy.isHidden()
    assert blocker.args == [True] and out.exists()
    assert written_on and written_on[0] != threading.get_ident()
    assert window.statusBar().currentMessage() == f"Wrote {out}"
    assert window.busy.isHidden() and window.said["warning"] == []


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_an_export_that_cannot_be_written_says_why(qtbot: Any, window: Any, tmp_path: Path,
                                                   kind: str) -> None:
    assert _report(qtbot, window)
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("", encoding="utf-8")
    with qtbot.waitSignal(window.export_finished, timeout=30_000) as blocker:
        assert window.export(kind, a_file / f"report.{kind}")
    assert blocker.args == [False]
    (message,) = window.said["warning"]
    _one_line_without_the_child(message)
    assert message.startswith("Cannot write the file (")
    assert window.statusBar().currentMessage() == message
    assert window.report_page.pdf_button.isEnabled()  # the report is still there to export


def test_an_unexpected_export_failure_is_named_by_its_type_only(
        qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    from iro_desktop.reports import annual_pdf

    def broken(*_a: Any, **_k: Any) -> Path:
        raise ValueError(f"no room for {CHILD_NAME}")

    assert _report(qtbot, window)
    monkeypatch.setattr(annual_pdf, "write_pdf", broken)
    with qtbot.waitSignal(window.export_finished, timeout=30_000) as blocker:
        assert window.export("pdf", tmp_path / "report.pdf")
    assert blocker.args == [False]
    assert window.said["warning"] == ["Cannot write the report (ValueError)."]
    assert CHILD_NAME not in caplog.text


def test_the_import_runs_on_the_worker_thread(qtbot: Any, window: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file is imported there (into a store opened there); a failure part-way through
    ends the run with one line, the files already done kept in the list; the report shown is
    made again after, as its own job."""
    from iro_desktop.interchange import keys, manager_import

    keys.create_keys(keys.ROLE_MANAGER, "Pat Manager", "manager passphrase")
    imported_on: list[int] = []

    def fake_import(store: Any, paths: list[Path], _pair: Any, **_k: Any) -> list[Any]:
        imported_on.append(threading.get_ident())
        (path,) = paths
        if path.name == "second.iroexport":
            raise RuntimeError(f"broke on {CHILD_NAME}")
        return [manager_import.FileOutcome(str(path), "refused", "unknown_signer",
                                           "not from a trusted IRO")]

    monkeypatch.setattr(manager_import, "import_files", fake_import)
    paths = [tmp_path / "first.iroexport", tmp_path / "second.iroexport"]
    assert _report(qtbot, window)
    with qtbot.waitSignals([window.import_finished, window.report_finished], timeout=30_000,
                           check_params_cbs=[lambda *a: a == (0, 2), lambda ok: ok]):
        assert window.start_import(paths, "manager passphrase")
    assert len(imported_on) == 2 and threading.get_ident() not in imported_on
    results = window.results_model.results
    assert [(r["file"], r["status"]) for r in results] == [("first.iroexport", "refused"),
                                                           ("", "stopped")]
    assert results[0]["details"] == "not from a trusted IRO"
    assert window.said["warning"] == ["The import failed (RuntimeError)."]
    assert window.import_button.isEnabled() and window.busy.isHidden()


def test_a_job_cut_off_by_the_window_going_does_not_crash(qtbot: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """If the window is destroyed while a job runs (not by closing it: that is refused), the
    runner's pool waits for the job before it goes, and the job's last signals reach no one."""
    from iro_desktop.db.service import open_service
    from iro_desktop.gui.manager_window import ManagerWindow
    from iro_desktop.reports import annual

    open_service(tmp_path / "service.db").close()
    gate, real = Gate(), annual.annual_report
    returned: list[bool] = []

    def held_report(*a: Any, **k: Any) -> dict[str, Any]:
        gate.hold()
        report = real(*a, **k)
        returned.append(True)
        return report

    monkeypatch.setattr(annual, "annual_report", held_report)
    w = ManagerWindow(target=str(tmp_path / "service.db"))
    store = w.store
    assert w.show_report(YEAR_START, YEAR_END) and gate.entered.wait(10)
    pool_gone: list[bool] = []  # whether the job had returned when the pool (the thread) went
    w.jobs._pool.destroyed.connect(lambda: pool_gone.append(bool(returned)))
    threading.Timer(0.2, gate.released.set).start()
    w.deleteLater()
    qtbot.waitUntil(lambda: pool_gone != [], timeout=10_000)
    assert pool_gone == [True]
    store.close()
