"""The IRO manager's window: the service database, trusted IROs and their last import, importing
IROs' export files with a progress bar, and the annual report as tables and charts, exported as
PDF or XLSX.

The work is the exchange's: `db.service` (open, trust, the IROs' list),
`interchange.manager_import.import_files` (each file checked and applied, all or nothing),
`interchange.keys` (the manager's keys) and `reports.annual.annual_report`. The slow parts (an
import run, making the report, writing it as PDF or XLSX) run as jobs on a worker thread
(`manager_worker`), one at a time, each with its own session or store; results come back by
signals. While a job runs the window stays responsive, shows that it is busy, offers no other
database work, and will not close. The manager's passphrase is asked for each import run and
dropped after it. The Qt models are in `manager_models`, the report tab in `manager_report`,
the window's own settings in `manager_settings`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.manager_models import ImportResultsModel, IroModel, ReportTableModel
from iro_desktop.gui.manager_report import ReportPage, table_view
from iro_desktop.gui.manager_settings import (
    SETTINGS_DB,
    SETTINGS_SERVICE,
    display_url,
    manager_settings,
    remembered_url,
)
from iro_desktop.gui.manager_worker import (
    ExportJob,
    ImportJob,
    JobRunner,
    MadeReport,
    ManagerJob,
    ReportJob,
)

log = logging.getLogger(__name__)


def ask_passphrase(
    parent: QWidget | None,
    prompt: str = "The passphrase of your keys (to open the IROs' files):",
) -> tuple[str, bool]:
    """The manager's passphrase (for this import run only)."""
    return QInputDialog.getText(parent, "Manager's passphrase", prompt,
                                QLineEdit.EchoMode.Password)


def ask_name(parent: QWidget | None, suggested: str) -> tuple[str, bool]:
    return QInputDialog.getText(parent, "Trust an IRO's key",
                                "The IRO's name, as the report should show it:",
                                QLineEdit.EchoMode.Normal, suggested)


