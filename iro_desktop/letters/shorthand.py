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
_VERBS = (
    "accept agree allow answer appear arrive ask attend bake begin believe belong bring build "
    "buy call care change chat check choose clean come cook cope cry dance decide describe "
    "draw dream drink drive eat engage enjoy explain fall feel fight find finish fly follow "
    "forget get give go grow hate hear help hold hope join keep know laugh learn leave like "
    "listen live look lose love make manage mean meet miss move need open pass plan play "
    "practise prefer read remain remember report ride run say see seem sell send settle share "
    "show sing sit sleep smile speak spend stand start stay stop struggle study support swim "
    "take talk teach tell thank think tidy train travel try understand use visit wait wake "
    "walk want watch wear wish wonder work worry write"
).split()
_IRREGULAR_PAST = (
    "began became brought bought came did drew drank drove ate fell felt fought found flew forgot "
    "got gave went grew heard held kept knew left lost made meant met paid read rode ran said saw "
    "sold sent sat slept spoke spent stood swam took taught told thought understood woke wore "
    "wrote"
).split()


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
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def is_fragment(sentence: str) -> bool:
    """True when `sentence` has no verb a reader would recognise ("Your school plan reviewed"
    has one only as a label; "Family time with Mum on Saturdays" has none)."""
    tokens = _TOKEN.findall(sentence.replace("’", "'"))
    previous = ""
    for index, raw in enumerate(tokens):
        word = raw.lower()
        if word in _FINITE or word in _INFLECTED:
            return False
        if word in _BASE and index > 0 and (previous.lower() in _SUBJECTS
                                            or previous[:1].isupper()):
            return False
        if word == "please" or (index == 0 and word in _BASE):
            return False  # "Please ask me", "Ask me any time": an instruction is a sentence
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
    (r"\bf/t\b", "full-time"),
    (r"\bp/t\b", "part-time"),
    (r"\bengag(?:es|ing|ed|e) (?:well )?with\b", lambda m: {
        "es": "sees", "ing": "seeing", "ed": "saw", "e": "see"}[
        re.match(r"engag(es|ing|ed|e)", m.group(0)).group(1)]),  # type: ignore[union-attr]
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
    if first.lower() in _DETERMINERS or first.rstrip("'’s") in names or first in names:
        return _lower_first(thing, names)
    return f"{default} {_lower_first(thing, names)}"


def _lower_first(text: str, names: list[str]) -> str:
    first = text.split(" ")[0]
    if not first or first in names or first.rstrip("'’s") in names:
        return text
    if len(first) > 1 and (first[1:].islower() or not first[1:].isalpha()) \
            and first.lower() not in ("mum", "dad", "nan", "gran", "grandma", "grandad"):
        return first[:1].lower() + text[1:]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plural(thing: str) -> bool:
    last = thing.split(" ")[-1].lower()
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


_REST = r"(?P<rest>(?:[,\s]+(?:at|in|on|with|by|for|during|today|this|last|next|since|from|"\
        r"before|after|over|every|each|once|twice|soon|recently|now)\b[^.;]*)?)\s*\.?$"
_SDQ = r"^(?:the\s+|a\s+|her\s+|his\s+|their\s+)?(?:latest\s+|recent\s+|last\s+|new\s+)?" \
       r"(?:carer'?s?\s+|teacher'?s?\s+)?SDQ(?:\s+(?:score|result|total))?s?"


@_rule(_SDQ + r"[\s:,(-]*(?:of\s+)?(?:\d+\s*)?[\s:,(-]*(?:is\s+|was\s+|are\s+|remains?\s+|"
       r"still\s+|now\s+)*(?:with)?in\s+(?:the\s+)?(?:normal|average|expected|typical|low)"
       r"(?:\s+range)?\)?" + _REST)
@_rule(_SDQ + r"[\s:,(-]*(?:of\s+)?(?:\d+\s*)?[\s:,(-]*(?:is\s+|was\s+)?(?:normal|average|"
       r"close to average|low|fine|good)\)?" + _REST)
def _sdq_ok(match: re.Match[str], _names: list[str]) -> str:
    return f"The SDQ shows you are doing OK{match.group('rest')}."


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
    return f"The SDQ has been filled in{match.group('rest')}."


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
       r"done|completed)" + _REST)
def _plan_reviewed(match: re.Match[str], _names: list[str]) -> str:
    return f"We looked at the {match.group('plan')}{match.group('rest')}."


