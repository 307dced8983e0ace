"""Start-up to a usable caseload window with 70 children, against a bare PySide6 window; peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.timing import row

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase"

BARE = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv)
    w = QMainWindow(); w.setCentralWidget(QTableView()); w.resize(1366, 768); w.show()
    app.processEvents()
    print("ready", flush=True)
""")

APP = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from iro_desktop.db.store import open_store
    from iro_desktop.gui.main_window import MainWindow
    app = QApplication(sys.argv)
    store = open_store(Path(sys.argv[1]), os.environ["IRO_DESKTOP_PASSPHRASE"])
    w = MainWindow(store); w.resize(1366, 768); w.show()
    app.processEvents()
    print("ready", flush=True)
""")


def _time_process(code: str, *args: str, repeat: int = 5) -> tuple[float, int]:
    """Best wall time from process start to 'ready', and the largest peak RSS (KiB) seen."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRO_DESKTOP_PASSPHRASE=PASSPHRASE,
               PYTHONPATH=str(ROOT))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                             text=True, check=True)
        elapsed = time.perf_counter() - start
        if "ready" not in out.stdout:
            raise RuntimeError(out.stderr[-2000:])
        best = min(best, elapsed)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return best, peak


def run() -> list[dict]:
    from iro_desktop.caseload.demo import make_demo
    from iro_desktop.db.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = open_store(db, PASSPHRASE)
        with store.transaction() as session:
            make_demo(session, children=70, seed=7)
        store.close()
        bare, _ = _time_process(BARE)
        app, peak_kib = _time_process(APP, str(db))
    return [
        row("start to caseload window, 70 children", app, floor="bare PySide6 window",
            floor_seconds=bare, target="<= 1.5x floor", met=app <= 1.5 * bare),
        {"name": "peak memory of the app, 70 children (MiB)", "seconds": None,
         "floor": f"{peak_kib / 1024:.0f} MiB", "floor_seconds": None, "ratio": None,
         "target": "", "met": None},
    ]
