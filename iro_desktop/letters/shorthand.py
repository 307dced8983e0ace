"""Professional shorthand in record notes, made into sentences a child can read.

IROs write the record for other professionals: "SDQ score in the normal range", "PEP reviewed",
"Attends nursery three mornings a week", "Contact with Dad fortnightly, supervised". Quoted as it
is, that is broken English in a child's letter ("Your feelings check score in the normal
range."). `expand(sentence, name)` turns one sentence of a note into a whole sentence (still in
the record's words: the glossary and `to_second_person` run afterwards, so the IRO's glossary
choices still apply), or returns "" when it is a fragment no rule can make into a good sentence:
a draft leaves it out rather than print it. The IRO reads and edits every draft.

    expand("PEP reviewed.", "Maya")          -> "We looked at the PEP."
    expand("Attends nursery.", "Ruby")       -> "Ruby attends nursery."
    expand("Muslim.", "Jas")                 -> ""  (a fragment: left out)
"""

from __future__ import annotations

import re
from collections.abc import Callable

# --- words: is there a verb in this sentence? ----------------------------------------------

_FINITE = {
    "am", "is", "are", "was", "were", "has", "have", "had", "do", "does", "did", "will",
    "would", "can", "could", "should", "shall", "may", "might", "must", "isn't", "aren't",
    "wasn't", "weren't", "hasn't", "haven't", "hadn't", "don't", "doesn't", "didn't", "won't",
    "can't", "couldn't", "wouldn't", "shouldn't", "let's", "i'm", "you're", "we're", "they're",
    "it's", "that's", "there's", "he's", "she's", "i've", "you've", "we've", "they've",
    "i'll", "you'll", "we'll", "they'll", "i'd", "you'd",
}
# Common verbs of record notes (base form). Their -s and past forms are verbs wherever they
# stand; the base form only after a subject ("you live", "Jo and Alex look after you").
_VERBS = re.findall(r"\S+", (
    "accept agree allow answer appear arrive ask attend bake begin believe belong bring build "
    "buy call care change chat check choose clean come cook cope cry dance decide describe "
    "draw dream drink drive eat engage enjoy explain fall feel fight find finish fly follow "
    "forget get give go grow hate hear help hold hope join keep know laugh learn leave like "
    "listen live look lose love make manage mean meet miss move need open pass plan play "
    "practise prefer read remain remember report ride run say see seem sell send settle share "
    "show sing sit sleep smile speak spend stand start stay stop struggle study support swim "
    "take talk teach tell thank think tidy train travel try understand use visit wait wake "
    "walk want watch wear wish wonder work worry write"
))
_IRREGULAR_PAST = re.findall(r"\S+", (
    "began became brought bought came did drew drank drove ate fell felt fought found flew forgot "
    "got gave went grew heard held kept knew left lost made meant met paid read rode ran said saw "
    "sold sent sat slept spoke spent stood swam took taught told thought understood woke wore "
    "wrote"
))


def _third(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    if verb in ("plan", "stop", "chat", "travel"):
        return verb + verb[-1] + "ed"
    return verb + "ed"


_BASE = set(_VERBS)
_INFLECTED = {_third(v) for v in _VERBS} | {_past(v) for v in _VERBS} | set(_IRREGULAR_PAST)
_SUBJECTS = {"i", "you", "we", "they", "he", "she", "it", "there", "everyone", "nobody",
             "someone", "people", "and", "also", "still", "often", "really", "never", "always",
             "sometimes", "usually", "now", "just", "to", "not"}
_EXCLAMATIONS = {"well done", "thank you", "great", "brilliant", "good luck", "keep it up"}
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def is_fragment(sentence: str) -> bool:
    """True when `sentence` has no verb a reader would recognise ("Your school plan reviewed"
    has one only as a label; "Family time with Mum on Saturdays" has none)."""
    tokens = _TOKEN.findall(sentence.replace("’", "'"))
    if " ".join(tokens).lower() in _EXCLAMATIONS:
        return False
    previous = ""
    subject_seen = False
    for index, raw in enumerate(tokens):
        word = raw.lower()
        if word in _FINITE or word in _INFLECTED:
            return False
        if word in _BASE and index > 0 and (previous.lower() in _SUBJECTS or subject_seen
                                            or (index > 1 and previous[:1].isupper())):
            return False  # "You and your dad send", "Jo and Alex look after you"
        subject_seen = subject_seen or word in ("i", "you", "we", "they")
        if word == "please":
            return False  # "Please ask me": an instruction is a sentence
        previous = raw
    return True


# --- shorthand words ---------------------------------------------------------------------

_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bre\b(?=\s)", "about"),
    (r"\bw/\s*", "with "),
    (r"\s&\s", " and "),
    (r"\bappts?\b", "appointment"),
    (r"\bapprox\.?(?=\s)", "about"),
    (r"\byrs\b", "years"),
    (r"\byr\b", "year"),
    (r"\bwks\b", "weeks"),
    (r"\bwk\b", "week"),
    (r"\bmths\b", "months"),
    (r"\bmth\b", "month"),
    (r"\bY(\d{1,2})\b", r"Year \1"),
    (r"\bb/c\b", "because"),
    (r"\bNI number\b", "National Insurance number"),
    (r"(?<!\S)1:1(?!\S)", "one-to-one"),
    (r"\b(?:CLA|LAC)\s+medical\b", "health assessment"),
    (r"\bsemi-independent (?:accommodation|placement|living|provision|flat|unit)\b",
     "semi-independent"),
    (r"\bmaternal (grandmother|grandfather|grandparents|aunt|uncle|family|cousins?|nan|gran)\b",
     r"\1 on your mum's side"),
    (r"\bpaternal (grandmother|grandfather|grandparents|aunt|uncle|family|cousins?|nan|gran)\b",
     r"\1 on your dad's side"),
    (r"\btransition to (secondary|high|senior|big) school\b", r"moving up to \1 school"),
    (r"\bas (?:needed|required)\b", "when you need to"),
    (r"\bfor (?:an? )?(?:assessment|assessments) (?:of|for)\b", "for help with"),
    (r"\bf/t\b", "full-time"),
    (r"\bp/t\b", "part-time"),
    (r"\bengag(?:es|ing|ed|e) (?:well )?with\b", lambda m: {
        "es": "sees", "ing": "seeing", "ed": "saw", "e": "see"}[
        re.match(r"engag(es|ing|ed|e)", m.group(0), re.IGNORECASE).group(1).lower()]),  # type: ignore[union-attr]
)


