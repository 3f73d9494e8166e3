"""Word lists for the quotes-and-sources detector: attribution verbs and their stance, hedges, titles,
and the nouns that tell an official, a government body, a document or a person apart.

Plain data and two tiny helpers, so that the lists can be read and extended without the rules around them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Token

SourceKind = Literal[
    "agency", "newspaper", "broadcaster", "government", "official", "organisation", "document", "person", "other"
]
Stance = Literal["neutral", "doubt", "concession", "emphasis"]


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Attribution verbs (lemmas) and the stance the verb signals.
VERB_STANCE: dict[str, Stance] = {
    **dict.fromkeys(
        _words(
            "say tell state add report announce explain note write reply respond comment confirm mention ask "
            "answer recall describe deny quote tweet post predict estimate observe remark testify reveal "
            "argue suggest indicate continue"
        ),
        "neutral",
    ),
    **dict.fromkeys(_words("claim allege purport boast contend"), "doubt"),
    **dict.fromkeys(_words("admit concede acknowledge confess"), "concession"),
    **dict.fromkeys(
        _words(
            "insist stress emphasise emphasize assert maintain warn vow reiterate underline affirm declare pledge swear"
        ),
        "emphasis",
    ),
}
# Verbs that are attributions whatever follows them; the others need a content clause, a quote or a colon.
ALWAYS_ATTRIBUTION = _words(
    "say tell claim allege admit concede insist deny acknowledge stress warn confess assert reiterate "
    "emphasise emphasize announce declare vow"
)
# Further verbs that can introduce a direct quote but are not attribution verbs in themselves.
QUOTE_VERBS = frozenset(VERB_STANCE) | _words(
    "call urge accuse dismiss condemn promise threaten shout scream whisper quip joke cry exclaim conclude "
    "read put complain demand question wonder lament plead protest repeat brand label term "
    "praise criticise criticize slam blast hail chant detail elaborate recount muse opine posit proclaim reason "
    "reflect snap summarise summarize text email message yell mutter murmur sigh laugh beg inquire interject "
    "interrupt chime offer brag plead remind caution"
)
HEDGES: list[tuple[str, Stance]] = [
    (r"reportedly", "doubt"),
    (r"allegedly", "doubt"),
    (r"purportedly", "doubt"),
    (r"supposedly", "doubt"),
    (r"ostensibly", "doubt"),
    (r"so-called", "doubt"),
    (r"self-styled", "doubt"),
    (r"self-proclaimed", "doubt"),
    (r"unconfirmed", "doubt"),
    (r"unverified", "doubt"),
    (r"could not (?:be )?(?:independently )?(?:verified|verify|confirm(?:ed)?)", "doubt"),
    (
        r"it (?:is|was|has been) (?:widely )?(?:believed|thought|claimed|alleged|rumou?red|understood|said|reported)",
        "doubt",
    ),
    (r"(?:is|are|was|were) (?:said|believed|thought|reported|rumou?red|alleged) to", "doubt"),
    (r"(?:unnamed |anonymous )?sources (?:say|said|claim|claimed|suggest|suggested|told)", "doubt"),
    (r"rumou?rs? (?:say|has it|suggest)", "doubt"),
]
HEDGE_PATTERN = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<h{i}>{p})" for i, (p, _) in enumerate(HEDGES)) + r")(?![\w-])", re.IGNORECASE
)

TITLE_WORDS = _words(
    "minister president spokesman spokeswoman spokesperson secretary governor general commander ambassador "
    "official officials mayor premier chancellor senator congressman congresswoman lawmaker legislator "
    "chief head director deputy envoy diplomat representative prosecutor judge colonel major lieutenant "
    "captain admiral sergeant marshal king queen prince emir sheikh ayatollah pope chairman chairwoman "
    "chair mp leader adviser advisor aide attorney commissioner ombudsman speaker prime foreign defence "
    "defense interior drummer corporal private"
)
# Roles and kin that name one person as well as a title does ("actor James Roe", "his aunt, Jane Roe"), so that
# "the actor said" finds him; unlike a title they do not make the person an official.
ROLE_WORDS = _words(
    "actor actress singer songwriter author writer novelist poet producer star coach player striker "
    "goalkeeper chef artist musician comedian rapper designer founder executive owner professor scientist "
    "economist historian editor photographer filmmaker curator architect aunt uncle cousin widow "
    "grandmother grandfather"
)
OFFICIAL_HEADS = _words(
    "minister president spokesman spokeswoman spokesperson secretary governor general commander ambassador "
    "official officials mayor premier chancellor senator lawmaker lawmakers legislator chief director deputy "
    "envoy diplomat diplomats representative prosecutor prosecutors judge colonel admiral king queen prince "
    "emir chairman chairwoman leader leaders adviser advisor aide aides commissioner ombudsman authorities "
    "spokespeople spokesmen officers officer"
)
# Words that name a person's office or role before or beside the name, and those of an office alone
NAMING_WORDS = TITLE_WORDS | ROLE_WORDS
OFFICE_WORDS = TITLE_WORDS | OFFICIAL_HEADS
GOVERNMENT_WORDS = _words(
    "ministry government kremlin pentagon department office army military forces police cabinet parliament "
    "council presidency administration navy command embassy agency authority authorities state prosecutor "
    "court duma senate congress commission secretariat headquarters staff guard service services "
    "directorate bureau"
)
GOVERNMENT_NAMES = frozenset(["White House", "Kremlin", "Pentagon", "Downing Street", "Elysee", "Élysée"])
DOCUMENT_WORDS = _words(
    "report statement study document documents memo memorandum letter communique communiqué assessment "
    "survey investigation review dossier cable filing transcript analysis audit briefing release bulletin "
    "resolution paper papers record records data figures estimate estimates post tweet video footage "
    "notice decree order indictment lawsuit complaint ruling verdict article articles"
)
PERSON_WORDS = _words(
    "witness witnesses resident residents doctor doctors nurse survivor survivors man woman mother father "
    "soldier soldiers farmer student activist activists journalist journalists correspondent analyst "
    "analysts expert experts researcher researchers lawyer neighbour neighbor relative relatives friend "
    "people source sources eyewitness eyewitnesses refugee refugees attorney attorneys"
)
TITLE_ABBREVIATIONS = {
    "sen": "senator",
    "rep": "representative",
    "gen": "general",
    "col": "colonel",
    "lt": "lieutenant",
    "gov": "governor",
    "pres": "president",
    "sgt": "sergeant",
    "capt": "captain",
    "adm": "admiral",
    "maj": "major",
    "cpl": "corporal",
}
HONORIFICS = _words("mr mrs ms miss dr sir dame lord lady rev prof mx madam monsieur")
NAME_PARTICLES = _words("al el bin ibn de van von der la le abu da di du")
GENERIC_ORG_HEADS = _words(
    "group organisation organization movement militia company firm party alliance body charity network "
    "watchdog monitor faction rebels insurgents"
)
# Words that make a capitalised run a date or an event, never a person or a speaker ("Super Tuesday",
# "Twitter Tuesday", "the American Music Awards").
CALENDAR_WORDS = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december christmas easter thanksgiving ramadan"
)
EVENT_HEADS = _words(
    "awards award festival games olympics cup championship championships summit conference tournament "
    "tour weekend primaries"
)
# Quantities and abstractions that head a subject but never speak ("the death toll ... suggests").
MEASURE_NOUNS = _words(
    "toll number rate share percentage proportion price cost level amount total count increase rise fall "
    "decline drop growth surge spike jump trend outbreak spread pandemic epidemic virus weather economy market "
    "markets stock stocks index demand supply situation decision move fact idea "
    # happenings, phenomena and things that say nothing ("the gunfire suggests", "the symptoms indicate")
    "gunfire violence plague disease symptoms symptom cases case event events departure arrival silence "
    "emphasis error mistake navigation streets street tree trees head weapon weapons fire smoke noise sound "
    "sounds footage evidence"
)
# Entity labels of things that cannot speak (numbers, dates, events, works).
NOT_SPEAKER_LABELS = frozenset(
    ["DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL", "EVENT", "WORK_OF_ART", "LAW"]
)
# Titles and roles that say a person's gender (for resolving "he" / "she").
FEMININE_WORDS = _words(
    "spokeswoman congresswoman chairwoman businesswoman queen princess duchess countess empress actress "
    "woman mother wife daughter sister grandmother aunt niece girl lady"
)
# Common given names that (in English-language news) nearly always name a woman or a man: weak evidence of
# gender, outweighed by a title or the pronouns the text uses. Names given to both ("Jordan", "Alex", "Kim") are
# in neither list.
FEMININE_GIVEN_NAMES = _words(
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret betty sandra "
    "ashley dorothy kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca laura sharon "
    "cynthia kathleen amy shirley angela helen anna brenda pamela nicole samantha katherine emma ruth christine "
    "catherine debra rachel carolyn janet virginia maria heather diane julie joyce victoria kelly christina joan "
    "evelyn lauren judith olivia martha cheryl megan andrea hannah jacqueline ann jean alice kathryn gloria teresa "
    "doris sara janice julia marie madison grace judy theresa beverly denise marilyn amber danielle abigail "
    "brittany rose diana natalie sophia alexis lori kayla jane hillary hilary nadia fatima aisha ilhan nancy "
    "elena olena natalia svetlana irina tatiana yulia angela ursula theresa kamala meghan kate camilla greta "
    "malala oprah beyonce rihanna ivanka melania michelle tulsi alexandria elise susanna sophie "
    "charlotte chloe zoe lucy ella isabella mia ava harriet eleanor claire clare louise"
)
MASCULINE_GIVEN_NAMES = _words(
    "james robert john michael david william richard joseph thomas christopher charles daniel matthew anthony "
    "mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan "
    "jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander "
    "frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle "
    "ethan walter noah jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan "
    "jesse bryan joe billy bruce albert willie gabriel logan alan juan wayne elijah randy roy "
    "vincent ralph eugene russell bobby mason philip louis barack boris vladimir xi emmanuel recep benjamin "
    "bernie mitch mike chuck ted rand kevin nigel jeremy keir rishi volodymyr sergei sergey "
    "dmitry alexei mohammed muhammad mohammad ahmed ali hassan hussein omar abdul ibrahim yusuf mustafa "
    "bashar hamid tony rudy rudolph rocky stephen tom jim bill bob dan steve matt chris pete joel jeff"
)
MASCULINE_WORDS = _words(
    "spokesman congressman chairman businessman king prince duke count emperor actor man father husband son "
    "brother grandfather uncle nephew boy"
)
HE_SHE = frozenset(["he", "she", "him", "her"])
THEY_IT = frozenset(["they", "it", "we", "them"])
DETERMINERS = frozenset(["a", "an", "the", "some", "one", "two", "three", "several", "many", "other", "another"])
ENTITY_LABELS = frozenset(["PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"])
SENTENCE_END = frozenset([".", "!", "?"])


def title_word(token: Token) -> str:
    """A title word, abbreviations spelt out ('Sen.' -> 'senator')."""
    word = token.lower_.strip(".")
    return TITLE_ABBREVIATIONS.get(word, word)


def name_words(name: str) -> set[str]:
    """The words of a name, lower-cased, with hyphenated parts split and lower-case or hyphenated
    particles dropped ('Abdel Fattah al-Burhan' -> {'abdel', 'fattah', 'burhan'}), so that 'Burhan' matches
    it; honorifics go too ('Mr Spencer' -> {'spencer'})."""
    words: set[str] = set()
    for word in name.split():
        parts = [p for p in re.split(r"[-‐]+", word) if p]
        for part in parts:
            low = part.lower().strip(".")
            if low in HONORIFICS:
                continue
            if low in NAME_PARTICLES and (len(parts) > 1 or part.islower()):
                continue
            words.add(low)
    return words
