"""The letter as a PDF: A4, the Andika font (bundled), a colour pictogram beside each heading, the
IRO's photo near the top, a colour scheme per age band, page numbers when it runs over a page.

    render_letter_pdf(doc, "letter.pdf")          # a path
    render_letter_pdf(doc, buffer)                # or a binary file (io.BytesIO for a preview)

Text stays real, selectable text with the font embedded. Parsed pictures and fonts are cached,
so a letter renders in a few hundred milliseconds (a live preview can re-render on each pause).
Nothing is written anywhere but `out`: pictures are read from memory, never from temporary files.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from iro_desktop.letters.compose import (
    BAND_4_8,
    BAND_9_12,
    BAND_13_PLUS,
    BAND_UNDER_4,
    LetterDocument,
    LetterSection,
    PictureData,
    short_date,
)
from iro_desktop.letters.pictures import (
    OPENMOJI_CREDIT,
    default_picture,
    own_picture_id,
    picture_data,
)
from iro_desktop.paths import resource_path

log = logging.getLogger(__name__)

FONT = "Andika"
FONT_FILES = {
    "Andika": "Andika-Regular.ttf",
    "Andika-Bold": "Andika-Bold.ttf",
    "Andika-Italic": "Andika-Italic.ttf",
    "Andika-BoldItalic": "Andika-BoldItalic.ttf",
}
PAGE_W, PAGE_H = A4
MARGIN = 17 * mm


# --- fonts and pictures (cached for the life of the process) ---------------------------------


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register Andika (regular, bold, italic, bold italic) once; returns the family name."""
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(FONT, normal="Andika", bold="Andika-Bold",
                                  italic="Andika-Italic", boldItalic="Andika-BoldItalic")
    return FONT


@lru_cache(maxsize=256)
def _svg_drawing(digest: str, content: bytes) -> Drawing | None:
    """A parsed SVG (svglib), cached by content hash: parsing is the slow part of a letter."""
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(io.BytesIO(content))
    except Exception:  # a broken own picture must not stop the letter
        log.warning("an SVG picture could not be read (%d bytes)", len(content))
        return None
    if drawing is None or not drawing.width or not drawing.height:
        return None
    # renderPDF starts each drawing in Helvetica (unembedded) unless told otherwise.
    drawing.initialFontName = register_fonts()
    return drawing


@lru_cache(maxsize=64)
def _raster(digest: str, content: bytes) -> ImageReader | None:
    try:
        return ImageReader(io.BytesIO(content))
    except Exception:
        log.warning("a picture could not be read (%d bytes)", len(content))
        return None


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


class Picture(Flowable):
    """A picture drawn in a square box of `size` points, keeping its shape, centred."""

    def __init__(self, data: PictureData, size: float, *, frame_colour: Any = None,
                 padding: float = 0, badge: Any = None) -> None:
        super().__init__()
        self.size = size
        self.padding = padding
        self.frame_colour = frame_colour
        self.badge = badge  # a colour: the picture sits on a round badge
        digest = _digest(data.content)
        self.drawing = _svg_drawing(digest, data.content) if "svg" in data.mime_type else None
        self.image = None if "svg" in data.mime_type else _raster(digest, data.content)
        self.width = self.height = size

    @property
    def ok(self) -> bool:
        return self.drawing is not None or self.image is not None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        inner = self.size - 2 * self.padding
        if self.frame_colour is not None:
            canvas.saveState()
            canvas.setFillColor(colors.white)
            canvas.setStrokeColor(self.frame_colour)
            canvas.setLineWidth(2)
            canvas.roundRect(0, 0, self.size, self.size, 8, stroke=1, fill=1)
            canvas.restoreState()
        if self.badge is not None:
            canvas.saveState()
            canvas.setFillColor(colors.white)
            canvas.setStrokeColor(self.badge)
            canvas.setLineWidth(1.5)
            canvas.circle(self.size / 2, self.size / 2, self.size / 2 - 1, stroke=1, fill=1)
            canvas.restoreState()
        if self.drawing is not None:
            d = self.drawing
            scale = inner / max(d.width, d.height)
            canvas.saveState()
            canvas.translate(self.padding + (inner - d.width * scale) / 2,
                             self.padding + (inner - d.height * scale) / 2)
            canvas.scale(scale, scale)
            renderPDF.draw(d, canvas, 0, 0)
            canvas.restoreState()
        elif self.image is not None:
            iw, ih = self.image.getSize()
            scale = inner / max(iw, ih)
            w, h = iw * scale, ih * scale
            canvas.drawImage(self.image, self.padding + (inner - w) / 2,
                             self.padding + (inner - h) / 2, w, h, mask="auto")


