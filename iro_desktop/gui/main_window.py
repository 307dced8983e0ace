"""The main window: navigation between pages, a child's record, menus, search and status bar."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from iro_desktop import APP_NAME
from iro_desktop.gui.widgets import format_date, load_object
from iro_desktop.paths import config_dir

log = logging.getLogger(__name__)

# Pages of the left navigation: (key, title, "module:Class"). A page is a QWidget with
# __init__(store, parent=None), refresh() and open_child_requested = Signal(int, str, int).
PAGES: list[tuple[str, str, str]] = [
    ("caseload", "Caseload", "iro_desktop.gui.caseload_page:CaseloadPage"),
    ("my_week", "My week", "iro_desktop.gui.my_week:MyWeekPage"),
    ("figures", "My figures", "iro_desktop.gui.figures_page:FiguresPage"),
]

# Menu actions: (menu, title, shortcut, "module:function"); called as function(window).
ACTIONS: list[tuple[str, str, str, str]] = [
    ("&File", "&Add a child…", "", "iro_desktop.gui.caseload_page:add_child_action"),
    ("&File", "&Lock", "Ctrl+L", "iro_desktop.gui.lock:lock_window"),
    ("&File", "&Settings…", "Ctrl+,", "iro_desktop.gui.settings_dialog:open_settings"),
    ("&File", "E&xport for my manager…", "", "iro_desktop.gui.export_dialog:export_for_manager"),
    ("&File", "Export the &903 return…", "", "iro_desktop.gui.export_dialog:export_903_files"),
    ("&File", "&Keys…", "", "iro_desktop.gui.keys_dialog:show_keys"),
    ("&File", "&Change passphrase…", "", "iro_desktop.gui.passphrase_dialogs:change_passphrase"),
    ("&File", "&Back up now", "Ctrl+Shift+B", "iro_desktop.gui.backup_dialog:back_up_now"),
    ("&File", "&Restore from backup…", "", "iro_desktop.gui.backup_dialog:restore_backup"),
    ("&Manager", "&Manager window…", "", "iro_desktop.gui.manager_window:open_manager_window"),
    ("&File", "&Quit", "Ctrl+Q", "iro_desktop.gui.main_window:quit_app"),
    ("&Help", "&About IRO Desktop", "", "iro_desktop.gui.about:show_about"),
]

# The order of the navigation whatever order the registry lines were added in; others follow.
PAGE_ORDER = ("my_week", "caseload", "figures")
OPENING_PAGES = ("my_week", "caseload")
_QUIT_SPEC = "iro_desktop.gui.main_window:quit_app"
_CHILD_SLOT = "__child__"


def window_settings() -> QSettings:
    """Window geometry only (no personal data), in the app's config folder from `paths`, found
    afresh each time so it follows XDG_CONFIG_HOME (Qt's default QSettings path is fixed once)."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def quit_app(window: MainWindow) -> None:
    window.close()
    QApplication.quit()


class _PageUnavailable(QLabel):
    """Stands in for a page whose module failed to load, so one broken page never stops the app."""

    def __init__(self, title: str) -> None:
        super().__init__(f"{title} is not available in this build.")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def refresh(self) -> None:
        pass


class MainWindow(QMainWindow):
    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(APP_NAME)
        self.setObjectName("MainWindow")
        self._page_specs = sorted(
            PAGES,
            key=lambda p: PAGE_ORDER.index(p[0]) if p[0] in PAGE_ORDER else len(PAGE_ORDER),
        )
        self.pages: dict[str, QWidget] = {}
        self.child_record: QWidget | None = None
        self._history: list[tuple[str, int, str]] = []  # (page key or child slot, child id, tab)

        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Pages")
        self.navigation.setStyleSheet("QListWidget::item { padding: 6px 6px; }")
        nav_font = self.navigation.font()
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.navigation.setFont(nav_font)
        self.navigation.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.stack = QStackedWidget()
        self._slots: dict[str, int] = {}
        for key, title, _spec in self._page_specs:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.navigation.addItem(item)
            self._slots[key] = self.stack.addWidget(QWidget())  # built when first shown
        self.navigation.currentRowChanged.connect(self._navigation_changed)
        self._fit_navigation()

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_search()
        self._build_menus()
        self._build_status_bar()
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        shortcut.activated.connect(self.refresh_all)
        back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self)
        back.activated.connect(self.go_back)

        opening = next((k for k in OPENING_PAGES if k in self._slots), None)
        if opening is None and self._page_specs:
            opening = self._page_specs[0][0]
        if opening:
            self.show_page(opening, remember=False)
        # The caseload (the search box's page and the status bar's count) is built just after
        # the window first shows, so the opening page appears sooner.
        QTimer.singleShot(0, self, lambda: self._ensure_page("caseload"))
        self._restore_geometry()

        from iro_desktop.gui.lock import LockManager

        self.lock = LockManager(self, store)
        self._midnight = QTimer(self)  # the date in the status bar and "days left" move at midnight
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._new_day)
        self._schedule_midnight()

    # -- pages ---------------------------------------------------------------------------------
    def _fit_navigation(self) -> None:
        metrics = self.navigation.fontMetrics()
        widest = max((metrics.horizontalAdvance(t) for _k, t, _s in self._page_specs), default=80)
        self.navigation.setFixedWidth(max(widest + 40, metrics.horizontalAdvance("0") * 14))

    def _ensure_page(self, key: str) -> QWidget | None:
        if key in self.pages:
            return self.pages[key]
        spec = next((s for k, _t, s in self._page_specs if k == key), None)
        title = next((t for k, t, _s in self._page_specs if k == key), key)
        if spec is None:
            return None
        try:
            page = load_object(spec)(self.store, self)
        except Exception:  # a page being written elsewhere must not stop the IRO working
            log.exception("page %s could not be built", key)
            page = _PageUnavailable(title)
        signal = getattr(page, "open_child_requested", None)
        if signal is not None:
            signal.connect(self.open_child)
        changed = getattr(page, "changed", None)
        if changed is not None:
            changed.connect(self._page_changed)
        placeholder = self.stack.widget(self._slots[key])
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.insertWidget(self._slots[key], page)
        self.pages[key] = page
        if key == "caseload":
            page.model.modelReset.connect(self._update_status)  # type: ignore[attr-defined]
            self._update_status()
        return page

    def page(self, key: str) -> QWidget | None:
        return self._ensure_page(key)

    def current_page_key(self) -> str:
        widget = self.stack.currentWidget()
        if widget is not None and widget is self.child_record:
            return _CHILD_SLOT
        return next((k for k, p in self.pages.items() if p is widget), "")

    def show_page(self, key: str, *, remember: bool = True) -> None:
        page = self._ensure_page(key)
        if page is None:
            return
        if remember:
            self._remember()
        self.stack.setCurrentWidget(page)
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.navigation.blockSignals(True)
                self.navigation.setCurrentRow(row)
                self.navigation.blockSignals(False)

    def _navigation_changed(self, row: int) -> None:
        if row >= 0:
            self.show_page(self.navigation.item(row).data(Qt.ItemDataRole.UserRole))

    def _remember(self) -> None:
        key = self.current_page_key()
        if not key:
            return
        if key == _CHILD_SLOT and self.child_record is not None:
            record: Any = self.child_record
            self._history.append((key, record.child_id, record.current_tab_key()))
        else:
            self._history.append((key, 0, ""))
        del self._history[:-20]

    def open_child(self, child_id: int, tab_key: str = "", item_id: int = 0) -> None:
        """Show a child's record at `tab_key` (the first tab when empty) and item `item_id`."""
        from iro_desktop.gui.child_record import ChildRecord

        try:
            record = ChildRecord(self.store, child_id, self)
        except LookupError:  # deleted or transferred meanwhile (another window, an import)
            QMessageBox.information(self, APP_NAME, "That child is no longer on your caseload.")
            return
        self._remember()
        old = self.child_record
        record.back_requested.connect(self.go_back)
        record.open_child_requested.connect(self.open_child)
        record.changed.connect(self._record_changed)
        self.stack.addWidget(record)
        self.stack.setCurrentWidget(record)
        self.child_record = record
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        record.show_tab(tab_key, item_id)
        self.navigation.blockSignals(True)
        self.navigation.clearSelection()
        self.navigation.setCurrentRow(-1)
        self.navigation.blockSignals(False)

    def go_back(self) -> None:
        while self._history:
            key, child_id, tab = self._history.pop()
            if key == _CHILD_SLOT:
                depth = len(self._history)
                self.open_child(child_id, tab, 0)
                if len(self._history) > depth:  # going back is not a step to come back to
                    self._history.pop()
                return
            if key in self._slots:
                self.show_page(key, remember=False)
                return
        self.show_page(next(iter(self._slots)), remember=False)

    def refresh_all(self) -> None:
        """F5, and after anything that may change what every page shows (settings, imports)."""
        for page in self.pages.values():
            page.refresh()  # type: ignore[attr-defined]
        if self.child_record is not None:
            self.child_record.refresh()  # type: ignore[attr-defined]
        self.lock.reload_settings()
        self._update_status()

    def _page_changed(self) -> None:
        sender = self.sender()
        for page in self.pages.values():
            if page is not sender:
                page.refresh()  # type: ignore[attr-defined]

    def _record_changed(self) -> None:
        for page in self.pages.values():
            page.refresh()  # type: ignore[attr-defined]

    # -- search --------------------------------------------------------------------------------
    def _build_search(self) -> None:
        bar = QToolBar("Search")
        bar.setObjectName("SearchBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        title = QLabel(f"  {APP_NAME}")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        bar.addWidget(title)
        bar.addWidget(spacer)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(
            "Find a child: name, CHILD id, social worker, placement (Ctrl+F)")
        self.search_box.setAccessibleName("Find a child")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(self.search_box.fontMetrics().horizontalAdvance("0") * 36)
        self.search_box.textChanged.connect(self._search_changed)
        self.search_box.returnPressed.connect(self._search_enter)
        self.search_box.installEventFilter(self)
        bar.addWidget(self.search_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _caseload(self) -> Any:
        return self._ensure_page("caseload")

    def _search_changed(self, text: str) -> None:
        page = self._caseload()
        if page is None:
            return
        page.set_filter_text(text)
        if text.strip() and self.current_page_key() != "caseload":
            self.show_page("caseload")

    def _search_enter(self) -> None:
        page = self._caseload()
        if page is not None:
            if self.current_page_key() != "caseload":
                self.show_page("caseload")
            page.open_first_match()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if watched is self.search_box and event.type() == event.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self._caseload() is not None:
                if self.current_page_key() != "caseload":
                    self.show_page("caseload")
                self._caseload().focus_table()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.search_box.clear()
                return True
        return super().eventFilter(watched, event)

    # -- menus and status bar ------------------------------------------------------------------
    def _build_menus(self) -> None:
        menus: dict[str, QMenu] = {}
        names = [m for m, _t, _s, _f in ACTIONS]
        ordered = sorted(dict.fromkeys(names), key=lambda m: m.replace("&", "") == "Help")
        for name in ordered:
            menus[name] = self.menuBar().addMenu(name)
        self.menu_actions: dict[str, QAction] = {}
        quits = [a for a in ACTIONS if a[3] == _QUIT_SPEC]
        for menu_name, title, shortcut, spec in [a for a in ACTIONS if a[3] != _QUIT_SPEC] + quits:
            menu = menus[menu_name]
            if spec == _QUIT_SPEC and menu.actions():
                menu.addSeparator()
            action = QAction(title, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _checked=False, s=spec: self._run_action(s))
            menu.addAction(action)
            self.addAction(action)  # shortcuts work with the menu closed
            self.menu_actions[spec] = action

    def _run_action(self, spec: str) -> None:
        try:
            function = load_object(spec)
        except (ImportError, AttributeError):
            log.exception("menu action %s not available", spec)
            QMessageBox.information(self, APP_NAME, "That is not available in this build yet.")
            return
        function(self)

    def _build_status_bar(self) -> None:
        self.date_label = QLabel()
        self.count_label = QLabel()
        encrypted = bool(getattr(self.store, "encrypted", False))
        self.encryption_label = QLabel("✔ Encrypted" if encrypted else "⚠ Not encrypted")
        self.encryption_label.setToolTip(
            "Your caseload is stored encrypted with your passphrase."
            if encrypted else "This caseload file is not encrypted."
        )
        for widget in (self.date_label, self.count_label, self.encryption_label):
            self.statusBar().addPermanentWidget(widget)
        self._update_status()

    def _update_status(self) -> None:
        if not hasattr(self, "date_label"):
            return
        self.date_label.setText(f"Today {format_date(dt.date.today())} ")
        page: Any = self.pages.get("caseload")
        if page is not None:
            count = sum(1 for r in page.model.rows() if r.looked_after)
            self.count_label.setText(f"{count} child{'ren' if count != 1 else ''} in care  ")

    def _schedule_midnight(self) -> None:
        now = dt.datetime.now()
        tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 0, 5))
        self._midnight.start(int((tomorrow - now).total_seconds() * 1000))

    def _new_day(self) -> None:
        self.refresh_all()
        self._schedule_midnight()

    # -- geometry (no personal data in QSettings) ----------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = window_settings().value("main_window/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        screen = QApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen else QSize(1366, 728)
        self.resize(min(1300, available.width() - 24), min(720, available.height() - 24))

    #: False for a window that must leave nothing behind (the self-test's).
    save_geometry_on_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.save_geometry_on_close:
            settings = window_settings()
            settings.setValue("main_window/geometry", self.saveGeometry())
            settings.sync()
        super().closeEvent(event)
        if event.isAccepted():
            self.lock.shutdown()
