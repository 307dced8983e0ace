"""Start-up: the unlock screen needs nothing but Qt and comes before the database libraries, which
load while the IRO types; the store opens on a background thread when the passphrase is known;
nothing heavy (Alembic, the letters and PDF tools, spreadsheets) is imported on the way to the
first window; garbage collection is back on afterwards; My week's queries do not grow with the
caseload."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from iro_desktop.commands import COMMAND_MODULES
from iro_desktop.gui import app as app_module
from tests.conftest import TEST_PASSPHRASE
from tests.factory import make_child

ROOT = Path(__file__).resolve().parents[2]
NOT_ON_THE_START_PATH = ("alembic", "reportlab", "pypdfium2", "openpyxl", "svglib",
                         "iro_desktop.letters", "iro_desktop.gui.letter_composer")

START = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    from iro_desktop.gui import app

    def instead_of_the_event_loop(_app):
        for _ in range(5):
            QApplication.processEvents()
        [window] = [w for w in QApplication.topLevelWidgets()
                    if type(w).__name__ == "MainWindow" and w.isVisible()]
        window.lock.set_idle_interval(24 * 3_600_000)
        print("rows", window.pages["caseload"].model.rowCount())
        print("modules", " ".join(sorted(sys.modules)))
        return 0

    QApplication.exec = instead_of_the_event_loop
    sys.exit(app.run(sys.argv[1]))
""")


# As an IRO starts it: no passphrase in the environment, the unlock dialog, typed into once the
# window's modules have loaded behind it (or after 60 s), then Enter.
TYPED = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from iro_desktop import cli
    from iro_desktop.gui import app

    WARM = ("sqlalchemy.orm", "iro_desktop.db.models", "iro_desktop.db.store",
            "iro_desktop.caseload.overview", "iro_desktop.gui.main_window",
            "iro_desktop.gui.caseload_page", "iro_desktop.gui.my_week")
    waited = []

    def watch_prompt():
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if type(w).__name__ == "UnlockDialog" and w.isVisible()]
        if not dialogs:
            return QTimer.singleShot(5, watch_prompt)
        print("at-prompt", " ".join(sorted(sys.modules)), flush=True)
        waited.append(time.monotonic())
        type_when_warm(dialogs[0])

    def type_when_warm(dialog):
        if not all(m in sys.modules for m in WARM) and time.monotonic() - waited[0] < 60:
            return QTimer.singleShot(20, lambda: type_when_warm(dialog))
        print("before-enter", " ".join(sorted(sys.modules)), flush=True)
        dialog.field.setText(sys.argv[2])
        dialog.ok_button.click()

    def instead_of_the_event_loop(_app):
        for _ in range(5):
            QApplication.processEvents()
        [window] = [w for w in QApplication.topLevelWidgets()
                    if type(w).__name__ == "MainWindow" and w.isVisible()]
        window.lock.set_idle_interval(24 * 3_600_000)
        print("rows", window.pages["caseload"].model.rowCount(), flush=True)
        return 0

    QTimer.singleShot(0, watch_prompt)
    QApplication.exec = instead_of_the_event_loop
    sys.exit(cli.main(["--db", sys.argv[1]]))