@_rule(r"^(?:the\s+|her\s+|his\s+|their\s+)?(?:latest\s+|new\s+)?" + _PLAN
       + r"\s+(?:was\s+|has been\s+)?(?P<how>updated|written|agreed|signed off|finalised)" + _REST)
def _plan_updated(match: re.Match[str], _names: list[str]) -> str:
    how = {"signed off": "agreed", "finalised": "finished"}.get(match.group("how").lower(),
                                                                 match.group("how").lower())
    return f"The {match.group('plan')} has been {how}{match.group('rest')}."


@_rule(r"^(?:the\s+|her\s+|his\s+|their\s+)?(?:next\s+)?" + _PLAN
       + r"(?:\s+(?:meeting|review))?\s+(?:is\s+)?(?:due|booked|planned|arranged)" + _REST)
def _plan_due(match: re.Match[str], _names: list[str]) -> str:
    return f"The next {match.group('plan')} meeting is soon{match.group('rest')}." \
        if not match.group("rest") else \
        f"The next {match.group('plan')} meeting is{match.group('rest')}."


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
def _no_concerns(match: re.Match[str], names: list[str]) -> str:
    about = match.group("about")
    if not about:
        return "Everyone thinks this is going well."
    return f"There are no worries about {_np(about, names)}."


@_rule(r"^(?:school\s+|college\s+)?attendance\s+(?:at\s+[^.;]+?\s+)?(?:is\s+|was\s+|has been\s+)?"
       r"(?:(?P<good>good|very good|excellent|great|100%|full|high)|(?P<better>improving|improved|"
       r"better|up)|(?P<poor>poor|low|a concern|dropping|down)|(?:at\s+)?(?P<pct>\d{2,3})\s*%)"
       + _REST)
def _attendance(match: re.Match[str], _names: list[str]) -> str:
    rest = match.group("rest")
    if match.group("good"):
        return f"You have been at school almost every day{rest}. Well done!"
    if match.group("better"):
        return f"You are going to school more often{rest}. Well done!"
    if match.group("poor"):
        return f"You have missed quite a lot of school{rest}."
    return f"You were at school on {match.group('pct')} out of every 100 school days{rest}."


@_rule(r"^(?P<sup>supervised\s+)?(?:contact|family time|time)\s+with\s+(?P<who>[^.;]+?)"
       r"(?P<sup2>[,\s]+(?:fully\s+)?supervised(?:\s+by\s+[^,.;]+)?)?(?P<rest>(?:[,\s]+[^.;]*)?)"
       r"\s*\.?$", fragments_only=True)
def _family_time(match: re.Match[str], names: list[str]) -> str:
    who = match.group("who").strip()
    rest = re.sub(r"[,\s]+supervised\b", "", match.group("rest") or "").rstrip(" ,")
    if rest and not rest.startswith(","):
        rest = " " + rest.strip()
    helper = match.group("sup") or match.group("sup2")
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


@_rule(r"^(?:indirect\s+|letterbox\s+)(?:contact|family time)(?:\s+with\s+(?P<who>[^.;]+?))?"
       r"(?P<rest>(?:[,\s]+[^.;]*)?)\s*\.?$", fragments_only=True)
def _letterbox(match: re.Match[str], names: list[str]) -> str:
    who = _family(match.group("who")) if match.group("who") else "your family"
    return f"You and {who} send each other letters{match.group('rest') or ''}."


def _family(who: str) -> str:
    """"Mum" stays (a name the child uses); "mum", "birth mother", "sister" get "your"."""
    who = who.strip()
    first = who.split(" ")[0]
    if first.lower() in _DETERMINERS or first[:1].isupper():
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
       r"(?P<who>[^.;]+?))?(?:\s+(?:is\s+)?(?:agreed|confirmed|ratified|approved|the plan))?"
       r"\s*\.?$")
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
    return f"You sometimes feel worried about {_np(match.group('x'), names, default='the')}."


@_rule(r"^low mood(?P<rest>[^.;]*)\s*\.?$", fragments_only=True)
def _low_mood(match: re.Match[str], _names: list[str]) -> str:
    return f"You feel low{match.group('rest') or ' sometimes'}."


