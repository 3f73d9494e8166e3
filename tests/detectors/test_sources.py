"""Quotes and sources on hand-made articles: each quoting style, each bad case, and odd input."""

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


def speaker_text(analysis: Analysis, quote: Quote) -> str:
    assert quote.speaker_start is not None and quote.speaker_end is not None
    return analysis.document.text[quote.speaker_start : quote.speaker_end]


def check_offsets(analysis: Analysis) -> None:
    text = analysis.document.text
    for q in analysis.quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert q.text == text[q.start : q.end]
        if q.speaker_start is not None:
            assert q.speaker_end is not None and 0 <= q.speaker_start < q.speaker_end <= len(text)
        if q.verb_start is not None:
            assert q.verb == text[q.verb_start : q.verb_end]
    for s in analysis.sources:
        for start, end in s.mentions:
            assert 0 <= start < end <= len(text)
    for a in analysis.attributions:
        assert a.text == text[a.start : a.end]


# -- direct quotes, each quoting style ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted", "speaker"),
    [
        ('"We will win," Shoigu said.', "We will win,", "Shoigu"),
        ("“We will win,” said Shoigu.", "We will win,", "Shoigu"),
        ("Peskov said: “The talks are frozen.”", "The talks are frozen.", "Peskov"),
        (
            "Defence Minister Sergei Shoigu told reporters “the operation is going to plan”.",
            "the operation is going to plan",
            "Sergei Shoigu",
        ),
        ("Zelensky called the attack “a cynical war crime” on Monday.", "a cynical war crime", "Zelensky"),
        (
            "‘We are ready for anything,’ Jens Stoltenberg said in Brussels.",
            "We are ready for anything,",
            "Jens Stoltenberg",
        ),
    ],
)
def test_sources_direct_quote_styles(text: str, quoted: str, speaker: str) -> None:
    analysis = run(text)
    quote = quote_with(analysis, quoted)
    assert quote.kind == "direct"
    assert quote.text == quoted  # the quoted words, without the quotation marks
    assert speaker_text(analysis, quote) == speaker
    assert text[quote.start - 1] in "\"“‘'"
    check_offsets(analysis)


def test_sources_apostrophes_are_not_quote_marks() -> None:
    text = "“We don’t know what the ’90s taught us about the soldiers’ homes,” Maria Zakharova said."
    analysis = run(text)
    assert len(analysis.quotes) == 1
    quote = analysis.quotes[0]
    assert quote.text == "We don’t know what the ’90s taught us about the soldiers’ homes,"
    assert quote.speaker == "Maria Zakharova"


def test_sources_split_quote_shares_speaker_and_group() -> None:
    text = '"We will win," Shoigu said on Monday, "whatever it takes."'
    analysis = run(text)
    first, second = (quote_with(analysis, "We will win"), quote_with(analysis, "whatever it takes"))
    assert first.speaker == second.speaker == "Shoigu"
    assert first.group is not None and first.group == second.group
    assert first.verb == second.verb == "said"


def test_sources_pronoun_resolves_to_last_person_named() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to journalists on Tuesday.\n\n"
        "“There will be no negotiations under these conditions,” he said."
    )
    analysis = run(text)
    quote = quote_with(analysis, "no negotiations")
    assert quote.speaker == "Dmitry Peskov"
    assert speaker_text(analysis, quote) == "Dmitry Peskov"  # offsets at the name, not at "he"
    assert quote.verb == "said"


def test_sources_unattributed_paragraph_continues_last_speaker() -> None:
    text = "“The front is stable,” General Valery Gerasimov said.\n\n“Our reserves are ready.”"
    analysis = run(text)
    assert quote_with(analysis, "reserves").speaker == "Valery Gerasimov"


def test_sources_nested_quote_stays_inside_outer() -> None:
    text = "\"He told me 'never again' twice,\" the witness, Olena Kovalenko, said."
    analysis = run(text)
    assert [q.text for q in analysis.quotes if q.kind == "direct"] == ["He told me 'never again' twice,"]
    text = "‘The officer shouted “get down” and then fired,’ Olena Kovalenko said."
    analysis = run(text)
    assert [q.text for q in analysis.quotes if q.kind == "direct"] == ["The officer shouted “get down” and then fired,"]
    assert analysis.quotes[0].speaker == "Olena Kovalenko"


