"""The annual report's spreadsheet: read back with openpyxl, every sheet equals the report's dict.

The report comes from a real service database: two IROs' demo caseloads, exported, sealed,
imported with the exchange's code, then `annual_report` (the same path as `manager report`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

D = dt.date
YEAR_START, YEAR_END = D(2025, 4, 1), D(2026, 3, 31)


def build_service_report(folder: Path) -> dict[str, Any]:
    """Two IROs (20 demo children each), their year exports imported, the year's report."""
    from iro_desktop.db.service import open_service, trust_iro
    from iro_desktop.interchange import bundle, keys
    from iro_desktop.interchange.manager_import import APPLIED, import_files
    from iro_desktop.reports.annual import annual_report
    from tests.manager.helpers import demo_store, sealed_export

    manager = keys.generate(keys.ROLE_MANAGER, "Pat Manager")
    files, iros = [], []
    for seed, prefix, name in ((21, "A", "Alex Ash"), (22, "B", "Bo Birch")):
        store = demo_store(folder / f"{prefix}.db", name, seed=seed, prefix=prefix, children=20)
        pair = keys.generate(keys.ROLE_IRO, name)
        with store.transaction() as session:
            bundle.set_manager_key(session, manager.public.armored())
        path = folder / f"{prefix}.iroexport"
        path.write_bytes(sealed_export(store, pair, manager.public))
        store.close()
        files.append(path)
        iros.append((pair, name))
    service = open_service(folder / "service.db")
    try:
        with service.transaction() as session:
            for pair, name in iros:
                trust_iro(session, pair.public.armored(), name)
        assert all(o.status == APPLIED for o in import_files(service, files, manager))
        with service.session() as session:
            return annual_report(session, YEAR_START, YEAR_END)
    finally:
        service.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return build_service_report(tmp_path_factory.mktemp("annual"))


