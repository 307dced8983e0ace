"""Record notes as IROs write them (shorthand for professionals), made into sentences a child
can read: ten realistic, synthetic notes for each heading of the review record, with the
words the draft letter gives. "" = nothing in the note makes a good sentence: it is left out
rather than printed as broken English (the IRO writes it in their own words)."""

from __future__ import annotations

import pytest

from iro_desktop.letters.compose import _child_words
from iro_desktop.letters.glossary import check, glossary_terms
from iro_desktop.letters.shorthand import expand, is_fragment

# heading -> [(the note, what the letter says)]; the child is Maya (she/her).
NOTES: dict[str, list[tuple[str, str]]] = {
    "plan_permanence": [
        ('Plan: long-term fostering with Jo and Alex.',
         'The plan is for you to stay with Jo and Alex while you grow up.'),
        ('Long-term match with current carers ratified at panel in June.',
         'The plan is for you to stay with your current carers while you grow up.'),
        ('Permanence plan remains long-term fostering; no change.',
         'The plan is for you to stay with your carers while you grow up. The plan has '
         'not changed.'),
        ('The plan is to remain with carers under an SGO.',
         "The plan is for you to remain with your carers under the court's decision about "
         'who will bring you up.'),
        ('Return home to mum being assessed.',
         'We are looking at whether you can go back to live with your mum.'),
        ('Care plan reviewed and agreed; no changes.',
         'We looked at your plan and agreed it. The plan has not changed.'),
        ("Maya's plan is to stay with Jo and Alex until she is 18 and beyond through "
         'Staying Put.',
         'Your plan is to stay with Jo and Alex until you are 18 and beyond through '
         'staying with your carers after you are 18.'),
        ('Adoption plan progressing; family finding under way.',
         ''),
        ('Parallel planning; decision expected at the final hearing in March.',
         ''),
        ('No change to care plan.',
         'The plan has not changed.'),
    ],
    "where_child_lives": [
        ('Placement stable.',
         'Things are going well where you live.'),
        ('Settled in placement; good relationship with carers.',
         'You are settled in your home. You get on really well with your carers.'),
        ('Maya is happy living with Jo and Alex and says she feels safe.',
         'You are happy living with Jo and Alex and say you feel safe.'),
        ('Placed with Jo and Alex since March 2024.',
         'You have lived with Jo and Alex since March 2024.'),
        ('Moved to Oak House in August; settling well.',
         'You moved to Oak House in August. You are settling well.'),
        ('Shares a room with sister; would like her own room.',
         'You share a room with your sister. You would like your own room.'),
        ('Enjoys living with her carers and has made friends on the street.',
         'You enjoy living with your carers and have made friends on the street.'),
        ('Placement with connected person (maternal aunt) since January.',
         "You have lived with someone you know (aunt on your mum's side) since January."),
        ('No concerns re placement.',
         'There are no worries about your home.'),
        ('Carers report Maya is more settled since the summer.',
         'Your carers report you are more settled since the summer.'),
    ],
    "health": [
        ('Health assessment up to date; all jabs done.',
         'Your health check is up to date. You have had all your jabs.'),
        ('RHA due in February; dental check overdue.',
         'Your yearly health check is due in February. Your dental check is late, and '
         'will happen soon.'),
        ('Registered with GP and dentist.',
         'You are registered with a GP and a dentist.'),
        ('Maya had her health check in September. She needs new glasses.',
         'You had your health check in September. You need new glasses.'),
        ('Optician appt booked for 12 December.',
         'Your optician appointment has been booked for 12 December.'),
        ('Asthma well managed; uses inhaler as needed.',
         'Your asthma is under control. You use your inhaler when you need to.'),
        ('Referred to CAMHS for assessment of low mood.',
         'You have been referred to people who help with feelings and worries for help '
         'with low mood.'),
        ('Eating well and growing; weight monitored by the health visitor.',
         'You are eating well and growing.'),
        ('IHA completed; immunisations due.',
         'Your first health check is done. You have some jabs to have soon.'),
        ('No health concerns.',
         'There are no worries about your health.'),
    ],
    "education": [
        ('PEP reviewed; attendance good this term.',
         'We looked at your school plan. You have been at school almost every day this '
         'term. Well done!'),
        ('PEP held 3 October; targets met.',
         'We looked at your school plan on 3 October. You met the targets. Well done!'),
        ('Year 6 at Hillside Primary.',
         'You are in Year 6 at Hillside Primary.'),
        ('Doing well in maths; struggling with spelling.',
         'You are doing well in maths. You are struggling with spelling.'),
        ('Attendance 96%.',
         'You were at school on 96 out of every 100 school days.'),
        ('EHCP in place; 1:1 support in class.',
         'Your plan for extra help at school is in place. You get one-to-one support in '
         'class.'),
        ('Attends nursery three mornings a week and loves the sand pit.',
         'You attend nursery three mornings a week and love the sand pit.'),
        ('Maya is doing well at Hillside Primary and wants to join the choir.',
         'You are doing well at Hillside Primary and want to join the choir.'),
        ('Transition to secondary school discussed; visits arranged.',
         'We talked about moving up to secondary school. Your visits have been arranged.'),
        ('Fixed-term exclusion in October.',
         ''),
    ],
    "family_time": [
        ('Contact with birth mother once a month, supervised at the contact centre.',
         'You have family time with your mum once a month at the family time centre. A '
         'helper is there too.'),
        ('Family time with Mum every other Saturday, supervised.',
         'You have family time with Mum every other Saturday. A helper is there too.'),
        ('Sibling contact monthly.',
         'You have family time with your brother or sister monthly.'),
        ('Letterbox contact with birth father twice a year.',
         'You and your dad send each other letters twice a year.'),
        ('Maya sees her dad every Sunday and enjoys it.',
         'You see your dad every Sunday and enjoy it.'),
        ('Phone contact with Nan weekly.',
         'You talk to Nan on the phone weekly.'),
        ('Contact with Dad suspended pending risk assessment.',
         ''),
        ('Good relationship with brother Kai; sees him at school.',
         'You get on really well with your brother Kai. You see him at school.'),
        ('Wants more time with Mum.',
         'You want more time with Mum.'),
        ('Family time going well.',
         'Your family time is going well.'),
    ],
    "identity": [
        ('Proud of Ghanaian heritage.',
         'You are proud of your Ghanaian heritage.'),
        ('Muslim; attends mosque on Fridays.',
         'You attend mosque on Fridays.'),
        ('Life story work started with social worker.',
         'You have started making a book about your life with your social worker.'),
        ('Maya is learning to cook jollof rice with Jo.',
         'You are learning to cook jollof rice with Jo.'),
        ('Hair care needs met; carer takes her to an Afro hair salon.',
         'Your hair care needs have been met. Your carer takes you to an Afro hair salon.'),
        ('Speaks Polish at home with Mum.',
         'You speak Polish at home with Mum.'),
        ('Life story book completed.',
         'Your life story book is done.'),
        ('Enjoys drama club and Brownies.',
         'You enjoy drama club and Brownies.'),
        ('Exploring gender identity; supported by carers.',
         'You are exploring gender identity. You are supported by your carers.'),
        ('Knows why she is in care; age-appropriate explanation given.',
         'You know why you are in care.'),
    ],
    "emotional_wellbeing": [
        ('SDQ score in the normal range.',
         'Your feelings check shows you are doing OK.'),
        ('SDQ 18 - raised; carers report more worries at bedtime.',
         'Your feelings check shows that some things feel hard for you at the moment. '
         'Your carers report more worries at bedtime.'),
        ('SDQ improved since last review.',
         'Your feelings check shows you are feeling better than before.'),
        ('Low mood at times.',
         'You feel low at times.'),
        ('Some anxiety about moving schools.',
         'You sometimes feel worried about moving schools.'),
        ('Nightmares less frequent.',
         'You have nightmares less often now.'),
        ('Presents as happy and settled.',
         'You seem happy and settled.'),
        ('Weekly therapy sessions at school.',
         'You have weekly therapy sessions at school.'),
        ('Engaging well with CAMHS.',
         'You are seeing people who help with feelings and worries.'),
        ('Maya says she feels more settled than last year.',
         'You say you feel more settled than last year.'),
    ],
    "leaving_care": [
        ('Pathway plan drafted; personal adviser allocated.',
         'Your plan for the future has been started. You now have a personal adviser.'),
        ('NI number and bank account in place.',
         'Your National Insurance number and bank account are in place.'),
        ('Provisional licence applied for.',
         'Your provisional licence has been applied for.'),
        ('Currently NEET; looking at apprenticeships.',
         'You are currently not in school, college or work. You are looking at '
         'apprenticeships.'),
        ('Staying Put agreed with carers.',
         'You can stay with your carers after you turn 18. Everyone has agreed to this.'),
        ('Independence skills work ongoing; cooking and budgeting.',
         'You are learning skills for living on your own. You are cooking and budgeting.'),
        ('Housing application submitted.',
         'Housing application has been sent in.'),
        ('Attending college 3 days a week.',
         'You are attending college 3 days a week.'),
        ('Passport applied for; birth certificate obtained.',
         'Your passport has been applied for. You now have your birth certificate.'),
        ('Maya wants to go to university to study nursing.',
         'You want to go to university to study nursing.'),
    ],
}

