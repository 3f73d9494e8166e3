"""Speakers and quoted strings on the shapes ordinary news gets wrong: titles of works, verb phrases and events
that look like names, people who share an outlet's name, pronouns that must agree, unresolved stays None."""

from __future__ import annotations

from typing import Any

import pytest

import unspin
from unspin.analysis import Analysis, Quote


@pytest.fixture(autouse=True)
def _spacy_once(nlp: Any) -> None:
    """The session fixture loads spaCy once; every test here uses it through `unspin.analyze`."""


def run(text: str) -> Analysis:
    return unspin.analyze(unspin.Document(text=text), only=("sources",))


def quote_with(analysis: Analysis, fragment: str) -> Quote:
    found = [q for q in analysis.quotes if fragment in q.text]
    assert found, f"no quote contains {fragment!r}: {[q.text for q in analysis.quotes]}"
    return found[0]


def direct_texts(analysis: Analysis) -> list[str]:
    return [q.text for q in analysis.quotes if q.kind == "direct"]


def test_film_and_show_titles_are_titles_not_quotes_of_the_actor() -> None:
    analysis = run(
        "Laura Dern won for her role in “Marriage Story,” while Brad Pitt took the prize for “Once Upon a Time in "
        "Hollywood.” Pitt later appeared on “Good Morning America” to thank his co-star.\n\n"
        "“I owe him everything,” Pitt said."
    )
    titles = {q.text.rstrip(",.") for q in analysis.quotes if q.kind == "title"}
    assert {"Marriage Story", "Once Upon a Time in Hollywood", "Good Morning America"} <= titles
    assert all(q.speaker is None for q in analysis.quotes if q.kind == "title")
    real = quote_with(analysis, "I owe him everything")
    assert real.kind == "direct" and real.speaker == "Brad Pitt"


def test_a_list_of_song_titles_is_not_a_run_of_quotes() -> None:
    analysis = run(
        "The band played “Rolling Down The River,” “Night Train Home” and “Summer In The City” before the encore, "
        "the singer said."
    )
    assert direct_texts(analysis) == []
    assert len([q for q in analysis.quotes if q.kind == "title"]) == 3


def test_a_title_cased_quote_that_a_verb_attributes_stays_a_quote() -> None:
    analysis = run("“Stop The Count,” the president wrote on Twitter on Thursday.")
    quote = quote_with(analysis, "Stop The Count")
    assert quote.kind == "direct"
    assert quote.speaker == "president"


def test_a_sentence_quote_is_never_a_title() -> None:
    analysis = run("“We will rebuild every house that was lost,” Governor Janet Mills said on Monday.")
    quote = quote_with(analysis, "We will rebuild")
    assert quote.kind == "direct" and quote.speaker == "Janet Mills"


def test_a_verb_phrase_or_an_event_is_never_a_person() -> None:
    analysis = run(
        "A royal biographer claimed that Kate made Meghan cry during a fitting before the wedding. "
        "“The story was never true,” she said.\n\n"
        "Turnout surged after Super Tuesday. “Voters are paying attention now,” an analyst said."
    )
    speakers = {q.speaker for q in analysis.quotes}
    assert "Meghan cry" not in speakers and "Super Tuesday" not in speakers
    assert not any(s.name in ("Meghan cry", "Super Tuesday") and s.kind == "person" for s in analysis.sources)
    assert quote_with(analysis, "Voters are paying attention").speaker == "analyst"


def test_a_number_or_a_gerund_is_not_a_source() -> None:
    analysis = run(
        "A new poll shows support for the plan. Fifty-one percent say that “the plan should pass this year.”\n\n"
        "Eating avocados lowers cholesterol, researchers said."
    )
    names = {s.name.lower() for s in analysis.sources}
    assert not any(n.startswith("fifty-one") or n.startswith("eating") for n in names)
    assert quote_with(analysis, "the plan should pass").speaker is None or "percent" not in str(
        quote_with(analysis, "the plan should pass").speaker
    )


def test_a_person_who_shares_an_outlets_name_is_a_person() -> None:
    analysis = run(
        "Former New York mayor Michael Bloomberg entered the Democratic race in November. "
        "“I am running to defeat Donald Trump,” Bloomberg said on Sunday in Norfolk."
    )
    quote = quote_with(analysis, "I am running")
    assert quote.speaker == "Michael Bloomberg"
    kinds = {s.name: s.kind for s in analysis.sources}
    assert "Bloomberg" not in kinds or kinds["Bloomberg"] not in ("agency", "newspaper", "broadcaster")
    assert kinds.get("Michael Bloomberg") in ("person", "official")


