"""A midway review that finds drift and raises an escalation pre-filled from it; that escalation
moved through two stages to resolution in the escalation view; problems shown beside fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.factory import add_decision, make_child

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dialog closed with changes asks the IRO first; in tests the answer is "discard"."""
    from iro_desktop.gui import review_parts

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)


def _child_with_decisions(store: Any) -> tuple[int, list[int]]:
    with store.transaction() as session:
        child = make_child(session, first_name="Leo", looked_after_since=TODAY - dt.timedelta(400),
                           reviews=[TODAY - dt.timedelta(380), TODAY - dt.timedelta(90)])
        review = child.reviews[-1]
        ids = [add_decision(session, review, "Arrange a dental check", "Carer").id,
               add_decision(session, review, "Find a school place", "Social worker",
                            due_on=TODAY - dt.timedelta(30), key_decision=True).id]
        return child.id, ids


def test_midway_finds_drift_and_raises_an_escalation(qtbot: Any, store: Any,
                                                      monkeypatch: Any) -> None:
    from iro_desktop.db.models import DecisionProgress, Escalation, MidwayReview
    from iro_desktop.gui.escalation_view import EscalationView
    from iro_desktop.gui.midway_dialog import MidwayDialog

    child_id, (dental, school) = _child_with_decisions(store)
    dialog = MidwayDialog(store, child_id)
    qtbot.addWidget(dialog)
    assert set(dialog.rows) == {dental, school}
    assert not dialog.escalate_button.isEnabled()  # nothing drifting yet
    dialog.method.set_value("visit")
    dialog.rows[dental][0].set_value("done")
    dialog.rows[school][0].set_value("drifting")
    dialog.rows[school][1].setText("No school found after 3 months")
    assert dialog.escalate_button.isEnabled()

    seen: dict[str, Any] = {}

    def raise_as_prefilled(view: EscalationView) -> int:
        seen["concern"] = view.concern.value()
        seen["themes"] = view.theme_list.checked()
        view.raise_escalation()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EscalationView, "exec", raise_as_prefilled)
    qtbot.mouseClick(dialog.escalate_button, Qt.MouseButton.LeftButton)

    assert "Find a school place" in seen["concern"]
    assert "No school found" in seen["concern"]
    assert "Dental" not in seen["concern"]
    assert "Follow-up of review decisions" in seen["themes"]
    with store.session() as session:
        midway = session.query(MidwayReview).one()
        statuses = {p.decision_id: p.status for p in session.query(DecisionProgress)}
        escalation = session.query(Escalation).one()
        assert statuses == {dental: "done", school: "drifting"}
        assert escalation.midway_review_id == midway.id
        assert escalation.id == dialog.escalation_id
        assert escalation.stages[0].stage == "informal_sw"


