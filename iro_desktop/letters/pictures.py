"""Pictures for letters: a bundled library of colour pictograms (OpenMoji, CC BY-SA 4.0) grouped by
topic and searchable by word, plus the IRO's own pictures (their photo, a speech and language
therapist's icons) kept encrypted in the `picture` table.

A picture is named by a reference string:
- a bundled pictogram id, e.g. "house", "football" (see `resources/pictograms/catalogue.json`);
- "own:<Picture.id>" for one of the IRO's own pictures.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop.caseload.validation import Problems
from iro_desktop.db.models import Picture
from iro_desktop.letters.compose import LetterDocument, PictureData
from iro_desktop.paths import resource_path

OWN_PREFIX = "own:"
OWN_TOPIC = "my pictures"
ALLOWED_MIME_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
MAX_PICTURE_BYTES = 5 * 1024 * 1024

# (key, label) in the order a picture picker shows them; OWN_TOPIC comes first when not empty.
TOPICS: tuple[tuple[str, str], ...] = (
    ("home", "Home"),
    ("people", "People and family"),
    ("feelings", "Feelings"),
    ("school", "School and learning"),
    ("health", "Health and body"),
    ("hobbies", "Hobbies and interests"),
    ("sport", "Sport"),
    ("food", "Food and drink"),
    ("animals", "Animals"),
    ("travel", "Travel and places"),
    ("time", "Time and dates"),
    ("weather", "Weather and nature"),
    ("rights", "Rights, help and talking"),
    ("celebrations", "Celebrations"),
)

# Credit line for the bundled set (letters print it in small type; the About box shows it).
OPENMOJI_CREDIT = (
    "Pictures: OpenMoji, the open-source emoji and icon project (openmoji.org), "
    "licence CC BY-SA 4.0."
)


@dataclass(frozen=True, slots=True)
class PictureInfo:
    """A picture the IRO can put beside a section."""

    ref: str  # "house" or "own:3"
    name: str  # a child-friendly name ("A house")
    topic: str  # a TOPICS key, or OWN_TOPIC
    keywords: tuple[str, ...]
    own: bool  # one of the IRO's own pictures
    mime_type: str = "image/svg+xml"


CATALOGUE_FILE = "catalogue.json"

# The pictogram each kind of section starts with.
SECTION_PICTURES: dict[str, str] = {
    "hello": "wave",
    "took_part": "talking",
    "going_well": "star",
    "home": "house-garden",
    "family_time": "family",
    "school": "school",
    "health": "health-check",
    "decisions": "writing",
    "next": "calendar",
    "rights": "hand-up",
    "custom": "sparkles",
}

# Common interests, as IROs write them, to pictures. Keys are matched as whole words or phrases
# in the interests text (case-insensitive); the first listed wins for a phrase.
INTEREST_PICTURES: tuple[tuple[str, str], ...] = (
    ("football", "football"), ("soccer", "football"), ("basketball", "basketball"),
    ("rugby", "rugby"), ("cricket", "cricket"), ("tennis", "tennis"), ("netball", "volleyball"),
    ("swimming", "swimming"), ("swim", "swimming"), ("cycling", "cycling"), ("bike", "bike"),
    ("running", "running"), ("athletics", "running"), ("gymnastics", "gymnastics"),
    ("trampoline", "gymnastics"), ("boxing", "boxing"), ("karate", "martial-arts"),
    ("judo", "martial-arts"), ("taekwondo", "martial-arts"), ("martial arts", "martial-arts"),
    ("climbing", "climbing"), ("horse riding", "horse-riding"), ("horses", "horse"),
    ("ponies", "horse"), ("skating", "roller-skate"), ("skateboarding", "skateboard"),
    ("gym", "gym"), ("k-pop", "microphone"), ("kpop", "microphone"), ("singing", "microphone"),
    ("music", "music"), ("songs", "music"), ("guitar", "guitar"), ("piano", "piano"),
    ("drums", "drum"), ("violin", "violin"), ("dancing", "dancing"), ("dance", "dancing"),
    ("ballet", "ballet"), ("drawing", "painting"), ("painting", "painting"), ("art", "painting"),
    ("colouring", "crayon"), ("crafts", "scissors"), ("dinosaurs", "dinosaur"),
    ("dinosaur", "dinosaur"), ("minecraft", "pickaxe"), ("roblox", "video-game"),
    ("fortnite", "video-game"), ("gaming", "video-game"), ("video games", "video-game"),
    ("games console", "video-game"), ("playstation", "video-game"), ("xbox", "video-game"),
    ("lego", "bricks"), ("animals", "paw-prints"), ("dogs", "dog"), ("dog", "dog"),
    ("cats", "cat"), ("cat", "cat"), ("rabbits", "rabbit"), ("pets", "paw-prints"),
    ("cooking", "cooking"), ("baking", "cupcake"), ("reading", "open-book"),
    ("books", "books"), ("stories", "open-book"), ("films", "films"), ("movies", "films"),
    ("cartoons", "tv"), ("tv", "tv"), ("youtube", "tv"), ("tiktok", "phone"), ("phone", "phone"),
    ("photography", "camera"), ("drama", "drama"), ("acting", "drama"), ("theatre", "drama"),
    ("science", "science"), ("space", "rocket"), ("robots", "robot"), ("coding", "laptop"),
    ("computers", "laptop"), ("puzzles", "puzzle"), ("chess", "chess"),
    ("board games", "dice"), ("fishing", "fishing"), ("camping", "tent"), ("scouts", "tent"),
    ("gardening", "gardening"), ("unicorns", "unicorn"), ("superheroes", "superhero"),
    ("marvel", "superhero"), ("magic", "magic"), ("cars", "car"), ("trains", "train"),
    ("fashion", "sparkles"), ("make-up", "sparkles"), ("nails", "sparkles"),
    ("food", "meal"), ("pizza", "pizza"), ("knitting", "knitting"), ("sewing", "sewing"),
    # The youngest children's favourite things.
    ("park", "park"), ("swings", "playground"), ("slide", "playground"),
    ("playground", "playground"), ("nursery rhymes", "music"), ("rhymes", "music"),
    ("bath", "bath"), ("splashing", "bath"), ("teddy", "teddy"), ("ducks", "duck"),
    ("balloons", "balloon"), ("duplo", "bricks"), ("bluey", "tv"), ("peppa pig", "tv"),
)


@lru_cache(maxsize=1)
def _catalogue() -> tuple[PictureInfo, ...]:
    path = resource_path("pictograms", CATALOGUE_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        PictureInfo(ref=item["id"], name=item["name"], topic=item["topic"],
                    keywords=tuple(item.get("keywords", ())), own=False)
        for item in data["pictures"]
    )


@lru_cache(maxsize=1)
def _by_ref() -> dict[str, PictureInfo]:
    return {p.ref: p for p in _catalogue()}


def library() -> list[PictureInfo]:
    """Every bundled pictogram, in catalogue order (read once, then cached)."""
    return list(_catalogue())


def pictogram_file(ref: str) -> Path | None:
    """The bundled SVG file of a pictogram id, or None for an unknown or own picture."""
    if ref not in _by_ref():
        return None
    return resource_path("pictograms", "svg", f"{ref}.svg")


def _own_info(row: Picture) -> PictureInfo:
    words = tuple(w for w in re.split(r"[\s,;]+", row.keywords or "") if w)
    return PictureInfo(ref=f"{OWN_PREFIX}{row.id}", name=row.name, topic=row.topic or OWN_TOPIC,
                       keywords=words, own=True, mime_type=row.mime_type)


def _own_pictures(session: Session) -> list[PictureInfo]:
    rows = session.execute(
        select(Picture.id, Picture.name, Picture.topic, Picture.keywords, Picture.mime_type)
        .order_by(Picture.name)
    ).all()
    return [
        PictureInfo(ref=f"{OWN_PREFIX}{r.id}", name=r.name, topic=r.topic or OWN_TOPIC,
                    keywords=tuple(w for w in re.split(r"[\s,;]+", r.keywords or "") if w),
                    own=True, mime_type=r.mime_type)
        for r in rows
    ]


def all_pictures(session: Session | None = None) -> list[PictureInfo]:
    """The IRO's own pictures (when a session is given) followed by the bundled library."""
    own = _own_pictures(session) if session is not None else []
    return own + library()