def test_sources_quote_over_paragraphs() -> None:
    text = (
        "Ukrainian President Volodymyr Zelensky addressed parliament on Friday.\n\n"
        "“We did not start this war. We did not want it.\n\n"
        "“But we will finish it on our own terms,” Zelensky said.\n\n"
        "The session ended shortly after."
    )
    analysis = run(text)
    first = quote_with(analysis, "did not start")
    second = quote_with(analysis, "finish it")
    assert first.text == "We did not start this war. We did not want it."
    assert first.group is not None and first.group == second.group
    assert first.speaker == second.speaker == "Volodymyr Zelensky"
    assert first.closed and second.closed
    assert "\n" not in first.text


def test_sources_unbalanced_quote_is_capped_at_the_paragraph() -> None:
    text = (
        'The mayor said "the water will be back by Friday and then left the room.\n\n'
        'Residents were not convinced. "We have heard this before," Iryna Melnyk said.'
    )
    analysis = run(text)
    runaway = quote_with(analysis, "water will be back")
    assert not runaway.closed
    assert runaway.end <= text.index("\n")
    resident = quote_with(analysis, "heard this before")
    assert resident.closed and resident.speaker == "Iryna Melnyk"
    check_offsets(analysis)


def test_sources_scare_quotes_are_not_quotations() -> None:
    analysis = run('The so-called "liberators" arrived at dawn and the "referendum" was held the next day.')
    assert [q for q in analysis.quotes if q.kind == "direct"] == []
    assert any(a.text == "so-called" and a.stance == "doubt" for a in analysis.attributions)


# -- block quotes and reported speech ----------------------------------------------------------------


def test_sources_block_quote_after_colon_in_sentence() -> None:
    text = "Russia's Defence Ministry said in a statement: the troops have withdrawn from Kherson to regroup."
    analysis = run(text)
    quote = quote_with(analysis, "troops have withdrawn")
    assert quote.kind == "block"
    assert quote.text == "the troops have withdrawn from Kherson to regroup"
    assert quote.speaker == "Defence Ministry"


def test_sources_block_quote_paragraph_after_colon() -> None:
    text = "On Telegram, Ramzan Kadyrov wrote:\n\nOur fighters have taken the village and will push further west.\n\nNo one else confirmed it."
    analysis = run(text)
    quote = quote_with(analysis, "Our fighters")
    assert quote.kind == "block"
    assert quote.text == "Our fighters have taken the village and will push further west"
    assert quote.speaker == "Ramzan Kadyrov" and quote.verb == "wrote"


def test_sources_quote_paragraph_after_colon_paragraph() -> None:
    text = "In a post on Telegram, Ramzan Kadyrov wrote:\n\n“Our fighters have taken the village.”"
    analysis = run(text)
    quote = quote_with(analysis, "Our fighters")
    assert quote.kind == "direct" and quote.speaker == "Ramzan Kadyrov"


@pytest.mark.parametrize(
    ("text", "content", "speaker", "verb"),
    [
        (
            "Sergei Shoigu said that the army had taken the town.",
            "the army had taken the town",
            "Sergei Shoigu",
            "said",
        ),
        ("Sergei Shoigu said the army had taken the town.", "the army had taken the town", "Sergei Shoigu", "said"),
        (
            "The army had taken the town, Sergei Shoigu claimed.",
            "The army had taken the town",
            "Sergei Shoigu",
            "claimed",
        ),
        ("According to Reuters, 50 soldiers were killed.", "50 soldiers were killed", "Reuters", "According to"),
        ("50 soldiers were killed, according to a UN report.", "50 soldiers were killed", "UN report", "according to"),
        (
            "A spokesman for the ministry admitted that the strike hit a school.",
            "the strike hit a school",
            "spokesman for the ministry",
            "admitted",
        ),
    ],
)
def test_sources_reported_speech(text: str, content: str, speaker: str, verb: str) -> None:
    analysis = run(text)
    quote = quote_with(analysis, content)
    assert quote.kind == "reported"
    assert quote.text == content
    assert quote.speaker == speaker
    assert quote.verb == verb
    check_offsets(analysis)


def test_sources_description_resolves_to_earlier_organisation() -> None:
    text = (
        "Russia's Defence Ministry said its forces had repelled an attack near Bakhmut.\n\n"
        "The ministry added that 40 Ukrainian soldiers were killed."
    )
    analysis = run(text)
    quote = quote_with(analysis, "40 Ukrainian soldiers")
    assert quote.speaker == "Defence Ministry"
    assert speaker_text(analysis, quote) == "ministry"
    ministry = next(s for s in analysis.sources if s.name == "Defence Ministry")
    assert ministry.kind == "government"
    assert len(ministry.mentions) == 2