CASES = [(heading, note, words) for heading, notes in NOTES.items() for note, words in notes]


def test_ten_notes_for_each_heading_of_the_record():
    from iro_desktop.caseload.reviews import RECORD_HEADINGS

    assert set(NOTES) == {key for key, _label in RECORD_HEADINGS}
    assert all(len(notes) == 10 for notes in NOTES.values())


@pytest.mark.parametrize(("heading", "note", "words"), CASES,
                         ids=[f"{h}-{i % 10}" for i, (h, _n, _w) in enumerate(CASES)])
def test_a_note_becomes_whole_sentences_for_the_child(heading, note, words):
    got = _child_words(note, ["Maya"], "F", glossary_terms())
    assert got == words


@pytest.mark.parametrize(("heading", "note", "words"), CASES,
                         ids=[f"{h}-{i % 10}" for i, (h, _n, _w) in enumerate(CASES)])
def test_every_sentence_is_a_sentence_without_jargon(heading, note, words):
    got = _child_words(note, ["Maya"], "F", glossary_terms())
    assert check(got) == []
    for sentence in filter(None, (s.strip() for s in got.replace("!", ".").split(". "))):
        assert sentence[:1].isupper() or sentence[:1].isdigit(), sentence
        assert not is_fragment(sentence), sentence
    assert not any(broken in got for broken in (
        "score in the normal range", "plan reviewed", " reviewed.", "Your the", "your your",
        "you attends", "You attends", "in in", "for on"))


