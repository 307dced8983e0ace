"""The exchange dialogs: my keys (copy, save, import the manager's key) and the export."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from iro_desktop.gui import export_dialog, keys_dialog
from iro_desktop.interchange import bundle, keys
from tests.conftest import TEST_PASSPHRASE
from tests.factory import make_child

D = dt.date


@pytest.fixture
def quiet_boxes(monkeypatch):
    shown = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, _n=name, **k: shown.append((_n, a[2])))
    return shown


def test_keys_dialog_shows_copies_saves_and_imports(qtbot, store, tmp_path, quiet_boxes):
    me = keys.generate(keys.ROLE_IRO, "Sam Taylor").public
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager").public
    dialog = keys_dialog.KeysDialog(store, me)
    qtbot.addWidget(dialog)
    assert dialog.key_text.toPlainText() == me.armored()
    assert me.fingerprint in dialog.fingerprint.text()
    assert "not imported yet" in dialog.manager_label.text()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == me.armored()
    (tmp_path / "manager.txt").write_text(manager.armored())
    assert dialog.import_manager_key(str(tmp_path / "manager.txt"))
    assert manager.fingerprint in dialog.manager_label.text()
    with store.session() as s:
        assert bundle.manager_key_of(s) == manager
    (tmp_path / "iro.txt").write_text(me.armored())
    assert not dialog.import_manager_key(str(tmp_path / "iro.txt"))
    assert quiet_boxes[-1] == ("warning", "This is an IRO's public key, not a manager's.")


def test_export_dialog_checks_the_period(qtbot):
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager").public
    dialog = export_dialog.ExportDialog(manager, D(2026, 3, 31))
    qtbot.addWidget(dialog)
    assert dialog.start.date() == D(2025, 4, 1) and dialog.end.date() == D(2026, 3, 31)
    dialog.end.set_date(D(2025, 1, 1))
    assert dialog.values() is None and "ends before" in dialog.message.text()
    dialog.end.set_text("31/13/2026")
    assert dialog.values() is None
    assert dialog.message.text() == "To: There is no date 31/13/2026: check the day and the month."


def test_export_dialog_says_which_date_is_missing(qtbot):
    """"Give both dates as dd/mm/yyyy" did not say which of the two was wrong."""
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager").public
    dialog = export_dialog.ExportDialog(manager, D(2026, 3, 31))
    qtbot.addWidget(dialog)
    dialog.start.set_text("")
    assert dialog.values() is None
    assert dialog.message.text() == "From: type the date as dd/mm/yyyy."


def test_export_menu_action_writes_a_file_for_the_manager(
    qtbot, store, tmp_path, monkeypatch, quiet_boxes
):
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager")
    with store.transaction() as s:
        make_child(s, child_ref="G0001", reviews=[D(2025, 5, 29)])
        bundle.set_manager_key(s, manager.public.armored())
    out = tmp_path / "out.iroexport"
    monkeypatch.setattr(
        export_dialog.ExportDialog,
        "choose",
        staticmethod(lambda *a, **k: ((D(2025, 4, 1), D(2026, 3, 31), out), True)),
    )
    monkeypatch.setattr(export_dialog, "ask_passphrase", lambda *a: TEST_PASSPHRASE)
    export_dialog.export_for_manager(SimpleNamespace(store=store))
    assert quiet_boxes[-1][0] == "information" and "1 children" in quiet_boxes[-1][1]
    opened = bundle.open_sealed(out.read_bytes(), manager.age_identity)
    signer = keys.load_public(keys.ROLE_IRO)
    assert bundle.verify_signature(opened, {signer.fingerprint: signer}) == signer


def test_export_without_a_manager_key_says_what_to_do(qtbot, store, quiet_boxes):
    export_dialog.export_for_manager(SimpleNamespace(store=store))
    assert "Import your manager's public key first" in quiet_boxes[-1][1]


def test_export_dialog_says_the_file_is_the_whole_record(qtbot):
    """Near the Export button: the file is the IRO's complete record for the period, and the
    manager's service drops what the IRO has deleted."""
    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager").public
    dialog = export_dialog.ExportDialog(manager, D(2026, 3, 31))
    qtbot.addWidget(dialog)
    dialog.show()
    note = dialog.complete_note
    assert note.isVisible() and note.wordWrap()
    assert "complete record for the period" in note.text()
    assert "drops" in note.text() and "deleted" in note.text()
    assert dialog.export_button.toolTip() == note.text()
    # Just above the buttons: below the message line, nearer the button than the fields are.
    layout = dialog.layout()
    assert layout.indexOf(note) == layout.indexOf(dialog.message) + 1
    button_top = dialog.export_button.mapTo(dialog, dialog.export_button.rect().topLeft()).y()
    assert note.geometry().bottom() <= button_top


def _write_code(store, code):
    from iro_desktop.db.models import Review

    with store.transaction() as s:
        for review in s.query(Review).filter(Review.participation_code == ""):
            review.participation_code = code


def test_903_dialog_shows_the_reviews_still_needing_a_code(qtbot, store, tmp_path):
    from tests.interchange.test_export903_drafts import caseload_with_drafts

    with store.transaction() as s:
        caseload_with_drafts(s)
    dialog = export_dialog.Export903Dialog(store, D(2025, 9, 5))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.year.value() == 2026
    assert "1 April 2025 to 31 March 2026" in dialog.year_label.text()
    out = tmp_path / "903"
    dialog.folder.setText(str(out))
    dialog.export_button.click()
    text = dialog.message.text()
    assert "B7 (review of 01/07/2025), K2 (review of 28/08/2025)" in text
    assert "choose the participation code first" in text
    assert dialog.isVisible() and dialog.written is None  # stays open, nothing written
    assert not out.exists() or not any(out.iterdir())

    _write_code(store, "PN6")
    dialog.export_button.click()
    assert not dialog.isVisible() and dialog.written.reviews == 4
    assert sorted(p.name for p in out.iterdir()) == ["episodes.csv", "header.csv", "reviews.csv"]


def test_903_menu_action_says_what_it_wrote(qtbot, store, tmp_path, monkeypatch, quiet_boxes):
    from tests.interchange.test_export903_drafts import caseload_with_drafts

    with store.transaction() as s:
        caseload_with_drafts(s)
    _write_code(store, "PN1")
    out = tmp_path / "903"

    def press_export(self):
        self.year.setValue(2026)
        self.folder.setText(str(out))
        self.export_button.click()
        return self.result()

    monkeypatch.setattr(export_dialog.Export903Dialog, "exec", press_export)
    window = QWidget()  # the main window: its store, and the dialog's parent
    qtbot.addWidget(window)
    window.store = store
    export_dialog.export_903_files(window)
    kind, text = quiet_boxes[-1]
    assert kind == "information" and "2025-26" in text and "4 reviews" in text
    assert "1 review(s) left out" in text
    assert (out / "reviews.csv").exists()
