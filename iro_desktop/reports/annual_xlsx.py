"""The annual report as tables (shared by the spreadsheet, the PDF and the manager window) and the
spreadsheet itself: a cover sheet, then one sheet per table.

`report_tables(report)` turns the dict of `reports.annual.annual_report` into `ReportTable`s with
plain headings; each column says how its values are shown (`int`, `pct` or `text`). Percentages
stay as the report gives them (0-100, None when there is nothing to divide by); the spreadsheet
stores them as fractions with a percent format, so they sort and sum as numbers.
No personal data: the report holds counts, codes, IROs' names and key fingerprints only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iro_desktop.caseload.escalations import OUTCOMES, STAGES
from iro_desktop.reports.figures import ON_TIME_OUT_OF
from iro_desktop.rules.participation import PARTICIPATION_CODES

INT, PCT, TEXT = "int", "pct", "text"
# The row of the reviews whose participation code is not chosen yet (drafts).
NO_CODE = "–"
NOT_RECORDED_LABEL = "Not recorded yet (a draft record, no code chosen)"
GUIDANCE_LABELS = {"below": "Below 50", "within": "Within 50-70", "above": "Above 70"}
THEMES_NOTE = (
    "One escalation can have several themes, so the themes add up to more than the escalations "
    "raised and the percentages add up to more than 100%."
)


@dataclass
class Column:
    heading: str
    kind: str = INT  # INT, PCT or TEXT
    width: int = 14  # spreadsheet column width (characters)


@dataclass
class ReportTable:
    key: str  # also the sheet's name (31 characters at most)
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""
    total: list[Any] | None = None  # a bold last row
    extra: dict[str, Any] = field(default_factory=dict)  # what a chart needs


def _p(value: float | None) -> float | None:
    return None if value is None else float(value)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def format_value(value: Any, kind: str) -> str:
    """A value as printed: thousands separators, one decimal for percentages, a dash for none."""
    if value is None or value == "":
        return "–" if kind != TEXT else ""
    if kind == PCT:
        return f"{value:.1f}%"
    if kind == INT:
        if isinstance(value, float) and not value.is_integer():
            return f"{value:,.1f}"
        return f"{int(value):,}"
    return str(value)


def month_label(month: str) -> str:
    """'2025-04' -> 'April 2025'."""
    return dt.date.fromisoformat(month + "-01").strftime("%B %Y")


def date_label(iso: str | None) -> str:
    """'2025-04-01' (or a date-time) -> '1 April 2025'; '' for None."""
    if not iso:
        return ""
    day = dt.datetime.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def period_label(report: dict[str, Any]) -> str:
    return f"{date_label(report['from'])} to {date_label(report['to'])}"


def service_name(report: dict[str, Any]) -> str:
    """The service's name when the report carries one (`service_name`); else ''."""
    return str(report.get("service_name") or "").strip()


def _code_table(key: str, title: str, rows: list[dict[str, Any]], what: str) -> ReportTable:
    return ReportTable(
        key,
        title,
        [Column("Code", TEXT, 10), Column("Description", TEXT, 44), Column(what),
         Column("% of children", PCT)],
        [[r["code"], r["label"], r["children"], _p(r["percent"])] for r in rows],
        total=["", "Total", sum(r["children"] for r in rows), 100.0 if rows else None],
    )


def key_figures(report: dict[str, Any]) -> list[tuple[str, Any, str, str]]:
    """The summary: (label, value, kind, a short 'of ...' text)."""
    c, p = report["children"], report["percent"]
    aged4 = report["participation_aged_4_plus"]
    return [
        ("Children looked after in the period", c["children_looked_after_in_period"], INT,
         f"{c['children_looked_after_at_end']} at the end of the period"),
        ("Reviews held", report["reviews_held"], INT,
         f"for {report['children_reviewed']} children"),
        ("Reviews held on time", _p(p["reviews_on_time"]), PCT,
         f"{report['reviews_on_time']} of {report['reviews_held']} reviews"),
        ("Children whose every review was on time", _p(p["children_all_reviews_on_time"]), PCT,
         f"{report['children_all_reviews_on_time']} of {report['children_reviewed']} children"),
        ("Children aged 4 and over who took part in their review", _p(aged4["percent"]), PCT,
         f"{aged4['participated']} of {aged4['reviews']} reviews"
         + _not_recorded_yet(aged4.get("not_recorded", 0))),
        ("Midway reviews held", report["midway_reviews_held"], INT, "between reviews"),
        ("Escalations raised", report["escalations_raised"], INT,
         f"for {report['escalation_children']} children; "
         f"{report['good_practice_alerts']} good-practice alerts"),
        ("Review records completed on time", _p(p["records_on_time"]), PCT,
         f"{report['records_on_time']} of {report['records_due']} reviews due"
         + _still_in_time(report["records_pending"])),
    ]