def test_most_notes_say_something():
    said = [words for _heading, _note, words in CASES if words]
    assert len(said) >= 72  # a few fragments are left out, never most of them


def test_the_examples_in_the_brief():
    terms = glossary_terms()
    assert _child_words("SDQ score in the normal range.", ["Maya"], "F", terms) == \
        "Your feelings check shows you are doing OK."
    assert _child_words("PEP reviewed.", ["Maya"], "F", terms) == "We looked at your school plan."


def test_expand_keeps_the_records_words_for_the_glossary():
    # expand() writes whole sentences in the record's own words: the glossary runs afterwards,
    # so an IRO's own glossary choices still apply.
    assert expand("PEP reviewed.", ["Maya"]) == "We looked at the PEP."
    assert expand("SDQ score in the normal range.", ["Maya"]) == "The SDQ shows you are doing OK."
    assert expand("Attends nursery.", ["Ruby"]) == "Ruby attends nursery."
    assert expand("Happy at school.", ["Ruby"]) == "Ruby is happy at school."
    assert expand("Muslim.", ["Jas"]) == ""
    assert expand("Maya is happy at school.", ["Maya"]) == "Maya is happy at school."
    assert expand("Visits to Dad are going well.", ["Maya"]) == "Visits to Dad are going well."


def test_an_iros_glossary_override_still_applies():
    from iro_desktop.letters.glossary import DEFAULT_TERMS, GlossaryTerm

    terms = [t for t in DEFAULT_TERMS if t.term != "SDQ"] + [
        GlossaryTerm("SDQ", "your feelings questionnaire")]
    assert _child_words("SDQ score in the normal range.", ["Maya"], "F", terms) == \
        "Your feelings questionnaire shows you are doing OK."


