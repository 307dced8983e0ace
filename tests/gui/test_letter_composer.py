"""The letter composer, driven as an IRO would: edit, reorder, pictures, jargon, readability,
the live preview, save and reload, PDF, print and sent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QTextCharFormat
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QScrollArea,
    QToolTip,
    QWidget,
)

from iro_desktop import settings
from iro_desktop.db.models import Letter
from iro_desktop.gui import letter_composer
from iro_desktop.gui.letter_composer import LetterComposer
from iro_desktop.gui.letter_sections import LetterSectionsModel
from iro_desktop.gui.letter_words import hint_for
from iro_desktop.gui.picture_picker import PicturePicker
from iro_desktop.letters import compose, pictures
from iro_desktop.letters.compose import LetterSection
from iro_desktop.letters.readability import score_letter
from tests.factory import add_decision, make_child

D = dt.date
RENDER_TIMEOUT_MS = 10_000


@pytest.fixture
def review_id(store) -> int:  # type: ignore[no-untyped-def]
    """A 10-year-old's review with two decisions, and an IRO who has filled in their details."""
    with store.transaction() as session:
        settings.put(session, "iro_name", "Sam Okafor")
        settings.put(session, "iro_first_name", "Sam")
        settings.put(session, "iro_phone", "01632 960 123")
        child = make_child(session, first_name="Amelia", preferred_name="Mia",
                           date_of_birth=D(2015, 9, 14), reviews=[D(2026, 3, 2)],
                           interests="football, drawing")
        review = child.reviews[0]
        review.record = {
            "where_child_lives": "Mia lives with her carers Jo and Sam and is settled.",
            "family_time": "Mia sees her mum every other Saturday.",
            "education": "Mia is doing well at school and likes art.",
            "health": "Mia had her health check in February.",
        }
        add_decision(session, review, "Arrange swimming lessons", owner_role="Carer",
                     owner_name="Jo", due_on=D(2026, 5, 1))
        add_decision(session, review, "Book a dental check", due_on=D(2026, 4, 1))
        return review.id


@pytest.fixture
def composer(qtbot, store, review_id, monkeypatch) -> LetterComposer:  # type: ignore[no-untyped-def]
    # Closing with unsaved changes asks; tests that care answer differently.
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    dialog = LetterComposer(store, review_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=RENDER_TIMEOUT_MS)
    yield dialog
    dialog.renderer.shutdown()


def _all_page_text(composer: LetterComposer) -> str:
    return "\n".join(composer.preview.page_text(i) for i in range(composer.preview.page_count()))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _select(composer: LetterComposer, key: str) -> int:
    for row in range(composer.sections.rowCount()):
        if composer.sections.section(row).key == key:
            composer.section_list.setCurrentIndex(composer.sections.index(row))
            return row
    raise AssertionError(f"no {key} section")


def _saved_sections(store, review_id: int) -> list[dict]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        letter = session.query(Letter).filter_by(review_id=review_id).one()
        return list(letter.sections)


def _wait_for_preview(qtbot, composer: LetterComposer, words: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: words in _flat(_all_page_text(composer)), timeout=RENDER_TIMEOUT_MS)


def test_it_opens_on_a_draft_from_the_review(composer, store, review_id) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        draft = compose.draft_letter(session, review_id)
    assert [s.key for s in composer.sections.sections()] == [s.key for s in draft.sections]
    assert composer.age_band() == draft.age_band == compose.BAND_9_12
    assert "Mia" in _all_page_text(composer)
    assert "not saved" in composer.status_label.text()
    assert composer.editor.title_edit.text() == draft.sections[0].title


