"""The settings dialog is generated from DEFINITIONS and round-trips every kind of setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QSpinBox

from iro_desktop import settings
from iro_desktop.gui.settings_dialog import SettingsDialog
from iro_desktop.settings import DEFINITIONS

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def test_one_tab_per_group_and_one_editor_per_setting(qtbot: Any, store: Any) -> None:
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    groups = list(dict.fromkeys(d.group for d in DEFINITIONS if d.editable))
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == groups
    assert set(dialog.editors) == {d.key for d in DEFINITIONS if d.editable}
    # The manager's key is set by its own dialog, checked by fingerprint: never typed in here.
    assert "manager_public_key" not in dialog.editors
    spin = dialog.editors["lock_after_minutes"]
    assert isinstance(spin, QSpinBox) and (spin.minimum(), spin.maximum()) == (1, 240)
    assert isinstance(dialog.editors["export_names"], QCheckBox)
    letters = []
    for label in dialog.findChildren(QLabel):
        if "&" in label.text():
            assert label.buddy() is not None and label.buddy() is not label
            letters.append(label.text()[label.text().index("&") + 1].lower())
    assert len(letters) == len(set(letters)) and len(letters) >= 12  # unique in the whole dialog


def test_settings_round_trip(qtbot: Any, store: Any, tmp_path: Path, monkeypatch: Any) -> None:
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.editors["iro_name"].setText("Sam Taylor")
    dialog.editors["lock_after_minutes"].setValue(5)
    dialog.editors["export_names"].setChecked(True)
    themes = dialog.editors["escalation_themes"]
    themes.add_button.click()
    themes.list.currentItem().setText("Housing")
    dialog.editors["backup_folder"].line_edit.setText(str(tmp_path / "usb"))
    photo = tmp_path / "me.png"
    photo.write_bytes(PNG)
    ref = dialog.editors["iro_photo"].add_file(photo)
    assert ref and ref.startswith("own:")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with store.session() as session:
        assert settings.get(session, "iro_name") == "Sam Taylor"
        assert settings.get(session, "lock_after_minutes") == 5
        assert settings.get(session, "export_names") is True
        assert settings.get(session, "escalation_themes")[-1] == "Housing"
        assert settings.get(session, "backup_folder") == str(tmp_path / "usb")
        assert settings.get(session, "iro_photo") == ref
    again = SettingsDialog(store)
    qtbot.addWidget(again)
    assert again.editors["iro_name"].text() == "Sam Taylor"
    assert again.editors["lock_after_minutes"].value() == 5
    assert again.editors["iro_photo"].value() == ref
    assert "Housing" in again.editors["escalation_themes"].values()


def test_cancel_saves_nothing(qtbot: Any, store: Any, monkeypatch: Any) -> None:
    def type_then_cancel(dialog: SettingsDialog) -> int:
        editor: QLineEdit = dialog.editors["iro_name"]
        editor.setText("Not saved")
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", type_then_cancel)
    assert SettingsDialog.edit_settings(store) == ({}, False)
    with store.session() as session:
        assert settings.get(session, "iro_name") == ""