def by_topic(session: Session | None = None) -> dict[str, list[PictureInfo]]:
    """Pictures grouped by topic key: the IRO's own pictures first (each under its topic, or
    OWN_TOPIC), then TOPICS in order."""
    groups: dict[str, list[PictureInfo]] = {}
    own = _own_pictures(session) if session is not None else []
    for picture in own:
        groups.setdefault(picture.topic or OWN_TOPIC, []).append(picture)
    for key, _label in TOPICS:
        groups.setdefault(key, [])
    for picture in library():
        groups.setdefault(picture.topic, []).append(picture)
    return groups


def topic_label(key: str) -> str:
    """The label of a topic key ("people" -> "People and family"); own topics as written."""
    return dict(TOPICS).get(key, key[:1].upper() + key[1:])


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w'-]+", text.casefold()) if w]


def _match_score(picture: PictureInfo, words: list[str]) -> int:
    name_words = _words(picture.name) + _words(picture.ref.replace("-", " "))
    keywords = [k.casefold() for k in picture.keywords]
    topic_words = _words(picture.topic) + _words(topic_label(picture.topic))
    total = 0
    for word in words:
        if word in name_words:
            total += 6
        elif word in keywords:
            total += 5
        elif any(n.startswith(word) for n in name_words):
            total += 4
        elif any(k.startswith(word) for k in keywords):
            total += 3
        elif any(t.startswith(word) for t in topic_words):
            total += 1
        else:
            return 0
    return total


