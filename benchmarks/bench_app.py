"""The app itself, on an invented caseload:

- start to a usable caseload window (70 children), against a bare PySide6 window with a table,
  each a fresh process timed from launch to "ready" (best of several launches), the way an IRO
  starts it (launch to the unlock screen ready for typing, then the passphrase typed and Enter to
  the caseload) and the way scripts do (the passphrase from the environment, no prompt);
- peak memory of that app process (and of the bare window, for scale);
- recomputing every date and redrawing the caseload page (CaseloadPage.refresh: caseload_rows,
  the Qt model reset, sort, and a repaint of the table) for 70 and for 10,000 children, against
  a plain Qt table of the same text reset and repainted.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.timing import best_of, row, value_row

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase"
CHILDREN = 70
LAUNCHES = 7
REDRAW_TARGETS = {70: 0.050, 10_000: 1.0}
TODAY = dt.date(2026, 12, 1)
WINDOW_SIZE = (1366, 768)

# Each child prints "ready <peak RSS in KiB>" once its window is usable, then quits.
BARE = textwrap.dedent("""
    import resource, sys
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv)
    w = QMainWindow(); w.setCentralWidget(QTableView()); w.resize(1366, 768); w.show()
    app.processEvents()
    print("ready", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
""")

# `iro-desktop --db FILE` itself (cli.main -> gui.app.run: logging, the crash handler, the store
# opened and checked, the daily backup check, the main window), launched two ways:
# - typed (TYPING >= 0), as an IRO starts it: the unlock dialog, typed into TYPING ms after it
#   takes typing (a passphrase of a few words takes an IRO several seconds; 1.5 s is quick);
#   prints "prompt <peak RSS>" when the dialog is ready;
# - scripted (TYPING < 0): the passphrase from the environment, no prompt.
# Either way a timer watches for the caseload page holding every child, prints "ready <peak RSS>
# <seconds since Enter, or 0>" and quits the app.
APP = textwrap.dedent("""
    import resource, sys, time
    from iro_desktop import cli
    from iro_desktop.gui import app as gui_app
    from PySide6.QtCore import QTimer
    make_application = gui_app.make_application
    children, typing_ms = int(sys.argv[2]), int(sys.argv[3])
    enter = []
    def rss():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    def watch_prompt():
        for dialog in make_application().topLevelWidgets():
            if (type(dialog).__name__ == "UnlockDialog" and dialog.isVisible()
                    and dialog.field.isEnabled()):
                print("prompt", rss(), flush=True)
                QTimer.singleShot(typing_ms, lambda: type_and_enter(dialog))
                return
        QTimer.singleShot(1, watch_prompt)
    def type_and_enter(dialog):
        dialog.field.setText(sys.argv[4])
        enter.append(time.perf_counter())
        QTimer.singleShot(0, watch_window)
        dialog.ok_button.click()
    def watch_window():
        qt_app = make_application()
        for window in qt_app.topLevelWidgets():
            page = window.page("caseload") if type(window).__name__ == "MainWindow" else None
            if page is not None and page.model.rowCount() >= children and window.isVisible():
                since_enter = time.perf_counter() - enter[0] if enter else 0.0
                print("ready", rss(), since_enter, flush=True)
                window.lock.set_idle_interval(24 * 3_600_000)
                qt_app.quit()
                return
        QTimer.singleShot(1, watch_window)
    def make_and_watch(*args, **kwargs):
        qt_app = make_application(*args, **kwargs)
        QTimer.singleShot(0, watch_prompt if typing_ms >= 0 else watch_window)
        return qt_app
    gui_app.make_application = make_and_watch
    sys.exit(cli.main(["--db", sys.argv[1]]))
""")
TYPING_MS = 1500
SCRIPTED = -1


def _launch(code: str, args: list[str], env: dict[str, str]) -> dict[str, tuple[float, list[str]]]:
    """Each line the child prints, by its first word: (seconds from launch to it, the rest)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines: dict[str, tuple[float, list[str]]] = {}
    for line in process.stdout:
        word, *rest = line.split()
        lines[word] = (time.perf_counter() - start, rest)
    _, err = process.communicate(timeout=120)
    if "ready" not in lines or process.returncode != 0:
        raise RuntimeError(f"exit {process.returncode}: {(err or str(lines)).strip()[-800:]}")
    return lines


def _launches(code: str, args: list[str], env: dict[str, str]) -> list[dict]:
    return [_launch(code, args, env) for _ in range(LAUNCHES)]


def _peak_mib(runs: list[dict]) -> float:
    return max(int(run["ready"][1][0]) for run in runs) / 1024


def _make_store(path: Path, children: int) -> None:
    from iro_desktop.caseload.demo import make_demo_caseload
    from iro_desktop.db.store import open_store

    store = open_store(path, PASSPHRASE, before_migrate=None)
    try:
        with store.transaction() as session:
            make_demo_caseload(session, children=children, seed=7, today=TODAY)
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()


def start_up(folder: Path) -> list[dict]:
    db = folder / "start.db"
    _make_store(db, CHILDREN)
    home = folder / "home"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT), HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"),
               XDG_CACHE_HOME=str(home / "cache"),
               # Bytecode as an installed app has it (pip and PyInstaller compile every module):
               # this tree is shared with PYTHONDONTWRITEBYTECODE=1, so without a cache of its own
               # every launch would compile iro_desktop from source. The cache is in `folder`.
               PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    scripted_env = dict(env, IRO_DESKTOP_PASSPHRASE=PASSPHRASE)
    typed_env = {k: v for k, v in env.items() if k != "IRO_DESKTOP_PASSPHRASE"}
    typed_args = [str(db), str(CHILDREN), str(TYPING_MS), PASSPHRASE]
    scripted_args = [str(db), str(CHILDREN), str(SCRIPTED)]
    _launch(BARE, [], env)  # warm the file cache for all three
    _launch(APP, scripted_args, scripted_env)
    _launch(APP, typed_args, typed_env)
    bare_runs = _launches(BARE, [], env)
    typed = _launches(APP, typed_args, typed_env)
    scripted = _launches(APP, scripted_args, scripted_env)
    bare = min(run["ready"][0] for run in bare_runs)
    to_prompt = min(run["prompt"][0] for run in typed)
    after_enter = min(float(run["ready"][1][1]) for run in typed)
    app = min(run["ready"][0] for run in scripted)
    floor = "bare PySide6 window with a table"
    return [
        row("start to the unlock screen, ready for the passphrase (fresh process)", to_prompt,
            floor=floor, floor_seconds=bare, target="<= 1.5x floor", met=to_prompt <= 1.5 * bare),
        row(f"passphrase typed: Enter to a usable caseload window, {CHILDREN} children",
            after_enter, target="< 300 ms", met=after_enter < 0.300),
        row(f"scripted start (passphrase from the environment, no prompt) to a usable caseload "
            f"window, {CHILDREN} children", app, floor=floor, floor_seconds=bare,
            target="< 1 s", met=app < 1.0),
        value_row(f"peak memory of the app, {CHILDREN} children (RSS)", _peak_mib(typed), "MiB",
                  floor=floor, floor_value=_peak_mib(bare_runs)),
        value_row(f"peak memory of the app, scripted start, {CHILDREN} children (RSS)",
                  _peak_mib(scripted), "MiB", floor=floor, floor_value=_peak_mib(bare_runs)),
    ]


