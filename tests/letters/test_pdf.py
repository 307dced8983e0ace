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


# A long "what you told me": about three pages of the child's own words.
TOLD_ME = [
    "You told me that you like your room, and that you put your drawings up on the wall. You "
    "said the house is quiet at night and that helps you sleep.",
    "You told me you miss your mum, and that Saturdays are the best day of the week because you "
    "see her then. You said you want more time with her in the holidays.",
    "You said school is getting easier. Your teacher helps you with spelling and you like the "
    "new reading club on Thursdays.",
    "You told me that sometimes you feel cross and do not know why. When that happens, you go "
    "to your room and listen to music, and then you feel better.",
]


def _told_me(pages_of_text: int = 3) -> str:
    # ~14 paragraphs make a page at 14 pt; the last one is one paragraph with no breaks at all.
    paragraphs = [TOLD_ME[i % len(TOLD_ME)] for i in range(10 * pages_of_text)]
    return "\n\n".join(paragraphs) + "\n\n" + " ".join(TOLD_ME * 6)


def _page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_a_section_longer_than_a_page_runs_on_over_pages(session, iro):
    case = make_case(session, "9-12")
    doc = draft_letter(session, case.review_id)
    took = doc.section("took_part")
    assert took is not None
    took.text = _told_me()
    _data, reader, pages = _pdf(doc)
    assert pages >= 4 and pages == len(reader.pages)
    texts = _page_texts(reader)
    continued = [n for n, text in enumerate(texts) if f"{took.title} (continued)" in text]
    assert len(continued) >= 2  # the heading repeats on each page the section runs on to
    # Every word is there, in order, once: nothing lost at a page break.
    whole = " ".join(texts)
    assert whole.count(TOLD_ME[2][:40]) == took.text.count(TOLD_ME[2][:40])  # none lost/doubled
    for section in doc.sections:
        assert section.title in whole
    assert "Best wishes" in texts[-1]


def test_one_paragraph_longer_than_a_page_splits_between_lines(session, iro):
    case = make_case(session, "4-8")  # the biggest type
    doc = draft_letter(session, case.review_id)
    doc.sections = [LetterSection("took_part", "What you told me", " ".join(TOLD_ME * 12),
                                  "speech-balloon")]
    _data, reader, pages = _pdf(doc)
    assert pages >= 3
    texts = _page_texts(reader)
    assert "What you told me (continued)" in texts[1]
    assert sum("What you told me (continued)" in text for text in texts) >= pages - 2
    assert "What you told me (continued)" not in texts[0]


def test_short_sections_are_not_split(session, iro):
    """A section of one paragraph never splits; a short one of a few splits only between its
    paragraphs (rather than leave a big gap at the foot of a page)."""
    for band in ("0-3", "4-8", "9-12", "13+"):
        case = make_case(session, band)
        doc = draft_letter(session, case.review_id)
        _data, reader, _pages = _pdf(doc)
        texts = _page_texts(reader)
        for section in doc.sections:
            if len([p for p in section.text.split("\n\n") if p.strip()]) <= 1:
                assert not any(f"{section.title} (continued)" in text for text in texts), \
                    (band, section.key)
        # A short section near the foot of a page moves whole to the next page.
        doc.sections.insert(4, LetterSection("custom", "A short one", "Two lines of words for "
                                             "you to read. " * 3, "star"))
        for section in doc.sections:
            section.text = section.text.split("\n\n")[0]
        _data, reader, _pages = _pdf(doc)
        assert not any("(continued)" in text for text in _page_texts(reader)), band


def test_a_long_section_renders_quickly(session, iro):
    case = make_case(session, "13+")
    doc = draft_letter(session, case.review_id)
    doc.sections[1].text = _told_me()
    _pdf(doc)  # fonts and pictures cached
    start = time.perf_counter()
    _pdf(doc)
    assert time.perf_counter() - start < 1.0