def search(
    query: str, session: Session | None = None, limit: int | None = None
) -> list[PictureInfo]:
    """Pictures matching every word of `query` (name, keywords, topic; case-insensitive, word
    starts match: "foot" finds football), best matches first. An empty query gives them all."""
    candidates = all_pictures(session)
    words = _words(query)
    if not words:
        return candidates[:limit] if limit else candidates
    scored = [(score, index, p) for index, p in enumerate(candidates)
              if (score := _match_score(p, words)) > 0]
    scored.sort(key=lambda item: (-item[0], item[1]))
    found = [p for _score, _index, p in scored]
    return found[:limit] if limit else found


def own_picture_id(ref: str) -> int | None:
    """The Picture id in an "own:<id>" reference, else None."""
    if not ref.startswith(OWN_PREFIX):
        return None
    try:
        return int(ref[len(OWN_PREFIX):])
    except ValueError:
        return None


def get_picture(ref: str, session: Session | None = None) -> PictureInfo | None:
    """The picture with this reference, or None (an own picture needs the session)."""
    picture_id = own_picture_id(ref)
    if picture_id is None:
        return _by_ref().get(ref)
    if session is None:
        return None
    row = session.get(Picture, picture_id)
    return _own_info(row) if row is not None else None


def default_picture(section_key: str) -> str:
    """The pictogram a new section of this kind starts with (every SECTION_KEYS key has one)."""
    return SECTION_PICTURES.get(section_key, SECTION_PICTURES["custom"])


