"""The IRO manager's window: the service database, trusted IROs and their last import, importing
IROs' export files with a progress bar, and the annual report as tables and charts, exported as
PDF or XLSX.

The work is the exchange's: `db.service` (open, trust, the IROs' list),
`interchange.manager_import.import_files` (each file checked and applied, all or nothing),
`interchange.keys` (the manager's keys) and `reports.annual.annual_report`. Imports run on a
QThread with their own store (engine and sessions), one file at a time; results come back by
signals. The manager's passphrase is asked for each import run and dropped after it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.chart_widgets import HIGH, LOW, HorizontalBarChart, percent
from iro_desktop.gui.widgets import DateField
from iro_desktop.reports.annual_xlsx import (
    PCT,
    TEXT,
    Column,
    ReportTable,
    format_value,
    key_figures,
    report_tables,
)
from iro_desktop.reports.figures import april_year

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
SETTINGS_DB = "manager/last_database"
SETTINGS_SERVICE = "manager/service_name"
SUMMARY = "Key figures"
FIGURE = "figure"  # a column of figures already formatted (85.4%, 1,204): shown as given
STATUS_COLOURS = {"applied": QColor("#1B5E20"), "already imported": QColor("#555555"),
                  "refused": QColor("#B00020"), "not started": QColor("#B00020")}

# Which table gets which chart: (value column, axis to 100%?); labels are the first column.
CHARTS: dict[str, tuple[int, bool]] = {
    "Children by age": (1, False),
    "Reviews on time": (3, True),
    "Participation by code": (3, False),  # percentages, but scaled to the largest share
    "Participation by age": (3, True),
    "Midway reviews": (1, False),
    "Escalations by theme": (1, False),
    "Escalations by stage": (1, False),
    "Escalations by outcome": (1, False),
    "Records and letters": (4, True),
    "Caseloads": (1, False),
}


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


def manager_settings() -> QSettings:
    """The manager window's own settings file (the last database, the service's name): apart
    from the main window's, found afresh so it follows XDG_CONFIG_HOME."""
    from iro_desktop.paths import config_dir

    return QSettings(str(config_dir() / "manager.ini"), QSettings.Format.IniFormat)


def remembered_url(url: str) -> str:
    """The URL to reopen next time, never with a password in it (the manager types it again)."""
    from sqlalchemy.engine import URL, make_url

    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    try:
        u = make_url(url)
        return URL.create(u.drivername, u.username, None, u.host, u.port, u.database,
                          u.query).render_as_string(hide_password=False)
    except Exception:
        return ""


def display_url(url: str) -> str:
    """The database's URL without a password, for the title and status line."""
    from sqlalchemy.engine import make_url

    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


# --- Models -----------------------------------------------------------------------------------

class _ListModel(QAbstractTableModel):
    """A flat table with fixed column headings: subclasses say what their rows are."""

    HEADERS: tuple[str, ...] = ()

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class IroModel(_ListModel):
    """Trusted IROs with their key fingerprint and their latest import."""

    NAME, FINGERPRINT, TRUSTED, EXPORTED, IMPORTED, PERIOD, CHILDREN, REVIEWS = range(8)
    HEADERS = ("IRO", "Key fingerprint", "Trusted on", "Last export made", "Imported on",
               "Period of the last export", "Children", "Reviews")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[Any, ...]] = []

    def _row_count(self) -> int:
        return len(self._rows)

    def set_rows(self, pairs: Sequence[tuple[Any, Any]]) -> None:
        """`pairs`: db.service.iros_with_last_import (TrustedIro, ImportLog | None)."""
        self.beginResetModel()
        self._rows = []
        for iro, last in pairs:
            counts = (last.counts or {}) if last is not None else {}
            self._rows.append((
                iro.name + (" (revoked)" if iro.revoked_at else ""),
                iro.fingerprint,
                iro.trusted_at.date() if iro.trusted_at else None,
                last.exported_at if last is not None else None,
                last.applied_at if last is not None else None,
                (last.period_from, last.period_to) if last is not None else None,
                counts.get("children"),
                counts.get("reviews"),
            ))
        self.endResetModel()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(value)
        if role == Qt.ItemDataRole.UserRole:  # the real value, for sorting and tests
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= self.CHILDREN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, dt.datetime):
            return value.strftime("%d/%m/%Y %H:%M")
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, tuple):
            return f"{value[0]:%d/%m/%Y} to {value[1]:%d/%m/%Y}"
        return str(value)


