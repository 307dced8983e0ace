"""The caseload page as an IRO uses it: filter, sort, show who left care, open a child."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from iro_desktop.gui.caseload_model import NAME, NEXT_DUE


def _names(page: Any) -> list[str]:
    return [page.proxy.index(r, NAME).data() for r in range(page.proxy.rowCount())]


def test_filter_as_you_type_across_name_id_social_worker_and_placement(
    qtbot: Any, main_window: Any
) -> None:
    page = main_window.page("caseload")
    box = main_window.search_box
    qtbot.keyClicks(box, "ami")
    assert _names(page) == ["Amira Khan"]
    box.clear()
    qtbot.keyClicks(box, "b2002")  # CHILD id, any case
    assert _names(page) == ["Ben Carter"]
    box.clear()
    qtbot.keyClicks(box, "jo marsh")  # social worker, every word must match
    assert sorted(_names(page)) == ["Amira Khan", "Cara Doyle"]
    box.clear()
    qtbot.keyClicks(box, "children's home")  # placement label
    assert _names(page) == ["Ben Carter"]
    box.clear()
    qtbot.keyClicks(box, "nobody at all")
    assert _names(page) == []
    assert "(showing 0)" in page.summary.text()
    box.clear()
    assert len(_names(page)) == 4


def test_ctrl_f_focuses_the_search_box_from_another_page(qtbot: Any, main_window: Any) -> None:
    main_window.open_child(main_window.page("caseload").model.rows()[0].child_id)
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert main_window.search_box.hasFocus()
    qtbot.keyClicks(main_window.search_box, "Dev")
    assert main_window.current_page_key() == "caseload"


def test_sort_by_next_review_due_is_real_date_order(caseload_page: Any) -> None:
    page = caseload_page
    page.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    assert _names(page) == ["Amira Khan", "Ben Carter", "Cara Doyle", "Dev Patel"]
    page.table.sortByColumn(NEXT_DUE, Qt.SortOrder.AscendingOrder)
    # 12/01, 20/01, 22/01, 02/03/2026: as strings "02/03/2026" would come first.
    assert _names(page) == ["Ben Carter", "Cara Doyle", "Dev Patel", "Amira Khan"]
    page.table.sortByColumn(NEXT_DUE, Qt.SortOrder.DescendingOrder)
    assert _names(page) == ["Amira Khan", "Dev Patel", "Cara Doyle", "Ben Carter"]


def test_summary_counts(caseload_page: Any) -> None:
    assert caseload_page.summary.text() == "4 children · 1 overdue · 2 due in 28 days"


def test_children_who_left_care_are_hidden_until_asked_for(caseload_page: Any) -> None:
    page = caseload_page
    assert "Ellie Left" not in _names(page)
    page.show_left_care.setChecked(True)
    assert "Ellie Left" in _names(page)
    assert "1 left care" in page.summary.text()
    row = _names(page).index("Ellie Left")
    assert page.proxy.index(row, NEXT_DUE).data() == "Left care"
    page.show_left_care.setChecked(False)
    assert "Ellie Left" not in _names(page)


def test_double_click_opens_the_childs_record(qtbot: Any, main_window: Any, caseload: Any) -> None:
    page = main_window.page("caseload")
    main_window.show_page("caseload")
    row = _names(page).index("Cara Doyle")
    index = page.proxy.index(row, NAME)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.child_record is not None
    assert main_window.child_record.child_id == caseload["cara"]
    assert main_window.stack.currentWidget() is main_window.child_record
    assert "Cara Doyle" in main_window.child_record.name_label.text()
    # Alt+Left goes back to the caseload
    qtbot.keyClick(main_window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert main_window.current_page_key() == "caseload"


def test_enter_on_a_row_opens_the_child(qtbot: Any, caseload_page: Any, caseload: Any) -> None:
    page = caseload_page
    with qtbot.waitSignal(page.open_child_requested) as blocker:
        page.select_child(caseload["dev"])
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert blocker.args == [caseload["dev"], "", 0]


def test_enter_in_the_search_box_opens_the_only_match(qtbot: Any, main_window: Any,
                                                      caseload: Any) -> None:
    qtbot.keyClicks(main_window.search_box, "patel")
    qtbot.keyClick(main_window.search_box, Qt.Key.Key_Return)
    assert main_window.child_record is not None
    assert main_window.child_record.child_id == caseload["dev"]


def test_placement_and_legal_status_fit_their_columns_on_a_1366_screen(
    main_window: Any, caseload: Any
) -> None:
    """Every 903 code's label, as the column shows it, fits the column, and the columns still fit
    the window's width at 1366 pixels (no sideways scrolling to see the social worker)."""
    from iro_desktop.gui.caseload_model import (
        LEGAL,
        PLACE,
        SOCIAL_WORKER,
        legal_status_short,
        placement_short,
    )
    from iro_desktop.interchange.codes903 import LEGAL_STATUS, PLACEMENT

    main_window.resize(1366, 768)
    main_window.show_page("caseload")
    page = main_window.page("caseload")
    table = page.table
    metrics = table.fontMetrics()
    margins = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    for column, texts in ((PLACE, [placement_short(c) for c in PLACEMENT]),
                          (LEGAL, [legal_status_short(c) for c in LEGAL_STATUS])):
        room = table.columnWidth(column) - margins
        assert [t for t in texts if metrics.horizontalAdvance(t) > room] == []
    page.layout().activate()
    used = sum(table.columnWidth(c) for c in range(SOCIAL_WORKER + 1))
    assert used <= table.viewport().width()