def _words(text: str) -> str:
    for pattern, replacement in _WORDS:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)  # type: ignore[arg-type]
    return text


# --- sentence rules ------------------------------------------------------------------------

_DETERMINERS = ("the", "a", "an", "his", "her", "their", "your", "my", "this", "that", "all",
                "some", "no", "our")
_THIRD_PERSON = re.compile(r"^(?:his|her|their)\s+", re.IGNORECASE)


def _np(thing: str, names: list[str], *, default: str = "your") -> str:
    """A noun phrase from a note, with a determiner: "health assessment" -> "your health
    assessment"; "her PEP" -> "the PEP" (the glossary turns it into "your school plan")."""
    thing = " ".join(thing.split()).strip(" ,")
    thing = _THIRD_PERSON.sub("the ", thing)
    first = thing.split(" ")[0]
    if first.lower().endswith("ing") and first.lower() not in ("meeting", "building"):
        return _lower_first(thing, names)  # "moving up to secondary school"
    if first.lower() in _DETERMINERS or first.rstrip("'’s") in names or first in names:
        return _lower_first(thing, names)
    return f"{default} {_lower_first(thing, names)}"


def _lower_first(text: str, names: list[str]) -> str:
    words = text.split(" ")
    first = words[0]
    if not first or first in names or first.rstrip("'’s") in names:
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text  # a name of two words: "National Insurance", "Hillside Primary"
    if len(first) > 1 and (first[1:].islower() or not first[1:].isalpha()) \
            and first.lower() not in ("mum", "dad", "nan", "gran", "grandma", "grandad"):
        return first[:1].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plural(thing: str) -> bool:
    last = thing.rsplit(" ", 1)[-1].lower()
    return (" and " in thing.lower() or (last.endswith("s") and not last.endswith(
        ("ss", "us", "is", "ics")))) and "review of" not in thing.lower()


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], list[str]], str]]
_RULES: list[Rule] = []
_FRAGMENT_RULES: list[Rule] = []


def _rule(pattern: str, *, fragments_only: bool = False
          ) -> Callable[[Callable[[re.Match[str], list[str]], str]],
                        Callable[[re.Match[str], list[str]], str]]:
    def add(function: Callable[[re.Match[str], list[str]], str]
            ) -> Callable[[re.Match[str], list[str]], str]:
        target = _FRAGMENT_RULES if fragments_only else _RULES
        target.append((re.compile(pattern, re.IGNORECASE), function))
        return function
    return add


_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|" \
          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_REST = r"(?P<rest>(?:[,\s]+(?:at|in|on|with|by|for|during|today|this|last|next|since|from|"\
        r"before|after|over|every|each|once|twice|soon|recently|now)\b[^.;]*|\s+\d{1,2}" \
        r"(?:st|nd|rd|th)?\s+" + _MONTHS + r"\b[^.;]*)?)\s*\.?$"
_BARE_DATE = re.compile(r"(?<!\bon)(?<!\bby)(?<!\bfrom)(?<!\buntil)(?<!\bbefore)(?<!\bafter)"
                        r"(?<!\band)(?<!\bfor)(?<!,)\s+(\d{1,2}(?:st|nd|rd|th)?\s+"
                        + _MONTHS + r"\b)")
_STOP = r"(?:once|twice|three|two|four|every|each|weekly|monthly|fortnightly|daily|on|at|in|by|" \
        r"for|when|after|before|with|from|and|a|the|supervised|as|if|but|over|most|some|via)"
_WHO = rf"(?P<who>[A-Za-z'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]*|\s+(?!{_STOP}\b)[A-Za-z'’-]+)*)"


_SDQ = r"^(?:the\s+|a\s+|her\s+|his\s+|their\s+)?(?:latest\s+|recent\s+|last\s+|new\s+)?" \
       r"(?:carer'?s?\s+|teacher'?s?\s+)?SDQ(?:\s+(?:score|result|total))?s?"


@_rule(_SDQ + r"[\s:,(-]*(?:of\s+)?(?:\d+\s*)?[\s:,(-]*(?:is\s+|was\s+|are\s+|remains?\s+|"
       r"still\s+|now\s+)*(?:with)?in\s+(?:the\s+)?(?:normal|average|expected|typical|low)"
       r"(?:\s+range)?\)?" + _REST)
@_rule(_SDQ + r"[\s:,(-]*(?:of\s+)?(?:\d+\s*)?[\s:,(-]*(?:is\s+|was\s+)?(?:normal|average|"
       r"close to average|low|fine|good)\)?" + _REST)
def _sdq_ok(match: re.Match[str], _names: list[str]) -> str:
    return f"The SDQ shows you are doing OK{match.group('rest')}."


@_rule(_SDQ + r"\b[^.;]*?\b(?:in the normal range|normal|average|close to average|typical)\b"
       r"[^.;]*\.?$")
def _sdq_ok_anywhere(_match: re.Match[str], _names: list[str]) -> str:
    return "The SDQ shows you are doing OK."


