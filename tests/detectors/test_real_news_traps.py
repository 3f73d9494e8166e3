"""Places and events on ordinary news: the traps a gazetteer lookup or a keyword matcher falls into.

Every sentence here is written for this test, in the shape of real wire copy: acronyms, surnames,
organisations and airport codes that GeoNames holds as towns; violent words used for weather, disease,
accidents, politics and sport; and an air raid whose day, place and record come from the text around it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import unspin
from unspin.analysis import Event, Place
from unspin.detectors.places import CONFIDENCE_CUT


def places(text: str) -> list[Place]:
    return unspin.analyze(unspin.Document(text=text), only=("places",)).places


def surfaces(text: str) -> set[str]:
    return {text[p.start : p.end] for p in places(text)}


def events(text: str, published: dt.date = dt.date(2019, 11, 20)) -> list[Event]:
    return unspin.analyze(unspin.Document(text=text), only=("events",), published=published).events


# --- places ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "trap"),
    [
        ("GOP senators in Ohio said the vote would be close.", "GOP"),
        ("SAG members voted in Los Angeles to approve the contract.", "SAG"),
        ("The CDC said cases in Arizona had doubled since August.", "CDC"),
        ("UCU members walked out at universities across England on Monday.", "UCU"),
        ("Syrian jets struck SAA positions near Deir ez-Zor on Saturday.", "SAA"),  # an airport code in GeoNames
    ],
)
def test_acronyms_and_codes_are_never_places(text: str, trap: str) -> None:
    found = surfaces(text)
    assert trap not in found
    assert found  # the real place in the sentence is still there


def test_place_abbreviations_are_kept() -> None:
    found = surfaces("Talks between the US and the UK resumed in Geneva, and the UAE sent an envoy.")
    assert {"US", "UK", "UAE", "Geneva"} <= found


def test_surnames_after_a_full_name_are_not_towns() -> None:
    text = (
        "White House chief of staff Mark Meadows met Senator Elizabeth Warren in Washington on Friday. "
        "Meadows told reporters the talks went well, and Warren said she was not convinced."
    )
    found = surfaces(text)
    assert "Meadows" not in found and "Warren" not in found


@pytest.mark.parametrize(
    ("text", "trap"),
    [
        ("Former vice president Joe Biden campaigned in Iowa on Sunday. Biden said the economy was uneven.", "Biden"),
        ("Actor Robert De Niro attended the premiere in Rome. De Niro thanked the crowd.", "De Niro"),
        ("Google said on Monday it would open an office in Austin, Texas.", "Google"),
        ("Officials at the University said classes in Boston would resume on Monday.", "University"),
    ],
)
def test_people_and_brands_are_not_towns(text: str, trap: str) -> None:
    found = surfaces(text)
    assert trap not in found and not any(trap in s for s in found)
    assert found


def test_a_speaker_with_an_age_is_a_person_not_a_town() -> None:
    text = "Police in Fort Worth arrested a man on Sunday. Webb, 51, was charged later that day. Webb said nothing."
    assert "Webb" not in surfaces(text)
    assert "Fort Worth" in surfaces(text)


@pytest.mark.parametrize(
    ("text", "trap"),
    [
        ("The Department of Homeland Security said the border in Texas was secure.", "Homeland"),
        ("The White House said on Tuesday that the president would travel to Ohio.", "White House"),
        ("Officials at the Justice Department in Washington declined to comment.", "Justice"),
    ],
)
def test_organisations_and_offices_are_not_places(text: str, trap: str) -> None:
    assert not any(s.startswith(trap) for s in surfaces(text))


def test_a_capital_speaking_for_its_government_is_no_place() -> None:
    text = "Beijing warned that new tariffs would hurt farmers, while exporters in Shanghai braced for losses."
    found = surfaces(text)
    assert "Beijing" not in found and "Shanghai" in found


def test_state_abbreviation_in_a_dateline_is_the_state() -> None:
    text = "RENO, Nev. (AP) — Snow closed two highways near Lake Tahoe on Monday."
    found = {text[p.start : p.end]: p for p in places(text)}
    assert found["Nev."].name == "Nevada" and found["Nev."].country == "US"
    assert found["RENO"].country == "US"


def test_every_place_has_a_confidence_above_the_cut() -> None:
    found = places("Rebels shelled the town of Kafr Nabl, north of Hama, and fighting spread to Idlib province.")
    assert found
    assert all(p.confidence is not None and p.confidence >= CONFIDENCE_CUT for p in found)


# --- events ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The governor came under fire on Tuesday for his handling of the budget.",
        "The minister hit back at stories about her expenses in an interview on Monday.",
        "The new coach hit the ground running in his first week in Denver.",
        "The campaign has been marked by personal attacks on the candidates' records.",
        "A wildfire in northern California has killed three people and destroyed 200 homes.",
        "Lightning struck a barn near Topeka on Sunday, killing two horses.",
        "The drought has hit farmers across the plains hardest.",
        "A heat wave killed at least 12 elderly people in Lyon last week.",
        "COVID-19 has killed 40 residents of the county since March.",
        "Two people were killed in a car crash on Highway 9 on Saturday.",
        "Argentina beat Chile 2-1 and will face Germany in the quarterfinals.",
        "The militia could attack the town if the talks fail.",
        "The company's bonds fell again this week, hitting 14.2% on Tuesday, according to trading data.",
        "The condition tends to strike people who keep pigeons or handle feathers every day.",
        "In the 1300s the plague swept across Europe, killing up to half of its people.",
        "Health officials counted 1,410 cases and 96 deaths across the region between 2012 and 2016.",
        "The lawmakers were summoned by the police over alleged assaults on two officers at a rally.",
        "Her rivals attacked the senator's family and business partners for three years running.",
    ],
)
def test_figures_of_speech_disasters_disease_accidents_and_threats_are_no_events(sentence: str) -> None:
    assert events(sentence) == []


def test_a_game_report_uses_the_words_of_violence_for_play() -> None:
    text = (
        "DENVER (AP) — Jamal Reed scored 31 points and the Nuggets beat the Suns 118-104 on Tuesday night.\n\n"
        "Reed had nine rebounds and seven assists. Phoenix led by 12 in the second quarter before Denver hit "
        "five straight three-pointers.\n\n"
        "“They hit some tough shots late,” the Suns' coach said. A guard left in the third quarter after a rival "
        "struck him in the face with an elbow; he did not return. The teams meet again in the playoffs."
    )
    assert events(text) == []


def test_a_shooting_on_a_sports_page_is_still_an_event() -> None:
    text = (
        "Jamal Reed scored 31 points and the Nuggets won 118-104, with nine rebounds and seven assists, "
        "three-pointers late in the fourth quarter and overtime avoided.\n\n"
        "Outside the arena, a gunman opened fire on fans after the game, killing two people, police said."
    )
    found = events(text)
    assert len(found) == 1 and text[found[0].start : found[0].end].startswith("Outside the arena")


def test_a_page_without_violence_has_no_events() -> None:
    text = (
        "Trade negotiators from both countries held talks in Geneva on Monday.\n\n"
        "The talks aim to roll back tariffs that have hit exporters hard. Shares rallied on the news.\n\n"
        "A spokesman said the delegation would withdraw its proposal if no deal was reached by Friday."
    )
    assert events(text) == []


def test_a_real_attack_is_an_event_with_a_confidence() -> None:
    found = events("Gunmen killed 12 villagers in an attack on Menaka on Monday.", dt.date(2023, 6, 7))
    assert len(found) == 1
    assert found[0].action in {"attack", "kill"} and found[0].confidence is not None and found[0].confidence >= 0.8


DEIR_EZ_ZOR = (
    "Syrian government troops have defended the city of Deir ez-Zor against Islamic State for two years.\n\n"
    "The jihadists hold most of the province around it. Food and medicine arrive by air. "
    "Residents say prices have tripled. Many families rely on a single meal a day.\n\n"
    "On 16 September, an hour-long air raid on army positions south of the airport killed more than 100 "
    "soldiers, a monitoring group said.\n\n"
    "The next day, jihadists shelled the same positions, killing 8 soldiers."
)


def test_the_airport_names_the_main_place_and_the_paragraph_dates_the_raid(tmp_path: Path) -> None:
    records = tmp_path / "ged.csv"
    header = (
        "id,date_start,date_end,side_a,side_b,latitude,longitude,where_coordinates,country,best,low,high,"
        "source_headline"
    )
    records.write_text(
        header + "\n"
        "1,2016-09-16,2016-09-16,Government of Syria,IS,36.20,37.15,Aleppo city,Syria,30,25,40,Strikes on Aleppo\n"
        "2,2016-09-16,2016-09-16,Government of Syria,IS,35.29,40.18,Deir ez-Zor airport,Syria,106,90,120,Raid\n",
        encoding="utf-8",
    )
    found = unspin.analyze(
        unspin.Document(text=DEIR_EZ_ZOR), only=("events",), records=records, published=dt.date(2016, 9, 20)
    ).events
    raid = next(e for e in found if "air raid" in e.text)
    assert raid.action == "air_strike" and raid.date == "2016-09-16"
    assert raid.place is not None and raid.country == "SY" and raid.lat is not None and abs(raid.lat - 35.33) < 0.2
    assert raid.fatalities is not None and raid.fatalities.low == 100
    assert raid.matches and raid.matches[0].id == "2"
    shelling = next(e for e in found if "next day" in e.text)
    assert shelling.date == "2016-09-17"  # counted from the day the paragraph before named


def test_countries_on_a_sports_page_are_teams_unless_the_text_places_someone_there() -> None:
    text = (
        "Spain beat Croatia 2-1 on Tuesday and will face Germany in the semifinals. Germany won 3-0 earlier.\n\n"
        "Doubles specialist Tom Reyes of Australia won his match 6-4, 7-5 in Madrid."
    )
    found = surfaces(text)
    assert not {"Spain", "Croatia", "Germany"} & found
    assert {"Australia", "Madrid"} <= found


def test_an_intended_or_denied_attack_is_no_event() -> None:
    text = (
        "Government forces shelled Idlib on Monday, killing four civilians. A truce would allow the withdrawal "
        "of rebel fighters from the city, and the rebels have been eager to withdraw their fighters."
    )
    assert [e.action for e in events(text, dt.date(2019, 11, 20))] == ["shelling"]
    assert events("The bill does not include a ban on the sale of assault rifles, critics said.") == []


def test_planets_and_moons_are_no_towns_but_continents_are_regions() -> None:
    text = "Probes have studied Mars and the Moon for decades, and a new mission leaves Europe for Jupiter next year."
    found = {text[p.start : p.end]: p for p in places(text)}
    assert not {"Mars", "Moon", "Jupiter"} & set(found)
    assert found["Europe"].feature == "region" and found["Europe"].country is None


def test_cities_and_states_in_a_game_report_are_teams_but_its_dateline_is_the_town() -> None:
    text = (
        "DEKALB, Ill. — Columbus beat Detroit 4-2 on Tuesday night, and Minnesota edged Wisconsin 24-17 in the "
        "late game. Buffalo lost 3-1 at home. The winning goal came from a defenseman who grew up in Pittsburgh."
    )
    found = surfaces(text)
    assert not {"Columbus", "Detroit", "Minnesota", "Wisconsin", "Buffalo"} & found
    assert {"DEKALB", "Pittsburgh"} <= found


def test_a_brand_spacy_reads_as_a_company_is_no_town_even_through_an_alternate_name() -> None:
    # GeoNames lists "Google" among Topeka's alternate names (the town's 2010 stunt).
    text = (
        "Stadia, from Google, launched on Tuesday. Google is yet to say when more games will come to the service. "
        "Google did not say how many people had signed up. Google shares rose 1 percent in New York."
    )
    found = surfaces(text)
    assert "Google" not in found and "New York" in found


def test_a_spelling_guess_needs_the_text_to_say_it_is_a_place() -> None:
    text = "The online lender SoFi said on Monday that it had raised $500 million from investors in London."
    assert surfaces(text) == {"London"}


def test_a_town_followed_by_a_postal_state_code_is_that_states_town() -> None:
    text = (
        "The band will play 30 dates next summer.\nJune 19 – Charlotte, NC @ the pavilion\n"
        "June 20 – Raleigh, NC @ the music park\nAugust 26 – Mansfield, MA @ the arena"
    )
    by_surface = {text[p.start : p.end]: p for p in places(text)}
    assert by_surface["Raleigh"].country == "US" and round(by_surface["Raleigh"].lat) == 36
    # Mansfield, Massachusetts, not the larger Mansfield in England
    assert by_surface["Mansfield"].country == "US" and round(by_surface["Mansfield"].lat) == 42
    # the code after a town of its state is the state itself
    assert by_surface["NC"].name == "North Carolina" and by_surface["MA"].name == "Massachusetts"


def test_a_postal_code_after_a_name_that_is_no_town_of_that_state_is_no_place() -> None:
    text = "The clinic is run by Jane Smith, MD, who trained in Boston, and by Tom Reyes, PA, her assistant."
    found = surfaces(text)
    assert "MD" not in found and "PA" not in found and "Boston" in found


@pytest.mark.parametrize(
    "sentence",
    [
        "Researchers think an ocean lies beneath the moon's ice shell, which may be several miles thick.",
        "The telescope measured 3,000 pounds of water vapour leaving the moon every second.",
        "The icy moon is among the agency's highest priority targets in its search for life.",
        "The service launches with 20 games, among them Tomb Raider and two football titles.",
        "They include: Metro Exodus, Attack on Titan: Final Battle 2, Rage 2, Mortal Kombat 11, Just Dance 2020, "
        "Football Manager 2020 and Samurai Shodown.",
        "The console's video captures are indeed 30 frames a second, while the browser aims for 60.",
        "It felt like a new reality had ambushed her in a hospital one night, she said.",
    ],
)
def test_science_and_product_words_that_look_like_weapons_are_no_events(sentence: str) -> None:
    assert events(sentence) == []


def test_shells_fired_and_a_headline_in_title_case_are_still_events() -> None:
    assert [e.action for e in events("Officials said militias inside the province fired the shells on Monday.")] == [
        "shelling"
    ]
    assert [e.action for e in events("'We Found Her!' Video Shows Police Rescue of Kidnapped Girl")] == ["capture"]


def test_a_title_in_quotation_marks_is_no_town() -> None:
    text = "The actor, who phoned in from the Chicago set of “Fargo,” said the shoot had run late."
    assert surfaces(text) == {"Chicago"}


def test_a_character_spacy_reads_as_a_person_is_no_town_even_after_in() -> None:
    # "Rose-Lynn" is only a spelling guess at Rosslyn, Virginia; the article names her again and again
    text = (
        "The film follows Rose-Lynn Harlan, a singer from Glasgow. Rose-Lynn dreams of Nashville. "
        "Rose-Lynn writes a song for her mother, and the director was struck by the role music plays in "
        "Rose-Lynn’s life. Rose-Lynn sings it in the last scene."
    )
    found = surfaces(text)
    assert not any("Rose" in s for s in found) and "Glasgow" in found


def test_a_direction_from_a_town_is_a_place_cue() -> None:
    text = "Government troops withdrew from positions east of Palmyra on Monday, a monitor said."
    assert "Palmyra" in surfaces(text)


def test_trade_talks_are_no_events_when_nothing_violent_is_reported() -> None:
    text = (
        "The two sides continue to negotiate and could finalize an agreement in the next few weeks, officials "
        "said. “It’s striking that in almost every corner of the world tensions are threatening growth,” an "
        "economist said. American negotiators resumed talks in Beijing on Tuesday."
    )
    assert events(text) == []


def test_talks_in_a_war_report_are_still_events() -> None:
    text = (
        "Government troops shelled the town on Monday, killing four civilians. Rebel commanders and army "
        "officers held talks in Geneva on Tuesday on a ceasefire agreement."
    )
    assert [e.action for e in events(text)] == ["shelling", "negotiate"]


def test_people_shot_are_events_and_named_victims_are_counted() -> None:
    shot = events("The suspect, a 30-year-old man, was shot and wounded by the officers on Saturday.")
    assert [e.action for e in shot] == ["attack"]
    killed = events("Officers Tom Reyes, 39, and Ana Ruiz, 54, were killed shortly after they arrived on Saturday.")
    assert [e.action for e in killed] == ["kill"] and killed[0].fatalities is not None
    assert (killed[0].fatalities.low, killed[0].fatalities.high) == (2, 2)


@pytest.mark.parametrize(
    "sentence",
    [
        "The film was shot in Toronto last summer.",
        "Shares shot up 5% on Monday after the results.",
        "He shot a video of the crowd on Tuesday.",
        "The bill was killed in committee on Tuesday.",
    ],
)
def test_shots_and_killings_that_name_no_victim_are_no_events(sentence: str) -> None:
    assert [e for e in events(sentence) if e.action in ("attack", "kill")] == []


# --- places and events: the eighth real-page batch (PTC articles), new sentences of the same shapes ----------


@pytest.mark.parametrize(
    ("text", "trap"),
    [
        ("The group said the measure was consistent with the Second Amendment to the Constitution.", "Constitution"),
        ("Will the sheriff please explain what in the Hell is going on in this county?", "Hell"),
        ("The cleric was received by the Archbishop of Canterbury at a reception in Paris.", "Canterbury"),
        ("A spokesman for the Harris County Green Party said the member had been expelled.", "Green"),
        ("Preachers told their followers that the unbelievers were partisans of Satan.", "Satan"),
    ],
)
def test_words_titles_and_movements_that_look_like_towns_are_no_places(text: str, trap: str) -> None:
    assert not any(trap in s for s in surfaces(text))


def test_a_county_of_the_story_is_not_an_area_abroad() -> None:
    text = (
        "Agents arrested 14 people in Chicago and in Springfield, Illinois, during the operation. One man was "
        "previously convicted in Cook County of burglary, officials in Illinois said."
    )
    assert not any(p.country == "AU" for p in places(text))


def test_a_town_as_the_attribute_of_a_company_stays_a_town_and_a_long_name_is_kept_whatever_its_tags() -> None:
    assert "Cupertino" in surfaces("Shares of the Cupertino-based company fell in California on Monday.")
    syria = "Iran wants the regime to hold the Deir ez-Zor area in eastern Syria, near the border with Iraq."
    assert "Deir ez-Zor" in surfaces(syria)


@pytest.mark.parametrize(
    "sentence",
    [
        "Most of those detained had prior convictions for robbery, kidnapping and assault, officials said.",
        "He has pending charges for sexually assaulting a neighbour, court records show.",
        "The mayors called on Congress to ban assault weapons and high-capacity magazines.",
        "Parents should not have to live with the fear of being gunned down at school.",
    ],
)
def test_crimes_named_by_a_court_or_a_record_weapons_and_fears_are_no_events(sentence: str) -> None:
    assert events(sentence) == []


def test_a_stabbing_reported_is_still_an_event() -> None:
    found = events("A man stabbed three people at a bus station in Lyon on Sunday, police said.")
    assert [e.action for e in found] == ["attack"]


@pytest.mark.parametrize(
    ("sentence", "action", "killed"),
    [
        ("A woman beheaded a six-year-old boy in a flat in Lyon in March.", "kill", 1),
        ("A farmer was murdered near the village on Sunday.", "kill", 1),
        ("The man was beaten to death outside a bar on Friday.", "kill", 1),
        ("Two men attacked a teenager in a burger bar in Dallas on Saturday.", "attack", None),
    ],
)
def test_killings_and_assaults_on_people_are_events(sentence: str, action: str, killed: int | None) -> None:
    (event,) = events(sentence)
    assert event.action == action
    assert (event.fatalities.low if event.fatalities else None) == killed


def test_a_politician_attacked_in_words_is_no_event_and_a_murder_rate_is_no_murder() -> None:
    assert events("The senator attacked Warren over her health plan on Tuesday.") == []
    assert events("The murder rate rose by 12 percent in 2018, the report said.") == []


def test_an_event_in_a_new_country_is_not_placed_in_the_last_town() -> None:
    text = (
        "A man stabbed four people at a station near Munich on Monday. And in Russia. A woman beheaded a "
        "six-year-old girl in a flat in March."
    )
    found = events(text)
    assert [e.country for e in found] == ["DE", "RU"]


def test_a_food_named_after_a_town_is_no_place() -> None:
    text = "Add 1 tsp. soy sauce, 1 Fresno chile and a spoon of Dijon mustard, then serve."
    assert not ({"Fresno", "Dijon"} & surfaces(text))
    assert "Fresno" in surfaces("The march ended in Fresno, California, on Sunday.")