# -- sources and attributions ----------------------------------------------------------------------


def test_sources_list_merges_name_variants_and_knows_outlets() -> None:
    text = (
        "Defence Minister Sergei Shoigu said on Monday that the offensive was going to plan, "
        "Reuters reported. The Associated Press could not independently verify the claim.\n\n"
        "“Everything is proceeding as planned,” Shoigu told state news agency TASS."
    )
    analysis = run(text)
    by_name = {s.name: s for s in analysis.sources}
    shoigu = by_name["Sergei Shoigu"]
    assert shoigu.kind == "official"
    assert [text[a:b] for a, b in shoigu.mentions] == ["Sergei Shoigu", "Shoigu"]
    assert by_name["Reuters"].kind == "agency"
    assert by_name["Associated Press"].kind == "agency"
    assert by_name["TASS"].kind == "agency"
    assert quote_with(analysis, "proceeding as planned").speaker == "Sergei Shoigu"
    hedges = [a for a in analysis.attributions if a.kind == "hedge"]
    assert any("could not independently verify" in a.text for a in hedges)
    check_offsets(analysis)


def test_sources_document_source() -> None:
    analysis = run("A leaked Pentagon report said the brigade had lost half its tanks.")
    report = next(s for s in analysis.sources if "report" in s.name)
    assert report.kind == "document"


@pytest.mark.parametrize(
    ("word", "kind", "stance"),
    [
        ("said", "verb", "neutral"),
        ("told", "verb", "neutral"),
        ("claimed", "verb", "doubt"),
        ("alleged", "verb", "doubt"),
        ("admitted", "verb", "concession"),
        ("conceded", "verb", "concession"),
        ("insisted", "verb", "emphasis"),
        ("stressed", "verb", "emphasis"),
        ("denied", "verb", "neutral"),
        ("reportedly", "hedge", "doubt"),
        ("allegedly", "hedge", "doubt"),
        ("purportedly", "hedge", "doubt"),
        ("so-called", "hedge", "doubt"),
        ("it is believed", "hedge", "doubt"),
        ("sources said", "hedge", "doubt"),
        ("unconfirmed", "hedge", "doubt"),
    ],
)
def test_sources_attributions_and_stance(word: str, kind: str, stance: str) -> None:
    text = (
        "The governor said the dam was safe. The mayor told residents to stay. The army claimed it hit a depot. "
        "Prosecutors alleged the firm paid bribes. The minister admitted mistakes were made, conceded the plan "
        "failed, insisted the army was ready and stressed that help was coming. The general denied that troops fled. "
        "The convoy was reportedly hit and the commander allegedly fled. The purportedly independent monitors "
        "visited the so-called republic. It is believed that 20 people died, sources said, in unconfirmed reports."
    )
    analysis = run(text)
    found = [a for a in analysis.attributions if a.text.lower() == word]
    assert found, [a.text for a in analysis.attributions]
    assert found[0].kind == kind
    assert found[0].stance == stance


# -- odd input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", '"', "“”", "‘’", "''''", '""""', "'\"'\"“‘”’", ":\n\n:", "He said:", "said", "according to"],
)
def test_sources_odd_input_never_crashes(text: str) -> None:
    analysis = run(text)
    check_offsets(analysis)


def test_sources_ten_thousand_quote_marks() -> None:
    text = '"' * 10_000
    analysis = run(text)
    assert analysis.quotes == []
    text = ('"a ' * 5_000) + "\n" + ("“b” ‘c’ " * 1_000)
    check_offsets(run(text))


# -- more styles seen in real articles --------------------------------------------------------------


def test_sources_quote_over_lines_of_a_sentence_per_line_text() -> None:
    text = (
        "Tommy Robinson criticised the decision.\n"
        '"How many hate preachers are living in this country?\n'
        'It just shows what sort of a two-tier system we have here," he said.\n'
        "The Home Office did not comment."
    )
    analysis = run(text)
    first = quote_with(analysis, "hate preachers")
    second = quote_with(analysis, "two-tier system")
    assert first.text == "How many hate preachers are living in this country?"
    assert first.group is not None and first.group == second.group
    assert first.speaker == second.speaker == "Tommy Robinson"