@_rule(_SDQ + r"[\s:,(-]*(?:of\s+)?(?:\d+\s*)?[\s:,(-]*(?:is\s+|was\s+|has\s+)?(?:slightly\s+|"
       r"very\s+)?(?:high|raised|elevated|borderline|above average|gone up|increased|higher)"
       r"[^.;]*?" + _REST)
def _sdq_high(match: re.Match[str], _names: list[str]) -> str:
    return "The SDQ shows that some things feel hard for you at the moment."


@_rule(_SDQ + r"[\s:,(-]*(?:of\s+)?(?:\d+\s*)?[\s:,(-]*(?:has\s+|is\s+)?(?:improved|lower|"
       r"better|gone down|reduced|down)[^.;]*?" + _REST)
def _sdq_better(match: re.Match[str], _names: list[str]) -> str:
    return "The SDQ shows you are feeling better than before."


@_rule(_SDQ + r"\s+(?:was\s+|has been\s+)?(?:completed|done|returned|filled in|received)"
       + _REST)
def _sdq_done(match: re.Match[str], _names: list[str]) -> str:
    return f"The SDQ was done{match.group('rest')}."


@_rule(_SDQ + r"\s+(?:is\s+)?(?:due|to be (?:completed|done|sent)|requested)" + _REST)
def _sdq_due(match: re.Match[str], _names: list[str]) -> str:
    return f"The SDQ is due to be filled in{match.group('rest') or ' soon'}."


@_rule(_SDQ + r"\s+(?:is\s+)?(?:overdue|outstanding|not (?:yet )?(?:done|completed|returned))"
       + _REST)
def _sdq_late(match: re.Match[str], _names: list[str]) -> str:
    return "The SDQ still needs to be filled in."


_PLAN = r"(?P<plan>PEP|personal education plan|EHCP|care plan|pathway plan|PWP|health plan|" \
        r"placement plan|safety plan|support plan|behaviour plan|risk assessment)"


@_rule(r"^(?:the\s+|her\s+|his\s+|their\s+|a\s+)?(?:latest\s+|last\s+|termly\s+|new\s+)?"
       + _PLAN + r"(?:\s+meeting)?\s+(?:was\s+|has been\s+)?(?:reviewed|held|discussed|looked at|"
       r"done|completed)(?P<agreed>\s+and\s+(?:agreed|updated|signed off|approved))?" + _REST)
def _plan_reviewed(match: re.Match[str], _names: list[str]) -> str:
    agreed = " and agreed it" if match.group("agreed") else ""
    return f"We looked at the {match.group('plan')}{agreed}{match.group('rest')}."


@_rule(r"^(?:the\s+|her\s+|his\s+|their\s+)?(?:latest\s+|new\s+)?" + _PLAN
       + r"\s+(?:was\s+|has been\s+)?(?P<how>updated|written|agreed|signed off|finalised)" + _REST)
def _plan_updated(match: re.Match[str], _names: list[str]) -> str:
    how = {"signed off": "agreed", "finalised": "finished"}.get(match.group("how").lower(),
                                                                 match.group("how").lower())
    return f"The {match.group('plan')} has been {how}{match.group('rest')}."


@_rule(r"^(?:the\s+|her\s+|his\s+|their\s+)?(?:next\s+)?" + _PLAN
       + r"(?:\s+(?:meeting|review))?\s+(?:is\s+)?(?:due|booked|planned|arranged)" + _REST)
def _plan_due(match: re.Match[str], _names: list[str]) -> str:
    rest = re.sub(r"^\s*for\b", " on", match.group("rest"))
    return f"The next {match.group('plan')} meeting is {rest.strip() or 'soon'}."


@_rule(r"^(?:the\s+|her\s+|his\s+|their\s+)?" + _PLAN
       + r"\s+(?:is\s+)?(?:overdue|out of date|needs? updating|to be updated)" + _REST)
def _plan_late(match: re.Match[str], _names: list[str]) -> str:
    return f"The {match.group('plan')} needs to be updated soon."


@_rule(r"^(?:the\s+)?" + _PLAN + r"\s+targets?\s+(?:were\s+|have been\s+)?(?P<how>met|achieved|"
       r"set|agreed|reviewed)" + _REST)
def _plan_targets(match: re.Match[str], _names: list[str]) -> str:
    how = match.group("how").lower()
    if how in ("met", "achieved"):
        return f"You met the targets in the {match.group('plan')}. Well done!"
    return f"New targets were set in the {match.group('plan')}{match.group('rest')}."


@_rule(r"^(?:all\s+)?(?:her\s+|his\s+|their\s+)?(?:jabs|immunisations|immunizations|"
       r"vaccinations|injections)\s+(?:are\s+)?(?:done|up to date|up-to-date|complete|completed|"
       r"given)" + _REST)
def _jabs(match: re.Match[str], _names: list[str]) -> str:
    return "You have had all your jabs."


@_rule(r"^(?:her\s+|his\s+|their\s+)?(?:jabs|immunisations|vaccinations)\s+(?:are\s+)?"
       r"(?:due|outstanding|overdue|not up to date)" + _REST)
def _jabs_due(match: re.Match[str], _names: list[str]) -> str:
    return f"You have some jabs to have{match.group('rest') or ' soon'}."


@_rule(r"^(?:there (?:are|were)\s+)?no\s+(?:current\s+)?(?:concerns|issues|worries|problems)"
       r"(?:\s+(?:raised|noted|reported|identified))?(?:\s+(?:about|re|regarding|with|around|"
       r"in relation to|for)\s+(?P<about>[^.;]+?))?\s*\.?$")
@_rule(r"^no\s+(?P<about>[a-z]+)\s+(?:concerns|issues|worries|problems)(?:\s+(?:raised|noted|"
       r"reported|identified))?\s*\.?$")