def test_the_agency_is_still_the_agency_when_no_person_has_its_name() -> None:
    analysis = run("Oil prices fell on Tuesday, Bloomberg reported, citing two traders in Singapore.")
    assert any(s.name.startswith("Bloomberg") and s.kind in ("agency", "newspaper") for s in analysis.sources)


def test_she_goes_to_the_woman_not_to_the_man_named_last() -> None:
    analysis = run(
        "Sarah Klein asked the court for mercy during Daniel Ross's sentencing, saying she did not want him "
        "to spend decades in prison. She added, “We must answer hate with patience.”"
    )
    quote = quote_with(analysis, "We must answer hate")
    assert quote.speaker == "Sarah Klein"


def test_she_does_not_go_to_the_governor_quoted_before_her() -> None:
    analysis = run(
        "Gov. Mark Dayton said the state would send more nurses to the hospital. “We are doing everything we "
        "can,” he said.\n\n"
        "Ana Ruiz, a nurse on the night shift, said her ward had run out of gowns. She said she had worn the "
        "same mask for a week. “We are reusing gloves,” she said."
    )
    assert quote_with(analysis, "We are doing everything").speaker == "Mark Dayton"
    assert quote_with(analysis, "We are reusing gloves").speaker == "Ana Ruiz"


def test_the_former_mayor_is_the_mayor_named_before() -> None:
    analysis = run(
        "Rudy Giuliani, the former mayor of New York, met the ambassador in Madrid in July. "
        "“We had a long and useful meeting,” the former mayor said."
    )
    quote = quote_with(analysis, "long and useful meeting")
    assert quote.speaker == "Rudy Giuliani"
    assert quote.speaker_confidence is not None and quote.speaker_confidence < 1.0


def test_a_pronoun_with_no_person_in_reach_stays_unresolved() -> None:
    paragraphs = ["Senator Paul Hill opened the hearing on the budget in March."]
    paragraphs += [f"The committee reviewed item {n} of the spending plan in detail." for n in range(1, 9)]
    paragraphs.append("“The numbers do not add up,” she said.")
    analysis = run("\n\n".join(paragraphs))
    assert quote_with(analysis, "The numbers do not add up").speaker is None


def test_a_named_speaker_is_certain_and_a_carried_one_is_not() -> None:
    analysis = run(
        "“The bridge will reopen in May,” said Transport Minister Ella Novak.\n\n“Traffic will be light at first.”"
    )
    named = quote_with(analysis, "The bridge will reopen")
    carried = quote_with(analysis, "Traffic will be light")
    assert named.speaker == carried.speaker == "Ella Novak"
    assert named.speaker_confidence == 1.0
    assert carried.speaker_confidence is not None and carried.speaker_confidence < named.speaker_confidence


def test_he_goes_to_the_surname_subject_not_the_last_name_in_the_paragraph() -> None:
    analysis = run(
        "Ambassador Peter Wexford will testify on Wednesday.\n\n"
        "Wexford, a hotel developer the president picked as his envoy, is more entangled than any witness in the "
        "effort to get Ukraine to investigate Joe Biden. Yet Wexford has already changed his account once — "
        "“I now do remember,” he said."
    )
    assert quote_with(analysis, "I now do remember").speaker == "Peter Wexford"


def test_a_measure_or_an_activity_is_not_a_source() -> None:
    analysis = run(
        "The death toll from the measles outbreak suggests that the virus is spreading faster than officials "
        "admit. Eating oranges suggests a healthy diet, the study said. Leading experts said the vaccine was safe."
    )
    names = {s.name for s in analysis.sources}
    assert not any("toll" in n or n.startswith("Eating") for n in names)
    assert "study" in names and "Leading experts" in names


def test_the_statement_speaks_for_whoever_issued_it() -> None:
    analysis = run(
        "On Monday, Harbor Lane Records issued a statement about the singer's contract.\n\n"
        "“We were surprised to read her post and we have offered to meet her lawyers,” the statement read.\n\n"
        "A letter released by the Riverside Tenants Union on Friday was blunter.\n\n"
        "“The landlord has ignored repairs for two winters,” the letter said."
    )
    assert quote_with(analysis, "surprised to read").speaker == "Harbor Lane Records"
    assert quote_with(analysis, "ignored repairs").speaker == "Riverside Tenants Union"