def test_editing_a_section_updates_the_preview_after_a_pause(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    _select(composer, compose.SECTION_GOING_WELL)
    before = composer.preview.page_image(0)
    rendered: list[object] = []
    composer.renderer.rendered.connect(rendered.append)
    composer.editor.text_edit.moveCursor(composer.editor.text_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(composer.editor.text_edit, " You scored a goal for the Wanderers.")
    assert "Wanderers" not in _all_page_text(composer)  # typing is never held up by rendering
    _wait_for_preview(qtbot, composer, "scored a goal for the Wanderers")
    assert len(rendered) <= 2  # one render per pause, not one per keystroke
    assert composer.preview.page_image(0) != before or composer.preview.page_count() > 1


def test_a_long_letter_has_pages_to_move_between(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    for key in (compose.SECTION_GOING_WELL, compose.SECTION_SCHOOL, compose.SECTION_HEALTH):
        _select(composer, key)
        story = "".join(f"You told me about week {n}. It was fun. " for n in range(25))
        composer.editor.text_edit.setPlainText(story)
    _select(composer, compose.SECTION_RIGHTS)
    composer.editor.text_edit.setPlainText("The very last words.")
    qtbot.waitUntil(lambda: composer.preview.page_count() > 1, timeout=RENDER_TIMEOUT_MS)
    _wait_for_preview(qtbot, composer, "The very last words.")
    preview = composer.preview
    last_words_page = next(i for i in range(preview.page_count())
                           if "The very last words." in _flat(preview.page_text(i)))
    assert last_words_page > 0
    assert preview.current_page() == last_words_page  # the section being written stays in view
    preview.show_page(0)
    assert preview._next.isEnabled() and not preview._previous.isEnabled()
    qtbot.keyClick(composer, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert preview.current_page() == 1
    assert f"2 of {preview.page_count()}" in preview._page_label.text()
    qtbot.mouseClick(preview._previous, Qt.MouseButton.LeftButton)
    assert preview.current_page() == 0
    _select(composer, compose.SECTION_HELLO)
    _select(composer, compose.SECTION_RIGHTS)  # choosing a section turns to its page
    assert preview.current_page() == last_words_page
    _select(composer, compose.SECTION_HELLO)
    assert preview.current_page() == 0


def test_a_section_longer_than_a_page_runs_on_in_the_preview_and_the_pdf(
        qtbot, composer, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # An IRO writing a long "what you told me" just gets more pages: no refusal, no advice to
    # split it.
    failures: list[str] = []
    composer.renderer.failed.connect(failures.append)
    _select(composer, compose.SECTION_TOOK_PART)
    title = composer.editor.title_edit.text()
    told = "\n\n".join(f"You told me about week {n}. It was fun, and you liked the park. "
                        "You said you want to go again with your carers." for n in range(60))
    composer.editor.text_edit.setPlainText(told + "\n\nThe very last thing you told me.")
    _wait_for_preview(qtbot, composer, "The very last thing you told me.")
    assert not failures
    assert composer.preview.page_count() >= 3
    assert f"{title} (continued)" in _flat(_all_page_text(composer))
    assert "Split it" not in composer.preview._status.text()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "long.pdf"), ""))
    saved = composer.save_pdf_as()
    assert saved == tmp_path / "long.pdf" and not warnings
    reader = PdfReader(str(saved))
    assert len(reader.pages) == composer.preview.page_count()
    assert "The very last thing you told me." in _flat(
        " ".join(page.extract_text() for page in reader.pages))


def test_any_other_render_error_is_explained_not_crashed(qtbot, composer, tmp_path: Path,
                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from iro_desktop.gui import letter_preview

    def broken(_doc, _out):  # type: ignore[no-untyped-def]
        raise ValueError("a layout problem")

    monkeypatch.setattr(letter_preview, "render_letter_pdf", broken)
    failures: list[str] = []
    composer.renderer.failed.connect(failures.append)
    _select(composer, compose.SECTION_GOING_WELL)
    composer.editor.text_edit.setPlainText("Something new.")
    qtbot.waitUntil(lambda: bool(failures), timeout=RENDER_TIMEOUT_MS)
    assert "could not be made (ValueError)" in composer.preview._status.text()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "broken.pdf"), ""))
    assert composer.save_pdf_as() is None
    assert warnings and "ValueError" in warnings[0] and "safe" in warnings[0]
    assert not (tmp_path / "broken.pdf").exists()


