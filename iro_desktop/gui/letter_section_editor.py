"""The composer's middle column: one section's heading, picture and words, the jargon in them with
one-click child-friendly replacements, and how easy the section and the whole letter are to read."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iro_desktop.gui.letter_words import SectionTextEdit, replacement_for
from iro_desktop.gui.picture_picker import PictureIcons
from iro_desktop.letters import compose
from iro_desktop.letters.compose import LetterSection
from iro_desktop.letters.glossary import GlossaryTerm
from iro_desktop.letters.readability import ReadabilityScore, score

MAX_REPLACE_BUTTONS = 3
_GOOD = "#1d6b2f"
_NOT_YET = "#8a4b00"


class SectionEditor(QWidget):
    """Edits one section at a time. The composer owns the letter; this widget only reports."""

    #: The IRO changed the current section: field ("title" or "text") and its new value.
    changed = Signal(str, str)
    #: The IRO asked to choose another picture for the current section.
    picture_requested = Signal()

    def __init__(self, terms: list[GlossaryTerm], icons: PictureIcons,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icons = icons
        self._band = compose.BAND_9_12
        self._loading = False

        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Heading")
        self.picture_button = QToolButton()
        self.picture_button.setText("&Picture…")
        self.picture_button.setAccessibleName("Change picture")
        self.picture_button.setToolTip("Choose the picture beside this section")
        self.picture_button.setIconSize(QSize(48, 48))
        self.picture_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.picture_button.clicked.connect(self.picture_requested)
        self.text_edit = SectionTextEdit(terms)
        self.text_edit.setAccessibleName("Words of this section")
        self.text_edit.setAccessibleDescription(
            "Marked words are care jargon: hover for child-friendly words, press Ctrl+full stop "
            "or right-click to use them.")
        self.text_edit.setPlaceholderText("Write to the child as “you”, from you as “I”.")
        font = self.text_edit.font()
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.text_edit.setFont(font)

        heading_row = QHBoxLayout()
        heading_row.addWidget(self.title_edit, 1)
        heading_row.addWidget(self.picture_button)
        form = QFormLayout()
        heading_label = QLabel("&Heading:")
        heading_label.setBuddy(self.title_edit)
        form.addRow(heading_label, heading_row)
        words_label = QLabel("&Words:")
        words_label.setBuddy(self.text_edit)

        self.jargon_label = QLabel()
        self.jargon_label.setAccessibleName("Words to change")
        self.jargon_label.setWordWrap(True)
        self._replace_row = QHBoxLayout()
        self._replace_row.setContentsMargins(0, 0, 0, 0)
        self.replace_buttons: list[QPushButton] = []
        self._jargon_box = QWidget()
        jargon_column = QVBoxLayout(self._jargon_box)
        jargon_column.setContentsMargins(0, 0, 0, 0)
        jargon_column.addWidget(self.jargon_label)
        jargon_column.addLayout(self._replace_row)

        self.section_score_label = QLabel()
        self.section_score_label.setAccessibleName("How easy this section is to read")
        self.section_score_label.setWordWrap(True)
        self.letter_score_label = QLabel()
        self.letter_score_label.setAccessibleName("How easy the letter is to read")
        self.letter_score_label.setWordWrap(True)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setAccessibleName("Reading ease of the whole letter")
        self.meter.setTextVisible(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addLayout(form)
        layout.addWidget(words_label)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self._jargon_box)
        layout.addWidget(self.section_score_label)
        layout.addWidget(self.letter_score_label)
        layout.addWidget(self.meter)

        self.title_edit.textEdited.connect(lambda text: self._edited("title", text))
        self.text_edit.textChanged.connect(self._text_changed)
        self.set_section(None, self._band)

    # -- what the composer calls -------------------------------------------------------------
    def set_section(self, section: LetterSection | None, age_band: str) -> None:
        self._band = age_band
        self._loading = True
        try:
            enabled = section is not None
            for widget in (self.title_edit, self.picture_button, self.text_edit):
                widget.setEnabled(enabled)
            self.title_edit.setText(section.title if section else "")
            if section is None or self.text_edit.toPlainText() != section.text:
                self.text_edit.setPlainText(section.text if section else "")
            self.set_picture(section.picture if section else "")
        finally:
            self._loading = False
        self._update_jargon()
        self._update_section_score()

    def set_picture(self, ref: str) -> None:
        self.picture_button.setIcon(self._icons.icon(ref, 48))
        self.picture_button.setText("&Picture…" if ref else "Add a &picture…")

    def focus_first(self, custom: bool) -> None:
        (self.title_edit if custom else self.text_edit).setFocus()
        if custom:
            self.title_edit.selectAll()

    def show_letter_score(self, result: ReadabilityScore) -> None:
        band = compose.AGE_BAND_LABELS.get(self._band, self._band).lower()
        answer = "yes" if result.meets_target else "not yet"
        colour = _GOOD if result.meets_target else _NOT_YET
        mark = "✔" if result.meets_target else "✎"
        advice = "" if result.meets_target else f"<br><small>{result.label}</small>"
        self.letter_score_label.setText(
            f"<span style='color:{colour}'><b>{mark} Easy to read for {band}: {answer}</b></span>"
            f"{advice}")
        self.letter_score_label.setToolTip(
            f"Reading ease {result.reading_ease:.0f} (aim for {result.target.min_reading_ease:.0f}"
            f" or more), grade {result.grade:.1f} (aim for {result.target.max_grade:.0f} or "
            f"less), {result.words} words in {result.sentences} sentences.")
        self.meter.setValue(max(0, min(100, round(result.reading_ease))))
        self.meter.setFormat(f"Reading ease %v (aim for {result.target.min_reading_ease:.0f}+)")

    # -- internals --------------------------------------------------------------------------
    def _edited(self, field: str, value: str) -> None:
        if not self._loading:
            self.changed.emit(field, value)

    def _text_changed(self) -> None:
        if self._loading:
            return
        self._edited("text", self.text_edit.toPlainText())
        self._update_jargon()
        self._update_section_score()

    def _update_jargon(self) -> None:
        hits = self.text_edit.hits() if self.text_edit.isEnabled() else []
        while (item := self._replace_row.takeAt(0)) is not None:
            if item.widget() is not None:
                item.widget().deleteLater()
        self.replace_buttons = []
        if not hits:
            self.jargon_label.setText("No care jargon in this section.")
            return
        terms: dict[str, str] = {}
        for hit in hits:
            terms.setdefault(hit.term, replacement_for(hit))
        self.jargon_label.setText(
            f"Words to change ({len(hits)}): hover a marked word, or use these:")
        for term, words in list(terms.items())[:MAX_REPLACE_BUTTONS]:
            button = QPushButton(f"{term} → use “{words}”")
            button.setAutoDefault(False)
            button.setAccessibleName(f"Use “{words}” instead of “{term}”")
            button.clicked.connect(lambda _checked=False, t=term: self.text_edit.replace_first(t))
            self._replace_row.addWidget(button)
            self.replace_buttons.append(button)
        self._replace_row.addStretch(1)

    def _update_section_score(self) -> None:
        text = self.text_edit.toPlainText()
        if not text.strip():
            self.section_score_label.setText("")
            return
        result = score(text, self._band)
        long_ones = len(result.long_sentences)
        note = (f" · {long_ones} long sentence{'s' if long_ones != 1 else ''} (over "
                f"{result.target.max_sentence_words} words)" if long_ones else "")
        self.section_score_label.setText(
            f"This section: reading ease {result.reading_ease:.0f}{note}")
