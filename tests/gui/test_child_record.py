"""A child's record: header, tabs from TABS, the Details tab (siblings, episodes, reviews), Edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog

from iro_desktop.gui.child_details import ChildDetails, RowsModel, load_facts
from iro_desktop.gui.child_dialog import ChildDialog
from iro_desktop.gui.child_record import ChildRecord
from tests.factory import D, make_child
from tests.gui.conftest import TODAY


def _record(qtbot: Any, store: Any, child_id: int) -> ChildRecord:
    record = ChildRecord(store, child_id)
    record.today = lambda: TODAY
    record.refresh_header()
    qtbot.addWidget(record)
    return record


def test_header_shows_what_the_iro_needs(qtbot: Any, store: Any, caseload: Any) -> None:
    record = _record(qtbot, store, caseload["ben"])
    assert record.name_label.text() == "Ben Carter"
    assert record.facts["child_ref"].text() == "B2002"
    assert record.facts["legal_status"].text() == "C2 Full care order"
    assert record.facts["placement"].text() == "K2 Children's home"
    assert record.facts["social_worker"].text() == "Sam Reid"
    assert "12/01/2026" in record.due_label.text()
    assert "3 days overdue" in record.due_label.text()
    assert record.tab_keys()[0] == "details"


def test_details_tab_models_pass_qtmodeltester(qtmodeltester: Any, qtbot: Any, store: Any,
                                              caseload: Any) -> None:
    with store.session() as session:
        facts = load_facts(session, caseload["amira"], TODAY)
    episodes = RowsModel(("From", "Reason", "Legal status", "Placement", "Postcode", "Until",
                          "Ended"))
    episodes.set_rows(facts.episodes)
    qtmodeltester.check(episodes, force_py=True)
    reviews = RowsModel(("Held on", "Review", "Due by", "Timeliness", "PN"))
    reviews.set_rows(facts.reviews)
    assert reviews.rowCount() == 2
    qtmodeltester.check(reviews, force_py=True)


def test_reviews_held_show_timeliness_and_pn_code(qtbot: Any, store: Any) -> None:
    with store.transaction() as session:
        # became looked after 01/05/2025: first due 02/06/2025, held late on 10/06/2025
        child_id = make_child(session, looked_after_since=D(2025, 5, 1),
                              reviews=[D(2025, 6, 10), D(2025, 9, 1)]).id
    details = ChildDetails(store, child_id)
    qtbot.addWidget(details)
    model = details.reviews_model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]
    assert rows == [
        ["01/09/2025", "Second", "10/09/2025", "On time", "PN1"],
        ["10/06/2025", "First", "02/06/2025", "⚠ Late by 8 days", "PN1"],
    ]


def test_siblings_are_links_that_open_their_record(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import SiblingGroup

    with store.transaction() as session:
        group = SiblingGroup(name="The Oakleys")
        session.add(group)
        session.flush()
        older = make_child(session, first_name="Evie", last_name="Oakley",
                           sibling_group_id=group.id, date_of_birth=D(2021, 1, 1)).id
        younger = make_child(session, first_name="Nadia", last_name="Oakley",
                             sibling_group_id=group.id, date_of_birth=D(2023, 12, 9)).id
    record = _record(qtbot, store, younger)
    details = record.tab("details")
    assert [name for _id, name, _age in details.siblings] == ["Evie Oakley"]
    with qtbot.waitSignal(record.open_child_requested) as blocker:
        details.siblings_layout.itemAt(0).widget().linkActivated.emit(str(older))
    assert blocker.args == [older, "", 0]


def test_edit_from_details_refreshes_the_header(qtbot: Any, store: Any, caseload: Any,
                                               monkeypatch: Any) -> None:
    def rename(dialog: ChildDialog) -> int:
        dialog.social_worker_name.setText("Nia Brown")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ChildDialog, "exec", rename)
    record = _record(qtbot, store, caseload["ben"])
    with qtbot.waitSignal(record.changed):
        record.tab("details").edit_button.click()
    assert record.facts["social_worker"].text() == "Nia Brown"
    assert QDialog.DialogCode.Accepted  # the dialog closed accepted


def test_open_child_at_a_tab_and_back(qtbot: Any, main_window: Any, caseload: Any) -> None:
    main_window.show_page("caseload")
    main_window.open_child(caseload["amira"], "details", 0)
    assert main_window.child_record.current_tab_key() == "details"
    main_window.open_child(caseload["ben"], "no_such_tab", 0)  # falls back to the first tab
    assert main_window.child_record.child_id == caseload["ben"]
    main_window.go_back()
    assert main_window.child_record.child_id == caseload["amira"]
    main_window.go_back()
    assert main_window.current_page_key() == "caseload"


def test_a_move_since_the_last_review_says_consider_a_review(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Episode

    with store.transaction() as session:
        child = make_child(session, looked_after_since=D(2025, 5, 1), reviews=[D(2025, 6, 2)])
        first = child.episodes[0]
        first.end, first.reason_ended = D(2025, 8, 1), "X1"
        child.episodes.append(Episode(start=D(2025, 8, 1), reason_new_episode="P",
                                      legal_status="C2", placement="K2"))
        child_id = child.id
    record = _record(qtbot, store, child_id)
    assert not record.consider_label.isHidden()
    assert "consider a review" in record.consider_label.text()


def test_opening_a_child_who_is_gone_says_so(main_window: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    main_window.show_page("caseload")
    main_window.open_child(999_999)
    assert told == ["That child is no longer on your caseload."]
    assert main_window.current_page_key() == "caseload"


def test_the_due_line_shows_whole_on_a_1366_screen_and_a_long_name_wraps(
    qtbot: Any, store: Any
) -> None:
    with store.transaction() as session:
        child_id = make_child(session, first_name="Aaliyah-Rose", last_name="Achterberg-Whitfield",
                              preferred_name="Rosie", looked_after_since=D(2025, 2, 1),
                              reviews=[D(2025, 3, 1), D(2025, 6, 2)]).id
    record = _record(qtbot, store, child_id)
    record.resize(1366 - 130, 700)  # the record's share of a 1366-pixel window
    record.show()
    qtbot.waitExposed(record)
    due = record.due_label
    assert "(6\u2011monthly)" in due.text() and "days overdue" in due.text()
    assert due.fontMetrics().horizontalAdvance(due.text()) <= due.contentsRect().width()
    name = record.name_label
    assert name.height() >= name.heightForWidth(name.width())  # wrapped, not cut
    assert name.geometry().right() < due.geometry().left()


def test_a_draft_with_no_participation_code_shows_a_dash_that_says_so(
    qtbot: Any, store: Any
) -> None:
    """The review of 01/09/2025 was saved as a draft before the IRO chose the code: its Code
    cell read "" (nothing to say why); now a dash, with "not chosen yet (draft)" on hover."""
    from PySide6.QtCore import Qt

    with store.transaction() as session:
        child = make_child(session, looked_after_since=D(2025, 5, 1),
                           reviews=[D(2025, 6, 10), D(2025, 9, 1)])
        draft = next(r for r in child.reviews if r.review_date == D(2025, 9, 1))
        draft.participation_code, draft.status = "", "draft"
        child_id = child.id
    details = ChildDetails(store, child_id)
    qtbot.addWidget(details)
    model = details.reviews_model
    code = model.index(0, 4)
    assert model.index(0, 0).data() == "01/09/2025"
    assert code.data() == "—"
    assert code.data(Qt.ItemDataRole.ToolTipRole) == "not chosen yet (draft)"
    assert model.index(1, 4).data() == "PN1"  # the review with a code is as it was
    assert model.index(1, 4).data(Qt.ItemDataRole.ToolTipRole)
