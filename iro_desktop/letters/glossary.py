"""Words a child understands: a checker that marks care jargon and acronyms in a letter and offers
the child-friendly words ("family time" for "contact", "your home" for "placement").

The list is the built-in `DEFAULT_TERMS` changed by the IRO's overrides, stored in the setting
`letter_glossary` as lines "term = suggestion" (adds a term or changes its suggestion) or
"term =" (an empty suggestion: stop marking that term).

    hits = check(text, glossary_terms(session))
    for hit in hits: highlight(text[hit.start:hit.end], hit.suggestion)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from iro_desktop import settings
from iro_desktop.caseload.validation import ValidationError

SETTING_KEY = "letter_glossary"


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A word or phrase to avoid in a letter, and what to say instead."""

    term: str  # "contact", "care plan", "LAC"
    suggestion: str  # "family time" (a phrase that can replace the term)
    note: str = ""  # a short explanation for the IRO ("LAC: looked-after child")


@dataclass(frozen=True, slots=True)
class JargonHit:
    """One place in a text where a term was found: text[start:end] is what was matched."""

    start: int
    end: int
    matched: str  # the text as written ("Contact", "placements")
    term: str  # the glossary term it matched ("contact", "placement")
    suggestion: str
    note: str = ""


def _t(term: str, suggestion: str, note: str = "") -> GlossaryTerm:
    return GlossaryTerm(term, suggestion, note)


# Care words and acronyms children should not meet in their letter, with the words to use instead.
# A suggestion must itself be free of every term here (a test checks it).
DEFAULT_TERMS: tuple[GlossaryTerm, ...] = (
    _t("contact", "family time", "Say who: \"time with your mum\"."),
    _t("supervised contact", "family time with a helper"),
    _t("contact supervisor", "the person who helps at family time"),
    _t("contact centre", "the family time centre"),
    _t("placement", "your home", "Or the carers' names: \"living with Jo and Sam\"."),
    _t("placement move", "moving home"),
    _t("placement breakdown", "having to move home"),
    _t("placement order", "the court's decision that you can be adopted"),
    _t("residential unit", "children's home"),
    _t("residential placement", "children's home"),
    _t("LAC", "child in care", "Looked-after child."),
    _t("CLA", "child in care", "Child looked after."),
    _t("looked after", "in care"),
    _t("LAC review", "your meeting"),
    _t("CLA review", "your meeting"),
    _t("IRO", "Independent Reviewing Officer (me)",
       "Explain it: the person who checks your plan is working for you."),
    _t("PEP", "your school plan", "Personal education plan."),
    _t("personal education plan", "your school plan"),
    _t("Virtual School", "the team that helps children in care with school"),
    _t("EHCP", "your plan for extra help at school", "Education, health and care plan."),
    _t("SEN", "extra help with learning", "Special educational needs."),
    _t("SENCO", "the teacher who sorts out extra help"),
    _t("IHA", "your first health check", "Initial health assessment."),
    _t("RHA", "your yearly health check", "Review health assessment."),
    _t("health assessment", "health check"),
    _t("SDQ", "your feelings check", "Strengths and difficulties questionnaire."),
    _t("CAMHS", "people who help with feelings and worries",
       "Child and adolescent mental health services."),
    _t("care plan", "your plan"),
    _t("birth parents", "your mum and dad", "Use the child's own names for them."),
    _t("birth mother", "your mum", "Use the child's own name for her."),
    _t("birth father", "your dad", "Use the child's own name for him."),
    _t("birth family", "your family"),
    _t("respite", "short stays"),
    _t("statutory", "that the law asks for"),
    _t("escalation", "asking a manager to sort it out"),
    _t("escalate", "ask a manager to sort it out"),
    _t("DRP", "a way to sort out problems", "Dispute resolution process."),
    _t("LADO", "the person who checks that adults keep children safe",
       "Local authority designated officer."),
    _t("section 20", "living in care because your family agreed", "Section 20 accommodation."),
    _t("care order", "the court's decision about your care"),
    _t("interim care order", "the court's decision for now"),
    _t("care proceedings", "the court case"),
    _t("special guardianship order", "the court's decision about who will bring you up"),
    _t("SGO", "the court's decision about who will bring you up",
       "Special guardianship order."),
    _t("permanence", "where you will live while you grow up"),
    _t("permanency", "where you will live while you grow up"),
    _t("pathway plan", "your plan for the future"),
    _t("PWP", "your plan for the future", "Pathway plan."),
    _t("staying put", "staying with your carers after you are 18"),
    _t("care leaver", "a young person who has left care"),
    _t("CIN", "getting extra help", "Child in need."),
    _t("child in need", "getting extra help"),
    _t("CP", "keeping you safe", "Child protection."),
    _t("child protection", "keeping you safe"),
    _t("safeguarding", "keeping you safe"),
    _t("section 47", "checking that you are safe"),
    _t("strategy meeting", "a meeting about keeping you safe"),
    _t("core group", "a meeting about keeping you safe"),
    _t("assessment", "a check", "Say what is being found out, and why."),
    _t("referral", "asking for help"),
    _t("key worker", "the adult who looks after you most"),
    _t("resources", "help"),
    _t("multi-agency", "people from different services"),
    _t("sibling", "brother or sister", "Use their names."),
    _t("absconding", "running away"),
    _t("missing episode", "a time when you went missing"),
    _t("disclosure", "telling someone"),
    _t("disclose", "tell"),
    _t("legal gateway", "a meeting with the council's lawyers"),
    _t("PLO", "a meeting with the council's lawyers", "Public law outline."),
    _t("UASC", "a young person who came to this country alone",
       "Unaccompanied asylum-seeking child."),
    _t("local authority", "the council"),
    _t("LA", "the council", "Local authority."),
    _t("corporate parent", "the council, who cares for you"),
    _t("kinship care", "living with family or friends"),
    _t("connected person", "someone you know"),
    _t("semi-independent", "a home where you learn to live on your own"),
    _t("supported accommodation", "a home where you get help to live on your own"),
    _t("secure accommodation", "a secure children's home"),
    _t("SW", "social worker"),
    _t("FC", "foster carer"),
    _t("YOT", "the youth justice team"),
    _t("NEET", "not in school, college or work"),
    _t("Cafcass", "a person who helps the court listen to children"),
    _t("children's guardian", "a person who helps the court listen to children"),
    _t("parental responsibility", "who can make choices about your life"),
    _t("delegated authority", "what your carers can say yes to"),
    _t("life story work", "making a book about your life"),
    _t("therapeutic", "helping with feelings"),
    _t("intervention", "help"),
    _t("facilitate", "help with"),
    _t("stakeholders", "the people who help you"),
    _t("professionals", "the people who work with you"),
)