def _picture(doc: LetterDocument, ref: str, fallback: str, size: float,
             **kw: Any) -> Picture | None:
    data: PictureData | None = None
    if ref:
        data = doc.picture_data.get(ref) if own_picture_id(ref) is not None else picture_data(ref)
    if data is None and fallback:
        data = picture_data(fallback)
    if data is None:
        return None
    picture = Picture(data, size, **kw)
    if not picture.ok and fallback and ref != fallback:
        fallback_data = picture_data(fallback)
        picture = Picture(fallback_data, size, **kw) if fallback_data else picture
    return picture if picture.ok else None


# --- the look of each age band -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Theme:
    primary: Any  # headings, the top band
    accent: Any  # bullets, the photo frame
    tint: Any  # section backgrounds
    ink: Any  # body text
    body: float  # body font size (pt)
    leading: float
    heading: float
    greeting: float
    icon: float  # pictogram size beside headings
    gap: float  # space between sections


THEMES: dict[str, Theme] = {
    # A letter to keep: warm coral and cream.
    BAND_UNDER_4: Theme(colors.HexColor("#C8553D"), colors.HexColor("#F28F3B"),
                        colors.HexColor("#FFF3E6"), colors.HexColor("#2B2B2B"),
                        15, 21.5, 19, 28, 50, 9),
    # Sunny orange and teal.
    BAND_4_8: Theme(colors.HexColor("#D9541E"), colors.HexColor("#1B998B"),
                    colors.HexColor("#FFF4D6"), colors.HexColor("#262626"),
                    15, 21.5, 19, 30, 50, 9),
    # Teal and warm yellow.
    BAND_9_12: Theme(colors.HexColor("#11707F"), colors.HexColor("#F2A541"),
                     colors.HexColor("#E7F4F2"), colors.HexColor("#242424"),
                     14, 19.5, 17, 26, 42, 8),
    # Calm indigo: grown-up, still friendly.
    BAND_13_PLUS: Theme(colors.HexColor("#34508C"), colors.HexColor("#E07A5F"),
                        colors.HexColor("#EEF1F8"), colors.HexColor("#222222"),
                        12.5, 17.5, 15, 22, 36, 7),
}


def theme_for(age_band: str) -> Theme:
    return THEMES.get(age_band, THEMES[BAND_9_12])


@dataclass(frozen=True, slots=True)
class _Styles:
    body: ParagraphStyle
    bullet: ParagraphStyle
    heading: ParagraphStyle
    greeting: ParagraphStyle
    subtitle: ParagraphStyle
    small: ParagraphStyle
    sign: ParagraphStyle
    contact: ParagraphStyle
    caption: ParagraphStyle
    small_label: ParagraphStyle


@lru_cache(maxsize=8)
def _styles(age_band: str) -> _Styles:
    font = register_fonts()
    t = theme_for(age_band)
    body = ParagraphStyle("body", fontName=font, fontSize=t.body, leading=t.leading,
                          textColor=t.ink, alignment=TA_LEFT, spaceAfter=t.body * 0.55)
    return _Styles(
        body=body,
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=t.body * 1.2,
                              bulletIndent=t.body * 0.1, bulletFontName="Andika-Bold",
                              bulletFontSize=t.body * 1.2, bulletColor=t.primary,
                              spaceAfter=t.body * 0.35),
        heading=ParagraphStyle("heading", parent=body, fontName="Andika-Bold",
                               fontSize=t.heading, leading=t.heading * 1.2,
                               textColor=t.primary, spaceAfter=t.body * 0.3),
        greeting=ParagraphStyle("greeting", parent=body, fontName="Andika-Bold",
                                fontSize=t.greeting, leading=t.greeting * 1.15,
                                textColor=t.primary, spaceAfter=4),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=t.body * 0.95,
                                leading=t.body * 1.3, textColor=colors.HexColor("#4A4A4A")),
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5,
                             textColor=colors.HexColor("#6B6B6B"), spaceAfter=0),
        sign=ParagraphStyle("sign", parent=body, fontSize=t.body * 1.05,
                            leading=t.leading * 1.05),
        contact=ParagraphStyle("contact", parent=body, fontSize=max(10.5, t.body * 0.82),
                               leading=max(14, t.body * 1.15), spaceAfter=1),
        caption=ParagraphStyle("caption", parent=body, fontSize=max(9.5, t.body * 0.68),
                               leading=max(12, t.body * 0.85), alignment=1,
                               textColor=colors.HexColor("#4A4A4A"), spaceAfter=0),
        small_label=ParagraphStyle("small_label", parent=body, fontSize=max(9.5, t.body * 0.7),
                                   leading=max(12, t.body * 0.9), spaceBefore=8, spaceAfter=0,
                                   textColor=t.primary, fontName="Andika-Bold"),
    )