@lru_cache(maxsize=1)
def _interest_pattern() -> re.Pattern[str]:
    alternatives = sorted({k for k, _ in INTEREST_PICTURES}, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+") for a in alternatives)
    return re.compile(rf"(?<![\w])({body})(?![\w])", re.IGNORECASE)


def interest_pictures(interests: str, limit: int = 4) -> list[str]:
    """Pictogram references for a child's interests as the IRO wrote them ("football, K-Pop,
    drawing"): common interests map to pictures; unknown ones are skipped."""
    mapping = dict(INTEREST_PICTURES)
    found: list[str] = []
    for match in _interest_pattern().finditer(interests or ""):
        key = re.sub(r"[\s-]+", " ", match.group(1).casefold())
        ref = mapping.get(key) or mapping.get(key.replace(" ", "-"))
        if ref and ref not in found:
            found.append(ref)
        if len(found) >= limit:
            break
    return found


@lru_cache(maxsize=512)
def _bundled_bytes(ref: str) -> bytes:
    path = pictogram_file(ref)
    assert path is not None
    return path.read_bytes()


def picture_data(ref: str, session: Session | None = None) -> PictureData | None:
    """The bytes of a picture: a bundled SVG, or one of the IRO's own (needs the session)."""
    picture_id = own_picture_id(ref)
    if picture_id is None:
        if ref not in _by_ref():
            return None
        return PictureData("image/svg+xml", _bundled_bytes(ref))
    if session is None:
        return None
    row = session.get(Picture, picture_id)
    return PictureData(row.mime_type, bytes(row.content)) if row is not None else None


def sniff_mime(data: bytes) -> str | None:
    """The picture type the bytes really are (PNG, JPEG or SVG), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    looks_like_xml = head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg"))
    if looks_like_xml and b"<svg" in data[:8192].lower():
        return "image/svg+xml"
    return None


def add_picture(session: Session, name: str, data: bytes, mime: str,  # noqa: PLR0917 (the contract)
                topic: str = OWN_TOPIC, keywords: str = "") -> int:
    """Add one of the IRO's own pictures (PNG, SVG or JPEG); returns its Picture id (use
    f"own:{id}" as its reference). Raises ValidationError for an empty or duplicate name
    ("name"), an unsupported type or content that is not that type ("mime"), or an empty file
    or one larger than MAX_PICTURE_BYTES ("data")."""
    problems = Problems()
    name = (name or "").strip()
    mime = (mime or "").strip().lower()
    if mime == "image/jpg":
        mime = "image/jpeg"
    if not name:
        problems.add("name", "Give the picture a name, so you can find it again.")
    elif len(name) > 80:
        problems.add("name", "Keep the name to 80 letters or fewer.")
    elif session.execute(select(Picture.id).where(Picture.name == name)).first() is not None:
        problems.add("name", "You already have a picture with this name.")
    if not data:
        problems.add("data", "The file is empty.")
    elif len(data) > MAX_PICTURE_BYTES:
        problems.add("data", "The picture is too big (more than 5 MB): make it smaller first.")
    if mime not in ALLOWED_MIME_TYPES:
        problems.add("mime", "Use a PNG, JPEG or SVG picture.")
    elif data and sniff_mime(data) != mime:
        problems.add("mime", "This file is not the kind of picture its name says.")
    problems.raise_if_any()
    row = Picture(name=name, topic=(topic or OWN_TOPIC).strip()[:40], keywords=keywords or "",
                  mime_type=mime, content=data)
    session.add(row)
    session.flush()
    return row.id


def remove_picture(session: Session, picture_id: int) -> None:
    """Delete one of the IRO's own pictures (letters that used it fall back to the section's
    default picture when drawn)."""
    row = session.get(Picture, picture_id)
    if row is not None:
        session.delete(row)
        session.flush()


def attach_pictures(session: Session, doc: LetterDocument) -> LetterDocument:
    """Fill `doc.picture_data` with the bytes of every own picture the document uses (its photo,
    section pictures), so the document renders without a database. Returns `doc`."""
    refs = {doc.iro_photo, *(s.picture for s in doc.sections), *doc.interest_pictures}
    for ref in refs:
        if own_picture_id(ref) is None or ref in doc.picture_data:
            continue
        data = picture_data(ref, session)
        if data is not None:
            doc.picture_data[ref] = data
    return doc
