"""The main window: PAGES, ACTIONS menus, status bar, geometry, size and start-up time."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from iro_desktop.gui import main_window as main_window_module
from iro_desktop.gui.main_window import MainWindow


def test_navigation_lists_the_registered_pages(main_window: Any) -> None:
    keys = [main_window.navigation.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(main_window.navigation.count())]
    assert "caseload" in keys
    expected = [k for k in main_window_module.PAGE_ORDER if k in keys]
    assert keys[: len(expected)] == expected
    row = keys.index("caseload")
    main_window.navigation.setCurrentRow(row)
    assert main_window.current_page_key() == "caseload"


def test_menus_come_from_actions(main_window: Any) -> None:
    menus = {a.text().replace("&", ""): a.menu() for a in main_window.menuBar().actions()}
    assert list(menus)[-1] == "Help"
    file_titles = [a.text().replace("&", "") for a in menus["File"].actions() if a.text()]
    assert {"Add a child…", "Lock"} <= set(file_titles) and file_titles[-1] == "Quit"
    assert "Settings…" in file_titles
    lock = next(a for a in menus["File"].actions() if a.text() == "&Lock")
    assert lock.shortcut().toString() == "Ctrl+L"


def test_status_bar_shows_date_count_and_encryption(main_window: Any) -> None:
    texts = [w.text() for w in main_window.statusBar().findChildren(QLabel)]
    assert any(t.startswith("Today ") for t in texts)
    assert any("4 children in care" in t for t in texts)
    assert any("Encrypted" in t for t in texts)


def test_f5_reloads_every_page(qtbot: Any, store: Any, main_window: Any) -> None:
    from tests.factory import make_child

    with store.transaction() as session:
        make_child(session, first_name="Zara", last_name="New")
    page = main_window.page("caseload")
    assert "Zara New" not in [r.name for r in page.model.rows()]
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    assert "Zara New" in [r.name for r in page.model.rows()]


def test_geometry_is_remembered_without_personal_data(qtbot: Any, store: Any,
                                                      main_window: Any) -> None:
    main_window.resize(700, 500)  # within the offscreen screen (800x600)
    size = main_window.size()  # at least its minimum size
    main_window.close()
    settings = main_window_module.window_settings()
    assert set(settings.allKeys()) == {"main_window/geometry"}
    assert str(Path(os.environ["XDG_CONFIG_HOME"])) in settings.fileName()  # this test's folder
    again = MainWindow(store)
    qtbot.addWidget(again)
    assert again.size() == size
    again.lock.shutdown()


def test_fits_a_1366_by_768_screen_at_150_percent_text(qtbot: Any, store: Any,
                                                      caseload: Any) -> None:
    app = QApplication.instance()
    font = app.font()
    bigger = app.font()
    bigger.setPointSizeF(font.pointSizeF() * 1.5)
    app.setFont(bigger)
    try:
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.resize(1366, 728)
        window.show()
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 728
        window.open_child(caseload["amira"])
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 728
        window.lock.shutdown()
    finally:
        app.setFont(font)


def test_opens_with_70_children_in_about_a_second(qtbot: Any, store: Any) -> None:
    from iro_desktop.caseload.demo import make_demo_caseload

    with store.transaction() as session:
        make_demo_caseload(session, children=70, seed=5)
    started = time.perf_counter()
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    QApplication.processEvents()
    elapsed = time.perf_counter() - started
    window.lock.shutdown()
    assert window.page("caseload").model.rowCount() == 70
    # About 0.3 s on an idle laptop; the bound is loose so a busy CI machine does not flake,
    # and still catches a page that does per-child queries.
    assert elapsed < 3.0, f"main window took {elapsed:.2f} s"


def test_a_broken_page_does_not_stop_the_window(qtbot: Any, store: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(main_window_module, "PAGES", [
        *main_window_module.PAGES, ("broken", "Broken", "iro_desktop.gui.no_such_module:Page")])
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show_page("broken")
    assert "not available" in window.page("broken").text()
    window.lock.shutdown()


def test_about_box_names_versions_and_licences(qtbot: Any) -> None:
    from iro_desktop.gui.about import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for needed in ("IRO Desktop 0.", "Qt 6", "Python 3", "OpenMoji", "CC BY-SA 4.0", "SQLCipher",
                   "BSD-3-Clause", "Andika", "SIL Open Font License", "ReportLab", "LGPL"):
        assert needed in text, needed


def test_file_add_a_child_opens_the_form(main_window: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QDialog

    from iro_desktop.gui.child_dialog import ChildDialog

    opened: list[bool] = []
    monkeypatch.setattr(ChildDialog, "exec",
                        lambda self: opened.append(True) or QDialog.DialogCode.Rejected)
    main_window.menu_actions["iro_desktop.gui.caseload_page:add_child_action"].trigger()
    assert opened == [True]
    assert main_window.current_page_key() == "caseload"