def test_sources_british_quote_over_paragraphs() -> None:
    text = (
        "Olha Petrenko has lived in Korsunka all her life.\n\n"
        "'We heard a roar,' she says. 'Then the water was in the house.\n\n"
        "'My neighbour shouted \"Get to the roof!\" and we climbed up.'"
    )
    analysis = run(text)
    part = quote_with(analysis, "water was in the house")
    last = quote_with(analysis, "My neighbour shouted")
    assert last.text == 'My neighbour shouted "Get to the roof!" and we climbed up.'
    assert part.group is not None and part.group == last.group
    assert part.speaker == last.speaker == "Olha Petrenko"


def test_sources_colon_without_speech_verb_and_headline_quotes() -> None:
    text = (
        'Kharkiv mayor: "We will rebuild, but not alone"\n\n'
        "Kharkiv Mayor Ihor Terekhov spoke on Wednesday.\n\n"
        'Jan Egeland was less hopeful: "I have heard this for three months."'
    )
    analysis = run(text)
    assert quote_with(analysis, "We will rebuild").speaker == "Ihor Terekhov"
    assert quote_with(analysis, "for three months").speaker == "Jan Egeland"
    terekhov = next(s for s in analysis.sources if s.name == "Ihor Terekhov")
    assert terekhov.kind == "official"


def test_sources_headline_quote_repeated_in_body_takes_its_speaker() -> None:
    text = "Fleeing El Fasher: 'We walked for six days'\n\n'We walked for six days,' Amina Yousif told reporters."
    analysis = run(text)
    assert [q.speaker for q in analysis.quotes if q.kind == "direct"] == ["Amina Yousif", "Amina Yousif"]


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        ("His deputy, Olena Dmytrenko, said that the grid was damaged.", "grid was damaged", "Olena Dmytrenko"),
        ("The UN refugee agency, UNHCR, said 20,000 people had crossed.", "20,000 people had crossed", "UNHCR"),
        (
            "Russia's envoy to the UN, Vitaly Churkin, alleged that the strike was timed.",
            "strike was timed",
            "Vitaly Churkin",
        ),
        (
            "Mohamad Khweis made it to Syria, The Washington Post reports.",
            "Mohamad Khweis made it to Syria",
            "The Washington Post",
        ),
        (
            "State news agency SANA quoted a military source as saying that 62 soldiers died.",
            "62 soldiers died",
            "military source",
        ),
        (
            "The opposition refused to recognise the result, saying the vote had been stolen.",
            "the vote had been stolen",
            "opposition",
        ),
        (
            "The minister spoke in Geneva. Mr Rycroft, the ambassador, said the vote was fair.",
            "the vote was fair",
            "Rycroft",
        ),
    ],
)
def test_sources_speaker_in_harder_constructions(text: str, fragment: str, speaker: str) -> None:
    analysis = run(text)
    quote = quote_with(analysis, fragment)
    assert quote.speaker == speaker
    check_offsets(analysis)


def test_sources_listener_of_a_passive_verb_is_not_a_speaker() -> None:
    analysis = run("The pilots stopped as soon as they were told it had hit Syrian troops.")
    assert all(q.kind != "reported" for q in analysis.quotes)


def test_sources_name_variants_hyphens_and_honorifics() -> None:
    text = (
        "Sudan's army chief, General Abdel Fattah al-Burhan, vowed to fight on. "
        '"There will be no negotiations," Burhan said.\n\n'
        'Pamela Geller spoke in London. "We are not extremists," Ms Geller said.'
    )
    analysis = run(text)
    assert quote_with(analysis, "no negotiations").speaker == "Abdel Fattah al-Burhan"
    assert quote_with(analysis, "not extremists").speaker == "Pamela Geller"
    burhan = next(s for s in analysis.sources if s.name == "Abdel Fattah al-Burhan")
    assert burhan.kind == "official"
    assert {text[a:b] for a, b in burhan.mentions} == {"Abdel Fattah al-Burhan", "Burhan"}


def test_sources_generic_description_resolves_to_last_organisation() -> None:
    text = (
        "The Rapid Support Forces have denied targeting civilians.\n\n"
        'In a statement, the paramilitary group said its fighters were "protecting civilians."'
    )
    analysis = run(text)
    assert quote_with(analysis, "protecting civilians").speaker == "Rapid Support Forces"


def test_sources_author_voice_is_not_reported_speech() -> None:
    analysis = run("I say: look at the numbers. Ask yourself why the convoy never came.")
    assert analysis.quotes == []


def test_sources_runs_before_the_detectors_that_read_it() -> None:
    from unspin import detectors

    order = detectors.available()
    for name in order:
        if "sources" in detectors.create(name).requires:
            assert order.index("sources") < order.index(name), name