def _no_concerns(match: re.Match[str], names: list[str]) -> str:
    about = match.groupdict().get("about")
    if not about:
        return "Everyone thinks this is going well."
    return f"There are no worries about {_np(about, names)}."


@_rule(r"^no\s+(?:further\s+)?(?P<thing>[a-z][\w -]{1,40}?)\s+(?:is\s+|was\s+)?(?:needed|required|"
       r"necessary)" + _REST)
def _not_needed(match: re.Match[str], _names: list[str]) -> str:
    return f"You do not need any {match.group('thing')}{match.group('rest')}."


@_rule(r"^predicted\s+(?:grades?\s+)?(?P<x>[\w -]+?)\s+(?:in|for)\s+(?:her\s+|his\s+|their\s+)?"
       r"(?P<what>[^.;]+?)\s*\.?$")
def _predicted(match: re.Match[str], _names: list[str]) -> str:
    grades = match.group("x").replace("-", " to ")
    return f"You are on track for grades {grades} in your {match.group('what')}."


@_rule(r"^no\s+changes?(?:\s+(?:to|in)\s+(?P<what>[^.;]+?))?\s*\.?$")
def _no_change(match: re.Match[str], names: list[str]) -> str:
    what = match.group("what")
    if not what or re.fullmatch(r"(?:the\s+)?(?:care\s+)?plan", what, re.IGNORECASE):
        return "The plan has not changed."
    thing = _np(what, names, default="the")
    return f"{_cap(thing)} {'have' if _plural(thing) else 'has'} not changed."


@_rule(r"^(?P<thing>[a-z][\w' -]{1,40}?)\s+(?:is\s+)?(?:well|now)\s+(?:managed|controlled|"
       r"under control)" + _REST)
def _managed(match: re.Match[str], names: list[str]) -> str:
    thing = _np(match.group("thing"), names)
    return f"{_cap(thing)} {'are' if _plural(thing) else 'is'} under control{match.group('rest')}."


@_rule(r"^(?:phone|telephone|video|facetime|online)\s+(?:contact|calls?|family time)\s+with\s+"
       + _WHO + r"(?P<rest>[^.;]*)\s*\.?$", fragments_only=True)
def _calls(match: re.Match[str], names: list[str]) -> str:
    name = names[0] if names else "You"
    how = "on the phone" if match.group(0).lower().startswith(("phone", "tele")) else \
        "on video calls"
    return f"{name} talks to {_family(match.group('who'))} {how}{match.group('rest')}."


@_rule(r"^(?:one-to-one|extra|additional|some)\s+(?:support|help)\b[^.;]*\.?$",
       fragments_only=True)
def _support(match: re.Match[str], names: list[str]) -> str:
    name = names[0] if names else "You"
    body = match.group(0).rstrip(".")
    return f"{name} gets {body[:1].lower() + body[1:]}."


@_rule(r"^staying put\s+(?:has been\s+|is\s+|was\s+)?(?:agreed|confirmed|approved|in place|"
       r"arranged)[^.;]*\.?$")
def _staying_put(_match: re.Match[str], _names: list[str]) -> str:
    return "You can stay with your carers after you turn 18. Everyone has agreed to this."


@_rule(r"^independence(?:\s+skills)?(?:\s+work)?\s+(?:is\s+)?(?:ongoing|continuing|in progress|"
       r"under ?way|going well)" + _REST, fragments_only=True)
def _independence(match: re.Match[str], _names: list[str]) -> str:
    return f"You are learning skills for living on your own{match.group('rest')}."


@_rule(r"^(?:school\s+|college\s+)?attendance\s+(?:at\s+[^.;]+?\s+)?(?:is\s+|was\s+|has been\s+)?"
       r"(?:(?P<good>good|very good|excellent|great|100%|full|high)|(?P<better>improving|improved|"
       r"better|up)|(?P<poor>poor|low|a concern|dropping|down)|(?:at\s+)?(?P<pct>\d{2,3})\s*%)"
       + _REST)
@_rule(r"^(?:(?P<good>good|very good|excellent|great|full|high)|(?P<better>improving|improved|"
       r"better)|(?P<poor>poor|low))\s+(?:school\s+|college\s+)?attendance(?:\s+\d{2,3}\s*%)?"
       r"(?P<pct>)" + _REST)
def _attendance(match: re.Match[str], _names: list[str]) -> str:
    rest = match.group("rest")
    if match.group("good"):
        return f"You have been at school almost every day{rest}. Well done!"
    if match.group("better"):
        return f"You are going to school more often{rest}. Well done!"
    if match.group("poor"):
        return f"You have missed quite a lot of school{rest}."
    return f"You were at school on {match.group('pct')} out of every 100 school days{rest}."


@_rule(r"^(?P<sup>supervised\s+)?(?:contact|family time|time)\s+with\s+" + _WHO +
       r"(?P<sup2>[,\s]+(?:fully\s+)?supervised(?:\s+by\s+[^,.;]+)?)?(?P<rest>(?:[,\s]+[^.;]*)?)"
       r"\s*\.?$", fragments_only=True)
def _family_time(match: re.Match[str], names: list[str]) -> str:
    who = match.group("who").strip()
    raw_rest = match.group("rest") or ""
    if re.search(r"\b(?:suspended|stopped|ended|pending|paused|cancelled|on hold|reduced|"
                 r"terminated)\b", raw_rest + " " + who, re.IGNORECASE):
        return ""  # a change the IRO explains in their own words
    rest = re.sub(r"[,\s]+supervised\b", "", raw_rest).rstrip(" ,")
    if rest and not rest.startswith(","):
        rest = " " + rest.strip()
    helper = match.group("sup") or match.group("sup2") or "supervised" in raw_rest.lower()
    name = names[0] if names else "You"
    sentence = f"{name} has family time with {_family(who)}{rest}."
    return sentence + (" A helper is there too." if helper else "")


