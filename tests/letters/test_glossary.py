"""The jargon checker: at least 40 terms, whole words, any case, plurals, positions, overrides."""

from __future__ import annotations

import pytest

from iro_desktop import settings
from iro_desktop.caseload.validation import ValidationError
from iro_desktop.letters.glossary import (
    DEFAULT_TERMS,
    SETTING_KEY,
    check,
    glossary_terms,
    remove_term,
    reset_glossary,
    set_term,
    simplify,
)

REQUIRED = ["contact", "placement", "LAC", "CLA", "PEP", "IHA", "RHA", "SDQ", "care plan",
            "birth parents", "respite", "statutory", "escalation", "LADO", "IRO", "section 20",
            "care order", "permanence", "pathway plan", "looked after", "CIN", "CP",
            "safeguarding", "assessment", "referral", "key worker", "residential unit",
            "resources", "multi-agency", "sibling", "placement breakdown", "absconding",
            "disclosure", "contact supervisor", "legal gateway", "PLO", "PWP", "staying put",
            "UASC"]


def test_at_least_forty_terms_including_the_required_ones():
    terms = {t.term.casefold() for t in DEFAULT_TERMS}
    assert len(DEFAULT_TERMS) >= 40
    for term in REQUIRED:
        assert term.casefold() in terms, term
    assert len(terms) == len(DEFAULT_TERMS)  # no duplicates


def test_every_term_has_a_suggestion_free_of_jargon():
    for term in DEFAULT_TERMS:
        assert term.suggestion.strip(), term.term
        assert check(term.suggestion) == [], term.term


def test_iro_is_explained():
    iro = next(t for t in DEFAULT_TERMS if t.term == "IRO")
    assert "Independent Reviewing Officer" in iro.suggestion
    assert iro.note


def test_hits_have_positions_suggestions_and_match_any_case():
    text = "We talked about Contact with your birth parents and your PLACEMENT."
    hits = check(text)
    assert [(h.matched, h.term, h.suggestion) for h in hits] == [
        ("Contact", "contact", "family time"),
        ("birth parents", "birth parents", "your mum and dad"),
        ("PLACEMENT", "placement", "your home"),
    ]
    for hit in hits:
        assert text[hit.start:hit.end] == hit.matched


def test_whole_words_only_and_plurals():
    assert check("Contacts and placements") != []
    assert [h.term for h in check("placements")] == ["placement"]
    assert check("contactless payment, a lacquer box, cinema, a clap, pepper") == []
    assert check("escalated") == []  # not a whole word: "escalate" + "d"


def test_longest_term_wins_and_hits_do_not_overlap():
    hits = check("The contact supervisor was kind. Placement breakdown is hard.")
    assert [h.term for h in hits] == ["contact supervisor", "placement breakdown"]


def test_multi_word_terms_match_across_spaces_and_hyphens():
    assert [h.term for h in check("a looked-after child")] == ["looked after"]
    assert [h.term for h in check("multi agency meeting")] == ["multi-agency"]
    assert [h.term for h in check("care\nplan")] == ["care plan"]


def test_simplify_replaces_terms_keeping_sentences_sound():
    assert simplify("Contact with Mum is on Saturdays.") == "Family time with Mum is on Saturdays."
    assert simplify("We looked at the care plan.") == "We looked at your plan."
    assert simplify("Share the updated care plan.") == "Share the updated plan."
    assert simplify("PEP reviewed.") == "Your school plan reviewed."
    assert check(simplify("LAC review: PEP, SDQ and IHA all done; sibling contact agreed.")) == []


def test_overrides_are_stored_in_the_setting(session):
    set_term(session, "contact", "time with your family")
    set_term(session, "CAMHS", "your feelings team")
    set_term(session, "hub", "the office")
    remove_term(session, "resources")
    stored = settings.get(session, SETTING_KEY)
    assert "contact = time with your family" in stored and "resources =" in stored
    terms = {t.term.casefold(): t for t in glossary_terms(session)}
    assert terms["contact"].suggestion == "time with your family"
    assert terms["camhs"].suggestion == "your feelings team"
    assert terms["hub"].suggestion == "the office"
    assert "resources" not in terms
    assert [h.term for h in check("The hub has resources.", glossary_terms(session))] == ["hub"]
    remove_term(session, "hub")  # an added term is simply dropped
    assert "hub" not in {t.term for t in glossary_terms(session)}
    set_term(session, "contact", "family time")  # back to the built-in: no override line left
    assert not any(line.startswith("contact") for line in settings.get(session, SETTING_KEY))
    reset_glossary(session)
    assert settings.get(session, SETTING_KEY) == []
    assert len(glossary_terms(session)) == len(DEFAULT_TERMS)


def test_an_override_needs_a_term_and_a_suggestion(session):
    with pytest.raises(ValidationError) as caught:
        set_term(session, " ", "")
    assert set(caught.value.errors) == {"term", "suggestion"}


def test_glossary_setting_is_declared():
    spec = settings.definition(SETTING_KEY)
    assert spec.kind == "list" and spec.default == []


def test_simplify_pep_meeting_keeps_good_words_and_case():
    assert simplify("Your PEP meeting") == "Your school plan meeting"
    assert simplify("At your PEP meeting, we agreed") == "At your school plan meeting, we agreed"
    assert simplify("your PEP meeting") == "your school plan meeting"  # no capital mid-text
    assert simplify("We will look at the PEP.") == "We will look at your school plan."
    assert simplify("The PEP meeting is soon.") == "Your school plan meeting is soon."