INTERESTS_LABEL = {BAND_UNDER_4: "Things you enjoy", BAND_4_8: "Things you love",
                   BAND_9_12: "Things you enjoy", BAND_13_PLUS: "Things you're into"}


# --- text ------------------------------------------------------------------------------------


def _markup(text: str) -> str:
    """Plain text made safe for a Paragraph; **bold** becomes <b>bold</b>."""
    safe = escape(text)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", safe)


def _blocks(text: str, styles: _Styles) -> list[Paragraph]:
    """Paragraphs from a section's plain text: blank lines split paragraphs; "- " lines are
    bullet points; other line breaks stay line breaks."""
    out: list[Paragraph] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        plain: list[str] = []
        for line in [*lines, None]:
            is_bullet = line is not None and line.startswith(("- ", "• ", "* "))
            if (line is None or is_bullet) and plain:
                out.append(Paragraph("<br/>".join(_markup(p) for p in plain), styles.body))
                plain = []
            if line is None:
                break
            if is_bullet:
                out.append(Paragraph(_markup(line[2:].strip()), styles.bullet, bulletText="•"))
            else:
                plain.append(line)
    return out


# --- page furniture ----------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Draws "Page 1 of 2" and the small print on every page once the page count is known."""

    def __init__(self, *args: Any, letter_footer: tuple[str, Any, str] = ("", None, ""),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []
        self._footer = letter_footer

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        credit, colour, child = self._footer
        self.saveState()
        self.setFont(FONT, 7.5)
        self.setFillColor(colors.HexColor("#6B6B6B"))
        self.drawString(MARGIN, 9 * mm, credit)
        if total > 1:
            self.setFont(FONT, 10)
            self.setFillColor(colour or colors.black)
            self.drawRightString(PAGE_W - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")
            if self._pageNumber > 1 and child:
                self.setFont(FONT, 9)
                self.setFillColor(colors.HexColor("#6B6B6B"))
                self.drawRightString(PAGE_W - MARGIN, PAGE_H - 10 * mm, child)
        self.restoreState()


def _top_band(canvas: Canvas, doc: BaseDocTemplate) -> None:
    theme: Theme = doc.letter_theme  # type: ignore[attr-defined]
    canvas.saveState()
    canvas.setFillColor(theme.primary)
    canvas.rect(0, PAGE_H - 7 * mm, PAGE_W, 7 * mm, stroke=0, fill=1)
    canvas.setFillColor(theme.accent)
    canvas.rect(0, PAGE_H - 9 * mm, PAGE_W, 2 * mm, stroke=0, fill=1)
    canvas.restoreState()


def _later_band(canvas: Canvas, doc: BaseDocTemplate) -> None:
    theme: Theme = doc.letter_theme  # type: ignore[attr-defined]
    canvas.saveState()
    canvas.setFillColor(theme.primary)
    canvas.rect(0, PAGE_H - 4 * mm, PAGE_W, 4 * mm, stroke=0, fill=1)
    canvas.restoreState()


# --- the letter's parts ------------------------------------------------------------------------


def _header(doc: LetterDocument, styles: _Styles, theme: Theme, width: float) -> list[Flowable]:
    photo_size = 92 if doc.age_band != BAND_13_PLUS else 80
    photo = _picture(doc, doc.iro_photo, "", photo_size, frame_colour=theme.accent,
                     padding=4) if doc.iro_photo else None
    left: list[Flowable] = [Paragraph(_markup(doc.greeting or f"Dear {doc.child_name},"),
                                      styles.greeting)]
    left.append(Paragraph(_markup(f"A letter about your meeting on "
                                  f"{short_date(doc.review_date)}"), styles.subtitle))
    icons = [p for p in (_picture(doc, ref, "", theme.icon * 0.8) for ref in
                         doc.interest_pictures[:4]) if p is not None]
    if icons:
        left.append(Paragraph(_markup(INTERESTS_LABEL.get(doc.age_band, "Things you enjoy")),
                              styles.small_label))
        row = Table([icons], colWidths=[theme.icon * 0.8 + 10] * len(icons),
                    hAlign="LEFT", style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ]))
        left.append(row)
    right: list[Flowable] = []
    if photo is not None:
        right.append(photo)
        first = doc.sign_off.splitlines()[-1].strip() if doc.sign_off else ""
        who = first or doc.iro_name
        if who:
            right.append(Spacer(1, 3))
            right.append(Paragraph(_markup(f"{who}, who wrote this letter"), styles.caption))
    right_w = (photo_size + 26) if right else 0
    table = Table([[left, right]], colWidths=[width - right_w, right_w], style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
    ]))
    return [table, Spacer(1, theme.gap + 4)]