def _sheet_rows(ws: Any) -> list[list[Any]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def test_every_table_round_trips(report: dict[str, Any], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from iro_desktop.reports.annual_xlsx import PCT, report_tables, write_xlsx

    path = write_xlsx(report, tmp_path / "out" / "report.xlsx")
    wb = load_workbook(path)
    tables = report_tables(report)
    assert wb.sheetnames == ["Cover", *[t.key for t in tables]]
    for table in tables:
        ws = wb[table.key]
        rows = _sheet_rows(ws)
        assert rows[0] == [c.heading for c in table.columns], table.key
        assert all(cell.font.bold for cell in ws[1]), table.key
        expected = [*table.rows, *([table.total] if table.total else [])]
        got = rows[1 : 1 + len(expected)]
        for want, have in zip(expected, got, strict=True):
            for column, w, h in zip(table.columns, want, have, strict=True):
                if column.kind == PCT and w is not None:
                    assert h == pytest.approx(w / 100), (table.key, want)
                else:
                    assert h == (None if w == "" else w), (table.key, want)
        for col, column in enumerate(table.columns, start=1):
            letter = ws.cell(1, col).column_letter
            assert ws.column_dimensions[letter].width == column.width
            if column.kind == PCT:
                assert ws.cell(2, col).number_format == "0.0%"
        if table.note:
            assert rows[-1][0] == table.note


def test_the_sheets_hold_the_reports_figures(report: dict[str, Any], tmp_path: Path) -> None:
    """Straight from the dict, not through report_tables: the figures a manager quotes."""
    from openpyxl import load_workbook

    from iro_desktop.reports.annual_xlsx import write_xlsx

    wb = load_workbook(write_xlsx(report, tmp_path / "report.xlsx"))
    on_time = wb["Reviews on time"]
    assert [c.value for c in on_time[2]][1:3] == [report["reviews_on_time"],
                                                  report["reviews_held"]]
    assert on_time.cell(2, 4).value == pytest.approx(report["percent"]["reviews_on_time"] / 100)
    assert [c.value for c in on_time[3]][1:3] == [report["children_all_reviews_on_time"],
                                                  report["children_reviewed"]]

    codes = {r[0].value: r[2].value for r in wb["Participation by code"].iter_rows(min_row=2)
             if r[0].value and r[2].value is not None}
    assert codes == report["participation"]
    ages = {r[0].value: (r[1].value, r[2].value)
            for r in wb["Participation by age"].iter_rows(min_row=2) if r[1].value is not None}
    for row in report["participation_by_age"]:
        assert ages[str(row["age"])] == (row["reviews"], row["participated"])
    aged4 = report["participation_aged_4_plus"]
    assert ages["Aged 4 and over"] == (aged4["reviews"], aged4["participated"])

    midway = [r[1].value for r in wb["Midway reviews"].iter_rows(min_row=2, max_row=13)]
    assert midway == [m["midway_reviews"] for m in report["midway_reviews_by_month"]]
    assert wb["Midway reviews"].cell(14, 2).value == report["midway_reviews_held"]

    themes = {r[0].value: r[1].value for r in wb["Escalations by theme"].iter_rows(min_row=2)
              if r[1].value is not None}
    assert themes == report["escalations_by_theme"]
    escalations = {r[0].value: r[1].value for r in wb["Escalations"].iter_rows(min_row=2)
                   if r[1].value is not None}
    assert escalations["Good-practice alerts"] == report["good_practice_alerts"]
    assert escalations["Escalations raised"] == report["escalations_raised"]

    records = {r[0].value: [c.value for c in r[1:4]]
               for r in wb["Records and letters"].iter_rows(min_row=2) if r[1].value is not None}
    assert records["Review record completed"] == [
        report["records_completed"], report["records_on_time"], report["reviews_recorded"]]
    assert records["Letter to the child sent"][:2] == [report["letters_sent"],
                                                       report["letters_on_time"]]

    loads = {r[0].value: r[1].value for r in wb["Caseloads"].iter_rows(min_row=2)
             if r[1].value is not None}
    for row in report["caseloads"]["per_iro"]:
        assert loads[row["iro"]] == row["children"]
    assert loads["Average"] == report["caseloads"]["average"]
    by_iro = {r[0].value: r[1].value for r in wb["By IRO"].iter_rows(min_row=2)
              if r[1].value is not None}
    assert by_iro == {e["iro"]: e["fingerprint"] for e in report["by_iro"]}

    children = {r[0].value: r[1].value for r in wb["Children and reviews"].iter_rows(min_row=2)}
    assert children["Children looked after at the end of the period"] == \
        report["children"]["children_looked_after_at_end"]


def test_cover_sheet(report: dict[str, Any], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from iro_desktop.reports.annual_xlsx import write_xlsx

    named = {**report, "service_name": "Southbridge IRO Service"}
    ws = load_workbook(write_xlsx(named, tmp_path / "report.xlsx"))["Cover"]
    values = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2) if r[0].value}
    assert "Southbridge IRO Service" in ws["A1"].value
    assert values["Period"] == "1 April 2025 to 31 March 2026"
    assert values["From"].date() == YEAR_START and values["To"].date() == YEAR_END
    assert values["Generated"] == dt.datetime.fromisoformat(report["generated_at"])
    assert values["Reviews held"] == report["reviews_held"]
    assert ws["A1"].font.bold


def test_an_empty_service_database_still_writes(tmp_path: Path) -> None:
    """No IROs yet: every sheet is there, percentages blank rather than an error."""
    from openpyxl import load_workbook

    from iro_desktop.db.service import open_service
    from iro_desktop.reports.annual import annual_report
    from iro_desktop.reports.annual_xlsx import write_xlsx

    service = open_service(tmp_path / "empty.db")
    with service.session() as session:
        empty = annual_report(session, YEAR_START, YEAR_END)
    service.close()
    wb = load_workbook(write_xlsx(empty, tmp_path / "empty.xlsx"))
    assert wb["Reviews on time"].cell(2, 4).value is None
    assert wb["Caseloads"].max_row >= 2