def test_a_statement_nobody_issued_in_the_text_keeps_its_own_name() -> None:
    analysis = run("“Repairs will begin next month,” the statement said, without naming its author.")
    assert quote_with(analysis, "Repairs will begin").speaker in {"the statement", "statement"}


def test_a_name_or_term_introduced_in_quotation_marks_is_no_quotation() -> None:
    analysis = run(
        "Doctors say the illness often strikes pigeon keepers, which has earned it the nickname of “ pigeon "
        "keeper’s cough. ” Cases caused by down pillows have instead been dubbed “ pillow lung. ”\n\n"
        "The county's anti-vaping campaign “Breathe Free Today” ran for six months.\n\n"
        "“We saw admissions fall by a third,” said Dr. Lena Ortiz, who leads the clinic."
    )
    direct = direct_texts(analysis)
    assert not any("cough" in q or "pillow lung" in q or "Breathe Free" in q for q in direct), direct
    assert quote_with(analysis, "admissions fall").speaker == "Lena Ortiz"


def test_a_term_that_is_called_so_is_no_quotation_but_words_someone_called_it_are() -> None:
    analysis = run(
        "When the dust comes from pillows, the illness is called “pillow lung.” For pigeon keepers the term "
        "often used is “keeper’s cough.” The patient had what's called “down lung,” the clinic said. Hay dust "
        "can lead to what’s called “barn lung,” a nurse added.\n\n"
        "The mayor called the delay “a disgrace to this city,” and promised an inquiry."
    )
    direct = direct_texts(analysis)
    assert not any("pillow lung" in q or "cough" in q or "down lung" in q or "barn lung" in q for q in direct), direct
    assert any("a disgrace to this city" in q for q in direct), direct


def test_the_speaker_of_a_reduced_clause_and_of_in_the_words_of() -> None:
    analysis = run(
        "The man went back to his doctor in March. “Climbing the stairs took half an hour as I could only manage "
        "two steps at a time,” the patient described in the case report.\n\n"
        "This is how the winter felt, in the words of a nurse on the ward: “We ran out of beds by the second week.”"
    )
    assert quote_with(analysis, "Climbing the stairs").speaker in {"patient", "the patient"}
    assert quote_with(analysis, "ran out of beds").speaker in {"nurse on the ward", "a nurse on the ward"}


def test_a_thing_called_something_is_no_source() -> None:
    analysis = run(
        "The cells release cytokines after receiving a signal from a chemical called IL-9, the team found. "
        "“It was a surprise,” said Dr. Lena Ortiz, who led the study."
    )
    names = {source.name for source in analysis.sources}
    assert "chemical" not in names and "Lena Ortiz" in names


def test_he_never_resolves_to_a_thing_spacy_calls_a_person() -> None:
    analysis = run(
        "Tom Young, a former NASA executive, testified on Tuesday. One thing Young would cut is the Gateway. "
        "“I do not see a required role for the Gateway in the lunar program,” he said."
    )
    assert quote_with(analysis, "required role").speaker == "Tom Young"


def test_continued_for_months_is_no_speech_verb() -> None:
    analysis = run(
        "Martin Hale, 43, wrote a case study about his illness.\n\n"
        "“The pills had an effect within two days,” Hale wrote. “ The treatment continued for 12 months, with "
        "a slow cut in dose.\n\n“I have not had any dizzy spells since. My life is as it was before.”"
    )
    assert quote_with(analysis, "dizzy spells").speaker == "Martin Hale"
    assert all(q.speaker != "treatment" for q in analysis.quotes)


def test_words_quoted_as_a_label_of_a_range_or_zone_are_no_quotes() -> None:
    analysis = run(
        "Opinions of the old keyboard ran the whole range, but the new one weighed on the “it will do” to "
        "“this is awful” range, with very few people in the “this is great” zone."
    )
    assert direct_texts(analysis) == []


def test_a_named_application_and_a_title_after_a_preposition_are_no_quotes() -> None:
    analysis = run(
        "Visitors can try every combination through an application, named “Build your Scene”, on the tablets.\n"
        "‘Lights after Lights after Lights’\nShowroom, 15 Main Street"
    )
    assert direct_texts(analysis) == []