def _still_in_time(pending: int) -> str:
    """The pending ones, after an "of N reviews due" text (not counted in the share yet)."""
    return f"; {pending} still within the deadline" if pending else ""


def _not_recorded_yet(drafts: int) -> str:
    return f"; {drafts} with no participation code yet (drafts)" if drafts else ""


def report_tables(report: dict[str, Any]) -> list[ReportTable]:
    """Every table of the report, in the order the PDF and the spreadsheet show them."""
    c, p = report["children"], report["percent"]
    tables: list[ReportTable] = []
    tables.append(ReportTable(
        "Children and reviews", "Children looked after and their reviews",
        [Column("Measure", TEXT, 52), Column("Number")],
        [
            ["Children looked after at some time in the period",
             c["children_looked_after_in_period"]],
            ["Children looked after at the end of the period", c["children_looked_after_at_end"]],
            ["Children who started to be looked after", c["children_started"]],
            ["Children who ceased to be looked after", c["children_ceased"]],
            ["Children reviewed", report["children_reviewed"]],
            ["Reviews held", report["reviews_held"]],
            ["Reviews where the child was seen alone", report["reviews_child_seen_alone"]],
            ["Children seen alone at a review", report["children_seen_alone_at_review"]],
            ["Reviews where the child returned a consultation",
             report["consultation_returned_by_child"]],
            ["Referrals to advocacy", report["advocacy_referrals"]],
            ["Case notes recorded by IROs", report["case_notes"]],
        ],
    ))
    bands = {
        name: {r["code"]: r for r in c[name]}
        for name in ("by_age_band", "started_by_age_band", "ceased_by_age_band")
    }
    band_rows = [
        [r["label"], r["children"], _p(r["percent"]),
         bands["started_by_age_band"].get(r["code"], {}).get("children", 0),
         bands["ceased_by_age_band"].get(r["code"], {}).get("children", 0)]
        for r in c["by_age_band"]
    ]
    tables.append(ReportTable(
        "Children by age", "Children by age band (DfE bands)",
        [Column("Age band", TEXT, 16), Column("At the end"), Column("% at the end", PCT),
         Column("Started"), Column("Ceased")],
        band_rows,
        note="Age at the end of the period, or on the day care ceased.",
        total=["Total", c["children_looked_after_at_end"], 100.0 if band_rows else None,
               c["children_started"], c["children_ceased"]],
    ))
    for key, title, name in (
        ("Children by sex", "Children looked after at the end of the period, by sex", "by_sex"),
        ("Children by ethnicity", "Children looked after at the end, by ethnicity",
         "by_ethnicity"),
        ("Children by legal status", "Children looked after at the end, by legal status",
         "by_legal_status"),
        ("Children by placement", "Children looked after at the end, by placement",
         "by_placement"),
    ):
        tables.append(_code_table(key, title, c[name], "Children"))

    tables.append(ReportTable(
        "Reviews on time", "Reviews held on time",
        [Column("Measure", TEXT, 52), Column("On time"), Column("Of"), Column("%", PCT)],
        [
            ["Reviews held on time", report["reviews_on_time"], report["reviews_held"],
             _p(p["reviews_on_time"])],
            ["Children whose every review was on time", report["children_all_reviews_on_time"],
             report["children_reviewed"], _p(p["children_all_reviews_on_time"])],
        ],
        note="On time: held by the date the previous review (or the start of care) made it due "
             "(Care Planning Regulations 2010, reg 33).",
    ))
    codes = report["participation"]
    not_recorded = report.get("participation_not_recorded", 0)
    tables.append(ReportTable(
        "Participation by code", "Participation in reviews, by code",
        [Column("Code", TEXT, 8), Column("How the child took part", TEXT, 70),
         Column("Reviews"), Column("% of reviews", PCT)],
        [[code, PARTICIPATION_CODES.get(code, code), n, _p(p["participation"].get(code))]
         for code, n in codes.items()]
        # Drafts saved before a code was chosen, so the rows add up to all the reviews held.
        + ([[NO_CODE, NOT_RECORDED_LABEL, not_recorded,
             _pct(not_recorded, report["reviews_held"])]] if not_recorded else []),
        total=["", "All reviews", report["reviews_held"],
               100.0 if report["reviews_held"] else None],
        note="PN0: the child was under 4. PN1, PN2, PN3, PN5 and PN6 count as taking part.",
    ))
    aged4 = report["participation_aged_4_plus"]
    tables.append(ReportTable(
        "Participation by age", "Participation of children aged 4 and over, by age",
        [Column("Age", TEXT, 16), Column("Reviews"), Column("Took part"),
         Column("% took part", PCT)],
        [[f"{r['band']} years" if r["band"][0].isdigit() and "over" not in r["band"]
          else r["band"], r["reviews"], r["participated"], _p(r["percent"])]
         for r in report["participation_by_age_band"]]
        + [[str(r["age"]), r["reviews"], r["participated"], _p(r["percent"])]
           for r in report["participation_by_age"]],
        total=["Aged 4 and over", aged4["reviews"], aged4["participated"],
               _p(aged4["percent"])],
        note="Age on the review date. The first rows are the age bands, then each year of age."
             + (" Not counted: draft records with no participation code yet "
                f"({aged4['not_recorded']})." if aged4.get("not_recorded") else ""),
        extra={"bands": len(report["participation_by_age_band"])},
    ))
    months = report["midway_reviews_by_month"]
    tables.append(ReportTable(
        "Midway reviews", "Midway reviews held, by month",
        [Column("Month", TEXT, 18), Column("Midway reviews")],
        [[month_label(m["month"]), m["midway_reviews"]] for m in months],
        total=["Total", report["midway_reviews_held"]],
    ))
    raised = report["escalations_raised"]
    tables.append(ReportTable(
        "Escalations", "Alerts and escalations",
        [Column("Measure", TEXT, 52), Column("Number")],
        [
            ["Escalations raised", raised],
            ["Children concerned", report["escalation_children"]],
            ["Referred to Cafcass", report["escalations_referred_to_cafcass"]],
            ["Good-practice alerts", report["good_practice_alerts"]],
        ],
        note="Escalations raised in the period; good-practice alerts are counted apart.",
    ))
    tables.append(ReportTable(
        "Escalations by theme", "Escalations by theme",
        [Column("Theme", TEXT, 60), Column("Escalations"), Column("% of escalations", PCT)],
        [[theme, n, _pct(n, raised)] for theme, n in report["escalations_by_theme"].items()],
        note=THEMES_NOTE,
    ))
    stage_labels = dict(STAGES)
    tables.append(ReportTable(
        "Escalations by stage", "Escalations by the highest stage reached",
        [Column("Highest stage reached", TEXT, 40), Column("Escalations"),
         Column("% of escalations", PCT)],
        [[stage_labels.get(k, k), n, _pct(n, raised)]
         for k, n in report["escalations_by_stage"].items()],
    ))
    outcome_labels = dict(OUTCOMES) | {"open": "Still open"}
    tables.append(ReportTable(
        "Escalations by outcome", "Escalations by outcome",
        [Column("Outcome", TEXT, 24), Column("Escalations"), Column("% of escalations", PCT)],
        [[outcome_labels.get(k, k), n, _pct(n, raised)]
         for k, n in report["escalations_by_outcome"].items()],
        total=["Total", raised, 100.0 if raised else None],
    ))
    # "Of reviews due": done, or past the deadline on the report date; those still within it are
    # pending, in a column of their own (last, so the "% on time" column stays where it was).
    tables.append(ReportTable(
        "Records and letters", "Review records and letters to children on time",
        [Column("After the review", TEXT, 36), Column("Done"), Column("On time"),
         Column("Of reviews due"), Column("% on time", PCT),
         Column("Still within the deadline", INT, 16)],
        [
            [label, report[done], report[on_time], report[ON_TIME_OUT_OF[on_time]],
             _p(p[on_time]), report[pending]]
            for label, done, on_time, pending in (
                ("Decisions circulated", "decisions_circulated", "decisions_circulated_on_time",
                 "decisions_pending"),
                ("Review record completed", "records_completed", "records_on_time",
                 "records_pending"),
                ("Letter to the child sent", "letters_sent", "letters_on_time",
                 "letters_pending"),
            )
        ],
        note="Of the reviews recorded in IRO Desktop (not those from a 903 file), counted in "
             "working days from the last meeting of the review. Reviews due: done, or past the "
             "deadline on the day the report was made"
             + (f" ({date_label(report['report_date'])})" if report.get("report_date") else "")
             + "; those still within it are not late yet, so they are left out of the "
               "percentage and counted apart.",
    ))
    caseloads = report["caseloads"]
    guidance = caseloads["guidance"]
    tables.append(ReportTable(
        "Caseloads", f"Caseload per IRO at the end of the period (guidance "
                     f"{guidance['from']}-{guidance['to']})",
        [Column("IRO", TEXT, 28), Column("Children"), Column("Against the guidance", TEXT, 20)],
        [[r["iro"], r["children"], GUIDANCE_LABELS.get(r["against_guidance"],
                                                       r["against_guidance"])]
         for r in caseloads["per_iro"]],
        total=["Average", caseloads["average"], ""],
        note=f"The IRO Handbook suggests {guidance['from']} to {guidance['to']} children per "
             f"full-time IRO. Children not allocated to an IRO at the end: "
             f"{caseloads['unallocated_at_end']}.",
        extra={"guidance": (guidance["from"], guidance["to"])},
    ))
    tables.append(ReportTable(
        "By IRO", "Figures by IRO",
        [Column("IRO", TEXT, 24), Column("Key fingerprint", TEXT, 22),
         Column("Last export", TEXT, 18), Column("Caseload"), Column("Reviews held"),
         Column("% on time", PCT), Column("% children all on time", PCT, 18),
         Column("% took part (4+)", PCT, 16), Column("Midway reviews"),
         Column("Escalations"), Column("% records on time", PCT, 16),
         Column("% letters on time", PCT, 16), Column("Case notes")],
        [[e["iro"], e["fingerprint"], date_label(e["last_export_at"]), e["caseload_at_end"],
          e["reviews_held"], _p(e["percent"]["reviews_on_time"]),
          _p(e["percent"]["children_all_reviews_on_time"]),
          _p(e["participation_aged_4_plus"]["percent"]), e["midway_reviews_held"],
          e["escalations_raised"], _p(e["percent"]["records_on_time"]),
          _p(e["percent"]["letters_on_time"]), e["case_notes"]]
         for e in report["by_iro"]],
        note="Each IRO's figures are over the children they sent; a child who moved between "
             "IROs counts under both, and once in the service's totals.",
    ))
    return tables


