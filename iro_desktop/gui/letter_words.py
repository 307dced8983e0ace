"""Words a child understands, as the IRO types: care jargon marked in the text (the letters core's
glossary check), the child-friendly words on hover, and a one-click replacement."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from iro_desktop.letters.glossary import GlossaryTerm, JargonHit, check, simplify

JARGON_BACKGROUND = QColor("#ffe9a8")
JARGON_UNDERLINE = QColor("#b35c00")


def replacement_for(hit: JargonHit) -> str:
    """The child-friendly words for one hit, as a button or a hint offers them."""
    return hit.suggestion


def hint_for(hit: JargonHit) -> str:
    note = f"\n{hit.note}" if hit.note else ""
    return f"“{hit.matched}” is care jargon: try “{hit.suggestion}”.{note}"


def contextual_replacement(text: str, hit: JargonHit) -> tuple[int, int, str]:
    """How to replace one hit in `text` (positions in `text`): (start, end, new words).

    The core's `simplify` reads the words around a term ("the LAC review" becomes "your
    meeting", a capital stays at the start of a sentence), so it is given the text up to the
    hit, from just after any earlier use of the same term, and only what it changed is replaced.
    """
    term = GlossaryTerm(hit.term, hit.suggestion, hit.note)
    head_start = max((h.end for h in check(text, [term]) if h.end <= hit.start), default=0)
    head = text[head_start:hit.end]
    new_head = simplify(head, [term])
    same = 0
    while same < min(len(head), len(new_head)) and head[same] == new_head[same]:
        same += 1
    same = min(same, hit.start - head_start)  # never keep part of the jargon itself
    return head_start + same, hit.end, new_head[same:]


class JargonHighlighter(QSyntaxHighlighter):
    """Marks every glossary term in the document, block by block (a block is a paragraph line)."""

    def __init__(self, document: QTextDocument, terms: list[GlossaryTerm]) -> None:
        super().__init__(document)
        self._terms = terms
        self._format = QTextCharFormat()
        self._format.setBackground(JARGON_BACKGROUND)
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._format.setUnderlineColor(JARGON_UNDERLINE)

    def set_terms(self, terms: list[GlossaryTerm]) -> None:
        self._terms = terms
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for hit in check(text, self._terms):
            self.setFormat(hit.start, hit.end - hit.start, self._format)


class SectionTextEdit(QPlainTextEdit):
    """The words of one section, with jargon marked; hover a marked word for the child-friendly
    words, right-click it (or press the button under the text) to use them."""

    jargon_replaced = Signal(str, str)  # what was written, what replaced it

    def __init__(self, terms: list[GlossaryTerm], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._terms = terms
        self.highlighter = JargonHighlighter(self.document(), terms)
        self.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the app
        self.setMouseTracking(True)

    def set_terms(self, terms: list[GlossaryTerm]) -> None:
        self._terms = terms
        self.highlighter.set_terms(terms)

    def hits(self) -> list[JargonHit]:
        """Every jargon term in the whole text (positions in the whole text)."""
        return check(self.toPlainText(), self._terms)

    def hit_at(self, position: int) -> JargonHit | None:
        """The hit covering this character position of the document, if any."""
        block = self.document().findBlock(position)
        if not block.isValid():
            return None
        offset = position - block.position()
        for hit in check(block.text(), self._terms):
            if hit.start <= offset < hit.end:
                start = block.position() + hit.start
                return JargonHit(start, start + hit.end - hit.start, hit.matched, hit.term,
                                 hit.suggestion, hit.note)
        return None

    def replace_hit(self, hit: JargonHit) -> None:
        """Replace one hit with its child-friendly words, reading the words around it (one undo
        step)."""
        block = self.document().findBlock(hit.start)
        text = block.text()
        local = JargonHit(hit.start - block.position(), hit.end - block.position(), hit.matched,
                          hit.term, hit.suggestion, hit.note)
        if text[local.start:local.end] != hit.matched:
            return  # the text moved on since the hit was found
        start, end, words = contextual_replacement(text, local)
        cursor = QTextCursor(self.document())
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(words)
        self.jargon_replaced.emit(hit.matched, words)

    def replace_first(self, term: str) -> bool:
        """Replace the first place this term is used; False when it is not there."""
        hit = next((h for h in self.hits() if h.term == term), None)
        if hit is None:
            return False
        self.replace_hit(hit)
        return True

    def _hit_at_point(self, point: QPoint) -> JargonHit | None:
        cursor = self.cursorForPosition(point)
        hit = self.hit_at(cursor.position())
        if hit is None and cursor.position() > 0:
            hit = self.hit_at(cursor.position() - 1)  # the right half of the last letter
        return hit

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            hit = self._hit_at_point(event.pos())  # type: ignore[attr-defined]
            if hit is not None:
                QToolTip.showText(event.globalPos(), hint_for(hit), self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        hit = self._hit_at_point(event.pos())
        if hit is None and event.reason() == QContextMenuEvent.Reason.Keyboard:
            hit = self.hit_at(self.textCursor().position())
        if hit is not None:
            first = menu.actions()[0] if menu.actions() else None
            action = menu.addAction(f"Use “{replacement_for(hit)}”")
            action.triggered.connect(lambda _checked=False, h=hit: self.replace_hit(h))
            if first is not None:
                menu.insertAction(first, action)
                menu.insertSeparator(first)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Ctrl+. uses the child-friendly words for the jargon under the text cursor.
        if (event.key() == Qt.Key.Key_Period
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            position = self.textCursor().position()
            hit = self.hit_at(position) or (self.hit_at(position - 1) if position else None)
            if hit is not None:
                self.replace_hit(hit)
                return
        super().keyPressEvent(event)