@_rule(r"^(?P<thing>nightmares|bad dreams|tantrums|meltdowns|outbursts|bed-?wetting|"
       r"night terrors)\s+(?:are\s+|have been\s+)?(?P<how>less|more)\s+(?:frequent|often)"
       r"(?P<rest>[^.;]*)\s*\.?$", fragments_only=True)
def _less_often(match: re.Match[str], _names: list[str]) -> str:
    thing = match.group("thing").lower().replace("tantrums", "big feelings")
    return f"You have {thing} {match.group('how').lower()} often now{match.group('rest')}."


@_rule(r"^(?P<thing>[a-z][\w' -]{1,40}?)\s+(?:is\s+|are\s+)?(?P<how>up to date|up-to-date|"
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
    "completed": "{Thing} {has} been done{rest}.",
    "done": "{Thing} {has} been done{rest}.",
    "finished": "{Thing} {has} been finished{rest}.",
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
    "set up": "{Thing} {has} been set up{rest}.",
    "put in place": "{Thing} {has} been set up{rest}.",
    "sorted": "{Thing} {has} been sorted out{rest}.",
    "ordered": "{Thing} {has} been ordered{rest}.",
    "given": "{Thing} {has} been given{rest}.",
    "achieved": "You achieved {thing}{rest}. Well done!",
    "passed": "You passed {thing}{rest}. Well done!",
}


@_rule(r"^(?P<thing>[A-Za-z][\w'’ -]{1,50}?)\s+(?:was\s+|were\s+|has been\s+|have been\s+)?"
       r"(?P<part>" + "|".join(sorted((re.escape(p) for p in _PARTICIPLES), key=len, reverse=True))
       + r")" + _REST, fragments_only=True)
def _participle(match: re.Match[str], names: list[str]) -> str:
    template = _PARTICIPLES[match.group("part").lower()]
    raw = " ".join(match.group("thing").split())
    thing = _np(raw, names)
    the = _np(raw, names, default="the")
    plain = _lower_first(_THIRD_PERSON.sub("", raw), names)
    article = "an" if plain[:1].lower() in "aeiou" else "a"
    a_thing = plain if plain.split(" ")[0].lower() in _DETERMINERS else f"{article} {plain}"
    return template.format(thing=the, Thing=_cap(thing), has="have" if _plural(thing) else "has",
                           a_thing=a_thing, rest=match.group("rest"))


_VERB_FIRST = re.compile(
    r"^(?:(?:still|also|now|often|sometimes|usually|generally|currently|really|clearly)\s+)?"
    r"(?:attends|goes|enjoys|likes|loves|has|is|sees|says|said|wants|needs|lives|gets|takes|"
    r"plays|visits|continues|remains|receives|shows|talks|spends|stays|keeps|knows|feels|"
    r"sleeps|eats|would|reports|reported|was|had|went|started|made|got|told|moved|shares|"
    r"presents|appears|seems|struggles|finds|manages|copes|describes|speaks|wishes|hopes|"
    r"misses|worries|can|will|engages|sees|uses|prefers|chose|asked|asks|joined|won|passed|"
    r"achieved|received|registered|enrolled|referred|seen|assessed|diagnosed|discharged|"
    r"prescribed|waiting|awaiting|doing|getting|making|settling|enjoying|trying|working|"
    r"struggling|learning|coping|sleeping|eating|growing|developing|progressing|meeting|"
    r"attending|engaging|looking|hoping|waiting|reaching|saying|telling|talking|playing|"
    r"wanting|living|having|feeling|showing|using|reading|writing|walking|speaking|"
    r"happy|settled|well|safe|healthy|proud|keen|excited|worried|upset|anxious|sad|calm|"
    r"confident|quiet|chatty|thriving|doing|able|unable|interested|close|fond|reluctant|"
    r"nervous|unhappy|bright|cheerful|kind|helpful|sociable|shy|currently)\b",
    re.IGNORECASE)
_BE_FIRST = re.compile(
    r"^(?:(?:still|also|now|often|sometimes|usually|generally|currently|really|clearly)\s+)?"
    r"(?:registered|enrolled|referred|seen|assessed|diagnosed|discharged|prescribed|waiting|"
    r"awaiting|doing|getting|making|settling|enjoying|trying|working|struggling|learning|"
    r"coping|sleeping|eating|growing|developing|progressing|meeting|attending|engaging|looking|"
    r"hoping|reaching|saying|telling|talking|playing|wanting|living|having|feeling|showing|"
    r"using|reading|writing|walking|speaking|happy|settled|well|safe|healthy|proud|keen|"
    r"excited|worried|upset|anxious|sad|calm|confident|quiet|chatty|thriving|able|unable|"
    r"interested|close|fond|reluctant|nervous|unhappy|bright|cheerful|kind|helpful|sociable|"
    r"shy|currently|in year|in reception|in nursery|in the)\b",
    re.IGNORECASE)
