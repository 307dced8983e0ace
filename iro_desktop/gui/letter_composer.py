"""The letter composer: the IRO writes the child's letter after a review, section by section, with
pictures, jargon marked, a readability meter for the child's age and a live preview of the page.

    saved, accepted = LetterComposer.edit(parent, store, review_id)
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.caseload.validation import ValidationError
from iro_desktop.gui.letter_preview import (
    RENDER_FAILED,
    LetterPreview,
    PreviewRenderer,
    letter_pdf,
    print_pdf,
    save_pdf_as,
)
from iro_desktop.gui.letter_section_editor import SectionEditor
from iro_desktop.gui.letter_sections import LetterSectionsModel, SectionListView
from iro_desktop.gui.picture_picker import PictureIcons, PicturePicker
from iro_desktop.gui.widgets import DateField
from iro_desktop.letters import compose, pictures
from iro_desktop.letters.compose import LetterDocument, LetterSection
from iro_desktop.letters.glossary import check, glossary_terms
from iro_desktop.letters.readability import score_letter

log = logging.getLogger(__name__)


# "Re-write the draft for age 4 to 8?"
BAND_WORDS = {compose.BAND_UNDER_4: "under 4s", compose.BAND_4_8: "age 4 to 8",
              compose.BAND_9_12: "age 9 to 12", compose.BAND_13_PLUS: "age 13 and over"}


def long_date(day: dt.date) -> str:
    """9 March 2026 (strftime's %-d is not on Windows)."""
    return f"{day.day} {day:%B %Y}"


def _new_printer() -> QPrinter:
    """The printer the Print dialog starts from (tests swap in a PDF file printer)."""
    return QPrinter(QPrinter.PrinterMode.HighResolution)


class LetterComposer(QDialog):
    """Write, preview, save, print and send the letter for one review."""

    #: The letter was saved to the store (or marked as sent): carries the review id.
    letter_saved = Signal(int)

    def __init__(self, store, review_id: int, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._store = store
        self._review_id = review_id
        with store.session() as session:
            self._doc = compose.load_letter(session, review_id)
            self._saved = compose.has_saved_letter(session, review_id)
            terms = glossary_terms(session)
        self._dirty = False
        self._saved_here = False
        self._icons = PictureIcons(store)
        self.setWindowTitle(f"Letter to {self._doc.child_name}")
        self.setAccessibleName("Letter composer")

        self.sections = LetterSectionsModel(
            self._doc.sections, icon_for=self._icons.icon,
            jargon_in=lambda text: len(check(text, terms)), parent=self)
        self._build(terms)
        self.renderer = PreviewRenderer(self)
        self.renderer.rendered.connect(self._show_pages)
        self.renderer.failed.connect(self.preview.set_failed)
        self.renderer.busy_changed.connect(self.preview.set_busy)
        self._band_index = self.age_band_combo.currentIndex()

        self.sections.dataChanged.connect(self._letter_changed)
        self.sections.rowsMoved.connect(self._letter_changed)
        self.sections.rowsInserted.connect(self._letter_changed)
        self.sections.rowsRemoved.connect(self._letter_changed)
        self.section_list.selectionModel().currentChanged.connect(self._current_changed)
        if self.sections.rowCount():
            self.section_list.setCurrentIndex(self.sections.index(0))
        self._update_meter()
        self._update_status()
        self.renderer.request(self._pdf_maker(), now=True)
        screen = self.screen().availableGeometry() if self.screen() else None
        self.resize(min(1360, screen.width()) if screen else 1360,
                    min(740, screen.height()) if screen else 740)

    # -- the static entry point --------------------------------------------------------------
    @staticmethod
    def edit(parent: QWidget | None, store, review_id: int) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
        """Open the letter for a review. Returns (saved: the letter was saved or marked as sent
        at least once, accepted: the IRO closed it with Close rather than cancelling)."""
        dialog = LetterComposer(store, review_id, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return dialog.saved_here(), accepted
        finally:
            dialog.renderer.shutdown()
            dialog.deleteLater()

    # -- building ----------------------------------------------------------------------------
    def _build(self, terms) -> None:  # type: ignore[no-untyped-def]
        heading = QLabel(f"<b>Letter to {html.escape(self._doc.child_name)}</b> · review on "
                         f"{long_date(self._doc.review_date)}")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.age_band_combo = QComboBox()
        for band in compose.AGE_BANDS:
            self.age_band_combo.addItem(compose.AGE_BAND_LABELS[band], band)
        band_row = self.age_band_combo.findData(self._doc.age_band)
        self.age_band_combo.setCurrentIndex(max(band_row, 0))
        self.age_band_combo.setAccessibleName("Written for")
        self.age_band_combo.setToolTip("The child's age band sets the readability target, the "
                                       "default headings and the letter's colours.")
        band_label = QLabel("Written &for:")
        band_label.setBuddy(self.age_band_combo)
        self.status_label = QLabel()
        self.status_label.setAccessibleName("Letter status")
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.status_label)
        top.addSpacing(16)
        top.addWidget(band_label)
        top.addWidget(self.age_band_combo)

        # Left: the sections, in order.
        self.section_list = SectionListView()
        self.section_list.setModel(self.sections)
        self.section_list.setIconSize(QSize(32, 32))
        self.section_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.section_list.setSpacing(1)
        self.section_list.setAccessibleName("Sections of the letter")
        self.section_list.section_dropped.connect(self._dropped)
        list_label = QLabel("S&ections")
        list_label.setBuddy(self.section_list)
        self.up_button = self._button("Move &up", "Alt+Up", self.move_up)
        self.down_button = self._button("Mo&ve down", "Alt+Down", self.move_down)
        self.add_button = QToolButton()
        self.add_button.setText("&Add section")
        self.add_button.setAccessibleName("Add section")
        self.add_button.setToolTip("Add a section (Ctrl+Shift+N)")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_menu = QMenu(self.add_button)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.add_button.setMenu(self.add_menu)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, activated=self.add_button.showMenu)
        self.remove_button = self._button("&Remove", "", self.remove_section)
        self.remove_button.setToolTip("Remove this section (Delete in the list)")
        QShortcut(QKeySequence.StandardKey.Delete, self.section_list,
                  activated=self.remove_section, context=Qt.ShortcutContext.WidgetShortcut)
        self.greeting_edit = QLineEdit(self._doc.greeting)
        self.greeting_edit.setAccessibleName("Greeting")
        self.sign_off_edit = QLineEdit(self._doc.sign_off)
        self.sign_off_edit.setAccessibleName("Sign-off")
        for edit in (self.greeting_edit, self.sign_off_edit):
            edit.textEdited.connect(self._letter_changed)
        ends = QFormLayout()
        ends.addRow(self._label("&Greeting:", self.greeting_edit), self.greeting_edit)
        ends.addRow(self._label("Sig&n-off:", self.sign_off_edit), self.sign_off_edit)
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        edits = QHBoxLayout()
        edits.addWidget(self.add_button)
        edits.addWidget(self.remove_button)
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 4, 0)
        left_column.addWidget(list_label)
        left_column.addWidget(self.section_list, 1)
        left_column.addLayout(moves)
        left_column.addLayout(edits)
        left_column.addLayout(ends)

        # Middle: the current section, and how easy the whole letter is to read.
        self.editor = SectionEditor(terms, self._icons)
        self.editor.changed.connect(self._section_edited)
        self.editor.picture_requested.connect(self.change_picture)

        # Right: the page as the child will see it.
        self.preview = LetterPreview()
        self.preview.setAccessibleName("Preview of the letter")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.preview)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([240, 480, 620])
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)

        # Bottom: save, PDF, print, sent.
        self.save_button = self._button("&Save", "Ctrl+S", self.save)
        self.pdf_button = self._button("Save P&DF as…", "Ctrl+Shift+S", self.save_pdf_as)
        self.print_button = self._button("Pr&int…", "Ctrl+P", self.print_letter)
        self.sent_field = DateField(accessible_name="Sent on")
        self.sent_field.set_date(self._doc.sent_on or dt.date.today())
        self.sent_field.setMaximumWidth(150)
        self.sent_button = self._button("&Mark as sent", "", self.mark_sent)
        self.close_button = self._button("&Close", "", self.accept)
        bottom = QHBoxLayout()
        for widget in (self.save_button, self.pdf_button, self.print_button):
            bottom.addWidget(widget)
        bottom.addSpacing(24)
        bottom.addWidget(self._label("Sent &on:", self.sent_field))
        bottom.addWidget(self.sent_field)
        bottom.addWidget(self.sent_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.age_band_combo.currentIndexChanged.connect(self._band_changed)
        self.save_button.setDefault(False)
        self.close_button.setAutoDefault(False)

    def _button(self, text: str, keys: str, slot) -> QPushButton:  # type: ignore[no-untyped-def]
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        if keys:
            button.setToolTip(f"{text.replace('&', '')} ({keys})")
            QShortcut(QKeySequence(keys), self, activated=slot)
        return button

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # -- the letter as it stands -------------------------------------------------------------
    def review_id(self) -> int:
        return self._review_id

    def saved_here(self) -> bool:
        return self._saved_here

    def is_dirty(self) -> bool:
        return self._dirty

    def age_band(self) -> str:
        return str(self.age_band_combo.currentData())

    def current_document(self) -> LetterDocument:
        """The letter with every edit so far (a copy: safe to hand to the preview thread)."""
        doc = self._doc.copy()
        doc.sections = self.sections.sections()
        doc.age_band = self.age_band()
        doc.greeting = self.greeting_edit.text()
        doc.sign_off = self.sign_off_edit.text()
        return doc

    def current_row(self) -> int:
        index = self.section_list.currentIndex()
        return index.row() if index.isValid() else -1

    # -- sections ---------------------------------------------------------------------------
    def move_up(self) -> None:
        row = self.current_row()
        if row > 0 and self.sections.move_section(row, row - 1):
            self.section_list.setCurrentIndex(self.sections.index(row - 1))

    def move_down(self) -> None:
        row = self.current_row()
        if 0 <= row < self.sections.rowCount() - 1 and self.sections.move_section(row, row + 1):
            self.section_list.setCurrentIndex(self.sections.index(row + 1))

    def _dropped(self, row: int, before: int) -> None:
        to_row = before - 1 if before > row else before
        if self.sections.move_section(row, to_row):
            self.section_list.setCurrentIndex(self.sections.index(to_row))

    def add_section(self, key: str) -> int:
        """Add a section of this kind (SECTION_KEYS or SECTION_CUSTOM) after the current one."""
        try:
            picture = pictures.default_picture(key)
        except (KeyError, LookupError):
            picture = ""
        section = LetterSection(key, compose.default_title(key, self.age_band()), "", picture)
        row = self.current_row() + 1 if self.current_row() >= 0 else self.sections.rowCount()
        self.sections.insert_section(row, section)
        self.section_list.setCurrentIndex(self.sections.index(row))
        self.editor.focus_first(custom=key == compose.SECTION_CUSTOM)
        return row

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        present = {self.sections.section(r).key for r in range(self.sections.rowCount())}
        for key in compose.SECTION_KEYS:
            if key not in present:
                action = self.add_menu.addAction(compose.default_title(key, self.age_band()))
                action.triggered.connect(lambda _checked=False, k=key: self.add_section(k))
        self.add_menu.addSeparator()
        own = self.add_menu.addAction("A section of your own")
        own.triggered.connect(lambda _checked=False: self.add_section(compose.SECTION_CUSTOM))

    def remove_section(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        section = self.sections.section(row)
        if section.text.strip():
            answer = QMessageBox.question(
                self, "Remove this section?",
                f"Remove “{section.title}” and its words from the letter?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.sections.remove_section(row)
        if self.sections.rowCount():
            self.section_list.setCurrentIndex(
                self.sections.index(min(row, self.sections.rowCount() - 1)))
        else:
            self.editor.set_section(None, self.age_band())

    def change_picture(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        ref, accepted = PicturePicker.choose(self, self._store, self.sections.section(row).picture)
        if not accepted:
            return
        if ref.startswith(pictures.OWN_PREFIX):
            # Own pictures' bytes travel in the document, so the preview needs no database.
            self._icons.forget(ref)
            doc = self.current_document()
            doc.sections[row].picture = ref
            with self._store.session() as session:
                pictures.attach_pictures(session, doc)
            self._doc.picture_data = dict(doc.picture_data)
        self.sections.update_section(row, picture=ref)
        self.editor.set_picture(ref)

    # -- reacting to edits ------------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        section = self.sections.section(current.row()) if current.isValid() else None
        self.editor.set_section(section, self.age_band())
        if section is not None:
            self.preview.show_words(section.title)  # the page the section is on
        row = current.row() if current.isValid() else -1
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.sections.rowCount() - 1)
        self.remove_button.setEnabled(row >= 0)

    def _section_edited(self, field: str, value: str) -> None:
        row = self.current_row()
        if row >= 0:
            self.sections.update_section(row, **{field: value})

    def _band_changed(self, index: int) -> None:
        old_band = str(self.age_band_combo.itemData(self._band_index))
        self._band_index = index
        new_band = self.age_band()
        # Headings still as drafted follow the new band's template; the IRO's own stay.
        for row in range(self.sections.rowCount()):
            section = self.sections.section(row)
            if section.title == compose.default_title(section.key, old_band):
                self.sections.update_section(row, title=compose.default_title(section.key,
                                                                              new_band))
        self.offer_redraft(old_band, new_band)
        self._current_changed(self.section_list.currentIndex(), QModelIndex())
        self._letter_changed()

    def offer_redraft(self, old_band: str, new_band: str) -> int:
        """Offer to re-write the words still as drafted for `old_band` in the words of the draft
        for `new_band`; returns how many sections were re-written. Sections the IRO changed (and
        their own sections) are never touched: the question says how many stay as written."""
        try:
            with self._store.session() as session:
                old = compose.draft_letter(session, self._review_id, age_band=old_band)
                new = compose.draft_letter(session, self._review_id, age_band=new_band)
        except (LookupError, ValidationError):
            return 0
        drafted = {s.key: s.text for s in reversed(old.sections)}  # the first of a key wins
        redrafted = {s.key: s.text for s in reversed(new.sections)}
        rows, kept = [], 0
        for row in range(self.sections.rowCount()):
            section = self.sections.section(row)
            if section.key not in drafted or section.key not in redrafted:
                kept += section.key == compose.SECTION_CUSTOM
                continue
            if section.text != drafted[section.key]:
                kept += 1  # the IRO's own words
            elif section.text != redrafted[section.key]:
                rows.append(row)
        sign_off = (self.sign_off_edit.text() == old.sign_off
                    and self.sign_off_edit.text() != new.sign_off)
        if not rows and not sign_off:
            return 0
        who = BAND_WORDS.get(new_band, new_band)
        count = len(rows)
        if count == 1:
            message = f"1 section still reads as drafted. Re-write it in words for {who}?"
        elif count:
            message = f"{count} sections still read as drafted. Re-write them in words for {who}?"
        else:
            message = f"Re-write the sign-off for {who}?"
        if kept == 1:
            message += "\n\nThe section you wrote or changed stays as you wrote it."
        elif kept:
            message += f"\n\nThe {kept} sections you wrote or changed stay as you wrote them."
        answer = QMessageBox.question(
            self, f"Re-write the draft for {who}?", message,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return 0
        for row in rows:
            self.sections.update_section(row, text=redrafted[self.sections.section(row).key])
        if sign_off:
            self.sign_off_edit.setText(new.sign_off)
        return count

    def _letter_changed(self, *_args) -> None:  # type: ignore[no-untyped-def]
        self._dirty = True
        self._update_status()
        self._update_meter()
        self.renderer.request(self._pdf_maker())
        current = self.section_list.currentIndex()
        up_down = current.row() if current.isValid() else -1
        self.up_button.setEnabled(up_down > 0)
        self.down_button.setEnabled(0 <= up_down < self.sections.rowCount() - 1)

    def _show_pages(self, pages) -> None:  # type: ignore[no-untyped-def]
        self.preview.set_pages(pages)
        row = self.current_row()
        if row >= 0:  # keep the section being written in view
            self.preview.show_words(self.sections.section(row).title)

    def _pdf_maker(self):  # type: ignore[no-untyped-def]
        doc = self.current_document()
        return lambda: letter_pdf(doc)

    def _update_meter(self) -> None:
        self.editor.show_letter_score(score_letter(self.current_document()))

    def _update_status(self) -> None:
        sent = self._doc.sent_on
        text = f"Sent on {long_date(sent)}" if sent else "Not sent yet"
        if self._dirty:
            text += " · changes not saved"
        elif self._saved:
            text += " · saved"
        else:
            text += " · a draft, not saved yet"
        self.status_label.setText(text)
        self.sent_button.setToolTip("Change the date the letter was sent" if self._doc.sent_on
                                    else "Record the date the letter went to the child")

    # -- saving, PDF, printing, sending -----------------------------------------------------
    def save(self) -> bool:
        """Save the letter to the encrypted store; False (with the reason shown) if it cannot be."""
        doc = self.current_document()
        try:
            with self._store.transaction() as session:
                compose.save_letter(session, self._review_id, doc)
        except ValidationError as error:
            self._show_problems("The letter was not saved", error)
            return False
        self._after_save()
        return True

    def mark_sent(self) -> bool:
        """Save the letter and record the date it went to the child (one action)."""
        on = self.sent_field.date()
        if on is None:
            QMessageBox.warning(self, "Not marked as sent", self.sent_field.problem()
                                or "Type the date the letter was sent.")
            return False
        try:
            with self._store.transaction() as session:
                compose.save_letter(session, self._review_id, self.current_document())
                compose.mark_letter_sent(session, self._review_id, on)
        except ValidationError as error:
            self._show_problems("Not marked as sent", error)
            return False
        self._doc.sent_on = on
        self._after_save()
        return True

    def _after_save(self) -> None:
        self._saved = True
        self._saved_here = True
        self._dirty = False
        self._update_status()
        log.info("letter saved (review %d)", self._review_id)
        self.letter_saved.emit(self._review_id)

    def _show_problems(self, title: str, error: ValidationError) -> None:
        for key in error.errors:
            if key.startswith("sections[") and "]" in key:
                row = int(key[len("sections["):key.index("]")])
                if 0 <= row < self.sections.rowCount():
                    self.section_list.setCurrentIndex(self.sections.index(row))
                break
        QMessageBox.warning(self, title, str(error))

    def save_pdf_as(self) -> Path | None:
        """Ask where to save the PDF (the IRO chooses; nothing goes to a temporary file)."""
        return save_pdf_as(self, self.current_document())

    def print_letter(self) -> int:
        """Print the letter; returns the number of pages printed (0 when cancelled)."""
        printer = _new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the letter")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return print_pdf(letter_pdf(self.current_document()), printer)
        except OSError as error:
            QMessageBox.warning(self, "The letter was not printed", str(error))
            return 0
        except Exception as error:  # a letter that cannot be laid out: say so, lose nothing
            log.exception("letter not printed (%s)", type(error).__name__)
            QMessageBox.warning(self, "The letter was not printed",
                                RENDER_FAILED.format(error=type(error).__name__))
            return 0
        finally:
            QApplication.restoreOverrideCursor()

    # -- closing ----------------------------------------------------------------------------
    def done(self, result: int) -> None:
        if self._dirty:
            answer = QMessageBox.question(
                self, "Save the letter?", "Save your changes to the letter before closing?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        self.renderer.shutdown()
        super().done(result)