def _plain_table():  # type: ignore[no-untyped-def]
    """The floor: a Qt table model over ready-made strings, nothing else."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

    class Plain(QAbstractTableModel):
        def __init__(self) -> None:
            super().__init__()
            self.cells: list[list[str]] = []

        def set_cells(self, cells: list[list[str]]) -> None:
            self.beginResetModel()
            self.cells = cells
            self.endResetModel()

        def rowCount(self, parent=QModelIndex()) -> int:  # type: ignore[no-untyped-def]  # noqa: B008
            return 0 if parent.isValid() else len(self.cells)

        def columnCount(self, parent=QModelIndex()) -> int:  # type: ignore[no-untyped-def]  # noqa: B008
            return 0 if parent.isValid() else 9

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            if role == Qt.ItemDataRole.DisplayRole:
                return self.cells[index.row()][index.column()]
            return None

    return Plain()


def redraw(folder: Path) -> list[dict]:
    from PySide6.QtWidgets import QMainWindow, QTableView

    from iro_desktop.db.store import open_store
    from iro_desktop.gui.app import make_application
    from iro_desktop.gui.caseload_page import CaseloadPage

    app = make_application()
    results = []
    for children, target in REDRAW_TARGETS.items():
        db = folder / f"redraw{children}.db"
        _make_store(db, children)
        store = open_store(db, PASSPHRASE, before_migrate=None)
        try:
            window = QMainWindow()
            page = CaseloadPage(store)
            page.today = lambda: TODAY
            window.setCentralWidget(page)
            window.resize(*WINDOW_SIZE)
            window.show()
            app.processEvents()

            def refresh(page=page) -> None:
                page.refresh()
                page.table.viewport().repaint()

            refresh()
            seconds = best_of(refresh, 5 if children < 1000 else 3)
            rows = page.model.rows()

            def model_and_view(page=page, rows=rows) -> None:
                page.model.set_rows(rows)
                page.table.viewport().repaint()

            view_only = best_of(model_and_view, 5 if children < 1000 else 3)
            model = page.model
            cells = [[str(model.data(model.index(r, c))) for c in range(9)]
                     for r in range(model.rowCount())]
            plain = _plain_table()
            table = QTableView()
            table.setModel(plain)
            table.resize(*WINDOW_SIZE)
            table.show()
            app.processEvents()

            def floor_redraw(plain=plain, table=table, cells=cells) -> None:
                plain.set_cells(cells)
                table.viewport().repaint()

            floor = best_of(floor_redraw, 5)
            table.close()
            window.close()
            app.processEvents()
        finally:
            store.close()
        results.append(row(
            f"caseload: every date recomputed and the page redrawn, {children:,} children",
            seconds, floor="plain Qt table of the same text, reset + repaint",
            floor_seconds=floor, target=f"< {target * 1000:.0f} ms", met=seconds < target))
        results.append(row(
            f"caseload: model reset, sort and repaint only (rows ready), {children:,} children",
            view_only, floor="plain Qt table of the same text, reset + repaint",
            floor_seconds=floor))
    return results


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="iro-bench-app-") as tmp:
        folder = Path(tmp)
        return start_up(folder) + redraw(folder)