OVERRIDE_SEPARATOR = "="


def _parse_override(line: str) -> tuple[str, str] | None:
    if OVERRIDE_SEPARATOR not in line:
        term = line.strip()
        return (term, "") if term else None
    term, _, suggestion = line.partition(OVERRIDE_SEPARATOR)
    term = term.strip()
    return (term, suggestion.strip()) if term else None


def glossary_terms(session: Session | None = None) -> list[GlossaryTerm]:
    """The terms in force: DEFAULT_TERMS with the IRO's overrides (when a session is given)."""
    terms: dict[str, GlossaryTerm] = {t.term.casefold(): t for t in DEFAULT_TERMS}
    if session is not None:
        for line in overrides(session):
            parsed = _parse_override(line)
            if parsed is None:
                continue
            term, suggestion = parsed
            key = term.casefold()
            if not suggestion:
                terms.pop(key, None)
            else:
                old = terms.get(key)
                terms[key] = GlossaryTerm(term, suggestion, old.note if old else "")
    return list(terms.values())


def _word_pattern(term: str) -> str:
    words = re.split(r"[\s-]+", term.strip())
    body = r"[\s-]+".join(re.escape(w) for w in words if w)
    plural = r"(?:s|es)?" if term[-1:].isalpha() else ""
    return rf"(?<![\w'’]){body}{plural}(?![\w])"


@lru_cache(maxsize=16)
def _compiled(terms: tuple[GlossaryTerm, ...]) -> tuple[re.Pattern[str], dict[str, GlossaryTerm]]:
    ordered = sorted(terms, key=lambda t: len(t.term), reverse=True)  # longest first
    groups = []
    lookup: dict[str, GlossaryTerm] = {}
    for index, term in enumerate(ordered):
        name = f"t{index}"
        lookup[name] = term
        groups.append(f"(?P<{name}>{_word_pattern(term.term)})")
    if not groups:
        return re.compile(r"(?!x)x"), lookup
    return re.compile("|".join(groups), re.IGNORECASE), lookup


def check(text: str, terms: list[GlossaryTerm] | None = None) -> list[JargonHit]:
    """Every jargon term in `text`, in order of position, not overlapping (the longest term wins:
    "contact supervisor" before "contact"). Case-insensitive, whole words, plurals included
    ("placements"). `terms` defaults to DEFAULT_TERMS."""
    pattern, lookup = _compiled(tuple(DEFAULT_TERMS if terms is None else terms))
    hits: list[JargonHit] = []
    for match in pattern.finditer(text):
        term = lookup[match.lastgroup or ""]
        hits.append(JargonHit(match.start(), match.end(), match.group(0), term.term,
                              term.suggestion, term.note))
    return hits


_DETERMINED_AFTER = re.compile(
    r"\b(?:the|a|an|his|her|their|this|that|my|your)\s+(?:[\w-]+\s+){1,2}$", re.IGNORECASE)
_DETERMINER = re.compile(r"(?:\b(?:the|a|an|his|her|their|your|my)\s+)$", re.IGNORECASE)