def test_midway_needs_every_decision_and_saves_nothing_otherwise(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import MidwayReview
    from iro_desktop.gui.midway_dialog import MidwayDialog

    child_id, (dental, school) = _child_with_decisions(store)
    dialog = MidwayDialog(store, child_id)
    qtbot.addWidget(dialog)
    dialog.rows[dental][0].set_value("on_track")
    dialog.save(escalate=False)
    status, _note, error, _what = dialog.rows[school]
    assert not error.isHidden() and error.text()
    assert status.property("invalid") is True
    assert dialog.rows[dental][2].isHidden()
    with store.session() as session:
        assert session.query(MidwayReview).count() == 0


def _raise(store: Any, child_id: int, raised_on: dt.date) -> int:
    from iro_desktop.caseload import escalations

    with store.transaction() as session:
        return escalations.raise_escalation(session, child_id, escalations.EscalationInput(
            raised_on=raised_on, concern="No pathway plan", themes=["18+ / pathway planning"]))


def test_escalation_through_two_stages_to_resolution(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Escalation
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _ids = _child_with_decisions(store)
    escalation_id = _raise(store, child_id, TODAY - dt.timedelta(days=30))
    view = EscalationView(store, child_id, escalation_id)
    qtbot.addWidget(view)
    ladder = view.ladder_model
    assert ladder.rowCount() == 6  # the whole ladder, reached rungs dated
    assert "late" in ladder.index(0, 3).data()
    assert "⚠" in view.standing.text() and "late" in view.standing.text()

    # A response before it was raised: shown beside the date, nothing saved.
    view.received_on.set_date(TODAY - dt.timedelta(days=40))
    view.response_text.setPlainText("We will look at it")
    qtbot.mouseClick(view.response_panel.button, Qt.MouseButton.LeftButton)
    assert "before it was raised" in view.response_panel.form.message("received_on")
    assert not view.banner.isHidden()
    with store.session() as session:
        assert session.get(Escalation, escalation_id).stages[0].response_received_on is None

    view.received_on.set_date(TODAY - dt.timedelta(days=20))
    qtbot.mouseClick(view.response_panel.button, Qt.MouseButton.LeftButton)
    assert view.banner.isHidden()
    assert "✔ Response" in ladder.index(0, 3).data()

    view.actions.setCurrentIndex(1)
    view.next_stage.set_value("team_manager")
    view.started_on.set_date(TODAY - dt.timedelta(days=15))
    qtbot.mouseClick(view.move_panel.button, Qt.MouseButton.LeftButton)
    assert ladder.index(2, 0).data().startswith("▶")
    assert "team manager" in view.standing.text().lower()

    view.actions.setCurrentIndex(0)
    view.received_on.set_date(TODAY - dt.timedelta(days=5))
    view.response_text.setPlainText("School place found for January")
    qtbot.mouseClick(view.response_panel.button, Qt.MouseButton.LeftButton)

    view.actions.setCurrentIndex(3)
    view.outcome.set_value("resolved")
    view.outcome_on.set_date(TODAY - dt.timedelta(days=4))
    qtbot.mouseClick(view.close_panel.button, Qt.MouseButton.LeftButton)
    assert "Closed: resolved" in view.standing.text()
    assert view.actions.isHidden()
    assert view.changed

    with store.session() as session:
        escalation = session.get(Escalation, escalation_id)
        assert [s.stage for s in escalation.stages] == ["informal_sw", "team_manager"]
        assert escalation.stages[1].response == "School place found for January"
        assert escalation.outcome == "resolved"
        assert escalation.outcome_on == TODAY - dt.timedelta(days=4)


def test_raise_shows_problems_beside_fields(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Escalation
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _ids = _child_with_decisions(store)
    view = EscalationView(store, child_id)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert view.theme_list.count() >= 10  # the themes from the settings
    view.raise_escalation()
    assert view.raise_form.message("concern")
    assert view.raise_form.message("themes")
    with store.session() as session:
        assert session.query(Escalation).count() == 0
    view.concern.setPlainText("Good joint working on family time")
    view.kind.set_value("good_practice")
    view.raise_escalation()
    with store.session() as session:
        assert session.query(Escalation).one().kind == "good_practice"


def test_cafcass_referral(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import Escalation
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _ids = _child_with_decisions(store)
    escalation_id = _raise(store, child_id, TODAY - dt.timedelta(days=3))
    view = EscalationView(store, child_id, escalation_id)
    qtbot.addWidget(view)
    view.actions.setCurrentIndex(2)
    view.refer_to_cafcass()
    assert "Cafcass" in view.standing.text()
    assert not view.actions.isTabEnabled(2)
    with store.session() as session:
        assert session.get(Escalation, escalation_id).cafcass_referred_on == TODAY


def test_models_pass_the_model_tester(qtbot: Any, qtmodeltester: Any, store: Any) -> None:
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _ids = _child_with_decisions(store)
    view = EscalationView(store, child_id, _raise(store, child_id, TODAY))
    qtbot.addWidget(view)
    qtmodeltester.check(view.ladder_model)


def test_waiting_for_a_response_is_marked_with_a_sign_the_fonts_have(qtbot: Any,
                                                                      store: Any) -> None:
    """"⏳" (U+23F3) is in no font on these machines and showed as an empty box."""
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _ids = _child_with_decisions(store)
    view = EscalationView(store, child_id, _raise(store, child_id, TODAY))
    qtbot.addWidget(view)
    assert view.standing.text().startswith("◷ Waiting for a response")
    assert "⏳" not in view.standing.text()


def test_the_banner_says_how_many_things_and_which_fields(qtbot: Any, store: Any) -> None:
    """It said only "Nothing was saved." and the raw messages that belonged to no field; now it
    counts the problems and names the fields in plain words, as the midway review form does."""
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _ids = _child_with_decisions(store)
    view = EscalationView(store, child_id)
    qtbot.addWidget(view)
    view.raise_escalation()
    assert view.banner.text() == (
        "⚠ 2 things to put right before this can be saved: the concern and the themes. Each is "
        "marked beside its field. Nothing was saved.")
    assert "Describe the concern." in view.raise_form.message("concern")

    # A message that belongs to no field comes after, on its own line.
    from iro_desktop.caseload import escalations

    stray = escalations.EscalationInput(raised_on=TODAY, concern="No PEP", themes=["Education"],
                                        midway_review_id=987654)
    other = EscalationView(store, child_id, prefill=stray)
    qtbot.addWidget(other)
    other.raise_escalation()
    assert other.banner.text() == (
        "⚠ 1 thing to put right before this can be saved. Nothing was saved.\n"
        "That midway review is not this child's.")


def test_a_panels_problem_is_named_in_the_panels_words(qtbot: Any, store: Any) -> None:
    """Closing an escalation raised 3 days ago with a date 10 days ago: "the date it closed"."""
    from iro_desktop.db.models import Escalation
    from iro_desktop.gui.escalation_view import EscalationView

    child_id, _ids = _child_with_decisions(store)
    escalation_id = _raise(store, child_id, TODAY - dt.timedelta(days=3))
    view = EscalationView(store, child_id, escalation_id)
    qtbot.addWidget(view)
    view.actions.setCurrentIndex(3)
    view.outcome.set_value("resolved")
    view.outcome_on.set_date(TODAY - dt.timedelta(days=10))
    qtbot.mouseClick(view.close_panel.button, Qt.MouseButton.LeftButton)
    assert view.banner.text() == (
        "⚠ 1 thing to put right before this can be saved: the date it closed. It is marked beside "
        "its field. Nothing was saved.")
    assert "before the last stage started" in view.close_panel.form.message("on")
    with store.session() as session:
        assert session.get(Escalation, escalation_id).outcome == ""
    view.outcome_on.set_date(TODAY)
    qtbot.mouseClick(view.close_panel.button, Qt.MouseButton.LeftButton)
    assert view.banner.isHidden()