class ReportTableModel(QAbstractTableModel):
    """One report table (`annual_xlsx.ReportTable`), its total row last and bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self._rows: list[list[Any]] = []

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._rows = [] if table is None else [*table.rows,
                                               *([table.total] if table.total else [])]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and self.table is not None):
            return self.table.columns[section].heading
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        column = self.table.columns[index.column()]
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(value, column.kind)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind != TEXT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (role == Qt.ItemDataRole.FontRole and self.table.total is not None
                and index.row() == len(self._rows) - 1):
            font = QFont()
            font.setBold(True)
            return font
        return None


class ImportResultsModel(_ListModel):
    """One row per file of the last import run: the file, what happened, and why."""

    HEADERS = ("File", "Result", "Details")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.results: list[dict[str, str]] = []

    def _row_count(self) -> int:
        return len(self.results)

    def clear(self) -> None:
        self.beginResetModel()
        self.results = []
        self.endResetModel()

    def add(self, result: dict[str, str]) -> None:
        row = len(self.results)
        self.beginInsertRows(QModelIndex(), row, row)
        self.results.append(result)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self.results[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (result["file"], result["status"], result["details"])[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return STATUS_COLOURS.get(result["status"])
        return None


# --- The import worker -------------------------------------------------------------------------

class ImportWorker(QObject):
    """Unlocks the manager's keys once, then imports each file in turn with its own store."""

    #: (files done, files in all), after each file.
    progress = Signal(int, int)
    #: {"file", "status", "details", "line"} for one file: applied, already imported, refused.
    file_done = Signal(object)
    #: A message when the run could not start (wrong passphrase, no keys, database error).
    failed = Signal(str)
    #: The run is over (after `failed` too).
    finished = Signal()

    def __init__(self, url: str, paths: Sequence[Path], passphrase: str,
                 keep_existing: bool = False) -> None:
        super().__init__()
        self.url, self.paths, self.keep_existing = url, list(paths), keep_existing
        self._passphrase = passphrase

    @Slot()
    def run(self) -> None:
        from iro_desktop.db.service import open_service
        from iro_desktop.interchange import keys
        from iro_desktop.interchange.manager_import import import_files

        try:
            pair = keys.unlock(keys.ROLE_MANAGER, self._passphrase)
        except keys.WrongKeyPassphrase:
            self.failed.emit("That passphrase does not unlock the manager's keys.")
            self.finished.emit()
            return
        except keys.KeyProblem as exc:
            self.failed.emit(str(exc))
            self.finished.emit()
            return
        finally:
            self._passphrase = ""
        try:
            store = open_service(self.url)
        except Exception as exc:
            log.warning("manager import: cannot open the service database (%s)",
                        type(exc).__name__)
            self.failed.emit(f"Cannot open the service database ({type(exc).__name__}).")
            self.finished.emit()
            return
        try:
            total = len(self.paths)
            self.progress.emit(0, total)
            for done, path in enumerate(self.paths, start=1):
                (outcome,) = import_files(store, [path], pair, keep_existing=self.keep_existing)
                details = outcome.line().split(": ", 1)[-1]
                if details.startswith(outcome.status):  # the Result column says it already
                    details = details[len(outcome.status):].lstrip(" :")
                    if details.startswith("(") and details.endswith(")"):
                        details = details[1:-1]
                self.file_done.emit({"file": Path(path).name, "status": outcome.status,
                                     "details": details, "line": outcome.line()})
                self.progress.emit(done, total)
        finally:
            store.close()
            self.finished.emit()


# --- The window --------------------------------------------------------------------------------