def _cell_value(value: Any, kind: str) -> Any:
    """Percentages as fractions (0.854 shown as 85.4%); everything else as it is."""
    return round(value / 100, 4) if kind == PCT and value is not None else value


def write_xlsx(report: dict[str, Any], path: str | Path) -> Path:
    """Write the report as a spreadsheet: a cover sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    title = service_name(report) or "IRO Service"
    cover["A1"] = f"{title}: IRO Service annual figures" if service_name(report) else \
        "IRO Service annual figures"
    cover["A1"].font = Font(bold=True, size=16)
    info = [
        ("Period", period_label(report)),
        ("From", dt.date.fromisoformat(report["from"])),
        ("To", dt.date.fromisoformat(report["to"])),
        ("Generated", dt.datetime.fromisoformat(report["generated_at"])),
        ("Source", "Figures from IRO Desktop, from the IROs' signed exports"),
        ("Personal data", "None: counts, codes and IROs' names only"),
    ]
    for row, (label, value) in enumerate(info, start=3):
        cover.cell(row, 1, label).font = bold
        cell = cover.cell(row, 2, value)
        if isinstance(value, dt.datetime):
            cell.number_format = "d mmmm yyyy hh:mm"
        elif isinstance(value, dt.date):
            cell.number_format = "d mmmm yyyy"
        cell.alignment = Alignment(horizontal="left")
    row = len(info) + 4
    cover.cell(row, 1, "Key figures").font = Font(bold=True, size=13)
    for label, value, kind, of in key_figures(report):
        row += 1
        cover.cell(row, 1, label)
        cell = cover.cell(row, 2, _cell_value(value, kind))
        cell.number_format = "0.0%" if kind == PCT else "0"
        cell.alignment = Alignment(horizontal="right")
        cover.cell(row, 3, of)
    row += 2
    cover.cell(row, 1, "Sheets").font = Font(bold=True, size=13)
    tables = report_tables(report)
    for table in tables:
        row += 1
        cover.cell(row, 1, table.key)
        cover.cell(row, 2, table.title)
    cover.column_dimensions["A"].width = 56
    cover.column_dimensions["B"].width = 60
    cover.column_dimensions["C"].width = 44

    for table in tables:
        ws = wb.create_sheet(table.key[:31])
        for col, column in enumerate(table.columns, start=1):
            cell = ws.cell(1, col, column.heading)
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(col)].width = column.width
        body = [*table.rows, *([table.total] if table.total else [])]
        for r, values in enumerate(body, start=2):
            for col, (column, value) in enumerate(zip(table.columns, values, strict=True),
                                                  start=1):
                cell = ws.cell(r, col, _cell_value(value, column.kind))
                if column.kind == PCT:
                    cell.number_format = "0.0%"
                if table.total is not None and r == len(body) + 1:
                    cell.font = bold
        ws.freeze_panes = "A2"
        if table.note:
            ws.cell(len(body) + 3, 1, table.note).font = Font(italic=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path


__all__ = [
    "Column", "ReportTable", "format_value", "key_figures", "report_tables", "write_xlsx",
]