class ManagerWindow(QMainWindow):
    """The manager's window. `open_database(target)` opens (creating if needed) the service
    database; `start_import(paths, passphrase)` imports, `show_report(start, end)` makes the
    report and `export(kind, path)` writes it, each as a job on the worker thread: they return
    True when the job has started, and a `*_finished` signal says when it is over."""

    #: An import run is over: (files applied, files in all).
    import_finished = Signal(int, int)
    #: A report job is over: True when its tables are shown, False when it failed (the one-line
    #: reason is shown under the period).
    report_finished = Signal(bool)
    #: An export job is over: True when the file is written, False when not (the reason shown).
    export_finished = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, target: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("IRO Desktop: manager")
        self.resize(1180, 760)
        self.store: Any = None
        self.url = ""
        self.report: dict[str, Any] | None = None
        self.jobs = JobRunner(self)
        self.jobs.progress.connect(self._on_progress)
        self.jobs.item_done.connect(self._on_file_done)
        self.jobs.finished.connect(self._on_job_finished)
        self.iro_model = IroModel(self)
        self.results_model = ImportResultsModel(self)
        self._build()
        if target:
            self.open_database(target)
        self._enable()

    # Building ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.tabs = QTabWidget(self)
        self.setCentralWidget(self.tabs)
        self.tabs.addTab(self._iros_tab(), "IROs and imports")
        remembered = str(manager_settings().value(SETTINGS_SERVICE, "") or "")
        self.report_page = ReportPage(self, service_name=remembered)
        self.report_page.report_requested.connect(self.show_report)
        self.report_page.export_requested.connect(self.choose_export)
        self.tabs.addTab(self.report_page, "Annual report")
        menu = self.menuBar().addMenu("&Service")
        self.open_action = self._action(menu, "&Open or create service database…", "Ctrl+O",
                                        self.choose_database)
        self.url_action = self._action(menu, "Open by &URL…", "", self.choose_url)
        menu.addSeparator()
        self.trust_action = self._action(menu, "&Trust an IRO's key…", "", self.choose_key)
        self.import_action = self._action(menu, "&Import files…", "Ctrl+I", self.choose_files)
        menu.addSeparator()
        self._action(menu, "&Close window", "Ctrl+W", self.close)
        report = self.menuBar().addMenu("&Report")
        self.pdf_action = self._action(report, "Export report as &PDF…", "",
                                       lambda: self.choose_export("pdf"))
        self.xlsx_action = self._action(report, "Export report as &XLSX…", "",
                                        lambda: self.choose_export("xlsx"))
        self.busy = QProgressBar(self)  # moving to and fro while a job runs
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Working")
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().showMessage("Open or create a service database to begin.")

    def _action(self, menu: Any, title: str, shortcut: str, slot: Any) -> QAction:
        action = QAction(title, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _iros_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.database_label = QLabel("No service database open.", page)
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.database_label)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open or create database…", page)
        self.open_button.clicked.connect(self.choose_database)
        self.trust_button = QPushButton("&Trust an IRO's key…", page)
        self.trust_button.clicked.connect(self.choose_key)
        self.import_button = QPushButton("&Import files…", page)
        self.import_button.clicked.connect(self.choose_files)
        self.keys_button = QPushButton("Create the manager's &keys…", page)
        self.keys_button.clicked.connect(self.create_keys)
        for button in (self.open_button, self.keys_button, self.trust_button,
                       self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("<b>Trusted IROs and their last import</b>", page))
        self.iro_view = table_view(page, self.iro_model)
        self.iro_view.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.iro_view, 3)
        self.progress = QProgressBar(page)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("No import yet")
        self.progress.setAccessibleName("Import progress")
        layout.addWidget(self.progress)
        layout.addWidget(QLabel("<b>Last import</b>", page))
        self.results_view = table_view(page, self.results_model)
        layout.addWidget(self.results_view, 2)
        return page

    def _enable(self) -> None:
        has_db = self.store is not None
        busy = self.jobs.busy
        page = self.report_page
        for widget in (self.trust_action, self.trust_button, page.report_button,
                       self.import_action, self.import_button):
            widget.setEnabled(has_db and not busy)
        for widget in (self.pdf_action, self.xlsx_action, page.pdf_button, page.xlsx_button):
            widget.setEnabled(self.report is not None and not busy)
        for widget in (self.open_action, self.url_action, self.open_button):
            widget.setEnabled(not busy)

    # The database ---------------------------------------------------------------------------
    def choose_database(self) -> None:
        last = str(manager_settings().value(SETTINGS_DB, "") or "")
        path, _filter = QFileDialog.getSaveFileName(
            self, "Open or create a service database", last if "://" not in last else "",
            "Service database (*.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.open_database(path)

    def choose_url(self) -> None:
        url, ok = QInputDialog.getText(self, "Open a service database by URL",
                                       "SQLAlchemy URL (postgresql://user@host/db):")
        if ok and url.strip():
            self.open_database(url.strip())

    def open_database(self, target: str | Path) -> bool:
        """Open (creating and migrating when needed) the service database; False on failure."""
        from iro_desktop.db.service import open_service, service_url

        if self.jobs.busy:  # a job is using the open store
            return False
        url = service_url(target)
        try:
            store = open_service(url)
        except Exception as exc:
            log.warning("cannot open service database (%s)", type(exc).__name__)
            QMessageBox.warning(self, "Service database",
                                f"Cannot open the service database ({type(exc).__name__}).")
            return False
        if self.store is not None:
            self.store.close()
        self.store, self.url, self.report = store, url, None
        manager_settings().setValue(SETTINGS_DB, remembered_url(url))
        self.setWindowTitle(f"IRO Desktop: manager: {display_url(url)}")
        self.refresh_iros()
        self.report_page.show_tables({})
        self.statusBar().showMessage(f"Opened {display_url(url)}")
        self._enable()
        return True

    def refresh_iros(self) -> None:
        from iro_desktop.db.service import iros_with_last_import
        from iro_desktop.interchange import keys

        if self.store is None:
            return
        with self.store.session() as session:
            self.iro_model.set_rows(iros_with_last_import(session))
        self.iro_view.resizeColumnsToContents()
        try:
            mine = f"Your key's fingerprint: {keys.load_public(keys.ROLE_MANAGER).fingerprint}"
            self.keys_button.hide()
        except keys.KeyProblem:
            mine = "You have no manager's keys yet: create them, then send your public key to IROs."
            self.keys_button.show()
        self.database_label.setText(
            f"Service database: {display_url(self.url)}  ·  "
            f"{self.iro_model.rowCount()} trusted IROs  ·  {mine}")

    def create_keys(self) -> bool:
        """Make the manager's keys in this data folder (name, then the passphrase twice)."""
        from iro_desktop.interchange import keys

        name, ok = QInputDialog.getText(self, "Create the manager's keys",
                                        "Your name, shown to IROs with your key:")
        if not ok:
            return False
        first, ok = ask_passphrase(self, "Choose a passphrase for your keys:")
        if not ok or not first:
            return False
        again, ok = ask_passphrase(self, "Type the passphrase again:")
        if not ok:
            return False
        if again != first:
            QMessageBox.warning(self, "Create the manager's keys",
                                "The two passphrases differ; no keys were made.")
            return False
        try:
            pair = keys.create_keys(keys.ROLE_MANAGER, name.strip() or "IRO manager", first)
        except keys.KeyProblem as exc:
            QMessageBox.warning(self, "Create the manager's keys", str(exc))
            return False
        self.refresh_iros()
        self.statusBar().showMessage(f"Keys made; fingerprint {pair.public.fingerprint}.")
        return True

    # Trusting a key -------------------------------------------------------------------------
    def choose_key(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "An IRO's public key", "", "Public keys (*.txt *.key *.pub);;All files (*)")
        if path:
            self.trust_key_file(Path(path))

    def trust_key_file(self, path: Path, name: str | None = None) -> bool:
        """Trust the key in `path` under `name` (asked for when None)."""
        from iro_desktop.db.service import trust_iro
        from iro_desktop.interchange.keys import KeyFormatError, parse_public_key

        try:
            text = Path(path).read_text(encoding="utf-8")
            key = parse_public_key(text)
        except (OSError, UnicodeDecodeError, KeyFormatError) as exc:
            message = str(exc) if isinstance(exc, KeyFormatError) else "not a readable text file"
            QMessageBox.warning(self, "Trust an IRO's key", f"Cannot use this key: {message}")
            return False
        if name is None:
            name, ok = ask_name(self, key.name)
            if not ok:
                return False
        try:
            with self.store.transaction() as session:
                row, added = trust_iro(session, text, name)
                fingerprint, shown = row.fingerprint, row.name
        except KeyFormatError as exc:
            QMessageBox.warning(self, "Trust an IRO's key", str(exc))
            return False
        self.refresh_iros()
        verb = "Trusted" if added else "Already trusted (name updated)"
        self.statusBar().showMessage(
            f"{verb}: {shown}, fingerprint {fingerprint}. Check it with the IRO by phone.")
        return True

    # Importing ------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, "IROs' export files", "", "IRO exports (*.iroexport);;All files (*)")
        if not paths:
            return
        passphrase, ok = ask_passphrase(self)
        if ok and passphrase:
            self.start_import([Path(p) for p in paths], passphrase)

    def start_import(self, paths: Sequence[Path], passphrase: str,
                     keep_existing: bool = False) -> bool:
        """Import `paths` on the worker thread; `import_finished` fires at the end. False when
        no database is open or another job runs."""
        if self.jobs.busy or self.store is None:
            return False
        self.results_model.clear()
        self.progress.setRange(0, max(len(paths), 1))
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m files (%p%)")
        return self._start_job(ImportJob(self.url, paths, passphrase, keep_existing),
                               f"Importing {len(paths)} file(s)…")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)

    def _on_file_done(self, result: dict[str, str]) -> None:
        self.results_model.add(result)
        self.results_view.resizeColumnsToContents()

    def _import_over(self, job: ImportJob) -> tuple[int, int]:
        """(files applied, files in all), after showing why the run stopped if it did."""
        if job.error is not None:
            status = "not started" if job.files_done == 0 else "stopped"
            self.results_model.add({"file": "", "status": status, "details": job.error,
                                    "line": job.error})
            QMessageBox.warning(self, "Import", job.error)
        applied = sum(r["status"] == "applied" for r in self.results_model.results)
        total = self.results_model.rowCount()
        self.statusBar().showMessage(f"{applied} of {total} file(s) applied.")
        self.refresh_iros()
        if self.report is not None:  # the figures have changed: make the report again
            self.show_report()
        return applied, total

    # Jobs -----------------------------------------------------------------------------------
    def _start_job(self, job: ManagerJob, message: str) -> bool:
        """Run `job` on the worker thread with the window showing it is busy."""
        if not self.jobs.start(job):
            running = self.jobs.job.title if self.jobs.job else "Another job"
            self.statusBar().showMessage(f"{running} is still running.")
            return False
        self.statusBar().showMessage(message)
        self.busy.show()
        self.setCursor(Qt.CursorShape.BusyCursor)
        self._enable()
        return True

    def _on_job_finished(self, job: ManagerJob) -> None:
        """Show how `job` went, then say so by the matching `*_finished` signal."""
        self.busy.hide()
        self.unsetCursor()
        if isinstance(job, ImportJob):
            applied, total = self._import_over(job)
            self._enable()
            self.import_finished.emit(applied, total)
        elif isinstance(job, ReportJob):
            self._report_over(job)
            self._enable()
            self.report_finished.emit(self.report is not None)
        elif isinstance(job, ExportJob):
            self._export_over(job)
            self._enable()
            self.export_finished.emit(job.error is None)

    # The report -----------------------------------------------------------------------------
    def show_report(self, start: dt.date | None = None, end: dt.date | None = None) -> bool:
        """Make the report for the period shown (after setting `start` and `end` when given) on
        the worker thread; False when the dates are wrong, no database is open or a job runs."""
        page = self.report_page
        if start is not None:
            page.start.set_date(start)
        if end is not None:
            page.end.set_date(end)
        period = page.period()
        if period is None or self.store is None:
            return False
        start, end = period
        return self._start_job(ReportJob(self.store, start, end),
                               f"Making the report for {start:%d/%m/%Y} to {end:%d/%m/%Y}…")

    def _report_over(self, job: ReportJob) -> None:
        made = job.result if isinstance(job.result, MadeReport) else None
        self.report = made.report if made is not None else None
        self.report_page.show_tables(made.tables if made is not None else {})
        self.report_page.show_problem(job.error)
        self.statusBar().showMessage(
            job.error or f"Report for {job.start:%d/%m/%Y} to {job.end:%d/%m/%Y}.")

    # Exporting ------------------------------------------------------------------------------
    def report_for_export(self) -> dict[str, Any]:
        assert self.report is not None
        name = self.report_page.service_name.text().strip()
        manager_settings().setValue(SETTINGS_SERVICE, name)
        return {**self.report, "service_name": name} if name else dict(self.report)

    def choose_export(self, kind: str) -> None:
        if self.report is None or self.jobs.busy:
            return
        suggested = f"iro-service-{self.report['from']}-to-{self.report['to']}.{kind}"
        pattern = "PDF (*.pdf)" if kind == "pdf" else "Spreadsheet (*.xlsx)"
        path, _filter = QFileDialog.getSaveFileName(self, "Export the report", suggested,
                                                    pattern)
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> bool:
        """Write the report shown to `path` as "pdf" or "xlsx" on the worker thread."""
        if self.report is None:
            return False
        return self._start_job(ExportJob(kind, self.report_for_export(), Path(path)),
                               f"Writing {Path(path).name}…")

    def _export_over(self, job: ExportJob) -> None:
        if job.error is not None:
            self.statusBar().showMessage(job.error)
            QMessageBox.warning(self, "Export the report", job.error)
        else:
            self.statusBar().showMessage(f"Wrote {job.result}")

    def closeEvent(self, event: Any) -> None:
        if self.jobs.busy:  # the job uses the store: the manager closes when it is done
            event.ignore()
            message = (f"{self.jobs.job.title if self.jobs.job else 'A job'} is still running: "
                       "close the window when it has finished.")
            self.statusBar().showMessage(message)
            QMessageBox.information(self, "IRO Desktop: manager", message)
            return
        if self.store is not None:
            self.store.close()
            self.store = None
        super().closeEvent(event)



def open_manager_window(window: Any) -> ManagerWindow:
    """Main window menu action: the manager's window, on the last service database used."""
    existing = getattr(window, "_manager_window", None)
    if isinstance(existing, ManagerWindow) and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    last = str(manager_settings().value(SETTINGS_DB, "") or "") or None
    manager = ManagerWindow(target=last)
    manager.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window._manager_window = manager
    manager.show()
    return manager


def run_manager_window(target: str | None) -> int:
    """`iro-desktop manager gui --db URL`: the manager's window on its own."""
    from iro_desktop.gui.app import make_application

    app = make_application()
    manager = ManagerWindow(target=target)
    manager.show()
    return app.exec()


# The models and URL helpers live in manager_models and manager_settings; they are still found
# here, where tests and callers have always looked.
__all__ = ["ImportResultsModel", "IroModel", "ManagerWindow", "ReportTableModel", "display_url",
           "open_manager_window", "remembered_url", "run_manager_window"]