class _Panel(Flowable):
    """One section: a tinted panel with a coloured bar on the left, the picture on a round badge
    beside the heading, then the paragraphs. A panel taller than the space left splits between
    paragraphs or, for a very long paragraph, between its lines, so a section of any length runs
    on over as many pages as it needs; the next part repeats the heading as "... (continued)".
    A short section splits only between paragraphs, and only rather than leave a big gap at the
    foot of a page; with little room left it moves whole to the next page."""

    PAD_TOP = 9.0
    PAD_BOTTOM = 9.0
    PAD_LEFT = 10.0  # before the picture
    PAD_RIGHT = 12.0
    # A section shorter than this splits only between paragraphs; a longer one also between the
    # lines of a paragraph (reportlab keeps at least two lines together at each end).
    KEEP_PARAGRAPHS_BELOW = 200.0
    # Less room than this at the foot of a page: the section moves whole to the next page.
    MIN_GAP = 72.0

    def __init__(self, picture: Flowable | None, title: str, blocks: list[Flowable],
                 styles: _Styles, theme: Theme, *, continued: bool = False) -> None:
        super().__init__()
        self.picture = picture
        self.title = title
        self.blocks = blocks
        self.styles = styles
        self.theme = theme
        self.continued = continued
        self.icon_w = theme.icon + 18
        self._layout: list[tuple[Flowable, float, float]] = []  # flowable, height, gap before
        self.width = self.height = 0.0

    def _heading(self) -> Paragraph | None:
        if not self.title.strip():
            return None
        text = f"{self.title} (continued)" if self.continued else self.title
        return Paragraph(_markup(text), self.styles.heading)

    def _text_width(self, avail_width: float) -> float:
        return avail_width - self.icon_w - self.PAD_RIGHT

    def _content(self) -> list[Flowable]:
        heading = self._heading()
        return ([heading] if heading is not None else []) + list(self.blocks)

    def _measure(self, flowables: list[Flowable], text_w: float
                 ) -> list[tuple[Flowable, float, float]]:
        layout = []
        previous: Flowable | None = None
        for flowable in flowables:
            _w, h = flowable.wrap(text_w, 1e6)
            gap = 0.0 if previous is None else max(previous.getSpaceAfter(),
                                                    flowable.getSpaceBefore())
            layout.append((flowable, h, gap))
            previous = flowable
        return layout

    def _panel_height(self, content_h: float) -> float:
        icon_h = self.picture.size if self.picture is not None else 0.0
        return self.PAD_TOP + max(content_h, icon_h) + self.PAD_BOTTOM

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._layout = self._measure(self._content(), self._text_width(avail_width))
        content_h = sum(h + gap for _f, h, gap in self._layout)
        self.height = self._panel_height(content_h)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height:
            return [self]
        if avail_height < self.MIN_GAP:
            return []  # moves whole to the next page
        long = self.height >= self.KEEP_PARAGRAPHS_BELOW
        text_w = self._text_width(avail_width)
        room = avail_height - self.PAD_TOP - self.PAD_BOTTOM
        heading = 1 if self._heading() is not None else 0
        used = 0.0
        first: list[Flowable] = []
        rest: list[Flowable] = []
        blocks = list(self.blocks)
        for index, (_flowable, h, gap) in enumerate(self._layout):
            if index < heading:
                used += h
                continue
            block = blocks[index - heading]
            if used + gap + h <= room:
                first.append(block)
                used += gap + h
                continue
            # The block does not fit: split it between lines when enough of it fits here.
            space = room - used - gap
            parts = block.split(text_w, space) if long and space > 2 * self.styles.body.leading \
                else []
            if len(parts) >= 2:
                parts[0].wrap(text_w, space)
                first.append(parts[0])
                rest = list(parts[1:]) + blocks[index - heading + 1:]
            else:
                rest = blocks[index - heading:]
            break
        if not first or not rest:
            return []
        head = _Panel(self.picture, self.title, first, self.styles, self.theme,
                      continued=self.continued)
        tail = _Panel(self.picture, self.title, rest, self.styles, self.theme, continued=True)
        return [head, tail]

    def draw(self) -> None:
        canvas = self.canv
        theme = self.theme
        canvas.saveState()
        canvas.setFillColor(theme.tint)
        canvas.roundRect(0, 0, self.width, self.height, 6, stroke=0, fill=1)
        canvas.setFillColor(theme.primary)
        path = canvas.beginPath()
        path.roundRect(0, 0, 4, self.height, 2)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
        if self.picture is not None:
            self.picture.drawOn(canvas, self.PAD_LEFT,
                                self.height - self.PAD_TOP - self.picture.size)
        y = self.height - self.PAD_TOP
        x = self.icon_w
        for flowable, h, gap in self._layout:
            y -= gap + h
            flowable.drawOn(canvas, x, y)


