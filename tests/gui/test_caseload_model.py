"""The caseload model and its filter: qtmodeltester, real-value sorting, marks beyond colour."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from iro_desktop.caseload.overview import caseload_rows
from iro_desktop.gui.caseload_model import (
    DAYS_LEFT,
    LEGAL,
    NEXT_DUE,
    PLACE,
    SORT_ROLE,
    CaseloadFilter,
    CaseloadModel,
)
from tests.gui.conftest import TODAY


def _model(store: Any, include_left_care: bool = False) -> CaseloadModel:
    model = CaseloadModel()
    with store.session() as session:
        model.set_rows(caseload_rows(session, TODAY, include_left_care=include_left_care))
    return model


def test_caseload_model_passes_qtmodeltester(qtmodeltester: Any, store: Any, caseload: Any) -> None:
    qtmodeltester.check(_model(store, include_left_care=True), force_py=True)


def test_empty_caseload_model_passes_qtmodeltester(qtmodeltester: Any) -> None:
    qtmodeltester.check(CaseloadModel(), force_py=True)


def test_filter_proxy_passes_qtmodeltester(qtmodeltester: Any, store: Any, caseload: Any) -> None:
    proxy = CaseloadFilter()
    proxy.setSourceModel(_model(store))
    proxy.set_search_text("jo")
    qtmodeltester.check(proxy, force_py=True)


def test_sort_role_holds_real_dates_not_display_strings(store: Any, caseload: Any) -> None:
    model = _model(store)
    values = [model.index(r, NEXT_DUE).data(SORT_ROLE) for r in range(model.rowCount())]
    assert all(isinstance(v, int) for v in values)


def test_overdue_and_due_soon_are_marked_with_text_not_only_colour(store: Any,
                                                                    caseload: Any) -> None:
    model = _model(store)
    by_name = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    ben = by_name["Ben Carter"]
    assert model.index(ben, DAYS_LEFT).data() == "⚠ 3 days overdue"
    assert model.index(ben, DAYS_LEFT).data(Qt.ItemDataRole.BackgroundRole) is not None
    cara = by_name["Cara Doyle"]
    assert model.index(cara, DAYS_LEFT).data() == "Due in 5 days"
    amira = by_name["Amira Khan"]
    assert model.index(amira, DAYS_LEFT).data() == "46 days"
    assert model.index(amira, DAYS_LEFT).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "(second)" in model.index(cara, NEXT_DUE).data()


def test_tooltips_carry_the_full_code_labels(store: Any, caseload: Any) -> None:
    model = _model(store)
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Ben Carter")
    assert model.index(row, PLACE).data(Qt.ItemDataRole.ToolTipRole) == "K2 Children's home"
    assert model.index(row, LEGAL).data(Qt.ItemDataRole.ToolTipRole) == "C2 Full care order"


def test_long_placement_labels_are_short_in_the_column_and_whole_in_the_tooltip(
    store: Any, caseload: Any
) -> None:
    from iro_desktop.db.models import Episode

    with store.transaction() as session:  # Amira moves to carers who are also approved adopters
        episode = session.get(Episode, session.query(Episode.id).filter_by(
            child_id=caseload["amira"]).scalar())
        episode.placement = "U5"
    model = _model(store)
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Amira Khan")
    cell = model.index(row, PLACE)
    assert cell.data() == "U5 Foster, FFA/concurrent"
    tooltip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "U5 Foster: other carer, FFA/concurrent planning"
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(SORT_ROLE) == "U5"  # sorting is by the code, as before


def test_every_short_label_is_shorter_and_keeps_its_code() -> None:
    from iro_desktop.gui.caseload_model import legal_status_short, placement_short
    from iro_desktop.interchange.codes903 import LEGAL_STATUS, PLACEMENT, label

    for table, short in ((PLACEMENT, placement_short), (LEGAL_STATUS, legal_status_short)):
        for code in table:
            assert short(code).startswith(f"{code} ")
            assert len(short(code)) <= len(label(table, code))
    assert placement_short("XX") == "XX"  # an unknown code shows as itself
