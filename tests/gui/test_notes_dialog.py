"""The case note dialog: saved in one go; problems beside the fields; seen alone only where it
can happen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factory import make_child


@pytest.fixture(autouse=True)
def _closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dialog closed with changes asks the IRO first; in tests the answer is "discard"."""
    from iro_desktop.gui import review_parts

    monkeypatch.setattr(review_parts, "confirm_discard", lambda _parent: True)


def test_note_problems_beside_fields_then_saved(qtbot: Any, store: Any) -> None:
    from iro_desktop.db.models import CaseNote
    from iro_desktop.gui.note_dialog import NoteDialog

    with store.transaction() as session:
        child_id = make_child(session).id
    dialog = NoteDialog(store, child_id)
    qtbot.addWidget(dialog)
    dialog.noted_on.set_date(dt.date.today() + dt.timedelta(days=3))
    dialog.save()
    assert "future" in dialog.form.message("noted_on")
    assert dialog.form.message("text")
    with store.session() as session:
        assert session.query(CaseNote).count() == 0
    dialog.kind.set_value("call")
    assert not dialog.seen_alone.isEnabled()  # not seen alone on a call
    dialog.noted_on.set_date(dt.date.today())
    dialog.text.setPlainText("Spoke to the social worker about school")
    dialog.save()
    assert dialog.note_id is not None
    with store.session() as session:
        note = session.query(CaseNote).one()
        assert (note.kind, note.seen_alone) == ("call", False)


def test_escape_with_a_typed_note_asks_first(qtbot: Any, store: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from iro_desktop.gui import review_parts
    from iro_desktop.gui.note_dialog import NoteDialog

    with store.transaction() as session:
        child_id = make_child(session).id
    dialog = NoteDialog(store, child_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text.setPlainText("Half a note")
    asked: list[bool] = []
    monkeypatch.setattr(review_parts, "confirm_discard", lambda _p: asked.append(True) or False)
    dialog.reject()
    assert asked and dialog.isVisible()


def test_every_note_control_is_named(qtbot: Any, store: Any) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QWidget,
    )

    from iro_desktop.gui.note_dialog import NoteDialog

    with store.transaction() as session:
        child_id = make_child(session).id
    dialog = NoteDialog(store, child_id)
    qtbot.addWidget(dialog)
    controls = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton)
    for widget in dialog.findChildren(QWidget):
        if (isinstance(widget, controls) and widget.window() is dialog
                and not isinstance(widget.parentWidget(), QComboBox)):
            assert widget.accessibleName() or getattr(widget, "text", lambda: "")(), widget


def test_the_banner_names_every_field_to_put_right(qtbot: Any, store: Any) -> None:
    """Not just "Nothing was saved": how many things, and which fields, in plain words."""
    from iro_desktop.gui.note_dialog import NoteDialog

    with store.transaction() as session:
        child_id = make_child(session).id
    dialog = NoteDialog(store, child_id)
    qtbot.addWidget(dialog)
    dialog.noted_on.set_date(dt.date.today() + dt.timedelta(days=3))
    dialog.kind.setCurrentIndex(-1)  # no type chosen
    dialog.save()
    assert dialog.banner.text() == (
        "⚠ 3 things to put right before this can be saved: the date, the type and what "
        "happened. Each is marked beside its field. Nothing was saved.")

    # A date that is not one is found before saving; the other problems are told with it.
    dialog.kind.set_value("visit")
    dialog.noted_on.line_edit.setText("31/02/2026")
    dialog.save()
    assert dialog.banner.text().startswith(
        "⚠ 2 things to put right before this can be saved: the date and what happened.")
    assert dialog.form.message("noted_on") and dialog.form.message("text")