def _section(doc: LetterDocument, section: LetterSection, styles: _Styles, theme: Theme,
             width: float) -> list[Flowable]:
    """A tinted panel with the picture beside the heading, then the paragraphs (`_Panel`: a long
    section runs on over pages, a short one stays whole)."""
    fallback = default_picture(section.key)
    picture = _picture(doc, section.picture, fallback, theme.icon, badge=theme.accent,
                       padding=theme.icon * 0.04)
    return [_Panel(picture, section.title, _blocks(section.text, styles), styles, theme),
            Spacer(1, theme.gap)]


def _sign_off(doc: LetterDocument, styles: _Styles, theme: Theme, width: float) -> list[Flowable]:
    """The sign-off on the left and a card with how to reach me on the right."""
    sign_part: list[Flowable] = []
    sign = doc.sign_off.strip()
    if sign:
        lines = sign.splitlines()
        text = "<br/>".join(_markup(line) for line in lines[:-1])
        last = f"<font name='Andika-Bold' size='{theme.body * 1.3:.1f}' color='{theme.primary}'>" \
               f"{_markup(lines[-1])}</font>"
        sign_part.append(Paragraph((text + "<br/>" if text else "") + last, styles.sign))
    contact: list[str] = []
    if doc.iro_name:
        contact.append(f"<b>{_markup(doc.iro_name)}</b>")
    if doc.iro_role:
        contact.append(_markup(doc.iro_role))
    if doc.iro_council:
        contact.append(_markup(doc.iro_council))
    if doc.iro_phone:
        contact.append(f"Phone: {_markup(doc.iro_phone)}")
    if doc.iro_email:
        contact.append(f"Email: {_markup(doc.iro_email)}")
    card: Any = ""
    card_w = width * 0.52
    if contact:
        card = Table([[Paragraph("<br/>".join(contact), styles.contact)]], colWidths=[card_w],
                     hAlign="RIGHT", cornerRadii=(6, 6, 6, 6), style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
                         ("BOX", (0, 0), (-1, -1), 1.2, theme.accent),
                         ("BACKGROUND", (0, 0), (-1, -1), colors.white),
                         ("LEFTPADDING", (0, 0), (-1, -1), 10),
                         ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                         ("TOPPADDING", (0, 0), (-1, -1), 7),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                     ]))
    if not sign_part and not card:
        return []
    row = Table([[sign_part, card]], colWidths=[width - card_w, card_w], style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [KeepTogether([Spacer(1, 2), row])]


OVER_TO_YOU = {
    BAND_UNDER_4: "A space for a photo or a drawing",
    BAND_4_8: "Over to you! Draw me a picture or write me a message here. Your carer can send "
              "it to me.",
    BAND_9_12: "Over to you: write or draw anything you want me to know. Your carer or social "
               "worker can send it to me, or you can take a photo of it and send it.",
    BAND_13_PLUS: "Anything you want to tell me? Write it here, or just message me.",
}


class _OverToYou(Flowable):
    """A dotted box filling the space left at the end of the last page, inviting the child to
    draw or write back; nothing at all when little space is left (it never adds a page)."""

    MIN_HEIGHT = 110

    def __init__(self, text: str, styles: _Styles, theme: Theme) -> None:
        super().__init__()
        self.text = text
        self.theme = theme
        self.style = ParagraphStyle("over", parent=styles.body, textColor=theme.primary,
                                    fontName="Andika-Bold")
        self.box_h = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.box_h = avail_height - 4 if avail_height >= self.MIN_HEIGHT else 0
        self.box_h = min(self.box_h, 450)
        return avail_width, self.box_h

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # never carried to a new page

    def draw(self) -> None:
        if self.box_h <= 0:
            return
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.theme.accent)
        canvas.setLineWidth(1.5)
        canvas.setDash(4, 4)
        canvas.roundRect(0, 0, self.width, self.box_h - 8, 10, stroke=1, fill=0)
        canvas.restoreState()
        para = Paragraph(_markup(self.text), self.style)
        _w, h = para.wrap(self.width - 28, self.box_h)
        para.drawOn(canvas, 14, self.box_h - 8 - 12 - h)