@_rule(r"^(?P<who>sibling|siblings|brothers?|sisters?|grandparents?|nan|gran|dad|mum|mother|"
       r"father|parents?|birth parents?|birth mother|birth father|birth family|family)\s+"
       r"(?P<sup>supervised\s+)?(?:contact|family time)(?P<rest>[^.;]*)\s*\.?$",
       fragments_only=True)
def _who_family_time(match: re.Match[str], names: list[str]) -> str:
    who = match.group("who").lower()
    who = {"sibling": "your brother or sister", "siblings": "your brothers and sisters"}.get(
        who, _family(who))
    name = names[0] if names else "You"
    rest = re.sub(r"[,\s]+supervised\b", "", match.group("rest")).rstrip(" ,")
    sentence = f"{name} has family time with {who}{rest}."
    return sentence + (" A helper is there too." if match.group("sup") or "supervised" in
                       match.group("rest").lower() else "")


@_rule(r"^(?:indirect\s+|letterbox\s+)(?:contact|family time)(?:\s+with\s+" + _WHO + r")?"
       r"(?P<rest>(?:[,\s]+[^.;]*)?)\s*\.?$", fragments_only=True)
def _letterbox(match: re.Match[str], names: list[str]) -> str:
    who = _family(match.group("who")) if match.group("who") else "your family"
    return f"You and {who} send each other letters{match.group('rest') or ''}."


_FAMILY_WORDS = {"mum", "dad", "mother", "father", "parents", "parent", "sister", "brother",
                 "sisters", "brothers", "sibling", "siblings", "nan", "nana", "gran", "granny",
                 "grandma", "grandad", "grandparents", "grandmother", "grandfather", "aunt",
                 "auntie", "uncle", "cousin", "cousins", "family", "carer", "carers", "foster",
                 "current", "birth", "half-brother", "half-sister", "step-mum", "step-dad",
                 "stepmum", "stepdad", "maternal", "paternal", "older", "younger", "little",
                 "big", "baby"}


def _family(who: str) -> str:
    """"Mum" stays (a name the child uses); "mum", "birth mother", "sister" get "your"."""
    who = who.strip()
    first = who.split(" ")[0]
    if first.lower() in _DETERMINERS or first[:1].isupper() or first.lower() not in _FAMILY_WORDS:
        return who
    return f"your {who}"


@_rule(r"^life story work\s+(?:has\s+)?(?:started|begun|begun|is starting|under way|underway)"
       + _REST)
def _life_story(match: re.Match[str], _names: list[str]) -> str:
    return f"You have started life story work{match.group('rest')}."


@_rule(r"^(?:the\s+)?(?:care\s+)?plan(?:\s+is)?\s*[:\-–]\s*(?P<x>[^.;]+?)\s*\.?$")
def _plan_colon(match: re.Match[str], names: list[str]) -> str:
    return expand(f"The plan is {match.group('x')}.", names)


@_rule(r"^(?:the\s+)?(?:care\s+|permanence\s+)?plan\s+(?:is\s+)?(?:for\s+)?long[- ]term\s+"
       r"(?:fostering|foster care|placement|matching)(?:\s+with\s+(?P<who>[^.;]+?))?"
       r"(?:\s+(?:agreed|confirmed|ratified|approved))?\s*\.?$")
@_rule(r"^long[- ]term\s+(?:fostering|foster care|placement|match|matching)(?:\s+with\s+"
       + _WHO.replace("who", "who") + r")?(?:[,\s]+(?:is\s+|was\s+)?(?:agreed|confirmed|ratified|"
       r"approved|the plan)\b[^.;]*)?\s*\.?$")
@_rule(r"^(?:the\s+)?(?:permanence\s+|care\s+)?plan\s+(?:remains|is still|continues to be|"
       r"is)\s+long[- ]term\s+(?:fostering|foster care|placement)(?:\s+with\s+" + _WHO
       + r")?[^.;]*\.?$")
def _long_term(match: re.Match[str], names: list[str]) -> str:
    who = match.group("who")
    name = names[0] if names else "you"
    where = f"with {_family(who)}" if who else "with your carers"
    return f"The plan is for {name} to stay {where} while {name} grows up."


@_rule(r"^the plan is (?:to\s+)?(?P<verb>remain|stay|return|live|move|go|be|continue)\b"
       r"(?P<rest>[^.;]*)\.?$")
def _plan_to(match: re.Match[str], names: list[str]) -> str:
    name = names[0] if names else "you"
    return f"The plan is for {name} to {match.group('verb').lower()}{match.group('rest')}."


@_rule(r"^(?:a\s+)?(?:return(?:ing)?|going|moving)\s+(?:back\s+)?home\s+(?:to\s+(?:live\s+with\s+)?"
       r"(?P<who>[^.;]+?)\s+)?(?:is\s+)?(?:being\s+)?(?:assessed|explored|considered|looked at)"
       r"\s*\.?$")
def _return_home(match: re.Match[str], _names: list[str]) -> str:
    who = match.group("who")
    return ("We are looking at whether you can go back to live with "
            f"{_family(who)}." if who else
            "We are looking at whether you can go back home to live.")


@_rule(r"^(?:the\s+)?placement\s+(?:is\s+)?(?:stable|secure|settled|going well|positive|"
       r"working well)" + _REST, fragments_only=True)
def _placement_ok(match: re.Match[str], _names: list[str]) -> str:
    return f"Things are going well where you live{match.group('rest')}."


@_rule(r"^(?:placed|living|placement)\s+with\s+(?P<who>[^.;]+?)(?P<since>\s+(?:since|from)\s+"
       r"[^.;]+)?\s*\.?$", fragments_only=True)
