"""The midway review dialog says, at the top, which fields stop it being saved."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gui.test_midway_escalation import _child_with_decisions


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.gui import review_parts

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)


def test_the_banner_names_each_field_to_put_right(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import MidwayReview
    from iro_desktop.gui.midway_dialog import MidwayDialog

    child_id, (dental, school) = _child_with_decisions(store)
    dialog = MidwayDialog(store, child_id)
    qtbot.addWidget(dialog)
    dialog.method.setCurrentIndex(-1)  # no way chosen
    dialog.rows[dental][0].set_value("on_track")
    dialog.rows[school][0].set_value("")
    dialog.save(escalate=False)
    assert not dialog.banner.isHidden()
    assert dialog.banner.text() == (
        "⚠ 2 things to put right before this can be saved: how it was done and the progress of "
        "decision 2. Each is marked beside its field. Nothing was saved.")
    with store.session() as session:
        assert session.query(MidwayReview).count() == 0

    dialog.method.set_value("call")
    dialog.save(escalate=False)
    assert dialog.banner.text() == (
        "⚠ 1 thing to put right before this can be saved: the progress of decision 2. It is "
        "marked beside its field. Nothing was saved.")
    dialog.rows[school][0].set_value("done")
    dialog.save(escalate=False)
    assert dialog.midway_id is not None


def test_a_date_that_is_not_one_is_named_too(qtbot: Any, store: Any) -> None:
    from iro_desktop.gui.midway_dialog import MidwayDialog

    child_id, _ids = _child_with_decisions(store)
    dialog = MidwayDialog(store, child_id)
    qtbot.addWidget(dialog)
    dialog.held_on.line_edit.setText("31/02/2026")
    dialog.save(escalate=False)
    assert "the date" in dialog.banner.text() and "Nothing was saved." in dialog.banner.text()
    assert dialog.form.message("held_on")