def _story(doc: LetterDocument, width: float) -> list[Flowable]:
    styles = _styles(doc.age_band)
    theme = theme_for(doc.age_band)
    story: list[Flowable] = _header(doc, styles, theme, width)
    for section in doc.sections:
        story.extend(_section(doc, section, styles, theme, width))
    story.extend(_sign_off(doc, styles, theme, width))
    invitation = OVER_TO_YOU.get(doc.age_band)
    if invitation:
        story += [Spacer(1, theme.gap + 4), _OverToYou(invitation, styles, theme)]
    return story


def render_letter_pdf(doc: LetterDocument, out: str | Path | BinaryIO) -> int:
    """Write the letter as a PDF to a path or a binary file; returns the number of pages.

    Own pictures ("own:3") are taken from `doc.picture_data` (see `pictures.attach_pictures`);
    a missing one is replaced by the section's default pictogram."""
    register_fonts()
    theme = theme_for(doc.age_band)
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 2 * mm,
        bottomMargin=17 * mm, title=f"Letter to {doc.child_name}", author=doc.iro_name or "",
        subject=f"About the meeting on {short_date(doc.review_date)}", creator="IRO Desktop",
        invariant=False,
        # The canvas's first font too: otherwise every page names an unembedded Helvetica.
        initialFontName=FONT, initialFontSize=theme.body,
    )
    template.letter_theme = theme  # type: ignore[attr-defined]
    frame = Frame(MARGIN, template.bottomMargin, PAGE_W - 2 * MARGIN,
                  PAGE_H - template.topMargin - template.bottomMargin, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([
        PageTemplate(id="first", frames=[frame], onPage=_top_band, autoNextPageTemplate="later"),
        PageTemplate(id="later", frames=[frame], onPage=_later_band),
    ])
    story = _story(doc, frame._width)
    footer = (OPENMOJI_CREDIT, theme.primary, f"Letter to {doc.child_name}")

    def canvas_maker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
        return _NumberedCanvas(*args, letter_footer=footer, **kwargs)

    template.build(story, canvasmaker=canvas_maker)
    pages = template.page
    data = buffer.getvalue()
    if isinstance(out, str | Path):
        Path(out).write_bytes(data)
    else:
        out.write(data)
    return pages