def _placed_with(match: re.Match[str], names: list[str]) -> str:
    name = names[0] if names else "You"
    if match.group("since"):
        return f"{name} has lived with {_family(match.group('who'))}{match.group('since')}."
    return f"{name} lives with {_family(match.group('who'))}."


@_rule(r"^(?:a\s+)?(?:very\s+)?(?:good|great|strong|close|warm|positive|lovely|loving)\s+"
       r"(?:relationship|bond|attachment)s?\s+with\s+(?P<who>[^.;]+?)\s*\.?$",
       fragments_only=True)
def _relationship(match: re.Match[str], names: list[str]) -> str:
    name = names[0] if names else "You"
    return f"{name} gets on really well with {_family(match.group('who'))}."


@_rule(r"^(?:some\s+)?(?:anxiety|worries|worry)\s+(?:about|around|re|regarding|over)\s+"
       r"(?P<x>[^.;]+?)\s*\.?$", fragments_only=True)
def _anxiety(match: re.Match[str], names: list[str]) -> str:
    about = match.group("x")
    if not about.split(" ")[0].lower().endswith("ing"):
        about = _np(about, names, default="the")
    return f"You sometimes feel worried about {about}."


@_rule(r"^(?:(?:is|are)\s+)?(?:meeting|met|reaching|reached)\s+(?:all\s+(?:her\s+|his\s+|their\s+)?|"
       r"her\s+|his\s+|their\s+)?(?:developmental\s+|development\s+)?milestones" + _REST)
def _milestones(match: re.Match[str], _names: list[str]) -> str:
    return f"You are growing and learning well{match.group('rest')}."


@_rule(r"^low mood(?P<rest>[^.;]*)\s*\.?$", fragments_only=True)
def _low_mood(match: re.Match[str], _names: list[str]) -> str:
    return f"You feel low{match.group('rest') or ' sometimes'}."


@_rule(r"^(?P<thing>nightmares|bad dreams|tantrums|meltdowns|outbursts|bed-?wetting|"
       r"night terrors)\s+(?:are\s+|have been\s+)?(?P<how>less|more)\s+(?:frequent|often)"
       r"(?P<rest>[^.;]*)\s*\.?$", fragments_only=True)
def _less_often(match: re.Match[str], _names: list[str]) -> str:
    thing = match.group("thing").lower().replace("tantrums", "big feelings")
    return f"You have {thing} {match.group('how').lower()} often now{match.group('rest')}."


@_rule(r"^(?P<thing>[a-z][\w' -]{1,60}?)\s+(?:is\s+|are\s+)?(?P<how>up to date|up-to-date|"
       r"in place|sorted|on track|going well|working well)" + _REST, fragments_only=True)
def _in_place(match: re.Match[str], names: list[str]) -> str:
    thing = _np(match.group("thing"), names)
    how = match.group("how").lower().replace("up-to-date", "up to date")
    verb = "are" if _plural(thing) else "is"
    return f"{_cap(thing)} {verb} {how}{match.group('rest')}."


@_rule(r"^(?P<thing>[a-z][\w' -]{1,40}?)\s+(?:is\s+|are\s+)?(?P<how>due|overdue|booked|"
       r"planned|arranged)" + _REST, fragments_only=True)
def _due(match: re.Match[str], names: list[str]) -> str:
    raw = match.group("thing")
    thing = _np(raw, names, default="the" if raw.lower().startswith(("review", "meeting"))
                else "your")
    verb = "are" if _plural(thing) else "is"
    how = match.group("how").lower()
    if how == "overdue":
        return f"{_cap(thing)} {verb} late, and will happen soon."
    rest = match.group("rest") or (" soon" if how == "due" else "")
    return f"{_cap(thing)} {verb} {how}{rest}."


@_rule(r"^(?P<thing>[A-Za-z][\w'’ -]{1,50}?)\s+(?:is\s+|are\s+)?(?:still\s+)?to be\s+"
       r"(?P<part>confirmed|agreed|decided|discussed|reviewed|arranged|booked|completed|updated|"
       r"looked at|sorted|made|finished|started)" + _REST)
def _to_be(match: re.Match[str], names: list[str]) -> str:
    raw = " ".join(match.group("thing").split())
    if _FINITE & {w.lower() for w in _TOKEN.findall(raw)}:
        return ""
    part = {"confirmed": "agreed", "completed": "finished"}.get(match.group("part").lower(),
                                                                match.group("part").lower())
    return f"{_cap(_np(raw, names))} will be {part}{match.group('rest')}."


_PARTICIPLES = {
    "reviewed": "We looked at {thing}{rest}.",
    "discussed": "We talked about {thing}{rest}.",
    "explored": "We talked about {thing}{rest}.",
    "considered": "We talked about {thing}{rest}.",
    "allocated": "You now have {a_thing}{rest}.",
    "appointed": "You now have {a_thing}{rest}.",
    "drafted": "{Thing} {has} been started{rest}.",
    "started": "{Thing} {has} started{rest}.",
    "begun": "{Thing} {has} started{rest}.",
    "completed": "{Thing} {is_} done{rest}.",
    "done": "{Thing} {is_} done{rest}.",
    "finished": "{Thing} {is_} finished{rest}.",
    "obtained": "You now have {your_thing}{rest}.",
    "updated": "{Thing} {has} been updated{rest}.",
    "agreed": "{Thing} {has} been agreed{rest}.",
    "arranged": "{Thing} {has} been arranged{rest}.",
    "booked": "{Thing} {has} been booked{rest}.",
    "requested": "{Thing} {has} been asked for{rest}.",
    "applied for": "{Thing} {has} been applied for{rest}.",
    "submitted": "{Thing} {has} been sent in{rest}.",
    "sent": "{Thing} {has} been sent{rest}.",
    "received": "{Thing} {has} come{rest}.",
    "approved": "{Thing} {has} been agreed{rest}.",
    "confirmed": "{Thing} {has} been agreed{rest}.",
    "made": "{Thing} {has} been made{rest}.",
    "opened": "{Thing} {has} been opened{rest}.",
    "set up": "{Thing} {has} been set up{rest}.",
    "put in place": "{Thing} {has} been set up{rest}.",
    "sorted": "{Thing} {has} been sorted out{rest}.",
    "ordered": "{Thing} {has} been ordered{rest}.",
    "achieved": "You achieved {thing}{rest}. Well done!",
    "met": "{Thing} {has} been met{rest}.",
    "passed": "You passed {thing}{rest}. Well done!",
}