_PRESENTS = re.compile(r"^presents?\s+as\b", re.IGNORECASE)
_PAST_FIRST = re.compile(r"^(?:referred|seen|assessed|diagnosed|discharged|prescribed)\b",
                         re.IGNORECASE)
_YEAR_FIRST = re.compile(r"^(?:Year \d{1,2}|Reception|Nursery)\b(?!\s+(?:is|was|teacher))")
_FREQUENCY_FIRST = re.compile(
    r"^(?:weekly|daily|fortnightly|monthly|regular|twice-weekly|twice weekly|some|good|"
    r"lots of|great|steady|excellent|real)\s+(?P<x>[^.;]+?)\s*\.?$", re.IGNORECASE)
_PROUD_OF = re.compile(r"\b(proud of|interested in|learning about|knows about|loves)\s+"
                       r"(?!your|his|her|their|the|a|an|my|it|this|that|being|how|what)"
                       r"(?P<x>[A-Z]\w+\s+(?:heritage|culture|roots|background|faith|religion|"
                       r"language|family|history)\b)")


def _subject_first(sentence: str, names: list[str]) -> str:
    """A sentence whose subject, the child, was left out: "Attends nursery." -> "Ruby attends
    nursery."; "Happy at school." -> "Ruby is happy at school."; "" when it is not one."""
    name = names[0] if names else ""
    if not name:
        return ""
    body = sentence[:1].lower() + sentence[1:]
    if _PRESENTS.match(sentence):
        return f"{name} seems" + body[len(_PRESENTS.match(sentence).group(0)):]  # type: ignore[union-attr]
    if _PAST_FIRST.match(sentence):
        return f"{name} was {body}" if not body.startswith("referred") else \
            f"{name} has been {body}"
    if _BE_FIRST.match(sentence):
        return f"{name} is {body}"
    if _VERB_FIRST.match(sentence):
        return f"{name} {body}"
    if _YEAR_FIRST.match(sentence):
        return f"{name} is in {sentence}"
    match = _FREQUENCY_FIRST.match(sentence)
    if match and not is_fragment(f"{name} has {body}"):
        return f"{name} has {body}"
    if re.match(r"^(?:good|great|steady|excellent|real|some|lots of)\s+progress\b", body):
        return f"{name} is making {body}"
    return ""


def _tidy(sentence: str, names: list[str]) -> str:
    """Small repairs of shorthand grammar: articles and "your" where notes leave them out."""
    name = names[0] if names else ""
    s = re.sub(r"\b(registered with|referred to|see|sees|seeing|saw|with|and)\s+"
               r"(GP|dentist|optician|doctor|nurse|therapist|counsellor|paediatrician)\b",
               lambda m: f"{m.group(1)} a {m.group(2)}", sentence)
    s = re.sub(r"\b(with|and|to|by|from|sees|see|visits|misses|loves|likes)\s+(sister|brother|"
               r"carers?|foster carers?|teacher|social worker|nan|gran|grandma|grandad|cousins?|"
               r"sisters|brothers|siblings?|key worker|keyworker|mum|dad)\b",
               lambda m: f"{m.group(1)} your {m.group(2)}", s)
    if name:
        s = _PROUD_OF.sub(lambda m: f"{m.group(1)} {name}'s {m.group('x')}", s)
    return s


def expand(sentence: str, names: list[str]) -> str:
    """One sentence of a record note as a whole sentence, or "" to leave it out (see the module
    docstring). `names` are the child's names, the one to use first."""
    text = _words(" ".join(sentence.split())).strip()
    if not text:
        return ""
    if text[-1] not in ".!?":
        text += "."
    fragment = is_fragment(text)
    for pattern, make in _RULES + (_FRAGMENT_RULES if fragment else []):
        match = pattern.match(text)
        if match:
            return _tidy(_cap(make(match, names)), names)
    if not fragment:
        return _tidy(text, names)
    whole = _subject_first(text, names)
    if whole and not is_fragment(whole):
        return _tidy(whole, names)
    return ""