def test_a_note_that_is_only_fragments_leaves_the_section_out(session, iro):
    from iro_desktop.db.models import Review
    from iro_desktop.letters.compose import draft_letter
    from tests.letters.conftest import make_case

    case = make_case(session, "9-12")
    review = session.get(Review, case.review_id)
    review.record = {**review.record, "education": "Fixed-term exclusion in October.",
                     "health": "Asthma well managed; uses inhaler as needed."}
    session.flush()
    doc = draft_letter(session, case.review_id)
    assert doc.section("school") is None
    assert doc.section("health").text.startswith(
        "Your asthma is under control. You use your inhaler when you need to.")


@pytest.mark.parametrize(("text", "fragment"), [
    ("Your school plan reviewed.", True),
    ("Your feelings check score in the normal range.", True),
    ("Family time with Mum on Saturdays.", True),
    ("You live with Jo and Alex.", False),
    ("Jo and Alex look after you.", False),
    ("Your feelings check shows you are doing OK.", False),
    ("We looked at your school plan.", False),
])
def test_is_fragment(text, fragment):
    assert is_fragment(text) is fragment


# More notes, written after the rules (a check that they carry over), as (note, words).
MORE: list[tuple[str, str]] = [
    ('Maya is registered with a GP and dentist; eye test due.',
     'You are registered with a GP and a dentist. Your eye test is due soon.'),
    ('CLA medical completed in May.',
     'Your health check was done in May.'),
    ('Dental check completed; no treatment needed.',
     'Your dental check is done. You do not need any treatment.'),
    ('Sleep has improved since new bedtime routine.',
     'Sleep has improved since new bedtime routine.'),
    ('Attending Year 9 at Northmoor Academy; good attendance.',
     'You are attending Year 9 at Northmoor Academy. You have been at school almost '
         'every day. Well done!'),
    ('Predicted grades 5-6 in GCSEs.',
     'You are on track for grades 5 to 6 in your GCSEs.'),
    ('On a reduced timetable since September.',
     'You have been on a reduced timetable since September.'),
    ('Tutoring twice weekly arranged by the Virtual School.',
     'Tutoring twice weekly has been arranged by the team that helps children in care '
         'with school.'),
    ('Contact with Mum and Dad fortnightly at the family centre.',
     'You have family time with Mum and Dad fortnightly at the family centre.'),
    ('Sees maternal grandmother most weekends.',
     "You see your grandmother on your mum's side most weekends."),
    ('Mum did not attend last two contacts.',
     'Mum did not attend last two family times.'),
    ('Identity needs met.',
     'Your identity needs have been met.'),
    ('Attends church with carers on Sundays.',
     'You attend church with your carers on Sundays.'),
    ('Keen footballer; plays for Northmoor Juniors.',
     'You are a keen footballer. You play for Northmoor Juniors.'),
    ('Self-harm risk; safety plan in place.',
     'Your safety plan is in place.'),
    ('Counselling via school.',
     'You have counselling via school.'),
    ('Missing episodes x2 since last review.',
     ''),
    ('Relationship with carers strained at times.',
     ''),
    ('Moving to semi-independent accommodation in spring.',
     'You are moving to a home where you learn to live on your own in spring.'),
    ('Apprenticeship application made.',
     'Your apprenticeship application has been made.'),
    ('Bank account opened.',
     'Your bank account has been opened.'),
    ('Independent visitor allocated.',
     'You now have an independent visitor.'),
    ('Advocate offered; declined.',
     ''),
    ('Maya would like to learn to drive.',
     'You would like to learn to drive.'),
]


@pytest.mark.parametrize(("note", "words"), MORE)
def test_more_notes(note, words):
    got = _child_words(note, ["Maya"], "F", glossary_terms())
    assert got == words
    assert check(got) == []