class ManagerWindow(QMainWindow):
    """The manager's window. `open_database(target)` opens (creating if needed) the service
    database; `start_import(paths, passphrase)` imports; `show_report(start, end)` reports."""

    #: The import run is over: (files applied, files in all).
    import_finished = Signal(int, int)

    def __init__(self, parent: QWidget | None = None, *, target: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("IRO Desktop: manager")
        self.resize(1180, 760)
        self.store: Any = None
        self.url = ""
        self.report: dict[str, Any] | None = None
        self.tables: dict[str, ReportTable] = {}
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self._applied = 0
        self.iro_model = IroModel(self)
        self.results_model = ImportResultsModel(self)
        self.table_model = ReportTableModel(self)
        self._build()
        if target:
            self.open_database(target)
        self._enable()

    # Building ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.tabs = QTabWidget(self)
        self.setCentralWidget(self.tabs)
        self.tabs.addTab(self._iros_tab(), "IROs and imports")
        self.tabs.addTab(self._report_tab(), "Annual report")
        menu = self.menuBar().addMenu("&Service")
        self.open_action = self._action(menu, "&Open or create service database…", "Ctrl+O",
                                        self.choose_database)
        self._action(menu, "Open by &URL…", "", self.choose_url)
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
        self.iro_view = self._view(page, self.iro_model)
        self.iro_view.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.iro_view, 3)
        self.progress = QProgressBar(page)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("No import yet")
        self.progress.setAccessibleName("Import progress")
        layout.addWidget(self.progress)
        layout.addWidget(QLabel("<b>Last import</b>", page))
        self.results_view = self._view(page, self.results_model)
        layout.addWidget(self.results_view, 2)
        return page

    def _report_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        start, end = april_year(dt.date.today())
        self.start = DateField(page, accessible_name="From")
        self.start.set_date(start)
        self.end = DateField(page, accessible_name="To")
        self.end.set_date(end)
        remembered = str(manager_settings().value(SETTINGS_SERVICE, "") or "")
        self.service_name = QLineEdit(remembered, page)
        self.service_name.setPlaceholderText("for the report's title page")
        self.service_name.setAccessibleName("Service name")
        self.report_button = QPushButton("&Show report", page)
        self.report_button.clicked.connect(self.show_report)
        self.pdf_button = QPushButton("Export &PDF…", page)
        self.pdf_button.clicked.connect(lambda: self.choose_export("pdf"))
        self.xlsx_button = QPushButton("Export &XLSX…", page)
        self.xlsx_button.clicked.connect(lambda: self.choose_export("xlsx"))
        second = QHBoxLayout()
        for line, text, widget in ((row, "&From", self.start), (row, "&To", self.end),
                                   (second, "Service &name", self.service_name)):
            label = QLabel(text, page)
            label.setBuddy(widget)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(text.replace("&", "")) + 8)
            line.addWidget(label)
            line.addWidget(widget, 1 if widget is self.service_name else 0)
        row.addWidget(self.report_button)
        row.addStretch(1)
        second.addWidget(self.pdf_button)
        second.addWidget(self.xlsx_button)
        layout.addLayout(row)
        layout.addLayout(second)
        self.report_error = QLabel(page)
        self.report_error.setStyleSheet("color: #b00020")
        self.report_error.hide()
        layout.addWidget(self.report_error)
        splitter = QSplitter(page)
        self.sections = QListWidget(splitter)
        self.sections.setAccessibleName("Report tables")
        self.sections.currentTextChanged.connect(self._show_section)
        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        self.section_title = QLabel(right)
        self.section_title.setStyleSheet("font-size: 15px; font-weight: bold")
        self.section_title.setWordWrap(True)
        right_layout.addWidget(self.section_title)
        self.chart = HorizontalBarChart(right)
        self.chart.setAutoFillBackground(True)
        self.chart.setBackgroundRole(self.chart.palette().ColorRole.Base)
        scroll = QScrollArea(right)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.chart_scroll = scroll
        right_layout.addWidget(scroll)
        self.report_view = self._view(right, self.table_model)
        right_layout.addWidget(self.report_view, 1)
        self.section_note = QLabel(right)
        self.section_note.setWordWrap(True)
        self.section_note.setStyleSheet("color: #555; font-style: italic")
        right_layout.addWidget(self.section_note)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([230, 900])
        layout.addWidget(splitter, 1)
        return page

    @staticmethod
    def _view(parent: QWidget, model: QAbstractTableModel) -> QTableView:
        view = QTableView(parent)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def _enable(self) -> None:
        has_db = self.store is not None
        busy = self._thread is not None
        for widget in (self.trust_action, self.trust_button, self.report_button):
            widget.setEnabled(has_db and not busy)
        for widget in (self.import_action, self.import_button):
            widget.setEnabled(has_db and not busy)
        for widget in (self.pdf_action, self.xlsx_action, self.pdf_button, self.xlsx_button):
            widget.setEnabled(self.report is not None)
        self.open_action.setEnabled(not busy)
        self.open_button.setEnabled(not busy)

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
        self._set_tables({})
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
                     keep_existing: bool = False) -> None:
        """Import `paths` on a worker thread; `import_finished` fires at the end."""
        if self._thread is not None or self.store is None:
            return
        self.results_model.clear()
        self._applied = 0
        self.progress.setRange(0, max(len(paths), 1))
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m files (%p%)")
        self._thread = QThread(self)
        self._thread.setObjectName("manager-import")
        self._worker = ImportWorker(self.url, paths, passphrase, keep_existing)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.file_done.connect(self._on_file_done)
        self._worker.failed.connect(self._on_failed)
        self._worker.finished.connect(self._on_finished)
        self.statusBar().showMessage(f"Importing {len(paths)} file(s)…")
        self._enable()
        self._thread.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)

    def _on_file_done(self, result: dict[str, str]) -> None:
        self._applied += result["status"] == "applied"
        self.results_model.add(result)
        self.results_view.resizeColumnsToContents()

    def _on_failed(self, message: str) -> None:
        self.results_model.add({"file": "", "status": "not started", "details": message,
                                "line": message})
        QMessageBox.warning(self, "Import", message)

    def _on_finished(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        if worker is not None:
            worker.deleteLater()
        total = self.results_model.rowCount()
        self.statusBar().showMessage(f"{self._applied} of {total} file(s) applied.")
        self.refresh_iros()
        if self.report is not None:
            self.show_report()
        self._enable()
        self.import_finished.emit(self._applied, total)

    # The report -----------------------------------------------------------------------------
    def show_report(self, start: dt.date | None = None, end: dt.date | None = None) -> bool:
        from iro_desktop.reports.annual import annual_report

        if start is not None:
            self.start.set_date(start)
        if end is not None:
            self.end.set_date(end)
        start, end = self.start.date(), self.end.date()
        problem = self.start.problem() or self.end.problem()
        if problem is None and (start is None or end is None):
            problem = "Give both dates."
        if problem is None and end < start:  # type: ignore[operator]
            problem = "The period ends before it starts."
        self.report_error.setText(problem or "")
        self.report_error.setVisible(problem is not None)
        if problem is not None or self.store is None:
            return False
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.store.session() as session:
                self.report = annual_report(session, start, end)  # type: ignore[arg-type]
        finally:
            self.unsetCursor()
        self._set_tables({t.key: t for t in report_tables(self.report)})
        self.statusBar().showMessage(f"Report for {start:%d/%m/%Y} to {end:%d/%m/%Y}.")
        self._enable()
        return True

    def _set_tables(self, tables: dict[str, ReportTable]) -> None:
        self.tables = {}
        if tables and self.report is not None:
            rows = [[label, format_value(value, kind), of]
                    for label, value, kind, of in key_figures(self.report)]
            self.tables[SUMMARY] = ReportTable(
                SUMMARY, "Key figures",
                [Column("Figure", TEXT), Column("Value", FIGURE), Column("Details", TEXT)],
                rows)
        self.tables.update(tables)
        current = self.sections.currentItem().text() if self.sections.currentItem() else ""
        self.sections.clear()
        self.sections.addItems(list(self.tables))
        if self.tables:
            keys = list(self.tables)
            self.sections.setCurrentRow(keys.index(current) if current in keys else 0)
        else:
            self._show_section("")

    def _show_section(self, key: str) -> None:
        table = self.tables.get(key)
        self.table_model.set_table(table)
        self.report_view.resizeColumnsToContents()
        self.section_title.setText(table.title if table else "")
        self.section_note.setText(table.note if table else "")
        spec = CHARTS.get(key)
        self.chart_scroll.setVisible(spec is not None and table is not None)
        if spec is None or table is None:
            return
        value_col, to_100 = spec
        is_pct = table.columns[value_col].kind == PCT
        rows = table.rows[table.extra.get("bands", 0):]  # participation: each year of age
        guides: list[Any] = []
        outside = None
        if key == "Caseloads":
            low, high = table.extra["guidance"]
            guides = [(low, str(low), LOW), (high, str(high), HIGH)]
            outside = (low, high)
        self.chart.set_bars([(str(r[0]), r[value_col] or 0) for r in rows],
                            title="", value_format=percent if is_pct else _count,
                            axis_max=100 if to_100 else None,
                            guides=guides, highlight_outside=outside)
        self.chart_scroll.setFixedHeight(min(self.chart.sizeHint().height() + 4, 330))

    # Exporting ------------------------------------------------------------------------------
    def report_for_export(self) -> dict[str, Any]:
        assert self.report is not None
        name = self.service_name.text().strip()
        manager_settings().setValue(SETTINGS_SERVICE, name)
        return {**self.report, "service_name": name} if name else dict(self.report)

    def choose_export(self, kind: str) -> None:
        if self.report is None:
            return
        suggested = f"iro-service-{self.report['from']}-to-{self.report['to']}.{kind}"
        pattern = "PDF (*.pdf)" if kind == "pdf" else "Spreadsheet (*.xlsx)"
        path, _filter = QFileDialog.getSaveFileName(self, "Export the report", suggested,
                                                    pattern)
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> bool:
        if kind == "pdf":
            from iro_desktop.reports.annual_pdf import write_pdf as write
        else:
            from iro_desktop.reports.annual_xlsx import write_xlsx as write
        try:
            write(self.report_for_export(), path)
        except OSError as exc:
            QMessageBox.warning(self, "Export the report",
                                f"Cannot write the file ({exc.strerror or 'error'}).")
            return False
        self.statusBar().showMessage(f"Wrote {path}")
        return True

    def closeEvent(self, event: Any) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        if self.store is not None:
            self.store.close()
            self.store = None
        super().closeEvent(event)


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


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


__all__ = ["ManagerWindow", "open_manager_window", "run_manager_window"]