def test_said_the_actor_is_the_person_the_story_is_about() -> None:
    analysis = run(
        "Daniel Marsh has been voted off the dance show.\n\n"
        "“We lost the baby,” Marsh said.\n\n"
        "“It brings you closer together,” said the actor. “It makes you more human.”"
    )
    assert quote_with(analysis, "closer together").speaker == "Daniel Marsh"


def test_a_role_named_with_the_person_finds_that_person_not_the_last_speaker() -> None:
    analysis = run(
        "The novelist’s aunt, Joan Pell, remembered him as a boy. His editor, Ruth Vance, said he was shy.\n\n"
        "“He was reading adult books at six,” the aunt said."
    )
    quote = quote_with(analysis, "adult books")
    assert quote.speaker == "Joan Pell"
    assert {s.name: s.kind for s in analysis.sources}["Joan Pell"] == "person"  # a role, not an office


def test_a_title_that_starts_with_a_year_is_a_title() -> None:
    analysis = run(
        "Families filled the street for the “2018 Welcome Harbour Festival” on Saturday, and the "
        "“2018 Welcome Harbour Festival” ends on Sunday."
    )
    assert direct_texts(analysis) == []
    assert [q.kind for q in analysis.quotes] == ["title", "title"]


def test_a_bloggers_lowercase_scare_quotes_are_no_quotes() -> None:
    analysis = run(
        "I know you want to “put yourself out there” but it feels scary. Is the answer to all of this “yes.”? "
        "It is not some “online business thing.” at all."
    )
    assert direct_texts(analysis) == []


def test_a_short_lowercase_quote_a_verb_claims_stays_a_quote() -> None:
    analysis = run("The senator called the ruling “a stain on the court” on Tuesday.")
    assert direct_texts(analysis) == ["a stain on the court"]


def test_words_after_the_theme_are_a_name_not_a_quote() -> None:
    analysis = run("Artists share their reading of the central theme ‘The Medium is the Message’ this winter.")
    assert direct_texts(analysis) == []


def test_a_word_after_the_is_the_writers_scare_quote_but_a_label_after_a_is_someones_word() -> None:
    analysis = run(
        "The regime claimed it had come to the “rescue” of its neighbours, the minister said on Monday. "
        "The council voted to ban the president, calling him a “bigot”."
    )
    assert direct_texts(analysis) == ["bigot"]


def test_a_cited_headline_and_a_named_group_are_titles_not_quotes() -> None:
    analysis = run(
        "The paper reported the vote in detail.\n"
        "“Council Votes to Bar Visit, Citing Safety,” by Jo Reed, Daily Courier, March 3, 2018:\n"
        "The law sets a tax on “the People of the Book” in the conquered lands, the historian wrote."
    )
    assert direct_texts(analysis) == []
    assert any(q.kind == "title" for q in analysis.quotes)


def test_a_given_name_tells_which_person_a_pronoun_can_be() -> None:
    analysis = run(
        "Police arrested Daniel Moore after the fire. Sarah Price, a neighbour, had called for help. "
        "Witnesses heard him shout, “Nobody leaves this house.”"
    )
    quote = quote_with(analysis, "Nobody leaves")
    assert quote.speaker is not None and "Moore" in quote.speaker


def test_words_shouted_are_a_quote_of_the_shouter_and_never_a_source() -> None:
    analysis = run(
        "A man stabbed two guards at the gate while shouting, “Down With Them.” He was later thanked by "
        "nobody for shouting, “Down With Them,” and throwing chairs from the balcony."
    )
    shouted = [q for q in analysis.quotes if q.text.startswith("Down With Them")]
    assert shouted and all(q.kind == "direct" for q in shouted)
    assert not any("Down With" in s.name for s in analysis.sources)


def test_a_show_told_something_stays_a_title() -> None:
    analysis = run("The dealer told “Morning Report Live” that he had seen nothing unusual in the buyer.")
    assert direct_texts(analysis) == []


def test_happenings_and_things_are_never_sources() -> None:
    analysis = run(
        "The gunfire suggests a second shooter was on the ground, the author wrote. The symptoms indicate a mild "
        "brain injury. Health officials said 57 cases had been confirmed."
    )
    names = {s.name.lower() for s in analysis.sources}
    assert not any(word in name for name in names for word in ("gunfire", "symptoms"))
    assert any("health officials" in name for name in names)


def test_a_political_outlet_that_reported_is_a_newspaper() -> None:
    analysis = run("As Roll Call has reported, the senator was in the building when the vote was held.")
    assert ("Roll Call", "newspaper") in {(s.name, s.kind) for s in analysis.sources}
