"""The PDF: fonts embedded, pictures drawn, text extractable, page numbers, speed."""

from __future__ import annotations

import io
import time

from pypdf import PdfReader

from iro_desktop import settings
from iro_desktop.letters.compose import LetterSection, draft_letter
from iro_desktop.letters.pdf import render_letter_pdf
from iro_desktop.letters.pictures import add_picture
from tests.letters.conftest import make_case

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
       b'<circle cx="5" cy="5" r="4" fill="#c33"/></svg>')
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
       b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def _pdf(doc) -> tuple[bytes, PdfReader, int]:
    buffer = io.BytesIO()
    pages = render_letter_pdf(doc, buffer)
    data = buffer.getvalue()
    return data, PdfReader(io.BytesIO(data)), pages


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name -> has an embedded TrueType program (/FontFile2)."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found[str(font["/BaseFont"])] = embedded
    return found


def test_fonts_are_andika_and_embedded(session, iro):
    case = make_case(session, "9-12")
    _data, reader, _pages = _pdf(draft_letter(session, case.review_id))
    fonts = _fonts(reader)
    assert fonts, "no fonts"
    assert all("Andika" in name for name in fonts), fonts
    assert all(fonts.values()), fonts
    assert any("Bold" in name for name in fonts)  # headings use the bold face


def test_text_is_extractable(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    _data, reader, _pages = _pdf(doc)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Dear Maya," in text
    assert "will arrange for you to join the school choir" in text
    assert "What we decided" in text
    assert "OpenMoji" in text  # the credit, in small print


def test_pictures_are_drawn_beside_sections(session, iro):
    case = make_case(session, "4-8")
    doc = draft_letter(session, case.review_id)
    _data, reader, _pages = _pdf(doc)
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    # svglib drawings become vector paths with colour fills: many filled paths (f or f*).
    assert content.count(b" rg") > 100
    assert content.count(b"\nf") + content.count(b" f\n") + content.count(b"f*") > 50


def test_own_pictures_and_the_iro_photo(session, iro):
    photo = add_picture(session, "Me", PNG, "image/png")
    icon = add_picture(session, "Therapist icon", SVG, "image/svg+xml")
    settings.put(session, "iro_photo", f"own:{photo}")
    case = make_case(session, "13+")
    doc = draft_letter(session, case.review_id)
    assert doc.iro_photo == f"own:{photo}" and f"own:{photo}" in doc.picture_data
    doc.sections[0].picture = f"own:{icon}"
    from iro_desktop.letters.pictures import attach_pictures

    attach_pictures(session, doc)
    _data, reader, _pages = _pdf(doc)
    images = [name for page in reader.pages
              for name, obj in page["/Resources"].get("/XObject", {}).items()
              if obj.get_object()["/Subtype"] == "/Image"]
    assert images  # the photo is an image XObject
    # A missing own picture falls back to the section's default pictogram; no error.
    doc.sections[1].picture = "own:99999"
    _pdf(doc)


def test_long_letters_have_page_numbers_and_short_ones_none(session, iro):
    case = make_case(session, "13+")
    doc = draft_letter(session, case.review_id)
    doc.sections = doc.sections[:1]
    _data, reader, pages = _pdf(doc)
    assert pages == 1 and "Page 1 of" not in reader.pages[0].extract_text()
    doc = draft_letter(session, case.review_id)
    doc.sections.append(LetterSection("custom", "Your story", "\n\n".join(
        ["You told me about your week. It was a good week."] * 40), "open-book"))
    _data, reader, pages = _pdf(doc)
    assert pages >= 3 and pages == len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {pages}" in page.extract_text()


def test_user_text_is_escaped_and_bullets_work(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    doc.sections[0].text = "Fish & chips <3 on Friday\n- one\n- two"
    _data, reader, _pages = _pdf(doc)
    text = reader.pages[0].extract_text()
    assert "Fish & chips <3 on Friday" in text and "one" in text


def test_writes_to_a_path(session, iro, tmp_path):
    case = make_case(session, "4-8")
    out = tmp_path / "letter.pdf"
    pages = render_letter_pdf(draft_letter(session, case.review_id), out)
    assert out.read_bytes().startswith(b"%PDF") and pages >= 1


def test_renders_well_under_a_second(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    render_letter_pdf(doc, io.BytesIO())  # fonts and pictures cached
    start = time.perf_counter()
    for _ in range(3):
        render_letter_pdf(doc, io.BytesIO())
    assert (time.perf_counter() - start) / 3 < 0.5