""")
BEFORE_THE_PROMPT = ("sqlalchemy", "holidays", "sqlcipher3", "dateutil", "zxcvbn",
                     "iro_desktop.db.store", "iro_desktop.db.models", "iro_desktop.rules",
                     "iro_desktop.caseload", "iro_desktop.gui.main_window",
                     *(f"iro_desktop.commands.{name}" for name in COMMAND_MODULES))


def _heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in names))


def test_the_unlock_screen_comes_first_and_the_rest_loads_while_the_iro_types(
        store_path: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "IRO_DESKTOP_PASSPHRASE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", TYPED, str(store_path), TEST_PASSPHRASE],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    at_prompt = set(lines["at-prompt"].split())
    assert "iro_desktop.gui.passphrase_dialogs" in at_prompt
    assert _heavy(at_prompt, BEFORE_THE_PROMPT) == []
    before_enter = set(lines["before-enter"].split())
    assert "iro_desktop.gui.main_window" in before_enter  # loaded behind the dialog
    assert "sqlalchemy.orm" in before_enter and "iro_desktop.caseload.myweek" in before_enter
    assert _heavy(before_enter, NOT_ON_THE_START_PATH) == []
    assert lines["rows"] == "0"  # the passphrase opened the (empty) caseload


def test_opening_the_app_does_not_load_every_command(tmp_path: Path) -> None:
    code = textwrap.dedent("""
        import sys
        from iro_desktop import cli
        args = cli.parse_arguments(["--db", "x.db"])
        print(getattr(args, "handler", None), args.db, args.self_test,
              "iro_desktop.commands.caseload" in sys.modules, "sqlalchemy" in sys.modules)
        args = cli.parse_arguments(["--db", "x.db", "due"])
        print(args.handler.__name__, "iro_desktop.commands.caseload" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = done.stdout.splitlines()
    assert first == "None x.db False False False"
    assert second.split()[1] == "True"


def test_help_still_lists_every_command(capsys: Any) -> None:
    from iro_desktop import cli

    try:
        cli.parse_arguments(["--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    assert "import-903" in out and "letter" in out and "manager" in out


def test_the_start_path_imports_nothing_heavy(store_path: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRO_DESKTOP_PASSPHRASE=TEST_PASSPHRASE,
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", START, str(store_path)], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["rows"] == "0"  # the window came up on the (empty) store
    modules = set(lines["modules"].split())
    assert "iro_desktop.gui.my_week" in modules  # the page the app opens on was built
    heavy = sorted(m for m in modules if m.split(".")[0] in NOT_ON_THE_START_PATH
                   or any(m == h or m.startswith(h + ".") for h in NOT_ON_THE_START_PATH))
    assert heavy == []


def test_without_a_passphrase_the_dialog_opens_the_store(monkeypatch: Any,
                                                         store_path: Path) -> None:
    """No IRO_DESKTOP_PASSPHRASE: no background thread; the unlock (or first-run) dialog asks."""
    from iro_desktop.gui import passphrase_dialogs

    monkeypatch.setattr(app_module, "_install_protection", lambda: None)
    monkeypatch.delenv("IRO_DESKTOP_PASSPHRASE", raising=False)
    asked: list[Path] = []
    monkeypatch.setattr(passphrase_dialogs, "open_store_interactively",
                        lambda path, parent=None: asked.append(path))
    monkeypatch.setattr(app_module, "_StoreOpener",
                        lambda *_a: (_ for _ in ()).throw(AssertionError("no thread")))
    assert app_module.run(store_path) == 0  # the IRO cancelled
    assert asked == [store_path]
    assert gc.isenabled()


def test_garbage_collection_is_back_on_after_run(monkeypatch: Any, store_path: Path) -> None:
    monkeypatch.setattr(app_module, "_install_protection", lambda: None)
    monkeypatch.setenv("IRO_DESKTOP_PASSPHRASE", TEST_PASSPHRASE)
    during: list[bool] = []

    def short_event_loop(_app: Any) -> int:
        during.append(gc.isenabled())
        QApplication.processEvents()
        return 0

    monkeypatch.setattr(QApplication, "exec", short_event_loop)
    assert app_module.run(store_path) == 0
    assert during == [False]  # off while starting (the collection comes once the window is up)
    assert gc.isenabled()


def test_the_collection_after_start_turns_it_back_on() -> None:
    gc.disable()
    try:
        app_module._collect_after_start(True)
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_my_week_queries_do_not_grow_with_the_caseload(qtbot: Any, store: Any) -> None:
    from iro_desktop.gui.my_week import MyWeekPage

    page = MyWeekPage(store)
    qtbot.addWidget(page)
    counts = []
    for children in (3, 30):
        with store.transaction() as session:
            for _ in range(children):
                make_child(session)
        statements: list[str] = []
        listener = lambda *args, seen=statements: seen.append(args[2])  # noqa: E731
        event.listen(store.engine, "before_cursor_execute", listener)
        try:
            page.refresh()
        finally:
            event.remove(store.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] <= 15