@_rule(r"^(?P<thing>[A-Za-z][\w'’ -]{1,50}?)\s+(?:was\s+|were\s+|has been\s+|have been\s+)?"
       r"(?P<part>" + "|".join(sorted((re.escape(p) for p in _PARTICIPLES), key=len, reverse=True))
       + r")" + _REST)
def _participle(match: re.Match[str], names: list[str]) -> str:
    raw = " ".join(match.group("thing").split())
    if _FINITE & {w.lower() for w in _TOKEN.findall(raw)} \
            or raw.split(" ")[0].lower() in _SUBJECTS | {"i", "we"} \
            or raw.split(" ")[0] in names or raw.split(" ")[0].rstrip(".") in names:
        return ""  # "Maya passed her test" is a sentence already
    part = match.group("part").lower()
    if re.search(r"\b[A-Z]\w*\s+(?:and|&)\s+[A-Z]", raw):
        return ""  # "Jo and Alex agreed": people, not a thing
    template = _PARTICIPLES[part]
    if part in ("completed", "done", "finished") and re.match(
            r"\s+(?:in|on|last|at|during)\b", match.group("rest")):
        template = "{Thing} {was} done{rest}."  # "Health check completed in May"
    if part == "met" and re.search(r"\b(?:targets?|goals?)\b", raw, re.IGNORECASE):
        template = "You met {thing}{rest}. Well done!"
    thing = _np(raw, names)
    the = _np(raw, names, default="the")
    plain = _lower_first(_THIRD_PERSON.sub("", raw), names)
    article = "an" if plain[:1].lower() in "aeiou" else "a"
    a_thing = plain if plain.split(" ")[0].lower() in _DETERMINERS else f"{article} {plain}"
    plural = _plural(thing)
    return template.format(thing=the, Thing=_cap(thing), has="have" if plural else "has",
                           is_="are" if plural else "is", a_thing=a_thing, your_thing=thing,
                           was="were" if plural else "was", rest=match.group("rest"))


_ADVERB = r"(?:still|also|now|often|sometimes|usually|generally|currently|really|clearly|" \
          r"mostly|always|never|already|just)"
# Verbs a note starts with when it leaves out the child ("Attends nursery").
_THIRD_PERSON_VERBS = {_third(v) for v in _VERBS} | {
    "has", "is", "was", "had", "would", "can", "will", "said", "went", "made", "got", "told",
    "chose", "won", "saw", "took", "came", "felt", "ran", "knew", "met"} | {
    _past(v) for v in ("start", "move", "join", "ask", "report", "pass", "achieve", "receive",
                       "enjoy", "attend", "visit", "like", "love", "want", "need", "seem",
                       "manage", "struggle", "talk", "play", "stay")}
# Words that follow an unspoken "is": "Happy at school", "Doing well", "Registered with a GP".
_IS_WORDS = {
    "registered", "enrolled", "waiting", "awaiting", "happy", "settled", "well", "safe",
    "healthy", "proud", "keen", "excited", "worried", "upset", "anxious", "sad", "calm",
    "confident", "quiet", "chatty", "thriving", "able", "unable", "interested", "close",
    "fond", "reluctant", "nervous", "unhappy", "bright", "cheerful", "kind", "helpful",
    "sociable", "shy", "in", "on", "at", "due", "up", "ready", "growing", "making", "neet",
    "supported", "loved", "encouraged", "helped", "cared",
}
_WAS_WORDS = {"seen", "assessed", "diagnosed", "discharged", "prescribed", "born", "placed"}
_PRESENTS = re.compile(r"^presents?\s+as\b", re.IGNORECASE)
_YEAR_FIRST = re.compile(r"^(?:Year \d{1,2}|Reception|Nursery)\b(?!\s+(?:is|was|teacher))")
_FREQUENCY_FIRST = re.compile(
    r"^(?:weekly|daily|fortnightly|monthly|regular|twice-weekly|twice weekly)\s+", re.IGNORECASE)
_PROGRESS = re.compile(r"^(?:good|great|steady|excellent|real|some|lots of|much|slow)\s+"
                       r"progress\b", re.IGNORECASE)
_PROUD_OF = re.compile(r"\b(proud of|interested in|learning about|knows about|loves)\s+"
                       r"(?!your|his|her|their|the|a|an|my|it|this|that|being|how|what)"
                       r"(?P<x>[A-Z]\w+\s+(?:heritage|culture|roots|background|faith|religion|"
                       r"language|family|history)\b)")


_SUBJECT_VERBS = {"is", "are", "was", "were", "has", "have"}
_ING_NOUNS = {"counselling", "tutoring", "mentoring", "housing", "funding", "respite",
              "therapy", "swimming", "boxing"}
_A_NOUN = re.compile(r"^(keen|talented|good|great|budding|confident|strong|popular|kind|"
                     r"helpful|bright|keen young|natural)\s+(\w+(?:er|ist|or|ian|eur))\b",
                     re.IGNORECASE)
_CLAUSE_START = {"and", "but", "or", "then", "also", "still", "she", "he", "they", "it", "i",
                 "we", "you", "there", "that", "who", "which", "what", "this"}


