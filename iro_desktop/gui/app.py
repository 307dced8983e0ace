"""Starting the desktop app: QApplication, the store (migrated before any window), the window.

Start-up order matters for speed (issue 7). An IRO starts the app and types a passphrase: the
unlock dialog is shown first, needing nothing but PySide6 and a few small modules, so it appears
as quickly as a bare window; while the IRO types, the rest (SQLAlchemy, the models, the rules and
bank holidays, the window's modules) is imported, a thread for what has no Qt and the main
thread, between keystrokes, for the window's own modules (`_WarmUp`). Enter then costs only the
key derivation, the store's checks and the window. With the passphrase already known
(IRO_DESKTOP_PASSPHRASE, as `make run` and scripts have it) the store opens on a background
thread started first (SQLCipher's key derivation runs in C without the GIL) while the main thread
imports what the window needs and builds it; the non-Qt modules are imported before PySide6
there, as PySide6's import hook slows every import made after it. Nothing here imports Qt at
module level.
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import importlib.util
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iro_desktop import APP_NAME, APP_SLUG, __version__
from iro_desktop.paths import default_db_path, resource_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from iro_desktop.db.store import Store

log = logging.getLogger(__name__)

PASSPHRASE_ENV = "IRO_DESKTOP_PASSPHRASE"
ORGANISATION = "IRO Desktop"
SELF_TEST_PASSPHRASE = "self-test passphrase, not secret"
BACKUP_DELAY_MS = 1500
GC_DELAY_MS = 200


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


# What the first window needs that is not Qt: imported before PySide6 (see the module docstring).
_WINDOW_MODULES = (
    "iro_desktop.db.store",
    "iro_desktop.settings",
    "iro_desktop.caseload.overview",
    "iro_desktop.caseload.myweek",
    "iro_desktop.interchange.codes903",
)


def _preload_window_modules() -> None:
    for name in _WINDOW_MODULES:
        importlib.import_module(name)
    from iro_desktop.rules.workdays import is_bank_holiday

    is_bank_holiday(dt.date.today())  # the bank holidays table: built once, used by every date


# The window's own Qt modules, imported on the main thread (one a tick) once those above are in.
_WINDOW_QT_MODULES = (
    "iro_desktop.gui.widgets",
    "iro_desktop.gui.lock",
    "iro_desktop.gui.caseload_model",
    "iro_desktop.gui.caseload_page",
    "iro_desktop.gui.review_parts",
    "iro_desktop.gui.my_week",
    "iro_desktop.gui.main_window",
)
WARM_UP_TICK_MS = 15


def _preload_quietly() -> None:
    """The preload on a thread while the passphrase dialog waits; a failure here only means the
    window imports the module itself (and reports it there)."""
    try:
        _preload_window_modules()
    except Exception as exc:
        log.warning("preload failed: %s", type(exc).__name__)


class _WarmUp:
    """Imports what the main window needs while the IRO types the passphrase.

    `start()` (called once the dialog is on screen) starts a thread for the modules without Qt;
    when it has finished, a timer on the main thread imports the window's Qt modules one a tick
    (a few milliseconds each, between keystrokes). `finish()` waits for the thread; whatever is
    not imported by then is imported by the window itself, so nothing depends on the warm-up
    having run or finished."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._pending = list(_WINDOW_QT_MODULES)
        self._timer: Any = None
        self._finished = False

    @property
    def done(self) -> bool:
        return self._thread is not None and not self._thread.is_alive() and not self._pending

    def start(self) -> None:
        from PySide6.QtCore import QTimer

        if self._thread is not None or self._finished:
            return
        self._thread = threading.Thread(target=_preload_quietly, name="warm-up", daemon=True)
        self._thread.start()
        self._timer = QTimer()
        self._timer.setInterval(WARM_UP_TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        if not self._pending:
            self._timer.stop()
            return
        name = self._pending.pop(0)
        try:
            importlib.import_module(name)
        except Exception as exc:  # the window imports it itself, and reports it there
            log.warning("preload failed: %s", type(exc).__name__)

    def finish(self) -> None:
        self._finished = True
        if self._timer is not None:
            self._timer.stop()
        if self._thread is not None:
            self._thread.join()


class _StoreOpener:
    """Opens (and migrates) the store on a background thread; `result()` waits for it."""

    def __init__(self, path: Path, passphrase: str) -> None:
        self._path, self._passphrase = path, passphrase
        self._store: Store | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._open, name="open-store", daemon=True)
        self._thread.start()

    def _open(self) -> None:
        try:
            from iro_desktop.db.store import open_store

            self._store = open_store(self._path, self._passphrase)
        except BaseException as exc:  # handed to the main thread, which shows or raises it
            self._error = exc

    def result(self) -> Store:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._store is not None
        return self._store


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings and the platform folders agree."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APP_SLUG)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    assert isinstance(app, QApplication)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName(APP_SLUG)
    icon = resource_path("icons", "iro-desktop.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _install_protection() -> None:
    """Logging and the crash dialog, from the protect area (skipped only where absent).

    Called first thing, before the store thread (which logs) and before Qt is imported: the
    crash dialog's hooks are installed through a trampoline that loads the dialog (and Qt) only
    when an exception actually needs it."""
    if _module_exists("iro_desktop.logs"):
        from iro_desktop import logs

        logs.setup_logging()
    if _module_exists("iro_desktop.gui.crash_dialog"):
        sys.excepthook = _crash_hook
        threading.excepthook = _thread_crash_hook


def _real_crash_hooks() -> None:
    from iro_desktop.gui import crash_dialog

    crash_dialog.install_excepthook()


def _crash_hook(*args: Any) -> None:
    _real_crash_hooks()
    sys.excepthook(*args)


def _thread_crash_hook(args: Any) -> None:
    _real_crash_hooks()
    threading.excepthook(args)


def _ask_passphrase(path: Path) -> Store | None:
    """Fallback prompt while protect's passphrase dialogs are not in this build."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

    from iro_desktop.db.store import StoreError, open_store

    new = not path.exists()
    while True:
        prompt = ("Choose a passphrase for your new caseload:" if new
                  else "Type your passphrase to open your caseload:")
        passphrase, ok = QInputDialog.getText(None, APP_NAME, prompt, QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if new:
            again, ok = QInputDialog.getText(None, APP_NAME, "Type it again:",
                                             QLineEdit.EchoMode.Password)
            if not ok:
                return None
            if again != passphrase:
                QMessageBox.warning(None, APP_NAME, "The two passphrases differ. Try again.")
                continue
        try:
            return open_store(path, passphrase)
        except StoreError as exc:
            if new or "passphrase" not in str(exc).lower():
                raise
            QMessageBox.warning(None, APP_NAME, str(exc))


def open_caseload(path: Path) -> Store | None:
    """Open the IRO's store (migrating it): the passphrase from the environment, else asked for."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase:
        from iro_desktop.db.store import open_store

        return open_store(path, passphrase)
    if _module_exists("iro_desktop.gui.passphrase_dialogs"):
        from iro_desktop.gui.passphrase_dialogs import open_store_interactively

        return open_store_interactively(path)
    return _ask_passphrase(path)


def _daily_backup(store: Store) -> None:
    if not _module_exists("iro_desktop.db.backups"):
        return
    from iro_desktop import settings
    from iro_desktop.db.backups import daily_backup_if_due

    try:
        with store.session() as session:
            values = settings.get_all(session)
        daily_backup_if_due(store, values)
    except Exception as exc:  # a failed backup never stops the app
        # The type only: a message or traceback could carry case data (a path, a value).
        log.error("daily backup failed: %s", type(exc).__name__)


def run(db: Path | None, self_test: bool = False) -> int:
    """`iro-desktop [--db PATH] [--self-test]`: open the app and run until the IRO quits."""
    if self_test:
        return _call_self_test()
    # No cyclic garbage collection while starting: the imports and the first window make many
    # long-lived objects, and collecting them over and over costs ~100 ms. Re-enabled (after one
    # collection) once the window is up, and in any case when run() ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(db, collecting)
    finally:
        if collecting:
            gc.enable()


def _collect_after_start(collecting: bool) -> None:
    """Once the window is up: collect what starting left behind, then keep what survives out
    of later collections (it lives as long as the app), and collect normally from now on."""
    if collecting and not gc.isenabled():
        gc.collect()
        gc.freeze()
        gc.enable()


def _run(db: Path | None, collecting: bool) -> int:
    _install_protection()
    path = Path(db) if db else default_db_path()
    passphrase = os.environ.get(PASSPHRASE_ENV)
    # Known already: open the store while the window is being made.
    opener = _StoreOpener(path, passphrase) if passphrase else None
    if opener is not None:
        _preload_window_modules()  # before Qt (see the module docstring)
    app = make_application()
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QMessageBox

    from iro_desktop.db.errors import StoreError

    try:
        if opener is not None:
            store = opener.result()
        else:  # the IRO types the passphrase: the window's modules load meanwhile
            if collecting:
                gc.enable()
            warm_up = _WarmUp()
            # Queued now, run by the dialog's event loop: once the dialog is on screen.
            QTimer.singleShot(0, warm_up.start)
            try:
                store = open_caseload(path)
            finally:
                warm_up.finish()
                gc.disable()
    except StoreError as exc:
        log.warning("store not opened: %s", type(exc).__name__)
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 2
    if store is None:  # the IRO cancelled
        return 0

    from iro_desktop.gui.main_window import MainWindow

    window = MainWindow(store)
    window.show()
    # After the window's own first-event-loop work (the caseload page), queued before this.
    QTimer.singleShot(GC_DELAY_MS, window, lambda: _collect_after_start(collecting))
    # The day's backup once the window is up, so it never delays opening the caseload.
    QTimer.singleShot(BACKUP_DELAY_MS, window, lambda: _daily_backup(store))
    try:
        return app.exec()
    finally:
        window.close()
        window.deleteLater()
        # Delete it now: nothing of the window outlives run() (tests run the app more than once).
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        store.close()


def _fill_demo(store: Store, children: int) -> None:
    if _module_exists("iro_desktop.caseload.demo"):
        from iro_desktop.caseload import demo

        make = getattr(demo, "make_demo_caseload", None) or demo.make_demo
        with store.transaction() as session:
            make(session, children=children, seed=7)
        return
    import datetime as dt

    from iro_desktop.db.models import Child, Episode

    with store.transaction() as session:  # a minimal caseload until caseload/demo.py exists
        today = dt.date.today()
        for number in range(children):
            child = Child(child_ref=f"ST{number:04d}", first_name="Self", last_name=f"Test{number}",
                          date_of_birth=today.replace(year=today.year - 3 - number % 14))
            child.episodes.append(Episode(
                start=today - dt.timedelta(days=30 + number * 7), reason_new_episode="S",
                legal_status="C2", placement="U4"))
            session.add(child)


def self_test(children: int = 20) -> int:
    """Build everything offscreen on a temporary demo caseload and check it works; 0 when it does.
    A later build step can extend this with more checks."""
    from PySide6.QtWidgets import QApplication

    from iro_desktop.db.store import open_store

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    started = time.perf_counter()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="iro-self-test-") as folder:
        store = open_store(Path(folder) / "self-test.db", SELF_TEST_PASSPHRASE, before_migrate=None)
        try:
            _fill_demo(store, children)
            from iro_desktop.gui.main_window import MainWindow

            window = MainWindow(store)
            window.save_geometry_on_close = False  # the self-test leaves nothing behind
            window.show()
            app.processEvents()
            page: Any = window.page("caseload")
            if page is None or page.model.rowCount() == 0:
                problems.append("the caseload shows no children")
            rows = page.model.rows() if page is not None else []
            if rows:
                window.open_child(rows[0].child_id, "", 0)
                app.processEvents()
                if window.child_record is None:
                    problems.append("a child's record did not open")
            window.lock.set_idle_interval(24 * 3_600_000)
            window.close()
            window.deleteLater()
            app.processEvents()
        except Exception as exc:  # the self-test reports; it never shows a traceback dialog
            log.exception("self-test failed")
            problems.append(f"{type(exc).__name__}: {exc}")
        finally:
            store.close()
        if _module_exists("iro_desktop.selftest"):  # the checks without Qt, in the same folder
            from iro_desktop import selftest

            failed = [r.name for r in selftest.run_checks(folder=Path(folder)) if not r.ok]
            problems += [f"check failed: {name}" for name in failed]
    for problem in problems:
        print(f"self-test: {problem}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"self-test: {'ok' if not problems else 'FAILED'} in {elapsed:.2f} s")
    return 0 if not problems else 1


def _call_self_test() -> int:
    # Looked up at call time (run's own `self_test` flag hides the name there), so a later
    # build step can extend `self_test`.
    return self_test()
