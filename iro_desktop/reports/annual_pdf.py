"""The annual report as a PDF for the Corporate Parenting Panel (reportlab, A4).

A title page; the key figures as big numbers; then one section per subject, each with a chart
where one helps and the table from `annual_xlsx.report_tables` (the same figures as the
spreadsheet). Every page after the title carries the period, "contains no personal data" and
"Page n of N". Fonts are embedded TrueType (Bitstream Vera, shipped with reportlab), so the text
is selectable and the file prints the same anywhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
from reportlab.platypus.frames import Frame
from reportlab.platypus.tableofcontents import TableOfContents

from iro_desktop.reports import charts
from iro_desktop.reports.annual_xlsx import (
    INT,
    NO_CODE,
    THEMES_NOTE,
    ReportTable,
    date_label,
    format_value,
    key_figures,
    period_label,
    report_tables,
    service_name,
)

FONT, BOLD, ITALIC = "IroReport", "IroReport-Bold", "IroReport-Italic"
NAVY = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#3B6EA5")
PALE = colors.HexColor("#EEF3F9")
RULE = colors.HexColor("#B8C7DA")
GREY = colors.HexColor("#555555")
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
WIDTH = PAGE_W - 2 * MARGIN
fmt = format_value


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    # Vera ships inside reportlab (reportlab/fonts), found on its own TTF search path.
    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFont(TTFont(ITALIC, "VeraIt.ttf"))
    pdfmetrics.registerFont(TTFont(FONT + "-BoldItalic", "VeraBI.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC,
                                  boldItalic=FONT + "-BoldItalic")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=colors.black)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=GREY),
        "note": ParagraphStyle("note", parent=base, fontName=ITALIC, fontSize=8, leading=10.5,
                               textColor=GREY, spaceBefore=3, spaceAfter=2),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=17, leading=21,
                             textColor=NAVY, spaceBefore=4, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11.5, leading=15,
                             textColor=NAVY, spaceBefore=10, spaceAfter=5),
        "th": ParagraphStyle("th", parent=base, fontName=BOLD, fontSize=8, leading=10),
        "th_r": ParagraphStyle("th_r", parent=base, fontName=BOLD, fontSize=8, leading=10,
                               alignment=TA_RIGHT),
        "td": ParagraphStyle("td", parent=base, fontSize=8.5, leading=10.5),
        "big": ParagraphStyle("big", parent=base, fontName=BOLD, fontSize=26, leading=30,
                              textColor=NAVY, alignment=TA_LEFT),
        "big_label": ParagraphStyle("big_label", parent=base, fontName=BOLD, fontSize=9,
                                    leading=11.5),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=30, leading=36,
                                textColor=NAVY),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=15, leading=20,
                                   textColor=ACCENT),
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _NumberedCanvas(Canvas):
    """Draws the footer once the page count is known ("Page 3 of 9")."""

    footer_text = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("initialFontName"):  # never an unembedded Helvetica
            kwargs["initialFontName"] = FONT
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 13 * mm, PAGE_W - MARGIN, 13 * mm)
        self.setFont(FONT, 7.5)
        self.setFillColor(GREY)
        self.drawString(MARGIN, 9 * mm, self.footer_text)
        self.drawRightString(PAGE_W - MARGIN, 9 * mm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


class _Figure(Flowable):
    """One key figure: a big number over its label and what it is out of, in a tinted box."""

    def __init__(self, value: str, label: str, of: str, width: float,
                 styles: dict[str, ParagraphStyle]) -> None:
        super().__init__()
        self.parts = [Paragraph(_esc(value), styles["big"]),
                      Paragraph(_esc(label), styles["big_label"]),
                      Paragraph(_esc(of), styles["small"])]
        self.width = width
        self.height = 0.0
        self.min_height = 0.0

    def natural_height(self) -> float:
        inner = self.width - 16
        self.heights = [p.wrap(inner, 1000)[1] for p in self.parts]
        return sum(self.heights) + 22

    def wrap(self, _aw: float, _ah: float) -> tuple[float, float]:
        self.height = max(self.natural_height(), self.min_height)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(PALE)
        c.setStrokeColor(PALE)
        c.roundRect(0, 0, self.width, self.height, 4, fill=1, stroke=0)
        c.setFillColor(ACCENT)
        c.rect(0, 0, 3, self.height, fill=1, stroke=0)
        y = self.height - 8
        for part, h in zip(self.parts, self.heights, strict=True):
            y -= h
            part.drawOn(c, 10, y)
            y -= 2


def _table(table: ReportTable, styles: dict[str, ParagraphStyle],
           widths: list[float] | None = None, *, width: float = WIDTH) -> Table:
    """The report table, plain headings, numbers right-aligned, the total row bold."""
    header = [Paragraph(_esc(c.heading), styles["th"] if c.kind == "text" else styles["th_r"])
              for c in table.columns]
    body = [[Paragraph(_esc(fmt(v, c.kind)), styles["td"]) if c.kind == "text" else
             fmt(v, c.kind) for c, v in zip(table.columns, row, strict=True)]
            for row in table.rows]
    data = [header, *body]
    if table.total is not None:
        data.append([fmt(v, c.kind) for c, v in zip(table.columns, table.total, strict=True)])
    if widths is None:
        text_cols = [i for i, c in enumerate(table.columns) if c.kind == "text"]
        number_w = 22 * mm
        rest = width - number_w * (len(table.columns) - len(text_cols))
        widths = [rest / max(len(text_cols), 1) if i in text_cols else number_w
                  for i in range(len(table.columns))]
        if not text_cols:
            widths = [width / len(table.columns)] * len(table.columns)
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    for i, column in enumerate(table.columns):
        if column.kind != "text":
            style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    bands = table.extra.get("bands")
    if bands:  # participation: the age bands first, then each year of age
        style += [("FONT", (0, 1), (-1, bands), BOLD, 8.5),
                  ("LINEBELOW", (0, bands), (-1, bands), 0.8, NAVY)]
    if table.total is not None:
        style += [("FONT", (0, -1), (-1, -1), BOLD, 8.5),
                  ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY)]
    t.setStyle(TableStyle(style))
    return t


def _section(title: str, styles: dict[str, ParagraphStyle], intro: str = "") -> list[Flowable]:
    parts: list[Flowable] = [CondPageBreak(60 * mm), Paragraph(_esc(title), styles["h1"])]
    if intro:
        parts.append(Paragraph(intro, styles["body"]))
        parts.append(Spacer(1, 4))
    return parts


def _block(table: ReportTable, styles: dict[str, ParagraphStyle], chart: Flowable | None = None,
           widths: list[float] | None = None, *, title: bool = True,
           keep: bool = True) -> list[Flowable]:
    """A heading, a chart, the table and its note, kept together when they fit on a page."""
    items: list[Flowable] = []
    if title:
        items.append(Paragraph(_esc(table.title), styles["h2"]))
    if chart is not None:
        items += [chart, Spacer(1, 4)]
    items.append(_table(table, styles, widths))
    if table.note:
        items.append(Paragraph(_esc(table.note), styles["note"]))
    return [KeepTogether(items)] if keep else items


def _pct_label(value: float) -> str:
    return f"{value:.0f}%"


def _contents(styles: dict[str, ParagraphStyle]) -> TableOfContents:
    toc = TableOfContents()
    toc.dotsMinLevel = 0
    toc.tableStyle = TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9.5),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    toc.levelStyles = [ParagraphStyle("toc", parent=styles["body"], leftIndent=0,
                                      firstLineIndent=0, leading=15)]
    return toc


class _ReportDoc(BaseDocTemplate):
    """Lists every section heading (h1) in the contents, with its page."""

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))


def _title_page(report: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    name = service_name(report)
    generated = dt.datetime.fromisoformat(report["generated_at"])
    parts: list[Flowable] = [Spacer(1, 55 * mm)]
    if name:
        parts.append(Paragraph(_esc(name), styles["subtitle"]))
        parts.append(Spacer(1, 4 * mm))
    parts += [
        Paragraph("IRO Service annual figures", styles["title"]),
        Spacer(1, 6 * mm),
        Paragraph(_esc(period_label(report)), styles["subtitle"]),
        Spacer(1, 14 * mm),
        Paragraph("Contents", styles["h2"]),
        _contents(styles),
        Spacer(1, 10 * mm),
        Paragraph("The Independent Reviewing Officers' reviews of children looked after: "
                  "children and reviews, reviews on time, children's participation, midway "
                  "reviews, alerts and escalations, records and letters to children, and "
                  "IROs' caseloads.", styles["body"]),
        Spacer(1, 5 * mm),
        Paragraph(f"Produced on {date_label(generated.date().isoformat())} from the IROs' "
                  "signed exports, brought together by IRO Desktop. The report holds counts "
                  "only: no child can be identified from it.", styles["small"]),
        NextPageTemplate("body"),
        PageBreak(),
    ]
    return parts


def _summary(report: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    figures = key_figures(report)
    cell_w = (WIDTH - 6 * mm) / 2
    boxes = [_Figure(fmt(v, k), label, of, cell_w, styles) for label, v, k, of in figures]
    tallest = max(b.natural_height() for b in boxes)
    for box in boxes:
        box.min_height = tallest
    rows = [boxes[i:i + 2] for i in range(0, len(boxes), 2)]
    grid = Table(rows, colWidths=[cell_w + 6 * mm, cell_w], hAlign="LEFT")
    grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9.5),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 6 * mm),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    c = report["children"]
    caseloads = report["caseloads"]
    lines = [
        f"{c['children_started']:,} children started to be looked after in the period and "
        f"{c['children_ceased']:,} ceased.",
        f"{report['advocacy_referrals']:,} referrals to advocacy were made at reviews; children "
        f"returned a consultation for {report['consultation_returned_by_child']:,} reviews and "
        f"were seen alone at {report['reviews_child_seen_alone']:,}.",
    ]
    if caseloads["per_iro"]:
        g = caseloads["guidance"]
        within = sum(r["against_guidance"] == "within" for r in caseloads["per_iro"])
        lines.append(
            f"{len(caseloads['per_iro'])} IROs held on average {fmt(caseloads['average'], INT)} "
            f"children at the end of the period; {within} within the {g['from']}-{g['to']} "
            "guidance.")
    return [Paragraph("Key figures", styles["h1"]),
            Paragraph(_esc(period_label(report)), styles["small"]), Spacer(1, 5 * mm), grid,
            *[Paragraph("• " + _esc(line), styles["body"]) for line in lines],
            Spacer(1, 6 * mm), Paragraph("How the figures are counted", styles["h2"]),
            *[Paragraph(_esc(text), styles["small"]) for text in DEFINITIONS]]


DEFINITIONS = (
    "Children looked after: an episode of care open at some time in the period; at the end: "
    "open on its last day. Started: a period of care began; ceased: care ended.",
    "A review is held in the period when its first meeting is; it is on time when held by the "
    "date the previous review (or the start of care) made it due (reg 33 of the Care Planning, "
    "Placement and Case Review Regulations 2010).",
    "Took part: participation codes PN1, PN2, PN3, PN5 and PN6, for children aged 4 and over "
    "on the review date; a draft record with no code chosen yet is left out and counted as not "
    "recorded.",
    "Records and letters on time: within the service's timescales in working days from the "
    "last meeting of the review (decisions 5, record 15, letter 15 unless set otherwise), out of "
    "the reviews done or past that deadline on the day the report was made; those still within "
    "it are not late yet and are counted apart.",
    "Escalations: raised in the period, with the highest stage reached and the outcome as "
    "recorded now; good-practice alerts are counted apart.",
    "A child who moved from one IRO to another counts once in the service's figures.",
)


def build_story(report: dict[str, Any]) -> list[Flowable]:
    _fonts()
    styles = _styles()
    tables = {t.key: t for t in report_tables(report)}
    story = _title_page(report, styles)
    story += _summary(report, styles)
    story.append(PageBreak())

    # Children looked after
    story += _section("Children looked after", styles)
    story += _block(tables["Children and reviews"], styles, title=False,
                    widths=[WIDTH - 30 * mm, 30 * mm])
    ages = tables["Children by age"]
    story += _block(ages, styles, charts.vertical_bars(
        [r[0] for r in ages.rows], [r[1] for r in ages.rows], width=WIDTH, height=48 * mm,
        font=FONT, bold_font=BOLD, axis_label="Children at the end of the period"))
    sex, legal = tables["Children by sex"], tables["Children by legal status"]
    story += _block(sex, styles, widths=[16 * mm, WIDTH - 56 * mm, 20 * mm, 20 * mm])
    story += _block(legal, styles, widths=[16 * mm, WIDTH - 56 * mm, 20 * mm, 20 * mm])
    story += _block(tables["Children by placement"], styles,
                    widths=[16 * mm, WIDTH - 56 * mm, 20 * mm, 20 * mm])
    story += _block(tables["Children by ethnicity"], styles,
                    widths=[16 * mm, WIDTH - 56 * mm, 20 * mm, 20 * mm])

    # Reviews
    story += _section("Reviews held on time", styles)
    on_time = tables["Reviews on time"]
    story += _block(on_time, styles, charts.horizontal_bars(
        [r[0] for r in on_time.rows], [r[3] or 0 for r in on_time.rows], width=WIDTH,
        font=FONT, bold_font=BOLD, label_format=_pct_label, axis_max=100, label_width=165,
        bar_height=20), title=False, widths=[WIDTH - 66 * mm, 22 * mm, 22 * mm, 22 * mm])

    # Participation
    story += _section("Children's participation in their reviews", styles)
    codes = tables["Participation by code"]
    coded = [r for r in codes.rows if r[0] != NO_CODE]  # the chart: the codes only
    story += _block(codes, styles, charts.vertical_bars(
        [r[0] for r in coded], [r[3] or 0 for r in coded], width=WIDTH,
        height=52 * mm, font=FONT, bold_font=BOLD, label_format=_pct_label,
        axis_label="% of reviews"), widths=[14 * mm, WIDTH - 58 * mm, 22 * mm, 22 * mm])
    ages = tables["Participation by age"]
    bands = ages.extra["bands"]
    single = ages.rows[bands:]
    story += _block(ages, styles, charts.vertical_bars(
        [r[0] for r in single], [r[3] or 0 for r in single], width=WIDTH, height=48 * mm,
        font=FONT, bold_font=BOLD, label_format=_pct_label, axis_max=100,
        axis_label="% of reviews in which the child took part, by age"),
        widths=[WIDTH - 66 * mm, 22 * mm, 22 * mm, 22 * mm])

    # Midway reviews
    story += _section("Midway reviews", styles)
    midway = tables["Midway reviews"]
    short = [dt.datetime.strptime(r[0], "%B %Y").strftime("%b %y") for r in midway.rows]
    story.append(charts.vertical_bars(short, [r[1] for r in midway.rows], width=WIDTH,
                                      height=55 * mm, font=FONT, bold_font=BOLD,
                                      axis_label="Midway reviews held"))
    story.append(Spacer(1, 4))
    story.append(_month_table(midway, short, styles))

    # Escalations
    story += _section("Alerts and escalations", styles)
    esc = tables["Escalations"]
    story += _block(esc, styles, title=False, widths=[WIDTH - 30 * mm, 30 * mm])
    themes = tables["Escalations by theme"]
    story.append(Paragraph(_esc(themes.title), styles["h2"]))
    story.append(Paragraph(_esc(THEMES_NOTE), styles["body"]))
    story += _block(themes, styles, charts.horizontal_bars(
        [r[0] for r in themes.rows], [r[1] for r in themes.rows], width=WIDTH, font=FONT,
        bold_font=BOLD, label_width=235), widths=[WIDTH - 54 * mm, 24 * mm, 30 * mm],
        title=False)
    story += _block(tables["Escalations by stage"], styles,
                    widths=[WIDTH - 60 * mm, 30 * mm, 30 * mm])
    story += _block(tables["Escalations by outcome"], styles,
                    widths=[WIDTH - 60 * mm, 30 * mm, 30 * mm])

    # Records and letters
    story += _section("Review records and letters to children", styles)
    story += _block(tables["Records and letters"], styles, title=False,
                    widths=[WIDTH - 114 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm, 26 * mm])

    # Caseloads
    story += _section("IROs' caseloads", styles,
                      "Children each IRO held at the end of the period. The dashed lines are "
                      "the IRO Handbook's guidance: 50 to 70 children per full-time IRO; "
                      "a caseload outside it is shown in orange.")
    loads = tables["Caseloads"]
    low, high = loads.extra["guidance"]
    story += _block(loads, styles, charts.horizontal_bars(
        [r[0] for r in loads.rows], [r[1] for r in loads.rows], width=WIDTH, font=FONT,
        bold_font=BOLD, label_width=120, bar_height=18,
        bar_colours=[charts.BAR if low <= r[1] <= high else charts.BAR_OUTSIDE
                     for r in loads.rows], labels_inside=True,
        guides=[(low, f"{low}", charts.LOW), (high, f"{high}", charts.HIGH)]),
        title=False, widths=[WIDTH - 72 * mm, 22 * mm, 50 * mm])
    story += _by_iro(tables["By IRO"], styles)
    return story


def _month_table(table: ReportTable, short: list[str],
                 styles: dict[str, ParagraphStyle]) -> Table:
    """The months across the page: one row of counts under the month names, and the total."""
    head = [*short, "Total"]
    values = [fmt(r[1], INT) for r in table.rows] + [fmt(table.total[1] if table.total else 0,
                                                         INT)]
    t = Table([head, values], colWidths=[WIDTH / len(head)] * len(head), hAlign="LEFT")
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("FONT", (0, 1), (-1, 1), FONT, 8.5),
        ("FONT", (-1, 0), (-1, -1), BOLD, 8.5),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NAVY),
        ("LINEBELOW", (0, 1), (-1, 1), 0.25, RULE),
    ]))
    return t


def _by_iro(table: ReportTable, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Each IRO's figures in two tables that fit the page (reviews; work between and after
    reviews). The key fingerprint and last export are in the spreadsheet."""
    parts = _section("Figures by IRO", styles, _esc(table.note))
    for title, keep in (("Reviews", [0, 3, 4, 5, 6, 7]), ("Between and after reviews",
                                                         [0, 8, 9, 10, 11, 12])):
        slim = ReportTable(table.key, title, [table.columns[i] for i in keep],
                           [[row[i] for i in keep] for row in table.rows])
        number_w = (WIDTH - 45 * mm) / (len(keep) - 1)
        parts += _block(slim, styles, widths=[45 * mm] + [number_w] * (len(keep) - 1))
    return parts