def _subject_first(sentence: str, names: list[str], *, fragment: bool = True) -> str:
    """A sentence whose subject, the child, was left out: "Attends nursery." -> "Ruby attends
    nursery."; "Happy at school." -> "Ruby is happy at school."; "" when it is not one. For a
    sentence that has a verb (`fragment` False) only a leading verb counts ("Attends nursery and
    loves the sand pit"), never a leading noun with its own verb ("Visits to Dad are fun")."""
    name = names[0] if names else ""
    if not name:
        return ""
    if not fragment:
        tokens = [t.lower() for t in _TOKEN.findall(sentence)]
        first = tokens[0] if tokens else ""
        if first.startswith("present") and _PRESENTS.match(sentence):
            pass
        elif (first not in _THIRD_PERSON_VERBS | _IS_WORDS | _WAS_WORDS and first != "referred"
              and not first.endswith("ing")) or any(
                token in _SUBJECT_VERBS and tokens[i] not in _CLAUSE_START
                for i, token in enumerate(tokens[1:])):
            return ""  # "Visits to Dad are fun": a noun with its own verb
    body = sentence[:1].lower() + sentence[1:]
    presents = _PRESENTS.match(sentence)
    if presents:
        return f"{name} seems{body[len(presents.group(0)):]}"
    if _YEAR_FIRST.match(sentence):
        return f"{name} is in {sentence}"
    if _PROGRESS.match(sentence):
        return f"{name} is making {body}"
    if _FREQUENCY_FIRST.match(sentence):
        return f"{name} has {body}"
    words = body.split(" ")
    adverb = ""
    if re.fullmatch(_ADVERB, words[0]) and len(words) > 1:
        adverb, words = words[0] + " ", words[1:]
    first = re.sub(r"[^a-z'-]", "", words[0].lower())
    rest = " ".join(words)
    if body.lower().startswith("well done"):
        return ""
    if first == "referred":
        return f"{name} has {adverb}been {rest}"
    if first in _WAS_WORDS:
        return f"{name} was {adverb}{rest}"
    if first in _THIRD_PERSON_VERBS:
        return f"{name} {adverb}{rest}"
    if first in _ING_NOUNS:
        return f"{name} has {adverb}{rest}"  # "Counselling via school."
    if first in _IS_WORDS or first.endswith("ing"):
        rest = _A_NOUN.sub(lambda m: f"a {m.group(1)} {m.group(2)}", rest)  # "keen footballer"
        if re.search(r"\bsince\b", rest) and not first.endswith("ing"):
            return f"{name} has {adverb}been {rest}"  # "On a reduced timetable since May"
        return f"{name} is {adverb}{rest}"
    return ""


def _tidy(sentence: str, names: list[str]) -> str:
    """Small repairs of shorthand grammar: articles and "your" where notes leave them out."""
    name = names[0] if names else ""
    s = re.sub(r"\b(registered with|referred to|see|sees|seeing|saw|with|and)\s+"
               r"(GP|dentist|optician|doctor|nurse|therapist|counsellor|paediatrician)\b",
               lambda m: f"{m.group(1)} a {m.group(2)}", sentence)
    s = re.sub(r"\b(with|and|to|by|from|sees|see|visits|misses|loves|likes)\s+(sister|brother|"
               r"carers?|foster carers?|teacher|social worker|nan|gran|grandma|grandad|cousins?|"
               r"sisters|brothers|siblings?|key worker|keyworker|mum|dad|grandmother|"
               r"grandfather|grandparents|aunt|auntie|uncle)\b",
               lambda m: f"{m.group(1)} your {m.group(2)}", s)
    s = re.sub(r"\b(uses?|using|needs?|wears?|wearing)\s+(inhaler|glasses|hearing aids?|"
               r"epipen|wheelchair|medication|medicine)\b",
               r"\1 your \2", s)
    # "Your carer takes her to the salon": in a note about the child, "her" is the child.
    s = re.sub(r"^((?:Your )?(?:carers?|foster carers?|Carers?|Foster carers?)\s+[a-z]+s)\s+"
               r"(?:her|him|them)\b", r"\1 you", s)
    s = re.sub(r"^(Carers?|Foster carers?|Teachers?|Social worker)\b",
               lambda m: "Your " + m.group(1).lower(), s)
    if name:
        s = _PROUD_OF.sub(lambda m: f"{m.group(1)} {name}'s {m.group('x')}", s)
    return s


# Things a draft never words by rule: the IRO tells the child about them in their own words.
_LEAVE_OUT = re.compile(
    r"\b(?:missing episodes?|self[- ]harm\w*|exclu(?:ded|sion)|allegation|police|arrest\w*|"
    r"CSE|CCE|exploitation|overdose|suicid\w*|risk assessment|strategy meeting|section 47|"
    r"LADO)\b", re.IGNORECASE)


def expand(sentence: str, names: list[str]) -> str:
    """One sentence of a record note as a whole sentence, or "" to leave it out (see the module
    docstring). `names` are the child's names, the one to use first."""
    text = _words(" ".join(sentence.split())).strip()
    if not text or _LEAVE_OUT.search(text):
        return ""
    if text[-1] not in ".!?":
        text += "."
    fragment = is_fragment(text)
    for pattern, make in _RULES + (_FRAGMENT_RULES if fragment else []):
        match = pattern.match(text)
        made = make(match, names) if match else ""
        if made:  # a rule may decline ("") and leave the sentence to the next one
            return _tidy(_BARE_DATE.sub(r" on \1", _cap(made)), names)
    whole = _subject_first(text, names, fragment=fragment)  # "Attends nursery and loves..."
    if whole and not is_fragment(whole):
        return _tidy(whole, names)
    if not fragment:
        return _tidy(text, names)
    return ""
