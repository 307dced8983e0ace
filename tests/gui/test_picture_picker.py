"""The picture picker: the bundled library by topic, search as you type, the IRO's own pictures."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog

from iro_desktop.db.models import Picture
from iro_desktop.gui import picture_picker
from iro_desktop.gui.picture_picker import (
    REF_ROLE,
    PictureFilter,
    PictureIcons,
    PictureModel,
    PicturePicker,
    TopicsModel,
)
from iro_desktop.letters import pictures


def _png_bytes(colour: str = "#3366cc") -> bytes:
    image = QImage(40, 30, QImage.Format.Format_ARGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def _shown_refs(picker: PicturePicker) -> list[str]:
    model = picker.filter
    return [model.index(row, 0).data(REF_ROLE) for row in range(model.rowCount())]


@pytest.fixture
def picker(qtbot, store):  # type: ignore[no-untyped-def]
    dialog = PicturePicker(store, "house")
    qtbot.addWidget(dialog)
    return dialog


def test_the_library_is_a_grid_of_at_least_200_colour_pictograms(picker) -> None:  # type: ignore[no-untyped-def]
    assert picker.grid.viewMode() == picker.grid.ViewMode.IconMode
    assert picker.filter.rowCount() >= 200
    icon = picker.filter.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    image = icon.pixmap(64, 64).toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 64, 4) for y in range(0, 64, 4)
               if image.pixelColor(x, y).alpha() > 200}
    assert len(colours) > 3  # colour, not an empty or black square


def test_it_opens_on_the_current_picture(picker) -> None:  # type: ignore[no-untyped-def]
    assert picker.grid.currentIndex().data(REF_ROLE) == "house"
    assert picker.chosen() == "house"
    assert "house" in picker.chosen_label.text().lower()


def test_search_filters_as_you_type(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    everything = picker.filter.rowCount()
    qtbot.keyClicks(picker.search_edit, "foot")
    refs = _shown_refs(picker)
    assert "football" in refs
    assert 0 < len(refs) < everything
    assert refs == [p.ref for p in pictures.search("foot")]  # the core's order, best first
    picker.search_edit.clear()
    assert picker.filter.rowCount() == everything


def test_a_word_with_no_pictures_says_so(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(picker.search_edit, "zzzqqq")
    assert picker.filter.rowCount() == 0
    assert picker.empty_label.isVisibleTo(picker)


def test_topics_show_only_their_pictures(picker) -> None:  # type: ignore[no-untyped-def]
    food_row = picker.topics.row_of("food")
    picker.topic_view.setCurrentIndex(picker.topics.index(food_row))
    topics = {picker.filter.index(r, 0).data(picture_picker.TOPIC_ROLE)
              for r in range(picker.filter.rowCount())}
    assert topics == {"food"}
    assert f"({picker.filter.rowCount()})" in picker.topics.index(food_row).data()


def test_choosing_a_picture_returns_its_reference(qtbot, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def pick_football(self) -> int:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(self.search_edit, "football")
        self.grid.setCurrentIndex(self.filter.index(0, 0))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PicturePicker, "exec", pick_football)
    assert PicturePicker.choose(None, store, "house") == ("football", True)


def test_the_keyboard_alone_finds_and_chooses_a_picture(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    assert picker.focusWidget() in (None, picker.search_edit) or picker.search_edit.hasFocus()
    qtbot.keyClicks(picker.search_edit, "dog")
    picker.grid.setFocus()
    qtbot.keyClick(picker.grid, Qt.Key.Key_Home)
    first = picker.grid.currentIndex().data(REF_ROLE)
    qtbot.keyClick(picker.grid, Qt.Key.Key_Return)
    assert picker.result() == QDialog.DialogCode.Accepted
    assert picker.chosen() == first == pictures.search("dog")[0].ref


def test_cancel_keeps_the_picture(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PicturePicker, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert PicturePicker.choose(None, store, "house") == ("house", False)


def test_no_picture(qtbot, picker) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(picker.none_button, Qt.MouseButton.LeftButton)
    assert picker.result() == QDialog.DialogCode.Accepted
    assert picker.chosen() == ""


def test_add_my_own_picture_keeps_it_in_the_store(qtbot, store, picker, tmp_path: Path,
                                                  monkeypatch) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "therapist-icon.png"
    file.write_bytes(_png_bytes())
    monkeypatch.setattr(picture_picker.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(file), ""))
    monkeypatch.setattr(picture_picker.QInputDialog, "getText",
                        lambda *a, **k: ("Talking icon", True))
    ref = picker.add_own_picture()
    assert ref is not None and ref.startswith(pictures.OWN_PREFIX)
    assert picker.chosen() == ref
    assert picker.topics.topic(picker.topic_view.currentIndex().row()) == pictures.OWN_TOPIC
    assert _shown_refs(picker) == [ref]
    with store.session() as session:
        row = session.get(Picture, int(ref.removeprefix(pictures.OWN_PREFIX)))
        assert row is not None and row.name == "Talking icon" and row.mime_type == "image/png"
    icon = picker.filter.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull()


def test_a_picture_that_is_not_allowed_is_refused_with_a_message(store, picker, tmp_path: Path,
                                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "notes.png"
    file.write_bytes(b"this is not a picture")
    monkeypatch.setattr(picture_picker.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(file), ""))
    monkeypatch.setattr(picture_picker.QInputDialog, "getText", lambda *a, **k: ("Notes", True))
    warnings: list[str] = []
    monkeypatch.setattr(picture_picker.QMessageBox, "warning",
                        lambda _parent, _title, text: warnings.append(text))
    assert picker.add_own_picture() is None
    assert warnings
    with store.session() as session:
        assert session.query(Picture).count() == 0


def test_models_pass_the_model_tester(qtmodeltester, store) -> None:  # type: ignore[no-untyped-def]
    icons = PictureIcons(store)
    model = PictureModel(icons)
    with store.session() as session:
        model.set_pictures(pictures.all_pictures(session)[:40])
    qtmodeltester.check(model)
    proxy = PictureFilter()
    proxy.setSourceModel(model)
    proxy.set_topic("home")
    qtmodeltester.check(proxy)
    proxy.set_matches([model.picture(3).ref, model.picture(1).ref])
    qtmodeltester.check(proxy)
    topics = TopicsModel(model.counts())
    qtmodeltester.check(topics)