def test_move_up_and_down_with_the_keyboard_changes_the_saved_order(qtbot, composer, store,
                                                                   review_id) -> None:  # type: ignore[no-untyped-def]
    keys = [s.key for s in composer.sections.sections()]
    composer.section_list.setFocus()
    composer.section_list.setCurrentIndex(composer.sections.index(0))
    qtbot.keyClick(composer.section_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert composer.current_row() == 1
    qtbot.keyClick(composer.section_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.mouseClick(composer.up_button, Qt.MouseButton.LeftButton)
    expected = [keys[1], keys[0], *keys[2:]]
    assert [s.key for s in composer.sections.sections()] == expected
    qtbot.keyClick(composer, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [s["key"] for s in _saved_sections(store, review_id)] == expected
    assert not composer.is_dirty()


def test_dragging_a_section_moves_it(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    view = composer.section_list
    keys = [s.key for s in composer.sections.sections()]
    third = view.visualRect(composer.sections.index(2))
    assert view.drop_row(QPoint(third.center().x(), third.bottom() - 1)) == 3
    assert view.drop_row(QPoint(third.center().x(), third.top() + 1)) == 2
    view.setCurrentIndex(composer.sections.index(0))
    view.section_dropped.emit(0, 3)  # what a drop below the third section sends
    assert [s.key for s in composer.sections.sections()] == [keys[1], keys[2], keys[0], *keys[3:]]
    assert composer.current_row() == 2


def test_remove_and_add_sections(qtbot, composer, store, review_id, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _select(composer, compose.SECTION_HEALTH)
    qtbot.mouseClick(composer.remove_button, Qt.MouseButton.LeftButton)
    assert compose.SECTION_HEALTH not in [s.key for s in composer.sections.sections()]

    composer.add_menu.aboutToShow.emit()
    titles = [a.text() for a in composer.add_menu.actions() if a.text()]
    health_title = compose.default_title(compose.SECTION_HEALTH, composer.age_band())
    assert health_title in titles and "A section of your own" in titles
    next(a for a in composer.add_menu.actions() if a.text() == "A section of your own").trigger()
    qtbot.keyClicks(composer.editor.title_edit, "Your K-Pop poster")
    qtbot.keyClicks(composer.editor.text_edit, "I loved hearing about your favourite band.")
    next(a for a in composer.add_menu.actions() if a.text() == health_title).trigger()
    assert composer.save()
    saved = _saved_sections(store, review_id)
    custom = next(s for s in saved if s["key"] == compose.SECTION_CUSTOM)
    assert custom["title"] == "Your K-Pop poster"
    assert custom["text"] == "I loved hearing about your favourite band."
    assert [s["key"] for s in saved].count(compose.SECTION_HEALTH) == 1


def test_change_a_picture_with_the_picker(qtbot, composer, store, review_id, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def choose(_parent, _store, current: str = "") -> tuple[str, bool]:  # type: ignore[no-untyped-def]
        asked.append(current)
        return "football", True

    monkeypatch.setattr(PicturePicker, "choose", staticmethod(choose))
    row = _select(composer, compose.SECTION_GOING_WELL)
    old = composer.sections.section(row).picture
    rendered: list[object] = []
    composer.renderer.rendered.connect(rendered.append)
    qtbot.mouseClick(composer.editor.picture_button, Qt.MouseButton.LeftButton)
    assert asked == [old]
    assert composer.sections.section(row).picture == "football"
    assert not composer.sections.index(row).data(Qt.ItemDataRole.DecorationRole).isNull()
    qtbot.waitUntil(lambda: bool(rendered), timeout=RENDER_TIMEOUT_MS)
    composer.save()
    saved = _saved_sections(store, review_id)
    assert next(s for s in saved if s["key"] == compose.SECTION_GOING_WELL)["picture"] == "football"


def test_one_of_my_own_pictures_goes_into_the_letter(qtbot, composer, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    image = QImage(60, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#d81b60"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    with store.transaction() as session:
        picture_id = pictures.add_picture(session, "Therapist icon", bytes(data.data()),
                                          "image/png")
    ref = f"{pictures.OWN_PREFIX}{picture_id}"
    monkeypatch.setattr(PicturePicker, "choose", staticmethod(lambda *_a, **_k: (ref, True)))
    _select(composer, compose.SECTION_HELLO)
    rendered: list[object] = []
    composer.renderer.rendered.connect(rendered.append)
    composer.change_picture()
    assert ref in composer.current_document().picture_data  # the preview needs no database
    qtbot.waitUntil(lambda: bool(rendered), timeout=RENDER_TIMEOUT_MS)
    page = composer.preview.page_image(0)
    pink = sum(1 for x in range(0, page.width(), 3) for y in range(0, page.height() // 3, 3)
               if page.pixelColor(x, y).name() == "#d81b60")
    assert pink > 20  # the picture is drawn on the page


def test_jargon_is_marked_explained_and_replaced_in_one_click(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    _select(composer, compose.SECTION_FAMILY_TIME)
    edit = composer.editor.text_edit
    edit.selectAll()
    qtbot.keyClicks(edit, "Your contact with Mum will be on Saturdays.")
    block = edit.document().firstBlock()
    marked = [(r.start, r.length) for r in block.layout().formats()
              if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline]
    assert marked == [(5, len("contact"))]
    hit = edit.hit_at(7)
    assert hit is not None and hit.suggestion == "family time"
    assert "family time" in hint_for(hit)
    cursor = edit.textCursor()
    cursor.setPosition(7)
    point = edit.cursorRect(cursor).center()
    hover = QHelpEvent(QEvent.Type.ToolTip, point, edit.viewport().mapToGlobal(point))
    QApplication.sendEvent(edit.viewport(), hover)
    assert QToolTip.text() == hint_for(hit)  # the suggestion on hover
    listed = composer.sections.index(composer.current_row())
    assert "⚠" in listed.data()  # the list shows which sections still have jargon
    assert "1 care word to change" in listed.data(Qt.ItemDataRole.AccessibleTextRole)
    button = composer.editor.replace_buttons[0]
    assert "family time" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert edit.toPlainText() == "Your family time with Mum will be on Saturdays."
    assert "⚠" not in listed.data()
    assert composer.sections.section(composer.current_row()).text == edit.toPlainText()
    assert "No care jargon" in composer.editor.jargon_label.text()
    edit.undo()  # one undo step brings the word back
    assert "contact" in edit.toPlainText()


def test_the_replacement_reads_the_words_around_it(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    _select(composer, compose.SECTION_NEXT)
    edit = composer.editor.text_edit
    edit.setPlainText("Contact with Dad is going well.\nI will see you at the next LAC review.")
    assert edit.replace_first("LAC review")
    assert edit.toPlainText().splitlines()[1] == "I will see you at the next meeting."
    assert edit.replace_first("contact")
    assert edit.toPlainText().splitlines()[0] == "Family time with Dad is going well."


def test_ctrl_full_stop_replaces_the_jargon_at_the_cursor(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    _select(composer, compose.SECTION_HOME)
    edit = composer.editor.text_edit
    edit.selectAll()
    qtbot.keyClicks(edit, "Your placement")
    qtbot.keyClick(edit, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert "placement" not in edit.toPlainText()
    assert "home" in edit.toPlainText()


def test_the_readability_meter_follows_the_words(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    def shown_answer() -> str:
        return composer.editor.letter_score_label.text()

    expected = score_letter(composer.current_document())
    assert ("yes" if expected.meets_target else "not yet") in shown_answer()
    assert "9 to 12" in shown_answer()
    before = composer.editor.meter.value()
    _select(composer, compose.SECTION_SCHOOL)
    hard = ("Notwithstanding considerable organisational complexities, educational "
            "professionals collaboratively investigated individualised opportunities, "
            "acknowledging institutional responsibilities and developmental considerations. ")
    composer.editor.text_edit.setPlainText(hard * 12)
    result = score_letter(composer.current_document())
    assert composer.editor.meter.value() < before
    assert composer.editor.meter.value() == max(0, min(100, round(result.reading_ease)))
    assert ("yes" if result.meets_target else "not yet") in shown_answer()
    assert "This section: reading ease" in composer.editor.section_score_label.text()


def test_the_age_band_changes_the_target_and_the_drafted_headings(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    keys = [s.key for s in composer.sections.sections()]
    _select(composer, compose.SECTION_SCHOOL)
    composer.editor.title_edit.setText("Football and school")
    composer.editor.title_edit.textEdited.emit("Football and school")
    composer.age_band_combo.setCurrentIndex(composer.age_band_combo.findData(compose.BAND_4_8))
    titles = [s.title for s in composer.sections.sections()]
    for key, title in zip(keys, titles, strict=True):
        if key == compose.SECTION_SCHOOL:
            assert title == "Football and school"  # the IRO's own heading stays
        else:
            assert title == compose.default_title(key, compose.BAND_4_8)
    assert "age 4 to 8" in composer.editor.letter_score_label.text()
    assert composer.current_document().age_band == compose.BAND_4_8


def test_changing_the_band_offers_to_rewrite_the_draft_keeping_the_iros_words(
        qtbot, composer, store, review_id, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[tuple[str, str]] = []
    answer = [QMessageBox.StandardButton.Yes]

    def question(_parent, title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append((title, text))
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    _select(composer, compose.SECTION_SCHOOL)
    composer.editor.text_edit.setPlainText("You told me about your art project. Brilliant!")
    custom_row = composer.add_section(compose.SECTION_CUSTOM)
    composer.sections.update_section(custom_row, title="Your birthday", text="Happy birthday!")
    composer.age_band_combo.setCurrentIndex(composer.age_band_combo.findData(compose.BAND_4_8))
    assert len(asked) == 1
    title, text = asked[0]
    assert title == "Re-write the draft for age 4 to 8?"
    assert "The 2 sections you wrote or changed stay as you wrote them." in text
    with store.session() as session:
        young = compose.draft_letter(session, review_id, age_band=compose.BAND_4_8)
    by_key = {s.key: s for s in composer.sections.sections()}
    assert by_key[compose.SECTION_SCHOOL].text == ("You told me about your art project. "
                                                   "Brilliant!")
    assert by_key[compose.SECTION_CUSTOM].text == "Happy birthday!"
    for key in (compose.SECTION_HELLO, compose.SECTION_RIGHTS, compose.SECTION_NEXT):
        assert by_key[key].text == young.section(key).text
        assert by_key[key].title == young.section(key).title
    assert composer.sign_off_edit.text() == young.sign_off
    assert composer.is_dirty()
    _wait_for_preview(qtbot, composer, _flat(young.section(compose.SECTION_RIGHTS).text)[:40])

    # Saying no changes only the headings; the words stay as they are.
    answer[0] = QMessageBox.StandardButton.No
    before = {s.key: s.text for s in composer.sections.sections()}
    composer.age_band_combo.setCurrentIndex(composer.age_band_combo.findData(compose.BAND_13_PLUS))
    assert len(asked) == 2 and asked[1][0] == "Re-write the draft for age 13 and over?"
    assert {s.key: s.text for s in composer.sections.sections()} == before
    assert composer.sections.section(0).title == compose.default_title(
        compose.SECTION_HELLO, compose.BAND_13_PLUS)


def test_no_question_when_nothing_is_left_as_drafted(qtbot, composer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **_k: asked.append(a[1]) or QMessageBox.StandardButton.Yes)
    for row in range(composer.sections.rowCount()):
        composer.sections.update_section(row, text=f"My own words {row}.")
    composer.sign_off_edit.setText("See you soon,\nSam")
    composer.age_band_combo.setCurrentIndex(composer.age_band_combo.findData(compose.BAND_4_8))
    assert asked == []
    assert [s.text for s in composer.sections.sections()] == [
        f"My own words {row}." for row in range(composer.sections.rowCount())]


def test_save_and_reload(qtbot, store, review_id, composer) -> None:  # type: ignore[no-untyped-def]
    _select(composer, compose.SECTION_TOOK_PART)
    composer.editor.text_edit.setPlainText("You told me you like your new school.")
    composer.greeting_edit.setText("Dear Mia,")
    composer.greeting_edit.textEdited.emit("Dear Mia,")
    qtbot.mouseClick(composer.save_button, Qt.MouseButton.LeftButton)
    assert "saved" in composer.status_label.text() and not composer.is_dirty()
    with store.session() as session:
        doc = compose.load_letter(session, review_id)
        assert compose.has_saved_letter(session, review_id)
    assert doc.section(compose.SECTION_TOOK_PART).text == "You told me you like your new school."
    assert doc.greeting == "Dear Mia,"
    again = LetterComposer(store, review_id)
    qtbot.addWidget(again)
    row = _select(again, compose.SECTION_TOOK_PART)
    assert again.editor.text_edit.toPlainText() == "You told me you like your new school."
    assert again.sections.section(row).text == "You told me you like your new school."
    again.renderer.shutdown()


def test_an_empty_section_is_not_saved_and_is_shown(qtbot, composer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    row = _select(composer, compose.SECTION_HEALTH)
    composer.editor.title_edit.setText("")
    composer.editor.title_edit.textEdited.emit("")
    composer.editor.text_edit.setPlainText("")
    composer.section_list.setCurrentIndex(composer.sections.index(0))
    assert not composer.save()
    assert warnings
    assert composer.current_row() == row  # taken to the section that needs words


def test_save_as_pdf_to_the_path_the_iro_chooses(qtbot, composer, tmp_path: Path,
                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "chosen" / "mia-letter"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF files (*.pdf)"))
    _select(composer, compose.SECTION_GOING_WELL)
    composer.editor.text_edit.setPlainText("You are brilliant at drawing dragons.")
    written = composer.save_pdf_as()
    assert written == target.with_suffix(".pdf") and written.exists()
    text = _flat("".join(page.extract_text() for page in PdfReader(written).pages))
    assert "brilliant at drawing dragons" in text


def test_print_renders_every_page(qtbot, composer, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "printed.pdf"

    def pdf_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(letter_composer, "_new_printer", pdf_printer)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    pages = composer.print_letter()
    assert pages == composer.preview.page_count() >= 1
    assert out.exists() and len(PdfReader(out).pages) == pages


def test_print_cancelled_prints_nothing(composer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert composer.print_letter() == 0


def test_mark_as_sent_records_the_date(qtbot, composer, store, review_id) -> None:  # type: ignore[no-untyped-def]
    composer.sent_field.set_date(D(2026, 3, 9))
    qtbot.mouseClick(composer.sent_button, Qt.MouseButton.LeftButton)
    with store.session() as session:
        letter = session.query(Letter).filter_by(review_id=review_id).one()
        assert letter.sent_on == D(2026, 3, 9)
    assert "Sent on 9 March 2026" in composer.status_label.text()
    assert composer.saved_here()


def test_a_sent_date_before_the_review_is_refused(qtbot, composer, store, review_id,
                                                  monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    composer.sent_field.set_date(D(2026, 2, 1))
    assert not composer.mark_sent()
    assert warnings
    with store.session() as session:
        assert session.query(Letter).filter_by(review_id=review_id, sent_on=None).count() <= 1


def test_closing_with_changes_asks_first(qtbot, composer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    composer.editor.text_edit.setPlainText("Something new.")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    composer.reject()
    assert composer.isVisible()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    composer.reject()
    assert not composer.isVisible()


def test_the_static_entry_point(qtbot, store, review_id, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def write_and_close(self) -> int:  # type: ignore[no-untyped-def]
        self.editor.text_edit.setPlainText("Hello from the test.")
        self.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LetterComposer, "exec", write_and_close)
    assert LetterComposer.edit(None, store, review_id) == (True, True)
    monkeypatch.setattr(LetterComposer, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert LetterComposer.edit(None, store, review_id) == (False, False)


def test_fits_a_small_laptop_screen_and_every_control_has_a_name(composer) -> None:  # type: ignore[no-untyped-def]
    hint = composer.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740
    focusable = [w for w in composer.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(composer)
                 and not isinstance(w, QScrollArea)]
    assert focusable
    assert not [type(w).__name__ for w in focusable if not w.accessibleName()]


def test_keyboard_shortcuts_are_unique_and_reach_their_fields(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    keys: dict[str, str] = {}
    for widget in composer.findChildren(QWidget):
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        if "&" in text.replace("&&", "") and widget.isVisibleTo(composer):
            key = text[text.index("&") + 1].lower()
            assert key not in keys, f"{text!r} and {keys[key]!r} share Alt+{key}"
            keys[key] = text
    qtbot.keyClick(composer, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert composer.focusWidget() is composer.editor.text_edit
    qtbot.keyClick(composer, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert composer.focusWidget() is composer.editor.title_edit
    qtbot.keyClick(composer, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert composer.focusWidget() is composer.section_list


def test_the_sections_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = LetterSectionsModel([LetterSection("hello", "Hello", "Hi", "house"),
                                 LetterSection("home", "Your home", "Words", ""),
                                 LetterSection("custom", "", "", "")],
                                jargon_in=lambda text: text.count("Words"))
    qtmodeltester.check(model)
    assert model.move_section(0, 2)
    assert [s.key for s in model.sections()] == ["home", "custom", "hello"]
    qtmodeltester.check(model)


def _heading_fits(view, index) -> bool:  # type: ignore[no-untyped-def]
    """Whether a section's whole heading shows in its row, as the view's delegate draws it."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    view.itemDelegate().initStyleOption(option, index)
    text_rect = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    metrics = option.fontMetrics
    if not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
        return metrics.horizontalAdvance(option.text) <= text_rect.width()
    needed = metrics.boundingRect(text_rect, int(Qt.TextFlag.TextWordWrap), option.text)
    return needed.width() <= text_rect.width() and needed.height() <= text_rect.height()


def test_long_section_headings_show_whole_on_a_1366_screen(qtbot, composer) -> None:  # type: ignore[no-untyped-def]
    composer.resize(1366, 740)
    view = composer.section_list
    titles = [composer.sections.section(r).title for r in range(composer.sections.rowCount())]
    assert "What happens next, and your next meeting" in titles  # the drafted age 9 to 12 one
    composer.sections.update_section(
        1, title="How you took part in your meeting, and what you told me about school and home")
    qtbot.waitUntil(lambda: view.visualRect(composer.sections.index(1)).height()
                    > view.visualRect(composer.sections.index(0)).height())
    clipped = [composer.sections.index(r).data() for r in range(composer.sections.rowCount())
               if not _heading_fits(view, composer.sections.index(r))]
    assert clipped == []
    # The tooltip starts with the whole heading, whatever the list's width.
    tip = composer.sections.index(1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == composer.sections.section(1).title
