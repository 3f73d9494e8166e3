"""Known news outlets (agencies, newspapers, broadcasters): canonical name, kind and the names they go by.

Kept as Python data so that it ships with the package without package-data rules. Names match
case-sensitively on word boundaries; ambiguous short names (Dawn, The Atlantic, Mail) are left out.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

OutletKind = Literal["agency", "newspaper", "broadcaster"]

# canonical name -> (kind, other names it appears under)
OUTLETS: dict[str, tuple[OutletKind, tuple[str, ...]]] = {
    # news agencies
    "Reuters": ("agency", ("Thomson Reuters",)),
    "Associated Press": ("agency", ("AP", "The Associated Press", "AP News")),
    "Agence France-Presse": ("agency", ("AFP", "Agence France Presse")),
    "SANA": ("agency", ("Syrian Arab News Agency", "Syrian state news agency SANA")),
    "TASS": ("agency", ("Tass", "ITAR-TASS")),
    "RIA Novosti": ("agency", ("RIA",)),
    "Interfax": ("agency", ("Interfax-Ukraine",)),
    "Xinhua": ("agency", ("Xinhua News Agency",)),
    "Anadolu Agency": ("agency", ("Anadolu",)),
    "Ukrinform": ("agency", ()),
    "UNIAN": ("agency", ()),
    "IRNA": ("agency", ("Islamic Republic News Agency",)),
    "Tasnim": ("agency", ("Tasnim News Agency",)),
    "Fars": ("agency", ("Fars News Agency",)),
    "Kyodo": ("agency", ("Kyodo News",)),
    "Yonhap": ("agency", ("Yonhap News Agency",)),
    "KCNA": ("agency", ("Korean Central News Agency",)),
    "Deutsche Presse-Agentur": ("agency", ("dpa", "DPA")),
    "ANSA": ("agency", ()),
    "EFE": ("agency", ()),
    "Press Trust of India": ("agency", ("PTI",)),
    "Bloomberg": ("agency", ("Bloomberg News",)),
    "WAFA": ("agency", ()),
    "MENA": ("agency", ("Middle East News Agency",)),
    "Saudi Press Agency": ("agency", ("SPA",)),
    "Emirates News Agency": ("agency", ("WAM",)),
    "PAP": ("agency", ("Polish Press Agency",)),
    "BelTA": ("agency", ()),
    # broadcasters
    "BBC": ("broadcaster", ("BBC News", "the BBC", "British Broadcasting Corporation")),
    "CNN": ("broadcaster", ()),
    "Al Jazeera": ("broadcaster", ("Al-Jazeera", "Aljazeera")),
    "Al Arabiya": ("broadcaster", ("Al-Arabiya",)),
    "Fox News": ("broadcaster", ()),
    "NBC News": ("broadcaster", ("NBC",)),
    "CBS News": ("broadcaster", ("CBS",)),
    "ABC News": ("broadcaster", ("ABC",)),
    "NPR": ("broadcaster", ("National Public Radio",)),
    "PBS": ("broadcaster", ()),
    "Sky News": ("broadcaster", ()),
    "RT": ("broadcaster", ("Russia Today",)),
    "France 24": ("broadcaster", ()),
    "Deutsche Welle": ("broadcaster", ("DW",)),
    "Euronews": ("broadcaster", ()),
    "Voice of America": ("broadcaster", ("VOA",)),
    "Radio Free Europe/Radio Liberty": ("broadcaster", ("RFE/RL", "Radio Free Europe", "Radio Liberty")),
    "CGTN": ("broadcaster", ()),
    "Channel One": ("broadcaster", ("Channel One Russia",)),
    "Rossiya 24": ("broadcaster", ()),
    "Al Mayadeen": ("broadcaster", ()),
    "Press TV": ("broadcaster", ()),
    "i24NEWS": ("broadcaster", ()),
    # newspapers and magazines
    "The New York Times": ("newspaper", ("New York Times", "the New York Times", "NYT")),
    "The Washington Post": ("newspaper", ("Washington Post", "the Washington Post")),
    "The Wall Street Journal": ("newspaper", ("Wall Street Journal", "the Wall Street Journal", "WSJ")),
    "The Guardian": ("newspaper", ("the Guardian", "Guardian")),
    "The Times": ("newspaper", ("the Times of London", "The Times of London")),
    "Financial Times": ("newspaper", ("the Financial Times", "FT")),
    "The Economist": ("newspaper", ("the Economist",)),
    "The Independent": ("newspaper", ()),
    "The Daily Telegraph": ("newspaper", ("The Telegraph", "the Telegraph", "Daily Telegraph")),
    "Daily Mail": ("newspaper", ("the Daily Mail",)),
    "USA Today": ("newspaper", ()),
    "Los Angeles Times": ("newspaper", ("the Los Angeles Times", "LA Times")),
    "Politico": ("newspaper", ("POLITICO",)),
    "Axios": ("newspaper", ()),
    "Roll Call": ("newspaper", ()),
    "The Hill": ("newspaper", ()),
    "Breitbart News": ("newspaper", ("Breitbart",)),
    "The Daily Caller": ("newspaper", ("Daily Caller",)),
    "Washington Examiner": ("newspaper", ("the Washington Examiner",)),
    "National Review": ("newspaper", ()),
    "Mother Jones": ("newspaper", ()),
    "HuffPost": ("newspaper", ("Huffington Post", "The Huffington Post")),
    "BuzzFeed News": ("newspaper", ("BuzzFeed",)),
    "Newsweek": ("newspaper", ()),
    "The Daily Beast": ("newspaper", ("Daily Beast",)),
    "The Intercept": ("newspaper", ()),
    "Le Monde": ("newspaper", ()),
    "Le Figaro": ("newspaper", ()),
    "Der Spiegel": ("newspaper", ("Spiegel",)),
    "Bild": ("newspaper", ()),
    "Frankfurter Allgemeine Zeitung": ("newspaper", ("FAZ",)),
    "Süddeutsche Zeitung": ("newspaper", ()),
    "El País": ("newspaper", ()),
    "Corriere della Sera": ("newspaper", ()),
    "Haaretz": ("newspaper", ()),
    "The Times of Israel": ("newspaper", ("Times of Israel", "the Times of Israel")),
    "The Jerusalem Post": ("newspaper", ("Jerusalem Post", "the Jerusalem Post")),
    "The Kyiv Independent": ("newspaper", ("Kyiv Independent", "the Kyiv Independent")),
    "Kyiv Post": ("newspaper", ("the Kyiv Post",)),
    "Ukrainska Pravda": ("newspaper", ()),
    "Izvestia": ("newspaper", ()),
    "Kommersant": ("newspaper", ()),
    "Pravda": ("newspaper", ()),
    "Novaya Gazeta": ("newspaper", ()),
    "Rossiyskaya Gazeta": ("newspaper", ()),
    "Meduza": ("newspaper", ()),
    "The Moscow Times": ("newspaper", ("Moscow Times", "the Moscow Times")),
    "Global Times": ("newspaper", ("the Global Times",)),
    "People's Daily": ("newspaper", ()),
    "China Daily": ("newspaper", ()),
    "South China Morning Post": ("newspaper", ("the South China Morning Post", "SCMP")),
    "Asharq Al-Awsat": ("newspaper", ("Asharq al-Awsat",)),
    "Al-Ahram": ("newspaper", ("Al Ahram",)),
    "Daily Sabah": ("newspaper", ()),
    "Hürriyet": ("newspaper", ("Hurriyet",)),
    "Gazeta Wyborcza": ("newspaper", ()),
    "Kathimerini": ("newspaper", ()),
    "The Times of India": ("newspaper", ("Times of India", "the Times of India")),
}


@functools.cache
def alias_table() -> dict[str, str]:
    """Every name an outlet goes by (its canonical one included) -> canonical name."""
    table: dict[str, str] = {}
    for name, (_, aliases) in OUTLETS.items():
        for alias in (name, *aliases):
            table[alias] = name
    return table


@functools.cache
def outlet_pattern() -> re.Pattern[str]:
    """All outlet names, longest first, as whole words (case-sensitive)."""
    names = sorted(alias_table(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def lookup(name: str) -> tuple[str, OutletKind] | None:
    """(canonical name, kind) when `name` is a known outlet name, else None."""
    canonical = alias_table().get(name.strip())
    if canonical is None and name[:4].lower() == "the ":
        canonical = alias_table().get(name[4:].strip())
    if canonical is None:
        return None
    return canonical, OUTLETS[canonical][0]
