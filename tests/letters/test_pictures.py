"""The picture library: 200+ OpenMoji pictograms by topic, search, defaults, own pictures."""

from __future__ import annotations

import json

import pytest
from svglib.svglib import svg2rlg

from iro_desktop.caseload.validation import ValidationError
from iro_desktop.db.models import Picture
from iro_desktop.letters import compose, pictures
from iro_desktop.letters.compose import LetterDocument, LetterSection
from iro_desktop.paths import resource_path
from tests.factory import D

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
       b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
       b'<circle cx="5" cy="5" r="4"/></svg>')


def test_at_least_200_pictures_and_every_topic_has_some():
    library = pictures.library()
    assert len(library) >= 200
    groups = pictures.by_topic()
    for key, _label in pictures.TOPICS:
        assert groups[key], key
    assert len({p.ref for p in library}) == len(library)


def test_catalogue_is_complete_and_every_file_exists_and_parses():
    folder = resource_path("pictograms")
    data = json.loads((folder / "catalogue.json").read_text(encoding="utf-8"))
    assert "CC BY-SA 4.0" in data["licence"]
    topics = {key for key, _ in pictures.TOPICS}
    for item in data["pictures"]:
        assert set(item) >= {"id", "file", "name", "topic", "keywords"}
        assert item["topic"] in topics and item["name"] and item["keywords"]
        drawing = svg2rlg(str(folder / item["file"]))
        assert drawing is not None and drawing.width > 0, item["id"]
    shipped = {p.name for p in (folder / "svg").glob("*.svg")}
    assert shipped == {f"{item['id']}.svg" for item in data["pictures"]}  # only what is used


def test_licence_and_credit_are_bundled():
    folder = resource_path("pictograms")
    assert "Attribution-ShareAlike 4.0" in (folder / "LICENSE-CC-BY-SA-4.0.txt").read_text()
    assert "OpenMoji" in (folder / "README.md").read_text()
    assert "OpenMoji" in pictures.OPENMOJI_CREDIT and "CC BY-SA 4.0" in pictures.OPENMOJI_CREDIT


def test_calendar_picture_prints_no_date():
    svg = pictures.picture_data("calendar").content.decode()
    assert "<text" not in svg
    # The tear-off calendars (OpenMoji 1F4C5, 1F4C6) show a fixed date: not shipped.
    openmoji = {p["openmoji"] for p in json.loads(
        resource_path("pictograms", "catalogue.json").read_text())["pictures"]}
    assert not openmoji & {"1F4C5", "1F4C6"}


@pytest.mark.parametrize(("query", "expected"), [
    ("football", "football"), ("Foot", "football"), ("dog", "dog"), ("house", "house"),
    ("sad", "sad"), ("school bag", "school-bag"), ("dentist", "tooth"), ("k-pop", "microphone"),
    ("minecraft", "pickaxe"), ("advocate", "speaking-up"), ("birthday", "birthday-cake"),
])
def test_search_by_word(query, expected):
    refs = [p.ref for p in pictures.search(query)]
    assert expected in refs[:3], refs[:5]


def test_search_with_no_match_and_empty_query():
    assert pictures.search("xylophonequartz") == []
    assert len(pictures.search("")) == len(pictures.library())


def test_every_section_has_a_default_picture():
    for key in (*compose.SECTION_KEYS, compose.SECTION_CUSTOM):
        assert pictures.get_picture(pictures.default_picture(key)) is not None, key


@pytest.mark.parametrize(("interests", "expected"), [
    ("football, K-Pop and drawing", ["football", "microphone", "painting"]),
    ("Dinosaurs; Minecraft", ["dinosaur", "pickaxe"]),
    ("swimming, dancing, animals", ["swimming", "dancing", "paw-prints"]),
    ("cooking with my carer and reading Harry Potter", ["cooking", "open-book"]),
    ("gaming (FIFA)", ["video-game"]),
    ("nothing we know", []),
])
def test_common_interests_map_to_pictures(interests, expected):
    assert pictures.interest_pictures(interests) == expected


def test_own_pictures_added_found_and_attached(session):
    png_id = pictures.add_picture(session, "Speech therapist: talking", PNG, "image/png",
                                  "rights", "talking chat symbols")
    svg_id = pictures.add_picture(session, "My photo", SVG, "image/svg+xml")
    ref = f"own:{png_id}"
    assert pictures.get_picture(ref, session).name == "Speech therapist: talking"
    assert pictures.get_picture(ref) is None  # no session, no own pictures
    assert pictures.search("symbols", session)[0].ref == ref
    groups = pictures.by_topic(session)
    assert ref in [p.ref for p in groups["rights"]]
    assert [p.ref for p in groups[pictures.OWN_TOPIC]] == [f"own:{svg_id}"]
    assert pictures.picture_data(ref, session).content == PNG
    doc = LetterDocument(review_id=None, child_name="Mia", review_date=D(2026, 1, 5),
                         age_band="9-12", iro_photo=f"own:{svg_id}",
                         sections=[LetterSection("hello", "Hello", "Hi", ref)])
    pictures.attach_pictures(session, doc)
    assert set(doc.picture_data) == {ref, f"own:{svg_id}"}
    pictures.remove_picture(session, png_id)
    assert session.get(Picture, png_id) is None


def test_add_picture_validates(session):
    pictures.add_picture(session, "Taken", PNG, "image/png")
    with pytest.raises(ValidationError) as caught:
        pictures.add_picture(session, "Taken", SVG, "image/png")
    assert set(caught.value.errors) == {"name", "mime"}
    with pytest.raises(ValidationError) as caught:
        pictures.add_picture(session, "", b"", "image/gif")
    assert set(caught.value.errors) == {"name", "data", "mime"}
    with pytest.raises(ValidationError) as caught:
        pictures.add_picture(session, "Big", PNG + b"0" * pictures.MAX_PICTURE_BYTES, "image/png")
    assert "data" in caught.value.errors
    assert pictures.add_picture(session, "A jpeg", b"\xff\xd8\xff\xe0rest", "image/jpg") > 0