def write_pdf(report: dict[str, Any], path: str | Path) -> Path:
    """Write the report as an A4 PDF (written beside `path`, then renamed into place)."""
    _fonts()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    title = "IRO Service annual figures"
    if service_name(report):
        title = f"{service_name(report)}: {title}"
    doc = _ReportDoc(
        str(tmp), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=20 * mm, title=f"{title}, {period_label(report)}",
        author="IRO Desktop", subject="IRO Service annual figures", creator="IRO Desktop",
        initialFontName=FONT, lang="en-GB",
    )
    frame = Frame(MARGIN, 20 * mm, WIDTH, PAGE_H - MARGIN - 20 * mm, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("title", [frame], onPage=_title_band),
                          PageTemplate("body", [frame])])
    canvas_class = type("ReportCanvas", (_NumberedCanvas,), {
        "footer_text": f"Figures from IRO Desktop, period {period_label(report)}; "
                       "contains no personal data"})
    doc.multiBuild(build_story(report), canvasmaker=canvas_class)
    tmp.replace(path)
    return path


def _title_band(canvas: Canvas, _doc: BaseDocTemplate) -> None:
    canvas.saveState()
    canvas.setFillColor(NAVY)
    canvas.rect(0, PAGE_H - 38 * mm, PAGE_W, 38 * mm, fill=1, stroke=0)
    canvas.setFillColor(ACCENT)
    canvas.rect(0, PAGE_H - 41 * mm, PAGE_W, 3 * mm, fill=1, stroke=0)
    canvas.setFillColor(colors.white)
    canvas.setFont(BOLD, 13)
    canvas.drawString(MARGIN, PAGE_H - 22 * mm, "Independent Reviewing Officer Service")
    canvas.setFont(FONT, 9.5)
    canvas.drawString(MARGIN, PAGE_H - 29 * mm, "Children looked after: reviews and their "
                      "timeliness, participation, escalations, caseloads")
    canvas.restoreState()


__all__ = ["THEMES_NOTE", "build_story", "fmt", "write_pdf"]