_SELF_DETERMINED = ("your ", "the ", "a ", "an ", "where ", "who ", "what ", "how ", "whether ",
                    "that ", "someone", "people ", "making ", "having ", "getting ", "staying ",
                    "moving ", "living ", "asking ", "checking ", "keeping ", "telling ",
                    "helping ", "running ", "not ")


def _plural_of(suggestion: str, hit: JargonHit) -> str:
    """"contacts" -> "family times", "assessments" -> "checks": a plural term gets a plural
    suggestion when the suggestion is a short noun phrase (otherwise it is kept as it is)."""
    matched, term = hit.matched.lower(), hit.term.lower()
    if not matched.endswith("s") or term.endswith("s") or len(matched) <= len(term):
        return suggestion
    words = suggestion.split(" ")
    if len(words) > 3 or set(w.lower() for w in words) & {"who", "that", "where", "with", "to",
                                                           "about", "for", "in", "of", "not"}:
        return suggestion
    if words[0].lower() in ("a", "an"):
        words = words[1:]
    if words[0].lower().endswith("ing"):
        return suggestion  # "moving home"

    def plural(word: str) -> str:
        if word.endswith(("s", "sh", "ch", "x")):
            return word + "es"
        if word.endswith("y") and word[-2:-1] not in "aeiou":
            return word[:-1] + "ies"
        return word + "s"

    if "or" in words or "and" in words:  # "brother or sister" -> "brothers or sisters"
        return " ".join(w if w in ("or", "and") or w.lower() in ("your", "the") else plural(w)
                        for w in words)
    return " ".join([*words[:-1], plural(words[-1])])


def simplify(text: str, terms: list[GlossaryTerm] | None = None) -> str:
    """`text` with each term replaced by its suggestion (keeping a capital at the start).
    Used on the IRO's record text when a draft quotes it; the IRO still reads the result."""
    hits = check(text, terms)
    if not hits:
        return text
    out: list[str] = []
    position = 0
    for hit in hits:
        before = text[position:hit.start]
        suggestion = _plural_of(hit.suggestion, hit)
        if suggestion != hit.suggestion and suggestion.lower().startswith("your ") and re.search(
                r"(?i)\b(?:\d+|two|three|four|five|some|many|all|other|several|few|both|no|"
                r"these|those)\s+$", before):
            suggestion = suggestion[5:]  # "two placements" -> "two homes"
        # A suggestion that brings its own determiner ("your school plan") or is no noun to take
        # one ("where you will live...", "making a book about your life") replaces the
        # determiner before the term: "the permanence plan" -> not "the where you will...".
        starts_determined = suggestion.lower().startswith(_SELF_DETERMINED)
        # The case of the words replaced decides the capital: "your PEP meeting" stays lower
        # case, "Your PEP meeting" and "PEP reviewed" at the start of a sentence get one.
        capital_from = hit.matched
        if starts_determined:
            found = _DETERMINER.search(before)
            if found:
                capital_from = found.group(0)
                before = before[: found.start()]
            elif suggestion.lower().startswith("your ") and _DETERMINED_AFTER.search(before):
                suggestion = suggestion[5:]  # "the updated care plan" -> "the updated plan"
        if capital_from[:1].isupper() and (not before.strip() or before.rstrip().endswith(
                (".", "!", "?", ":"))):
            suggestion = suggestion[:1].upper() + suggestion[1:]
        out.append(before)
        out.append(suggestion)
        position = hit.end
    out.append(text[position:])
    return "".join(out)


def overrides(session: Session) -> list[str]:
    """The IRO's stored override lines ("term = suggestion")."""
    value = settings.get(session, SETTING_KEY) or []
    return [str(line) for line in value if str(line).strip()]


def _store_override(session: Session, term: str, suggestion: str) -> None:
    key = term.strip().casefold()
    lines = [line for line in overrides(session)
             if (_parse_override(line) or ("", ""))[0].casefold() != key]
    default = next((t for t in DEFAULT_TERMS if t.term.casefold() == key), None)
    if default is not None and suggestion == default.suggestion:
        pass  # back to the built-in: no override needed
    elif default is None and not suggestion:
        pass  # removing an added term: just drop its line
    else:
        lines.append(f"{term.strip()} {OVERRIDE_SEPARATOR} {suggestion}".rstrip())
    settings.put(session, SETTING_KEY, lines)


def set_term(session: Session, term: str, suggestion: str, note: str = "") -> None:
    """Add a term, or change its suggestion (stored as an override). `note` is not stored yet."""
    if not term.strip() or not suggestion.strip():
        raise ValidationError({
            **({"term": "Write the word to avoid."} if not term.strip() else {}),
            **({"suggestion": "Write the words to use instead."} if not suggestion.strip() else {}),
        })
    _store_override(session, term, suggestion.strip())


def remove_term(session: Session, term: str) -> None:
    """Stop marking a term (a built-in one is switched off; an added one is deleted)."""
    _store_override(session, term, "")


def reset_glossary(session: Session) -> None:
    """Forget every override: back to DEFAULT_TERMS."""
    settings.put(session, SETTING_KEY, [])
