"""The letter to the child after a review: a draft written from the review, saved and sent.

A letter is a `LetterDocument`: a few header facts (who it is to, who it is from, how to reach me)
and an ordered list of `LetterSection`s (key, title, text, picture) that the IRO edits freely.

    doc = draft_letter(session, review_id)      # generated from the review
    doc = load_letter(session, review_id)       # the saved letter, else a fresh draft
    save_letter(session, review_id, doc)        # stores it (the caller's transaction commits)
    mark_letter_sent(session, review_id, on)    # when it went to the child

Pictures are referenced by a string (`pictures.py`): a bundled pictogram id such as "house", or
"own:<Picture.id>" for a picture the IRO added (the IRO's photo, a therapist's icons).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from iro_desktop import settings
from iro_desktop.caseload.validation import Problems
from iro_desktop.db.models import Child, Decision, Episode, Letter, Review
from iro_desktop.letters.glossary import GlossaryTerm, glossary_terms, simplify
from iro_desktop.letters.shorthand import expand
from iro_desktop.rules.participation import age_on
from iro_desktop.rules.reviews import due_after, periods_of_care, reviews_in_period

# ---------------------------------------------------------------------------------------------
# Age bands. "0-3": a letter for a child under 4 to keep and read (or have read) later.
# ---------------------------------------------------------------------------------------------
BAND_UNDER_4 = "0-3"
BAND_4_8 = "4-8"
BAND_9_12 = "9-12"
BAND_13_PLUS = "13+"
AGE_BANDS: tuple[str, ...] = (BAND_UNDER_4, BAND_4_8, BAND_9_12, BAND_13_PLUS)
AGE_BAND_LABELS: dict[str, str] = {
    BAND_UNDER_4: "Under 4 (a letter to keep for later)",
    BAND_4_8: "Age 4 to 8",
    BAND_9_12: "Age 9 to 12",
    BAND_13_PLUS: "Age 13 and over",
}

# ---------------------------------------------------------------------------------------------
# Sections, in the order a draft has them. The IRO may reorder, remove, retitle and add
# ("custom") sections; keys only say where a section came from and pick its default picture.
# ---------------------------------------------------------------------------------------------
SECTION_HELLO = "hello"  # hello and who I am
SECTION_TOOK_PART = "took_part"  # how you took part and what you told me
SECTION_GOING_WELL = "going_well"  # what is going well
SECTION_HOME = "home"  # where you live
SECTION_FAMILY_TIME = "family_time"  # family time
SECTION_SCHOOL = "school"  # school (or college, work)
SECTION_HEALTH = "health"  # health
SECTION_DECISIONS = "decisions"  # what we decided, who will do it and by when
SECTION_NEXT = "next"  # what happens next and your next meeting
SECTION_RIGHTS = "rights"  # your rights: advocate, complaints, asking me to challenge
SECTION_CUSTOM = "custom"  # a section the IRO added

SECTION_KEYS: tuple[str, ...] = (
    SECTION_HELLO,
    SECTION_TOOK_PART,
    SECTION_GOING_WELL,
    SECTION_HOME,
    SECTION_FAMILY_TIME,
    SECTION_SCHOOL,
    SECTION_HEALTH,
    SECTION_DECISIONS,
    SECTION_NEXT,
    SECTION_RIGHTS,
)

# Default titles per band (the 13+ letter is less sing-song; the under-4 one is for later).
DEFAULT_TITLES: dict[str, dict[str, str]] = {
    BAND_4_8: {
        SECTION_HELLO: "Hello!",
        SECTION_TOOK_PART: "You and your meeting",
        SECTION_GOING_WELL: "What is going well",
        SECTION_HOME: "Your home",
        SECTION_FAMILY_TIME: "Family time",
        SECTION_SCHOOL: "School",
        SECTION_HEALTH: "Keeping well",
        SECTION_DECISIONS: "What we agreed",
        SECTION_NEXT: "What happens next",
        SECTION_RIGHTS: "You can ask for help",
        SECTION_CUSTOM: "Something else",
    },
    BAND_9_12: {
        SECTION_HELLO: "Hello, and who I am",
        SECTION_TOOK_PART: "How you took part, and what you told me",
        SECTION_GOING_WELL: "What is going well",
        SECTION_HOME: "Where you live",
        SECTION_FAMILY_TIME: "Family time",
        SECTION_SCHOOL: "School",
        SECTION_HEALTH: "Your health",
        SECTION_DECISIONS: "What we decided",
        SECTION_NEXT: "What happens next, and your next meeting",
        SECTION_RIGHTS: "Your rights",
        SECTION_CUSTOM: "Something else",
    },
    BAND_13_PLUS: {
        SECTION_HELLO: "Hello, and who I am",
        SECTION_TOOK_PART: "How you took part, and what you told me",
        SECTION_GOING_WELL: "What is going well",
        SECTION_HOME: "Where you live",
        SECTION_FAMILY_TIME: "Family time",
        SECTION_SCHOOL: "School, college and work",
        SECTION_HEALTH: "Your health",
        SECTION_DECISIONS: "What we decided",
        SECTION_NEXT: "What happens next, and your next meeting",
        SECTION_RIGHTS: "Your rights",
        SECTION_CUSTOM: "Something else",
    },
    BAND_UNDER_4: {
        SECTION_HELLO: "Hello",
        SECTION_TOOK_PART: "Your meeting",
        SECTION_GOING_WELL: "What is going well",
        SECTION_HOME: "Your home",
        SECTION_FAMILY_TIME: "Family time",
        SECTION_SCHOOL: "Nursery and play",
        SECTION_HEALTH: "Keeping well",
        SECTION_DECISIONS: "What we agreed",
        SECTION_NEXT: "What happens next",
        SECTION_RIGHTS: "When you are older",
        SECTION_CUSTOM: "Something else",
    },
}


def default_title(section_key: str, age_band: str = BAND_9_12) -> str:
    """The title a new section of this kind gets in a letter for this age band."""
    titles = DEFAULT_TITLES.get(age_band, DEFAULT_TITLES[BAND_9_12])
    return titles.get(section_key, titles[SECTION_CUSTOM])


@dataclass(slots=True)
class LetterSection:
    """One part of the letter: a heading with a picture beside it, and the words under it.

    `text` is plain text; a blank line starts a new paragraph and lines starting with "- " are
    bullet points. `picture` is a picture reference ("house", "own:3") or "" for none.
    """

    key: str
    title: str
    text: str
    picture: str = ""

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "title": self.title, "text": self.text, "picture": self.picture}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LetterSection:
        return cls(
            key=str(data.get("key", SECTION_CUSTOM)),
            title=str(data.get("title", "")),
            text=str(data.get("text", "")),
            picture=str(data.get("picture", "")),
        )


@dataclass(slots=True)
class PictureData:
    """The bytes of one of the IRO's own pictures, carried with a document so that rendering it
    needs no database (the PDF renderer and the composer's preview take a document only)."""

    mime_type: str  # image/png | image/svg+xml | image/jpeg
    content: bytes


@dataclass(slots=True)
class LetterDocument:
    """A whole letter, as drafted or as the IRO left it.

    Header facts are stored with the letter (in `Letter.header`), so a letter read years later
    still says who wrote it and how to reach them then, even after the settings change.
    """

    review_id: int | None
    child_name: str  # the name the child likes to be called
    review_date: dt.date  # the date of the first meeting of the review
    age_band: str  # one of AGE_BANDS
    sections: list[LetterSection] = field(default_factory=list)
    greeting: str = ""  # "Dear Mia,"
    sign_off: str = ""  # "From Sam" (the last line; the IRO's full name and role follow)
    iro_name: str = ""  # full name, under the sign-off
    iro_role: str = "Your Independent Reviewing Officer"
    iro_phone: str = ""
    iro_email: str = ""
    iro_council: str = ""
    iro_photo: str = ""  # picture reference ("own:3") or ""
    interest_pictures: list[str] = field(default_factory=list)  # a little strip by the greeting
    sent_on: dt.date | None = None
    # Own pictures used by this document, by reference ("own:3"): filled by draft/load_letter
    # and by `pictures.attach_pictures(session, doc)` after the IRO picks a new one.
    picture_data: dict[str, PictureData] = field(default_factory=dict)

    def section(self, key: str) -> LetterSection | None:
        """The first section with this key, or None."""
        return next((s for s in self.sections if s.key == key), None)

    def plain_text(self) -> str:
        """Every word a child reads, in order (greeting, titles, texts, sign-off): for the
        readability score and the jargon check of the whole letter."""
        parts = [self.greeting]
        for s in self.sections:
            parts.extend([s.title, s.text])
        parts.append(self.sign_off)
        return "\n\n".join(p for p in parts if p)

    def header_json(self) -> dict[str, Any]:
        """The header facts as stored in `Letter.header`."""
        data = asdict(self)
        for name in ("review_id", "sections", "picture_data", "sent_on", "review_date", "age_band"):
            data.pop(name)
        return data

    def copy(self) -> LetterDocument:
        return replace(
            self,
            sections=[replace(s) for s in self.sections],
            interest_pictures=list(self.interest_pictures),
            picture_data=dict(self.picture_data),
        )


def age_band_for(date_of_birth: dt.date, on: dt.date) -> str:
    """The letter band for a child of this age on the review date: 0-3, 4-8, 9-12 or 13+."""
    age = age_on(date_of_birth, on)
    if age < 4:
        return BAND_UNDER_4
    if age <= 8:
        return BAND_4_8
    if age <= 12:
        return BAND_9_12
    return BAND_13_PLUS


# --- small helpers -----------------------------------------------------------------------------


def format_date(day: dt.date) -> str:
    """A date as a letter writes it: "Friday 12 March 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """"12 March 2027"."""
    return f"{day.day} {day:%B %Y}"


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def first_names(full: str) -> str:
    """The name a child would use: "Janet Pickering" -> "Janet", "Sam and Alex Whitfield" ->
    "Sam and Alex"; names in brackets or of one word are kept as written."""
    name = " ".join(full.split())
    if not name or "(" in name:
        return name
    words = name.split(" ")
    if words[0].rstrip(".").lower() in _KEEP_WHOLE:
        return name
    if len(words) >= 2 and words[-1][:1].isupper() and words[-2].lower() not in ("and", "&"):
        return " ".join(words[:-1])
    return name


# Names kept as written: titles, and the family words children use ("Uncle Darren").
_KEEP_WHOLE = {"mr", "mrs", "ms", "miss", "mx", "dr", "uncle", "aunt", "auntie", "aunty", "nan",
               "nana", "nanna", "gran", "granny", "grandma", "grandad", "grandpa", "grandmother",
               "grandfather", "family", "cousin", "big", "mum", "dad", "mummy", "daddy"}

_GENERIC_NAMES = {"", "the carer", "carer", "the carers", "the social worker", "social worker",
                  "designated teacher", "the teacher", "teacher", "advocate", "the advocate",
                  "interpreter", "the interpreter", "independent visitor", "health",
                  "team manager", "the team manager", "personal adviser", "other"}


def _real_name(name: str) -> str:
    """A participant's or owner's name, or "" when it is only a role written as a name."""
    return "" if name.strip().lower() in _GENERIC_NAMES else name.strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|;\s*|\n+")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_UK_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _plain_dates(text: str) -> str:
    """Dates typed as "2026-12-01" or "01/12/2026" written as a letter writes them:
    "1 December 2026" (a child does not read ISO dates). Not a real date: left as typed."""

    def plain(year: str, month: str, day: str, match: re.Match[str]) -> str:
        try:
            return short_date(dt.date(int(year), int(month), int(day)))
        except ValueError:
            return match.group(0)

    text = _ISO_DATE.sub(lambda m: plain(m.group(1), m.group(2), m.group(3), m), text)
    return _UK_DATE.sub(lambda m: plain(m.group(3), m.group(2), m.group(1), m), text)


def _sentences(text: str) -> list[str]:
    """Split a note into short sentences, each with a capital and one full stop ("Likes
    school.." and "She is funny..." end with one)."""
    out = []
    for raw in _SENTENCE_END.split(_plain_dates(text or "")):
        part = raw.strip(" \t-•")
        part = re.sub(r"\s*([.!?])[.!?\s]*$", r"\1", part)
        if not part.strip(".!? "):
            continue
        part = part[:1].upper() + part[1:]
        if part[-1] not in ".!?":
            part += "."
        out.append(part)
    return out


def _tidy(text: str) -> str:
    """The last look at a paragraph before the child reads it: one full stop, no space before
    punctuation, no doubled commas or spaces, no ISO dates (line breaks are kept: bullets)."""
    text = _plain_dates(text)
    text = re.sub(r"([.!?])\.+", r"\1", text)
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    return re.sub(r"[ \t]{2,}", " ", text)


def _sentence_key(sentence: str) -> str:
    """What two sentences share when a child would read them as the same: the words, whatever
    the case, spacing and punctuation ("He needs new glasses!" is "he needs new glasses.")."""
    words = re.sub(r"[^\w\s]", " ", sentence.lower().replace("’", "'").replace("'", ""))
    return " ".join(words.split())


_SPLIT_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[^a-z])")


def _split_sentences(text: str) -> list[str]:
    """A paragraph as its sentences (for saying each once), keeping each sentence's words."""
    return [s for s in _SPLIT_SENTENCES.split(text.strip()) if s.strip()]


def _verb_for_you(verb: str) -> str:
    """'says' -> 'say', 'goes' -> 'go', 'tries' -> 'try', 'is' -> 'are', 'has' -> 'have'."""
    lower = verb.lower()
    irregular = {"is": "are", "was": "were", "has": "have", "does": "do", "goes": "go",
                 "isn't": "aren't", "wasn't": "weren't", "doesn't": "don't", "hasn't": "haven't"}
    if lower in irregular:
        return irregular[lower]
    if lower.endswith("ies") and len(lower) > 4:
        return verb[:-3] + "y"
    if lower.endswith(("ches", "shes", "sses", "xes", "zes")):
        return verb[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return verb[:-1]
    return verb


# "you are settled and is growing" -> "and are growing": common verbs after and/but/or.
_AFTER_YOU = re.compile(
    r"(?<=\byou\b)([^.!?]*?\b(?:and|but|or|then))\s+(is|was|has|does|says|said|wants|likes|"
    r"loves|feels|enjoys|needs|goes|attends|sees|gets|makes|tries|seems|knows|thinks|lives|"
    r"takes|plays|visits|hopes|asks|hates|misses|worries|talks|isn't|wasn't|doesn't|hasn't)\b",
    re.IGNORECASE)

_ADVERBS = r"(?:still|also|often|sometimes|now|really|usually|always|never|just|already|" \
           r"mostly|generally|clearly|rarely)"

_NOT_VERBS = {"and", "or", "but", "at", "in", "on", "with", "to", "for", "of", "from", "about",
              "the", "a", "an", "this", "that", "who", "which", "when", "as", "by", "if"}


def to_second_person(text: str, names: list[str], sex: str = "U") -> str:
    """The IRO's note about the child turned to "you": "Mia is settled and says she feels safe"
    -> "You are settled and say you feel safe". Only sentences naming the child change their
    pronouns; the IRO reads and edits the result."""
    names = sorted({n for n in names if n}, key=len, reverse=True)
    if not names or not text:
        return text
    name_re = "|".join(re.escape(n) for n in names)
    pronouns = r"they|she|he" if sex in ("F", "M") else r"they"
    own_pronoun = {"F": r"\b(?:she|her|herself)\b", "M": r"\b(?:he|him|his|himself)\b"}.get(
        sex, r"\b(?:they|their|them)\b")
    out = []
    mentioned = False
    for sentence in _sentences(text):
        names_child = bool(re.search(rf"\b(?:{name_re})\b", sentence) or re.search(
            r"(?i)\bthe (?:child|young person)\b", sentence))
        mentioned = mentioned or names_child
        if not names_child and not (mentioned and re.search(own_pronoun, sentence, re.I)):
            out.append(sentence)
            continue
        s = re.sub(r"(?i)\bthe (?:child|young person)'s\b", "your", sentence)
        s = re.sub(rf"\b(?:{name_re})'s\b", "your", s)
        s = re.sub(r"(?i)\bthe (?:child|young person)\b", names[0], s)

        def subject(match: re.Match[str]) -> str:
            adverb, verb = match.group(2), match.group(3)
            if verb.lower() in _NOT_VERBS:
                return "you " + adverb + verb
            return "you " + adverb + _verb_for_you(verb)

        s = re.sub(rf"\b(?:{name_re})\s+({_ADVERBS}\s+)?([A-Za-z'’]+)", lambda m: "you " + (
            m.group(1) or "") + (m.group(2) if m.group(2).lower() in _NOT_VERBS else
                                 _verb_for_you(m.group(2))), s)
        s = re.sub(rf"\b(?:{name_re})\b", "you", s)
        s = re.sub(rf"(?i)\b({pronouns})\s+((?:{_ADVERBS}\s+)?)([A-Za-z'’]+)", subject, s)
        s = re.sub(r"(?i)\btheir\b", "your", s)
        s = re.sub(r"(?i)\bthemselves\b", "yourself", s)
        s = re.sub(r"(?i)\bthemself\b", "yourself", s)
        s = re.sub(r"(?i)\bthem\b", "you", s)
        if sex == "F":
            s = re.sub(r"(?i)\bherself\b", "yourself", s)
            s = re.sub(r"(?i)\bher(?=\s+(?:to|that|and|a|the|with|about|if|when|know)\b|[.,;!?]|$)",
                       "you", s)
            s = re.sub(r"(?i)\bher\b", "your", s)
        elif sex == "M":
            s = re.sub(r"(?i)\bhimself\b", "yourself", s)
            s = re.sub(r"(?i)\bhim\b", "you", s)
            s = re.sub(r"(?i)\bhis\b", "your", s)
        s = _AFTER_YOU.sub(lambda m: m.group(1) + " " + _verb_for_you(m.group(2)), s)
        s = s[:1].upper() + s[1:]
        out.append(s)
    return " ".join(out)


def _child_words(text: str, names: list[str], sex: str, terms: list[GlossaryTerm],
                 skip: frozenset[str] = frozenset()) -> str:
    """A note from the record, for the child: shorthand made into sentences (or left out when it
    cannot be: `shorthand.expand`), about "you", with the care words replaced. "" when nothing
    in the note makes a sentence. A sentence of the note whose `_sentence_key` is in `skip` is
    left out (a decision written into the note too: the decision says who and by when)."""
    whole = [s for s in (expand(sentence, names) for sentence in _sentences(_key_worker(text))
                         if _sentence_key(_decision_words(sentence)) not in skip) if s]
    if not whole:
        return ""
    words = simplify(to_second_person(" ".join(whole), names, sex), terms)
    return _your_people(words)


# "the carers" in a note or a decision is the child's own: "your carers".
_THE_PEOPLE = re.compile(r"\bthe (social worker|foster carers?|carers?)\b(?!'s own)",
                         re.IGNORECASE)


def _your_people(text: str) -> str:
    """"with the social worker" -> "with your social worker": the child has one, and it is
    theirs."""
    return _THE_PEOPLE.sub(lambda m: ("Your " if m.group(0)[:1] == "T" else "your ") +
                           m.group(1).lower(), text)


# --- who does what: owner roles in a child's words ------------------------------------------


def _role_phrase(role: str, name: str, child: Child, band: str, carer_then: str | None = None
                 ) -> tuple[str, bool]:
    """(who, plural): "Your social worker, Amira" / "You" / "I" for a decision's owner.
    `carer_then`: the carers when the decision was made (`carer_on`), else the child's now."""
    key = role.strip().lower()
    name = _real_name(name or "")
    if carer_then is None:
        carer_then = _CARER_NOTE.sub("", child.carer_name or "").strip()
    if key in ("the child", "child", "young person", "the young person", "you"):
        return "You", True
    if key in ("iro", "independent reviewing officer", "me"):
        return "I", True
    if key == "social worker":
        who = first_names(name or child.social_worker_name)
        return (f"Your social worker, {who}," if who else "Your social worker"), False
    if key in ("carer", "carers", "foster carer", "foster carers"):
        who = _family_words(first_names(_CARER_NOTE.sub("", name).strip() or carer_then))
        plural = " and " in who or key.endswith("s")
        if _PARENT_WORDS.match(who):  # living at home: "Mum will", not "Your carer, Mum, will"
            return who[:1].upper() + who[1:], plural
        title = "Your carers" if plural else "Your carer"
        return (f"{title}, {who}," if who else title), plural
    if key == "parent":
        return (name if name else "Your mum or dad"), " and " in name
    if key == "team manager":
        return "Your social worker's manager", False
    if key == "supervising social worker":
        return "Your carer's own social worker", False
    if key == "personal adviser":
        who = first_names(name)
        return (f"Your personal adviser, {who}," if who else "Your personal adviser"), False
    if key in ("designated teacher", "teacher"):
        who = first_names(name)
        return (f"{who}, your teacher," if who else "Your teacher at school"), False
    if key == "virtual school":
        return "The team that helps children in care with school", False
    if key in ("health", "health professional", "nurse", "doctor"):
        return (first_names(name) if name else "Your nurse or doctor"), False
    who = simplify(role.strip())
    if name:
        return f"{first_names(name)} ({who.lower()})", False
    return (who[:1].upper() + who[1:]) if who else "Someone", False


_IMPERATIVE_HINT = re.compile(
    r"^(?:arrange|book|start|refer|complete|send|apply|share|update|help|make|ask|find|talk|tell|"
    r"look|check|visit|write|plan|organise|organize|support|continue|keep|give|get|take|speak|"
    r"meet|set|agree|explore|consider|review|provide|ensure|attend|join|open|buy|register|chase|"
    r"request|invite|discuss|confirm|seek|identify|increase|reduce|move|go|see|stay|introduce|"
    r"try|learn|think|read|choose|bring|show|put|fill|finish|begin|pay|teach|record|prepare|"
    r"explain|let|do|be|have|sort|fix|contact|liaise|obtain|secure|progress|submit|provide)\b",
    re.IGNORECASE)
_OWNER_PREFIX = re.compile(
    r"^(?:the\s+)?(?:sw|social worker|iro|carers?|foster carers?|fc|team manager|tm|"
    r"personal adviser|pa|designated teacher|parents?|mum|dad|child|young person)\s+to\s+",
    re.IGNORECASE)


def _decision_words(text: str) -> str:
    """A decision's words without who does it ("SW to arrange a dental check." -> "arrange a
    dental check"): what a note and a decision share when they say the same thing."""
    text = " ".join((text or "").split()).rstrip(".!? ")
    text = _OWNER_PREFIX.sub("", text)
    return re.sub(r"^to\s+", "", text, flags=re.IGNORECASE)


def decision_sentence(decision: Decision, child: Child, band: str,
                      terms: list[GlossaryTerm]) -> str:
    """One decision as the child reads it: "Your social worker, Amira, will book a dental check
    by 12 March 2027." """
    names = [n for n in (child.preferred_name, child.first_name) if n]
    text = _decision_words(_plain_dates(decision.text))
    text = re.sub(r"(?i)\b(?:and\s+)?(?:tell|inform|update)\s+the\s+IRO\b", lambda m: m.group(0)
                  .replace("the IRO", "me").replace("the iro", "me"), text)
    text = re.sub(r"(?i)\bthe IRO\b", "me", text)
    text = re.sub(r"(?i)\bthe (?:child|young person)'s\b", "your", text)
    text = re.sub(r"(?i)\bthe (?:child|young person)\b", "you", text)
    if names:
        name_re = "|".join(re.escape(n) for n in names)
        text = re.sub(rf"\b(?:{name_re})'s\b", "your", text)
        text = re.sub(rf"\b(?:{name_re})\b", "you", text)
    # "Refer (you) to X for help with Y" -> "ask X to help you with Y".
    text = re.sub(r"(?i)^refer(?: you)? to (.+?) for (?:help|support) with (.+)$",
                  r"ask \1 to help you with \2", text)
    text = re.sub(r"(?i)^refer(?: you)? to (.+)$", r"ask \1 to help you", text)
    text = _your_people(_not_twice(simplify(text, terms)))
    review = decision.review
    carer_then = carer_on(child, review.review_date) if review is not None else None
    who, _plural = _role_phrase(decision.owner_role or "", decision.owner_name or "", child,
                                band, carer_then)
    when = f" (by {short_date(decision.due_on)})" if decision.due_on else ""
    if _IMPERATIVE_HINT.match(text):
        what = text[:1].lower() + text[1:] if not text[:2].isupper() else text
        return f"{who} will {what}{when}."
    what = text[:1].upper() + text[1:]
    who_lower = who.rstrip(",")
    if who_lower not in ("You", "I"):
        who_lower = who_lower[:1].lower() + who_lower[1:] if who_lower.startswith("Your") else \
            who_lower
    doer = {"You": "You will do this", "I": "I will do this"}.get(
        who_lower, f"{who[:1].upper() + who[1:]} will do this")  # "Your carer, Jo, will"
    return f"{what}. {doer}{when}."


def _not_twice(text: str) -> str:
    """"ask people who help with feelings and worries to help you with sleep and worries" (CAMHS
    in plain words, then what for) -> "... to help you with sleep": what the helpers are named
    for is not said again."""
    match = re.match(r"(?i)^(ask (.+?) to help you) with (.+)$", text)
    if not match:
        return text
    helpers = set(_sentence_key(match.group(2)).split())
    wanted = [w for w in re.split(r",\s*|\s+and\s+", match.group(3)) if w.strip()]
    kept = [w for w in wanted if not set(_sentence_key(w).split()) <= helpers]
    if len(kept) == len(wanted):
        return text
    return f"{match.group(1)} with {_join(kept)}" if kept else match.group(1)


# --- participation in a child's words ---------------------------------------------------------


def _helper_name(review: Review) -> str:
    for person in review.participants:
        if person.role == "advocate" and person.attended:
            name = _real_name(person.name)
            return f"your advocate, {first_names(name)}" if name else "your advocate"
    return ""


def _took_part_text(review: Review, band: str, names: list[str]) -> list[str]:
    code = review.participation_code
    helper = _helper_name(review)
    young = band in (BAND_UNDER_4, BAND_4_8)
    child_came = any(p.role == "child" and p.attended for p in review.participants)
    lines: list[str]
    if code == "PN0":
        if child_came:
            lines = ["You came to the meeting too. You were too little to talk about it, but it "
                     "was lovely to see you."]
        else:
            lines = ["The grown-ups who look after you met to talk about you, and how to help "
                     "you grow up safe and happy."]
    elif code == "PN1":
        lines = ["You came to your meeting and told us what you think, in your own words. "
                 "Thank you." if young else
                 "You came to your meeting and spoke for yourself. Thank you: it really helps "
                 "when we hear it from you."]
    elif code == "PN2":
        who = helper or "I"
        lines = [f"You came to your meeting, and {who} helped by telling everyone what you "
                 "think." if who != "I" else
                 "You came to your meeting, and I helped by telling everyone what you think."]
    elif code == "PN3":
        lines = ["You came to your meeting and showed us how you feel in your own way. "
                 "Thank you."]
    elif code == "PN4":
        lines = ["You came to your meeting. You did not want to say much this time, and that "
                 "is okay. You can tell me what you think at any time."]
    elif code == "PN5":
        who = helper or "me"
        lines = [f"You did not come to the meeting, but you told {who} what you think before it. "
                 "I made sure everyone heard it."]
    elif code == "PN6":
        lines = ["You did not come to the meeting, but you told us what you think in another "
                 "way. I made sure everyone heard it."]
    elif code == "PN7":
        lines = ["You did not come to the meeting this time, and we did not hear what you think. "
                 "I would really like to hear from you next time, in any way you like."]
    else:
        lines = []
    if review.consultation_child:
        lines.append("Thank you for filling in your form before the meeting.")
    if review.seen_alone:
        lines.append("I also had some time to talk with just you.")
    return lines


# Notes an IRO writes after the carers' names, not part of the name a child knows them by.
_CARER_NOTE = re.compile(r"\s*\((?:adopters?|adoptive parents?|placed[^)]*|placement[^)]*|"
                         r"foster carers?|family (?:and|&) friends?[^)]*)\)", re.IGNORECASE)


def carer_on(child: Child, day: dt.date) -> str:
    """The carers as recorded (`Child.carer_name`, who the child lives with now) when they are
    who the child lived with on `day`, without notes such as "(adopters)"; "" when the child
    has moved since (a new placement with new carers, or a new period of care, after that day):
    a letter about an older review does not say the child lived with carers they met later."""
    for episode in child.episodes:
        if episode.start > day and episode.reason_new_episode in ("S", "P", "B"):
            return ""
    return _CARER_NOTE.sub("", child.carer_name or "").strip()


def _family_words(name: str) -> str:
    """"Family friend Tasha" -> "your family friend Tasha" (in the middle of a sentence)."""
    return re.sub(r"^(?:a |the )?family friend\b", "your family friend", name,
                  flags=re.IGNORECASE)


_PARENT_WORDS = re.compile(r"(?i)^(?:mum|dad|mummy|daddy|mum and dad|dad and mum|mother|"
                           r"father|your mum|your dad)$")


def _who_came(review: Review, child: Child) -> str:
    people = []
    for person in review.participants:
        if person.role == "child" or not person.attended or person.role == "interpreter":
            continue
        name = _CARER_NOTE.sub("", _real_name(person.name)).strip()
        role = person.role
        if role == "carer" and _lives_in_a_home(child, review):
            home = name or carer_on(child, review.review_date)
            people.append(f"staff from {home}" if home else "staff from your home")
        elif role == "carer":
            who = _family_words(first_names(name or carer_on(child, review.review_date)))
            title = "your carers" if " and " in who else "your carer"
            if _PARENT_WORDS.match(who):  # living at home: "Mum", not "Mum (your carer)"
                people.append(who)
            else:
                people.append(f"{who} ({title})" if who else title)
        elif role == "social_worker":
            who = first_names(name or child.social_worker_name)
            people.append(f"{who} (your social worker)" if who else "your social worker")
        elif role == "parent":
            people.append(name or "your mum or dad")
        elif role == "advocate":
            people.append(f"{first_names(name)} (your advocate)" if name else "your advocate")
        elif role == "teacher":
            people.append(f"{first_names(name)} (your teacher)" if name else
                          "a teacher from your school")
        elif role == "independent_visitor":
            people.append(f"{first_names(name)} (your visitor)" if name else "your visitor")
        elif role == "personal_adviser":
            people.append(f"{first_names(name)} (your personal adviser)" if name else
                          "your personal adviser")
        elif role == "health":
            people.append(f"{first_names(name)} (your nurse)" if name else "your nurse")
        elif role == "team_manager":
            people.append("your social worker's manager")
        elif role == "guardian":
            people.append(f"{first_names(name)}, who helps the court listen to you" if name else
                          "the person who helps the court listen to you")
        elif role == "relative":
            people.append(name or "someone from your family")
        else:
            people.append(name or "someone else who helps you")
    # Mum as the carer (living at home) and as a parent is one person at the meeting.
    once: dict[str, str] = {}
    for person in people:
        once.setdefault(person.lower(), person)
    return _join(list(once.values()))


def _lives_in_a_home(child: Child, review: Review) -> bool:
    """A children's home, supported housing or residential school rather than a family."""
    episode = _episode_on(child, review.review_date)
    return episode is not None and episode.placement[:1] in ("K", "R", "S")


def _venue_words(review: Review) -> str:
    """Where the meetings were; nothing when a series met in different places (the first
    meeting's place is not where the others were)."""
    if len(review.meetings) > 1:
        places = {_place_words(m.format, m.venue) for m in review.meetings}
        return places.pop() if len(places) == 1 else ""
    return _place_words(review.format, review.venue)


def _place_words(format_: str, venue: str) -> str:
    venue = (venue or "").strip()
    if format_ == "virtual" or venue.lower().startswith("online"):
        return "online"
    if not venue:
        return ""
    lowered = venue.lower()
    if lowered in ("the child's home", "child's home", "home", "the child's placement",
                   "placement", "foster home", "carer's home"):
        return "at your home"
    if lowered in ("family centre", "the family centre", "contact centre"):
        return "at the family centre"  # not the child's own, like their school
    if lowered in ("school", "nursery", "college", "the school"):
        return f"at {lowered if lowered.startswith('the') else 'your ' + lowered}"
    venue = re.sub(r"(?i)\bthe child's\b", "your", venue)
    venue = re.sub(r"(?i)\bonline\b", "online", venue)
    return f"at {venue[:1].lower() + venue[1:] if venue.split()[0].lower() in ('the',) else venue}"


def _meeting_dates(review: Review) -> list[dt.date]:
    dates = sorted({m.held_on for m in review.meetings}) or [review.review_date]
    return dates


# --- where the child lives ---------------------------------------------------------------------


def _episode_on(child: Child, day: dt.date) -> Episode | None:
    current = None
    for episode in child.episodes:
        if episode.start <= day and (episode.end is None or episode.end >= day):
            current = episode
    return current


def _home_sentence(child: Child, review: Review) -> str:
    episode = _episode_on(child, review.review_date)
    place = episode.placement if episode else ""
    named = carer_on(child, review.review_date)
    carer = _family_words(first_names(named))
    if place in ("A3", "A4", "A5", "A6"):  # placed for adoption: no "foster carer" here
        return f"You live with {carer}." if carer else ""
    if place.startswith("U"):
        if place in ("U1", "U2", "U3"):
            return f"You live with {carer}." if carer else "You live with people from your family."
        if carer:
            plural = " and " in carer
            return f"You live with {carer}, your foster carer{'s' if plural else ''}."
        return "You live with your foster carers."
    if place in ("K2", "R1", "K1", "S1"):
        home = _key_worker(named)
        if home:
            return f"You live at {home}."
        return "You live in a children's home."
    if place == "K3":
        return f"You live at {named}." if named else \
            "You live in a home where you get help to live on your own."
    if place in ("P1",):
        return "You live at home with your family."
    if carer:
        return f"You live with {carer}."
    return ""


# --- the next review ---------------------------------------------------------------------------


def object_session_dates(child: Child) -> list[dt.date]:
    """The child's review dates as stored (the relationship may predate a review just saved)."""
    from sqlalchemy.orm import object_session

    session = object_session(child)
    if session is None:
        return [r.review_date for r in child.reviews]
    return list(session.scalars(select(Review.review_date).where(Review.child_id == child.id)))


def next_review_due(child: Child, review: Review) -> dt.date | None:
    """When the review after this one is due (rules/reviews.py), or None when care has ended."""
    facts = [e.facts() for e in child.episodes]
    for period in periods_of_care(facts):
        if review.review_date >= period.start and (
                period.end is None or review.review_date <= period.end):
            if period.short_breaks_only:
                return None
            dates = list(object_session_dates(child))
            held = [d for d in reviews_in_period(period, dates) if d <= review.review_date]
            _kind, due = due_after(period.start, held)
            if period.end is not None and due > period.end:
                return None
            return due
    return None


# --- interests ---------------------------------------------------------------------------------


def interest_list(interests: str) -> list[str]:
    """"football, K-Pop and drawing" -> ["football", "K-Pop", "drawing"] (my -> your)."""
    parts = re.split(r"\s*(?:,|;|/|\n|\band\b|&)\s*", interests or "")
    out = []
    for raw in parts:
        part = raw.strip(" .")
        if not part:
            continue
        out.append(re.sub(r"(?i)\bmy\b", "your", part))
    return out


# --- the sections ------------------------------------------------------------------------------


def _key_worker(text: str) -> str:
    """"Willow House (key worker Jess)" -> "Willow House (the adult who looks after you most is
    Jess)"."""
    return re.sub(r"\(key worker ([^)]+)\)", r"(the adult who looks after you most is \1)",
                  text or "", flags=re.IGNORECASE)


def _section(key: str, band: str, paragraphs: list[str],
             terms: list[GlossaryTerm] | None = None) -> LetterSection:
    # A last pass with the glossary: names of homes and people as written in the record can
    # carry care words ("Willow House (key worker Jess)").
    text = "\n\n".join(_tidy(simplify(_key_worker(p), terms)) for p in paragraphs if p)
    return LetterSection(key=key, title=default_title(key, band), text=text,
                         picture=_pictures.default_picture(key))


def _record(review: Review, key: str) -> str:
    value = (review.record or {}).get(key, "")
    return str(value).strip() if value else ""


def _iro_settings(session: Session) -> dict[str, str]:
    keys = ("iro_name", "iro_first_name", "iro_phone", "iro_email", "iro_council", "iro_photo")
    return {k: str(settings.get(session, k) or "") for k in keys}


def _photo_ref(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if value.startswith(_pictures.OWN_PREFIX):
        return value
    if value.isdigit():
        return f"{_pictures.OWN_PREFIX}{value}"
    return value


def _reach_me(iro: dict[str, str], band: str) -> str:
    """How to reach me, in words; the numbers themselves are on the card at the end."""
    phone, email = iro["iro_phone"].strip(), iro["iro_email"].strip()
    if not phone and not email:
        return ""
    how = _join([w for w in ("ring" if phone else "", "text" if phone else "",
                             "email" if email else "") if w]).replace(" and ", " or ")
    if band == BAND_UNDER_4:
        return f"The people who look after you can {how} me. My details are at the end."
    if band == BAND_4_8:
        return f"Your carer can help you {how} me. My details are at the end of this letter."
    return f"You can {how} me at any time. My details are at the end of this letter."


def _hello(band: str, iro: dict[str, str], review: Review) -> list[str]:
    first = iro["iro_first_name"].strip() or first_names(iro["iro_name"]) or ""
    full = iro["iro_name"].strip() or first
    dates = _meeting_dates(review)
    when = short_date(dates[0])
    if len(dates) > 1:
        when = _join([short_date(d) for d in dates])
    where = _venue_words(review)
    where = f" {where}" if where else ""
    if band == BAND_UNDER_4:
        return [
            (f"My name is {full}. I am your Independent Reviewing Officer. "
             if full else "I am your Independent Reviewing Officer. ")
            + "I check that the grown-ups look after you well.",
            "You are too young to read this now. I wrote it for you to keep. When you are "
            "older, you can read it, or someone can read it with you.",
            f"We had a meeting about you on {when}{where}.",
        ]
    if band == BAND_4_8:
        name_line = f"My name is {first}." if first else "Hello from me."
        return [
            f"{name_line} My job is to check that you are safe and happy, and that the "
            "grown-ups do what they say.",
            f"We had a meeting about you on {when}{where}. This letter tells you about it. "
            "You can keep it.",
        ]
    if band == BAND_9_12:
        name_line = f"I am {full}, your Independent Reviewing Officer." if full else \
            "I am your Independent Reviewing Officer."
        return [
            f"{name_line} That is a long name! It means I check that your plan is working "
            "for you, and that the adults do what they say they will do. I do not work in "
            "your social worker's team, so I can speak up for you.",
            f"We met on {when}{where} for your review meeting. This letter tells you what we "
            "talked about and what we decided. It is yours to keep.",
        ]
    name_line = f"I'm {full}, your Independent Reviewing Officer." if full else \
        "I'm your Independent Reviewing Officer."
    return [
        f"{name_line} I run your review meetings. I check that your plan is right for you, "
        "and that everyone does what they said they would. I am not part of your social "
        "work team, so I can challenge them if something is not right.",
        f"We met on {when}{where} for your review. This letter is your record of what we "
        "talked about and what was decided. Keep it: you can read it again whenever you "
        "like.",
    ]


def _interests_line(band: str, child: Child) -> str:
    items = interest_list(child.interests)
    if not items:
        return ""
    liked = _join(items)
    if band == BAND_UNDER_4:
        return f"You enjoy {liked}."
    if band == BAND_4_8:
        return f"I know you love {liked}. That is great!"
    return f"I know you enjoy {liked}. Keep it up!"


def _rights(band: str, review: Review, iro: dict[str, str]) -> list[str]:
    reach = _reach_me(iro, band)
    has_advocate = review.advocacy == "has_one"
    if band == BAND_UNDER_4:
        return [
            "When you are older, you can come to your meetings and tell us what you think. "
            "You can always ask to talk to me.",
            reach,
        ]
    if band == BAND_4_8:
        advocate = ("You have a helper called an advocate. They help you say what you think."
                    if has_advocate else
                    "You can have a helper called an advocate. They help you say what you think.")
        return [
            "If you are worried or sad, tell your carer, your social worker or me.",
            advocate,
            "If you do not like something we decided, you can tell me. I will listen. I can ask "
            "for it to be looked at again.",
            reach,
        ]
    advocate = ("You have an advocate. An advocate is on your side and helps you say what you "
                "think." if has_advocate else
                "You can have an advocate. An advocate is on your side and helps you say what "
                "you think. Just ask me or your social worker.")
    lines = [advocate]
    if review.independent_visitor in ("discussed", "referred", "has_one") and band != BAND_4_8:
        lines.append("You have a visitor who is your friend." if
                     review.independent_visitor == "has_one" else
                     "You can also have a visitor: an adult who is not paid to be your friend, "
                     "and who visits you.")
    if band == BAND_9_12:
        lines += [
            "If you are not happy with how you are cared for, you can make a complaint. "
            "Your social worker or I can help you do it.",
            "If you do not agree with something we decided, tell me. I can ask for it to be "
            "looked at again, and I can take it to a manager if I need to.",
        ]
    else:
        lines += [
            "If you are unhappy with how you are cared for, you have the right to make a "
            "complaint to the council. Your social worker, your advocate or I can help.",
            "If you disagree with a decision, tell me. You can ask me to challenge it. I can "
            "take it to senior managers, and further if it is still not put right.",
            "You can ask to see what is written about you in your records.",
        ]
    lines.append(reach)
    return lines


def _next(band: str, child: Child, review: Review, leaving_care: str
          ) -> tuple[list[str], dt.date | None]:
    due = next_review_due(child, review)
    lines = []
    if due is not None:
        if band in (BAND_UNDER_4, BAND_4_8):
            lines.append(f"Your next meeting will be on or before {format_date(due)}.")
        else:
            lines.append(f"Your next review meeting will be on or before {format_date(due)}. "
                         "I will let you know the exact day.")
    if band == BAND_UNDER_4:
        lines.append("Before then, I will check that the grown-ups are doing what they said.")
    elif band == BAND_4_8:
        lines.append("Before then, I will check that everyone is doing what they said. You can "
                     "tell me who you want to come, and where we meet.")
    else:
        lines.append("Before then, I will check that the things we decided are happening. "
                     "You can help plan the meeting: where we meet, who comes, and what we talk "
                     "about.")
    if leaving_care and band == BAND_13_PLUS:
        lines.append("Getting ready for adult life. " + leaving_care)
    return lines, due


# --- each thing said once ------------------------------------------------------------------------

# The record headings each section is written from, in letter order. Feelings belong with
# health ("Keeping well"), not with what is going well; leaving care is in "what happens next"
# (13 and over only).
NOTE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SECTION_GOING_WELL, ("identity",)),
    (SECTION_HOME, ("where_child_lives", "plan_permanence")),
    (SECTION_FAMILY_TIME, ("family_time",)),
    (SECTION_SCHOOL, ("education",)),
    (SECTION_HEALTH, ("health", "emotional_wellbeing")),
    (SECTION_NEXT, ("leaving_care",)),
)

# Sections every draft has, whatever the record says; the others are left out when nothing is
# left to say in them.
FIXED_SECTIONS = frozenset({SECTION_HELLO, SECTION_TOOK_PART, SECTION_NEXT, SECTION_RIGHTS})

# Words that say which topic a sentence is about: a sentence recorded under two headings is
# kept under the one it fits best (the first of them when it fits both as well).
_TOPIC_WORDS: dict[str, re.Pattern[str]] = {key: re.compile(rf"\b(?:{words})\b") for key, words in {
    SECTION_GOING_WELL: r"proud|heritage|culture|religion|faith|church|mosque|temple|gurdwara|"
                        r"language|life story|book about your life|hobby|hobbies|club|friends?",
    SECTION_HOME: r"live|lives|living|home|house|settled|carers?|foster|stay|staying|move|"
                  r"moving|bedroom|room",
    SECTION_FAMILY_TIME: r"family time|mum|dad|mother|father|brothers?|sisters?|nan|gran|"
                         r"grandma|grandad|aunt|uncle|cousins?|phone calls?|video calls?",
    SECTION_SCHOOL: r"school|nursery|college|teachers?|class|lessons?|reading|writing|maths|"
                    r"homework|exams?|gcses?|year \d+|learning|course|apprenticeship",
    SECTION_HEALTH: r"health|doctor|gp|dentist|dental|teeth|glasses|eyes?|nurse|hospital|"
                    r"medicine|sleep|jabs|feelings?|worries|worried|sad|angry|calm|dreams|"
                    r"growing|weight",
    SECTION_NEXT: r"adult|18|eighteen|personal adviser|plan for the future|money|bank|job|"
                  r"flat|on your own",
}.items()}


def _fit(section_key: str, sentence: str) -> int:
    pattern = _TOPIC_WORDS.get(section_key)
    return len(set(pattern.findall(sentence.lower()))) if pattern else 0


def _decision_keys(decisions: list[Decision]) -> frozenset[str]:
    """The decisions' own words (without who does them), whole and sentence by sentence: a note
    sentence with these words is left to the decision, which says who and by when."""
    keys = set()
    for decision in decisions:
        text = _plain_dates(decision.text or "")
        keys.add(_sentence_key(_decision_words(text)))
        keys.update(_sentence_key(_decision_words(s)) for s in _sentences(text))
    keys.discard("")
    return frozenset(keys)


def _notes_said_once(review: Review, band: str, names: list[str], sex: str,
                     terms: list[GlossaryTerm], *, said: set[str],
                     decisions: frozenset[str]) -> dict[str, list[str]]:
    """The record's notes in the child's words, per section (a paragraph per heading), with
    every sentence said once in the letter. A sentence already in the letter (`said`: the
    fixed words, the decisions) is left out; so is a note sentence that is a decision
    (`decisions`); one recorded under two headings (or twice under one) is kept once, under
    the topic it fits best, or the first when it fits both as well. `said` gains what is kept."""
    entries: list[tuple[str, int, str, str]] = []  # (section, paragraph, sentence, key)
    paragraph = 0
    for section_key, headings in NOTE_SECTIONS:
        for heading in headings:
            if heading == "leaving_care" and band != BAND_13_PLUS:
                continue
            note = _record(review, heading)
            words = _child_words(note, names, sex, terms, decisions) if note else ""
            for sentence in _split_sentences(words):
                entries.append((section_key, paragraph, sentence, _sentence_key(sentence)))
            paragraph += 1
    best: dict[str, int] = {}
    for index, (section_key, _p, sentence, key) in enumerate(entries):
        if not key or key in said:
            continue
        if key not in best or _fit(section_key, sentence) > _fit(entries[best[key]][0],
                                                                 entries[best[key]][2]):
            best[key] = index
    said.update(best)
    kept: dict[int, list[str]] = {}
    sections: dict[str, list[int]] = {}
    for index, (section_key, p, sentence, key) in enumerate(entries):
        sections.setdefault(section_key, [])
        if p not in sections[section_key]:
            sections[section_key].append(p)
        if best.get(key) == index:
            kept.setdefault(p, []).append(sentence)
    return {section_key: [" ".join(kept[p]) for p in paragraphs if kept.get(p)]
            for section_key, paragraphs in sections.items()}


def _keys_of(paragraphs: list[str]) -> set[str]:
    """The sentence keys of some paragraphs (bullets count one line at a time)."""
    keys = set()
    for paragraph in paragraphs:
        for line in paragraph.splitlines():
            keys.update(_sentence_key(s) for s in _split_sentences(line.removeprefix("- ")))
    keys.discard("")
    return keys


def _build(session: Session, review: Review, band: str | None = None) -> LetterDocument:
    child = review.child
    band = band or age_band_for(child.date_of_birth, review.review_date)
    terms = glossary_terms(session)
    iro = _iro_settings(session)
    names = [n for n in (child.preferred_name, child.first_name) if n]
    name = child.preferred_name.strip() or child.first_name.strip() or "you"
    sex = child.sex or "U"
    sections: list[LetterSection] = []

    hello = _hello(band, iro, review)
    took = _took_part_text(review, band, names)
    came = _who_came(review, child)
    if came:
        took.append(f"These people came too: {came}." if band != BAND_UNDER_4 else
                    f"These people came: {came}.")
    liked = _interests_line(band, child)

    # A decision recorded twice reads once; a note that repeats a decision leaves it to the
    # decision (which says who and by when).
    decisions: list[str] = []
    for decision in review.decisions:
        line = decision_sentence(decision, child, band, terms)
        if _sentence_key(line) not in {_sentence_key(d) for d in decisions}:
            decisions.append(line)
    said = _keys_of([*hello, *took, liked, *decisions])
    notes = _notes_said_once(review, band, names, sex, terms, said=said,
                             decisions=_decision_keys(list(review.decisions)))

    sections.append(_section(SECTION_HELLO, band, hello, terms))
    sections.append(_section(SECTION_TOOK_PART, band, took, terms))
    well = [liked, *notes.get(SECTION_GOING_WELL, [])]
    if any(well):
        sections.append(_section(SECTION_GOING_WELL, band, well, terms))

    home = list(notes.get(SECTION_HOME, []))
    where = _home_sentence(child, review)
    if where and not (home and home[0].startswith("You live")) and \
            _sentence_key(where) not in said:
        home.insert(0, where)
    if home:
        sections.append(_section(SECTION_HOME, band, home, terms))

    for key in (SECTION_FAMILY_TIME, SECTION_SCHOOL, SECTION_HEALTH):
        if notes.get(key):
            sections.append(_section(key, band, notes[key], terms))

    if decisions:
        intro = {BAND_UNDER_4: "The grown-ups agreed to do these things:",
                 BAND_4_8: "We agreed to do these things:",
                 BAND_9_12: "We decided these things. Each one says who will do it, and by when:",
                 BAND_13_PLUS: "These are the decisions, who will do each one, and by when:"}[band]
        sections.append(_section(SECTION_DECISIONS, band,
                                 [intro, "\n".join(f"- {d}" for d in decisions)], terms))

    leaving = " ".join(notes.get(SECTION_NEXT, []))
    next_lines, _due = _next(band, child, review, leaving)
    sections.append(_section(SECTION_NEXT, band, next_lines, terms))
    sections.append(_section(SECTION_RIGHTS, band, _rights(band, review, iro), terms))

    first = iro["iro_first_name"].strip() or first_names(iro["iro_name"])
    sign_off = {BAND_UNDER_4: "With my best wishes,", BAND_4_8: "Bye for now,",
                BAND_9_12: "Best wishes,", BAND_13_PLUS: "Best wishes,"}[band]
    doc = LetterDocument(
        review_id=review.id,
        child_name=name,
        review_date=review.review_date,
        age_band=band,
        sections=sections,
        greeting=f"Dear {name},",
        sign_off=f"{sign_off}\n{first}" if first else sign_off,
        iro_name=iro["iro_name"].strip(),
        iro_phone=iro["iro_phone"].strip(),
        iro_email=iro["iro_email"].strip(),
        iro_council=iro["iro_council"].strip(),
        iro_photo=_photo_ref(iro["iro_photo"]),
        interest_pictures=_pictures.interest_pictures(child.interests),
        sent_on=review.letter.sent_on if review.letter is not None else None,
    )
    return doc


def _review_or_error(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise LookupError(f"no review with id {review_id}")
    return review


def draft_letter(session: Session, review_id: int, *, age_band: str | None = None
                 ) -> LetterDocument:
    """A new letter written from the review, the child's record and the IRO's settings.

    Every fact comes from the stored review: the child's preferred name, who came, how the child
    took part (from the participation code), what they told me (the record), the decisions with
    who will do each (by role, in a child's words: "Your social worker, Amira") and by when,
    where they live, family time, school, health, the next review's due date, the child's
    interests, the IRO's name, photo and contact details, and the child's rights. The template
    follows the child's age on the review date (`age_band_for`), or `age_band` when given (the
    IRO chose another band in the composer: a 12-year-old who reads like a younger child).
    Raises LookupError for an unknown review and ValidationError {"age_band": ...} for a band
    not in AGE_BANDS.
    """
    if age_band is not None and age_band not in AGE_BANDS:
        problems = Problems()
        problems.add("age_band", "Choose the age band the letter is written for.")
        problems.raise_if_any()
    doc = _build(session, _review_or_error(session, review_id), age_band)
    return _pictures.attach_pictures(session, doc)


def _from_row(review: Review, letter: Letter) -> LetterDocument:
    header = dict(letter.header or {})
    band = letter.age_band if letter.age_band in AGE_BANDS else age_band_for(
        review.child.date_of_birth, review.review_date)
    known = {f for f in LetterDocument.__dataclass_fields__}
    extra = {k: v for k, v in header.items() if k in known and k not in (
        "review_id", "sections", "picture_data", "sent_on", "review_date", "age_band")}
    if "interest_pictures" in extra:
        extra["interest_pictures"] = list(extra["interest_pictures"] or [])
    doc = LetterDocument(
        review_id=review.id,
        child_name=str(extra.pop("child_name", "") or review.child.preferred_name
                       or review.child.first_name),
        review_date=review.review_date,
        age_band=band,
        sections=[LetterSection.from_json(s) for s in (letter.sections or [])
                  if isinstance(s, dict)],
        sent_on=letter.sent_on,
        **extra,
    )
    return doc


def load_letter(session: Session, review_id: int) -> LetterDocument:
    """The saved letter for this review, or a fresh draft when none was saved. A letter saved
    without its header (before headers were kept) takes the header of a fresh draft."""
    review = _review_or_error(session, review_id)
    if review.letter is None or not review.letter.sections:
        doc = _build(session, review)
    else:
        doc = _from_row(review, review.letter)
        if not review.letter.header:
            fresh = _build(session, review)
            for name in ("greeting", "sign_off", "iro_name", "iro_role", "iro_phone",
                         "iro_email", "iro_council", "iro_photo", "interest_pictures"):
                setattr(doc, name, getattr(fresh, name))
    return _pictures.attach_pictures(session, doc)


def has_saved_letter(session: Session, review_id: int) -> bool:
    """True when the IRO has saved a letter for this review."""
    review = _review_or_error(session, review_id)
    return review.letter is not None and bool(review.letter.sections)


def save_letter(session: Session, review_id: int, doc: LetterDocument) -> int:
    """Store the letter (sections, age band and header facts); returns the Letter id.

    Raises ValidationError when the letter has no sections ("sections") or a section has
    neither title nor text ("sections[2].text"), or the age band is unknown ("age_band").
    The sent date is not changed here: see `mark_letter_sent`.
    """
    review = _review_or_error(session, review_id)
    problems = Problems()
    if doc.age_band not in AGE_BANDS:
        problems.add("age_band", "Choose the age band the letter is written for.")
    if not doc.sections:
        problems.add("sections", "A letter needs at least one section.")
    for index, section in enumerate(doc.sections):
        if not section.title.strip() and not section.text.strip():
            problems.add(f"sections[{index}].text", "This section is empty: write something in it "
                         "or remove it.")
    problems.raise_if_any()
    letter = review.letter
    if letter is None:
        letter = Letter(review_id=review.id)
        session.add(letter)
        review.letter = letter
    letter.age_band = doc.age_band
    letter.sections = [s.to_json() for s in doc.sections]
    letter.header = doc.header_json()
    session.flush()
    return letter.id


def mark_letter_sent(session: Session, review_id: int, on: dt.date | None, *,
                     today: dt.date | None = None) -> None:
    """Record when the letter went to the child (None clears it). Saves the current draft first
    if no letter was saved, so the record shows what was sent. Raises ValidationError
    {"sent_on": ...} when `on` is before the review date or in the future."""
    review = _review_or_error(session, review_id)
    today = today or dt.date.today()
    if on is not None:
        problems = Problems()
        if on < review.review_date:
            problems.add("sent_on", f"{short_date(on)} is before the review "
                         f"({short_date(review.review_date)}): a letter goes after the meeting.")
        elif on > today:
            problems.add("sent_on", f"{short_date(on)} is in the future.")
        problems.raise_if_any()
    if review.letter is None or not review.letter.sections:
        if on is None:
            if review.letter is not None:
                review.letter.sent_on = None
            session.flush()
            return
        save_letter(session, review_id, _build(session, review))
    assert review.letter is not None
    review.letter.sent_on = on
    session.flush()


@dataclass(frozen=True, slots=True)
class LetterSummary:
    """One row of a child's letters tab."""

    review_id: int
    review_date: dt.date
    saved: bool  # the IRO saved a letter (otherwise a draft would be generated)
    sent_on: dt.date | None
    due_by: dt.date  # `letter_sent_days` working days after the review's last meeting
    late: bool  # sent after due_by, or not sent and today is after due_by (never when imported)
    # False for a review imported from a 903 file (no meetings recorded in the app): the IRO
    # owes no letter for it, so it is never late.
    expected: bool = True


def letter_expected(review: Review) -> bool:
    """Whether the IRO owes the child a letter for this review: only for reviews recorded in the
    app. A review imported from a 903 file (or another system) with no meetings recorded here
    is history, not work (the reviews tab marks it "(imported)"; My week lists no tasks for it)."""
    return review.source == "app" or bool(review.meetings)


def letter_summaries(session: Session, child_id: int, today: dt.date) -> list[LetterSummary]:
    """A child's reviews, newest first, with their letter's state and deadline. Imported reviews
    (`letter_expected` False) are listed, never late."""
    from iro_desktop.caseload.reviews import review_deadlines

    rows = session.scalars(
        select(Review).where(Review.child_id == child_id).order_by(Review.review_date.desc())
    ).all()
    out = []
    for review in rows:
        deadline = review_deadlines(session, review.id, today=today).letter
        letter = review.letter
        sent = letter.sent_on if letter is not None else None
        expected = letter_expected(review)
        out.append(LetterSummary(
            review_id=review.id,
            review_date=review.review_date,
            saved=letter is not None and bool(letter.sections),
            sent_on=sent,
            due_by=deadline.due,
            late=deadline.late and expected,
            expected=expected,
        ))
    return out


# pictures.py imports this module's dataclasses: import it last, and use it by attribute.
from iro_desktop.letters import pictures as _pictures  # noqa: E402
