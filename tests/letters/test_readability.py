"""Readability: a score per age band that is quick, offline and points out long sentences."""

from __future__ import annotations

import time

import pytest

from iro_desktop.letters.compose import AGE_BANDS, LetterDocument, LetterSection
from iro_desktop.letters.readability import TARGETS, normalise, score, score_letter, target_for
from tests.factory import D

EASY = "I met you at home. You told me you like your school. You have a new bike. Well done!"
HARD = ("The Independent Reviewing Officer will ensure the implementation of the recommendations "
        "arising from the statutory review, notwithstanding the outstanding assessments, in "
        "consultation with the multidisciplinary professional network and the placement provider.")


def test_every_band_has_a_target_and_younger_is_stricter():
    assert set(TARGETS) == set(AGE_BANDS)
    assert target_for("4-8").min_reading_ease > target_for("9-12").min_reading_ease
    assert target_for("9-12").min_reading_ease > target_for("13+").min_reading_ease
    assert target_for("4-8").max_grade < target_for("13+").max_grade


@pytest.mark.parametrize("band", AGE_BANDS)
def test_easy_text_meets_every_target_and_hard_text_none(band):
    assert score(EASY, band).meets_target
    hard = score(HARD, band)
    assert not hard.meets_target
    assert hard.reading_ease < 30 and hard.grade > 12
    assert "hard" in hard.label
    assert len(hard.long_sentences) == 1


def test_counts_and_long_sentence_positions():
    text = EASY + " " + HARD
    result = score(text, "9-12")
    assert result.sentences == 5 and result.words > 40
    [long] = result.long_sentences
    assert text[long.start:long.end].startswith("The Independent")


def test_addresses_and_lines_are_normalised():
    assert normalise("Email me at sam.okafor@example.org\n- Ring 07700 900123") == \
        "Email me at my email.\nRing my phone."
    assert score("Hello\nYou can ring me on 07700 900123.", "4-8").sentences == 2


def test_empty_text_scores_as_nothing_yet():
    result = score("", "4-8")
    assert result.words == 0 and result.meets_target


def test_score_letter_reads_everything_the_child_reads():
    doc = LetterDocument(review_id=None, child_name="Mia", review_date=D(2026, 1, 5),
                         age_band="13+", greeting="Dear Mia,",
                         sections=[LetterSection("hello", "Hello", EASY), LetterSection(
                             "custom", "More", HARD)], sign_off="Best wishes,\nSam")
    result = score_letter(doc)
    assert result.target == target_for("13+")
    assert result.words == score(doc.plain_text(), "13+").words


def test_fast_enough_for_every_keystroke():
    text = (EASY + " ") * 40
    start = time.perf_counter()
    for _ in range(20):
        score(text, "9-12")
    assert (time.perf_counter() - start) / 20 < 0.02


def test_no_network_needed(monkeypatch):
    """textstat's English syllable counter downloads NLTK data; the score must never need it."""
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("tried to download")

    monkeypatch.setattr(nltk, "download", refuse)
    assert score("A brand new sentence about elephants and umbrellas.", "9-12").words == 8
