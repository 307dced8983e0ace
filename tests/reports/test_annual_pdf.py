"""The annual report's PDF: A4, text extractable, fonts embedded, the key figures and page
numbers on the page, the footer on every page, and nothing that names a child."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.reports.test_annual_xlsx import YEAR_END, YEAR_START, build_service_report

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return build_service_report(tmp_path_factory.mktemp("annual_pdf"))


@pytest.fixture(scope="module")
def pdf(report: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Any:
    from iro_desktop.reports.annual_pdf import write_pdf

    path = tmp_path_factory.mktemp("pdf") / "sub" / "report.pdf"
    named = {**report, "service_name": "Southbridge IRO Service"}
    assert write_pdf(named, path) == path
    assert not path.with_name("report.pdf.part").exists()
    return pypdf.PdfReader(str(path))


def _texts(reader: Any) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_a4_pages_numbered_with_the_footer(pdf: Any) -> None:
    pages = _texts(pdf)
    assert len(pages) >= 6
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert ("Figures from IRO Desktop, period 1 April 2025 to 31 March 2026; contains no "
                "personal data") in text
    for page in pdf.pages:
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842


def test_title_page_and_key_figures(pdf: Any, report: dict[str, Any]) -> None:
    from iro_desktop.reports.annual_pdf import fmt

    pages = _texts(pdf)
    assert "Southbridge IRO Service" in pages[0]
    assert "IRO Service annual figures" in pages[0]
    assert "1 April 2025 to 31 March 2026" in pages[0]
    assert "Contents" in pages[0]  # every section, with its page
    assert "Midway reviews" in pages[0] and "Figures by IRO" in pages[0]
    assert f". {len(pages)}" in pages[0]
    summary = pages[1]
    assert "Key figures" in summary
    children = report["children"]["children_looked_after_in_period"]
    for value in (
        f"{children:,}",
        f"{report['reviews_held']:,}",
        fmt(report["percent"]["reviews_on_time"], "pct"),
        fmt(report["percent"]["children_all_reviews_on_time"], "pct"),
        fmt(report["participation_aged_4_plus"]["percent"], "pct"),
        f"{report['midway_reviews_held']:,}",
        f"{report['escalations_raised']:,}",
    ):
        assert value in summary, value
    assert (f"{report['reviews_on_time']} of {report['reviews_held']} reviews") in summary
    assert pdf.metadata.title.startswith("Southbridge IRO Service: IRO Service annual figures")


def test_every_table_is_in_the_text(pdf: Any, report: dict[str, Any]) -> None:
    from iro_desktop.reports.annual_pdf import fmt
    from iro_desktop.reports.annual_xlsx import THEMES_NOTE, report_tables

    text = " ".join(_texts(pdf))
    for heading in ("Children looked after", "Reviews held on time",
                    "Children's participation in their reviews", "Midway reviews",
                    "Alerts and escalations", "Review records and letters to children",
                    "IROs' caseloads", "Figures by IRO"):
        assert heading in text
    for table in report_tables(report):
        if table.key == "Midway reviews":  # printed across the page: "Apr 25 May 25 ..."
            assert "Apr 25 May 25 Jun 25" in text and "Mar 26 Total" in text
            continue
        for row in table.rows:  # every row's label and its last figure
            assert " ".join(str(row[0]).split()) in text, (table.key, row)
            assert fmt(row[-1], table.columns[-1].kind) in text, (table.key, row)
    assert " ".join(THEMES_NOTE.split()) in text  # several themes per escalation: said plainly
    for row in report["caseloads"]["per_iro"]:
        assert row["iro"] in text
    for code, n in report["participation"].items():
        assert code in text and str(n) in text
    assert "Between and after reviews" in text


def test_fonts_are_embedded(pdf: Any) -> None:
    seen = set()
    for page in pdf.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor")
            assert descriptor is not None, font.get("/BaseFont")
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                font.get("/BaseFont")
            seen.add(str(font.get("/BaseFont")))
    assert seen


def test_no_child_is_named(pdf: Any, tmp_path: Path) -> None:
    """The report holds counts only: no 903 child id and no child's name reaches the page."""
    import re

    text = " ".join(_texts(pdf))
    assert not re.search(r"\b[AB]\d{6}\b", text)  # the demo children's 903 ids


def test_empty_report_writes(tmp_path: Path) -> None:
    from iro_desktop.db.service import open_service
    from iro_desktop.reports.annual import annual_report
    from iro_desktop.reports.annual_pdf import write_pdf

    service = open_service(tmp_path / "empty.db")
    with service.session() as session:
        empty = annual_report(session, YEAR_START, YEAR_END)
    service.close()
    reader = pypdf.PdfReader(str(write_pdf(empty, tmp_path / "empty.pdf")))
    first = reader.pages[0].extract_text()
    assert "IRO Service annual figures" in first
