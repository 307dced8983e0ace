"""How easy a letter is to read: Flesch reading ease and the Flesch-Kincaid grade, against a
target for the child's age band, shown as the IRO writes.

Words and sentences are counted by textstat. Syllables are counted here, with pyphen (textstat's
own fallback) and a vowel-group rule: textstat 0.7's English syllable counter first loads NLTK's
CMU dictionary and *downloads it from the internet* when it is missing, which an IRO's offline,
locked-down laptop must not do (and which fails there). Letters are normalised before scoring:
each heading or bullet line ends a sentence, and phone numbers and email addresses count as two
plain words (a child reads "my email", not the syllables of an address).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen
import textstat

from iro_desktop.letters.compose import (
    BAND_4_8,
    BAND_9_12,
    BAND_13_PLUS,
    BAND_UNDER_4,
    LetterDocument,
)


@dataclass(frozen=True, slots=True)
class ReadabilityTarget:
    min_reading_ease: float  # Flesch reading ease: higher is easier (90+ very easy)
    max_grade: float  # Flesch-Kincaid grade: lower is easier (US school grade)
    max_sentence_words: int  # sentences longer than this are pointed out


@dataclass(frozen=True, slots=True)
class LongSentence:
    start: int
    end: int
    words: int


@dataclass(frozen=True, slots=True)
class ReadabilityScore:
    reading_ease: float
    grade: float
    words: int
    sentences: int
    target: ReadabilityTarget
    meets_target: bool
    label: str  # "Easy to read for age 9 to 12" / "A bit hard for age 4 to 8: ..."
    long_sentences: tuple[LongSentence, ...] = ()


# Flesch reading ease: 90-100 very easy (age 11 and under), 80-90 easy, 70-80 fairly easy,
# 60-70 plain English (13 to 15). Grade is a US school grade (UK reading age is about grade + 5).
TARGETS: dict[str, ReadabilityTarget] = {
    # Under 4: read aloud to the child now, or read by them when older.
    BAND_UNDER_4: ReadabilityTarget(min_reading_ease=80, max_grade=4, max_sentence_words=15),
    BAND_4_8: ReadabilityTarget(min_reading_ease=85, max_grade=3.5, max_sentence_words=14),
    BAND_9_12: ReadabilityTarget(min_reading_ease=75, max_grade=5, max_sentence_words=18),
    BAND_13_PLUS: ReadabilityTarget(min_reading_ease=65, max_grade=7, max_sentence_words=22),
}
BAND_WORDS = {BAND_UNDER_4: "a young child (read aloud)", BAND_4_8: "age 4 to 8",
              BAND_9_12: "age 9 to 12", BAND_13_PLUS: "age 13 and over"}

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w])\+?\d[\d ()-]{6,}\d(?![\w])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def target_for(age_band: str) -> ReadabilityTarget:
    """The target for an age band (AGE_BANDS in compose.py); 9-12's for an unknown band."""
    return TARGETS.get(age_band, TARGETS[BAND_9_12])


def normalise(text: str) -> str:
    """Text as scored: addresses and numbers made plain words, every line a sentence."""
    text = _EMAIL.sub("my email", text or "")
    text = _PHONE.sub("my phone", text)
    lines = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("-•* ").strip()
        if not line:
            continue
        if line[-1] not in ".!?:":
            line += "."
        lines.append(line.rstrip(":") + ("." if line.endswith(":") else ""))
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


_SILENT_END = re.compile(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$")


@lru_cache(maxsize=20000)
def _syllables(word: str) -> int:
    """Syllables in a word: the larger of pyphen's hyphenation points (textstat's fallback) and a
    vowel-group count (pyphen alone counts "happy", "people" and "every" as one syllable)."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 0
    hyphenated = len(_hyphenator().positions(word)) + 1
    if len(word) <= 3:
        return max(1, hyphenated)
    stem = _SILENT_END.sub("", word)
    stem = stem[1:] if stem.startswith("y") else stem
    groups = len(re.findall(r"[aeiouy]{1,2}", stem))
    return max(1, hyphenated, groups)


def _long_sentences(text: str, limit: int) -> tuple[LongSentence, ...]:
    found = []
    for match in _SENTENCE.finditer(text or ""):
        words = len(_WORD.findall(match.group(0)))
        if words > limit:
            start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
            found.append(LongSentence(start, match.end(), words))
    return tuple(found)


def score(text: str, age_band: str) -> ReadabilityScore:
    """Score plain text against the band's target. Fast enough to call on every keystroke
    (well under a millisecond for a letter's section, a few for a whole letter)."""
    target = target_for(age_band)
    plain = normalise(text)
    words = textstat.lexicon_count(plain) if plain else 0
    # Sentences counted here: textstat leaves out sentences of one or two words ("Hello!",
    # "Well done!"), which letters to children are right to use.
    sentences = max(1, sum(1 for m in _SENTENCE.finditer(plain) if _WORD.search(m.group(0))))
    if not words:
        return ReadabilityScore(100.0, 0.0, 0, 0, target, True, "Nothing to score yet.", ())
    syllables = sum(_syllables(w) for w in _WORD.findall(plain))
    per_sentence = words / sentences
    per_word = syllables / words
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = max(0.0, 0.39 * per_sentence + 11.8 * per_word - 15.59)
    meets = ease >= target.min_reading_ease and grade <= target.max_grade
    who = BAND_WORDS.get(age_band, age_band)
    if meets:
        label = f"Easy to read for {who}."
    elif per_sentence > target.max_sentence_words * 0.8:
        label = f"A bit hard for {who}: try shorter sentences."
    else:
        label = f"A bit hard for {who}: try shorter, everyday words."
    return ReadabilityScore(
        reading_ease=round(ease, 1),
        grade=round(grade, 1),
        words=words,
        sentences=sentences,
        target=target,
        meets_target=meets,
        label=label,
        long_sentences=_long_sentences(text, target.max_sentence_words),
    )


def score_letter(doc: LetterDocument) -> ReadabilityScore:
    """Score everything a child reads in the letter (`doc.plain_text()`) for its band."""
    return score(doc.plain_text(), doc.age_band)
