"""Hand-written gazetteer additions: regions, seas and areas the GeoNames city lists lack, country points,
demonyms and everyday country names.

Coordinates are GeoNames facts (rounded to 0.01°) for the named feature; country points are GeoNames'
country centre points where listed here, otherwise the mean of the country's populated places.
"""

from __future__ import annotations

# name -> (canonical name, lat, lon, ISO country code or "", feature)
REGIONS: dict[str, tuple[str, float, float, str, str]] = {
    "Crimea": ("Crimea", 45.0, 34.0, "UA", "region"),
    "Donbas": ("Donbas", 48.0, 38.0, "UA", "region"),
    "Donbass": ("Donbas", 48.0, 38.0, "UA", "region"),
    "Gaza Strip": ("Gaza Strip", 31.42, 34.37, "PS", "region"),
    "West Bank": ("West Bank", 32.0, 35.25, "PS", "region"),
    "Golan Heights": ("Golan Heights", 33.0, 35.75, "SY", "region"),
    "Eastern Ghouta": ("Eastern Ghouta", 33.55, 36.42, "SY", "region"),
    "Ghouta": ("Eastern Ghouta", 33.55, 36.42, "SY", "region"),
    "Darfur": ("Darfur", 13.0, 24.0, "SD", "region"),
    "Tigray": ("Tigray", 14.0, 39.0, "ET", "region"),
    "Kurdistan Region": ("Kurdistan Region", 36.2, 44.0, "IQ", "region"),
    "Iraqi Kurdistan": ("Kurdistan Region", 36.2, 44.0, "IQ", "region"),
    "Liptako-Gourma": ("Liptako-Gourma", 14.5, 0.5, "", "region"),
    "Sahel": ("Sahel", 15.0, 0.0, "", "region"),
    "Lake Chad": ("Lake Chad", 13.0, 14.5, "", "lake"),
    "Red Sea": ("Red Sea", 20.0, 38.0, "", "sea"),
    "Black Sea": ("Black Sea", 43.0, 35.0, "", "sea"),
    "Mediterranean": ("Mediterranean Sea", 35.0, 18.0, "", "sea"),
    "Mediterranean Sea": ("Mediterranean Sea", 35.0, 18.0, "", "sea"),
    "Gulf of Aden": ("Gulf of Aden", 12.0, 48.0, "", "sea"),
    "Bab al-Mandab": ("Bab-el-Mandeb", 12.58, 43.33, "", "strait"),
    "Bab el-Mandeb": ("Bab-el-Mandeb", 12.58, 43.33, "", "strait"),
    "Sea of Azov": ("Sea of Azov", 46.0, 36.5, "", "sea"),
    "Zaporizhzhia nuclear plant": ("Zaporizhzhia Nuclear Power Plant", 47.51, 34.59, "UA", "site"),
    "Sevare": ("Sévaré", 14.53, -4.09, "ML", "city"),
    # continents and world regions (no country; a centre point, shown as a region)
    "Europe": ("Europe", 48.69, 9.14, "", "region"),
    "Asia": ("Asia", 29.84, 89.3, "", "region"),
    "Africa": ("Africa", 7.19, 21.09, "", "region"),
    "North America": ("North America", 46.07, -100.55, "", "region"),
    "South America": ("South America", -14.6, -57.66, "", "region"),
    "Latin America": ("Latin America", -8.0, -70.0, "", "region"),
    "Central America": ("Central America", 12.77, -85.6, "", "region"),
    "Oceania": ("Oceania", -18.31, 138.52, "", "region"),
    "Antarctica": ("Antarctica", -78.16, 16.41, "", "region"),
    "Middle East": ("Middle East", 29.3, 42.45, "", "region"),
    "Mideast": ("Middle East", 29.3, 42.45, "", "region"),
    "North Africa": ("North Africa", 27.0, 17.0, "", "region"),
    "West Africa": ("West Africa", 12.0, -3.0, "", "region"),
    "East Africa": ("East Africa", 1.0, 38.0, "", "region"),
    "Horn of Africa": ("Horn of Africa", 8.0, 46.0, "", "region"),
    "Sub-Saharan Africa": ("Sub-Saharan Africa", -2.0, 23.0, "", "region"),
    "Eastern Europe": ("Eastern Europe", 50.0, 30.0, "", "region"),
    "Western Europe": ("Western Europe", 48.0, 4.0, "", "region"),
    "Central Europe": ("Central Europe", 49.0, 15.0, "", "region"),
    "Southeast Asia": ("Southeast Asia", 6.0, 110.0, "", "region"),
    "South Asia": ("South Asia", 23.0, 80.0, "", "region"),
    "East Asia": ("East Asia", 35.0, 115.0, "", "region"),
    "Central Asia": ("Central Asia", 45.0, 68.0, "", "region"),
    "Caribbean": ("Caribbean", 15.0, -73.0, "", "region"),
    "Balkans": ("Balkans", 42.0, 21.0, "", "region"),
    "Scandinavia": ("Scandinavia", 62.0, 14.0, "", "region"),
    "Persian Gulf": ("Persian Gulf", 26.0, 52.0, "", "sea"),
    "Sévaré": ("Sévaré", 14.53, -4.09, "ML", "city"),
    # first-level divisions often in the news that the city lists lack ("Xinjiang" had matched Xining);
    # approximate centres of the area, shown as admin areas. Names shared by two countries ("Punjab",
    # "Kashmir") are left out: the text must say which.
    "Xinjiang": ("Xinjiang", 41.0, 85.0, "CN", "admin"),
    "Tibet": ("Tibet", 31.0, 88.0, "CN", "admin"),
    "Catalonia": ("Catalonia", 41.8, 1.5, "ES", "admin"),
    "Andalusia": ("Andalusia", 37.4, -4.6, "ES", "admin"),
    "Bavaria": ("Bavaria", 48.9, 11.4, "DE", "admin"),
    "Lombardy": ("Lombardy", 45.6, 9.9, "IT", "admin"),
    "Sindh": ("Sindh", 26.0, 68.8, "PK", "admin"),
    "Balochistan": ("Balochistan", 28.5, 65.0, "PK", "admin"),
    "Khyber Pakhtunkhwa": ("Khyber Pakhtunkhwa", 34.5, 72.0, "PK", "admin"),
    "Rakhine": ("Rakhine", 20.0, 93.5, "MM", "admin"),
    "Mindanao": ("Mindanao", 8.0, 125.0, "PH", "region"),
    "Kurdistan": ("Kurdistan Region", 36.2, 44.0, "IQ", "region"),
}

# GeoNames country centre points for countries often in the news; others fall back to a mean of places.
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "SY": (35.0, 38.0),
    "UA": (49.0, 32.0),
    "RU": (60.0, 100.0),
    "IQ": (33.0, 44.0),
    "YE": (15.5, 47.5),
    "ML": (17.0, -4.0),
    "NE": (18.0, 9.0),
    "BF": (12.5, -1.67),
    "TD": (15.0, 19.0),
    "NG": (10.0, 8.0),
    "SO": (6.0, 48.0),
    "SD": (16.0, 30.0),
    "SS": (7.5, 30.0),
    "ET": (8.0, 38.0),
    "LY": (28.0, 17.0),
    "AF": (33.0, 66.0),
    "PK": (30.0, 70.0),
    "IR": (32.0, 53.0),
    "TR": (39.0, 35.0),
    "IL": (31.5, 34.75),
    "PS": (31.92, 35.2),
    "LB": (33.83, 35.83),
    "JO": (31.0, 36.0),
    "SA": (25.0, 45.0),
    "EG": (27.0, 30.0),
    "US": (39.76, -98.5),
    "GB": (54.76, -2.7),
    "FR": (46.0, 2.0),
    "DE": (51.5, 10.5),
    "BE": (50.83, 4.0),
    "NL": (52.5, 5.75),
    "PL": (52.0, 20.0),
    "IT": (42.83, 12.83),
    "ES": (40.0, -4.0),
    "CD": (-2.5, 23.5),
    "CF": (7.0, 21.0),
    "MZ": (-18.25, 35.0),
    "MM": (22.0, 98.0),
    "CN": (35.0, 105.0),
    "IN": (22.0, 79.0),
    "CA": (60.11, -113.64),
    "MX": (23.0, -102.0),
    "BY": (53.0, 28.0),
    "MD": (47.25, 28.58),
    "GE": (42.0, 43.5),
    "AM": (40.25, 45.0),
    "AZ": (40.5, 47.5),
    "BR": (-10.0, -55.0),
    "CO": (4.0, -73.25),
    "VE": (8.0, -66.0),
}

# everyday names -> ISO code, beyond GeoNames' English country names
COUNTRY_NAMES: dict[str, str] = {
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "America": "US",
    "United States of America": "US",
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Russian Federation": "RU",
    "Ivory Coast": "CI",
    "Côte d'Ivoire": "CI",
    "DR Congo": "CD",
    "DRC": "CD",
    "Democratic Republic of the Congo": "CD",
    "Congo-Kinshasa": "CD",
    "Burma": "MM",
    "Holland": "NL",
    "the Netherlands": "NL",
    "Czechia": "CZ",
    "Czech Republic": "CZ",
    "Palestine": "PS",
    "Palestinian territories": "PS",
    "South Korea": "KR",
    "North Korea": "KP",
    "Korea": "KR",  # alone, in news and travel writing, the South (GeoNames' "Korea" is a town in Côte d'Ivoire)
    "Türkiye": "TR",
    "Turkiye": "TR",
    "UAE": "AE",
    "Emirates": "AE",
    "Vatican": "VA",
    "Syrian Arab Republic": "SY",
    "Congo": "CD",
    "the Philippines": "PH",
    "Philippines": "PH",
    "Bosnia": "BA",
    "Bosnia and Herzegovina": "BA",
    "Kosovo": "XK",
    "North Macedonia": "MK",
    "Macedonia": "MK",
    "Gambia": "GM",
    "the Gambia": "GM",
}

DEMONYMS: dict[str, str] = {
    "Syrian": "SY",
    "Syrians": "SY",
    "Russian": "RU",
    "Russians": "RU",
    "Ukrainian": "UA",
    "Ukrainians": "UA",
    "Iraqi": "IQ",
    "Iraqis": "IQ",
    "Yemeni": "YE",
    "Yemenis": "YE",
    "Malian": "ML",
    "Malians": "ML",
    "Nigerien": "NE",
    "Burkinabe": "BF",
    "Burkinabè": "BF",
    "Chadian": "TD",
    "Nigerian": "NG",
    "Nigerians": "NG",
    "Somali": "SO",
    "Sudanese": "SD",
    "Ethiopian": "ET",
    "Libyan": "LY",
    "Afghan": "AF",
    "Pakistani": "PK",
    "Iranian": "IR",
    "Turkish": "TR",
    "Israeli": "IL",
    "Israelis": "IL",
    "Palestinian": "PS",
    "Palestinians": "PS",
    "Lebanese": "LB",
    "Jordanian": "JO",
    "Saudi": "SA",
    "Egyptian": "EG",
    "American": "US",
    "Americans": "US",
    "British": "GB",
    "French": "FR",
    "German": "DE",
    "Belgian": "BE",
    "Dutch": "NL",
    "Polish": "PL",
    "Italian": "IT",
    "Spanish": "ES",
    "Congolese": "CD",
    "Chinese": "CN",
    "Indian": "IN",
    "Canadian": "CA",
    "Mexican": "MX",
    "Belarusian": "BY",
    "Moldovan": "MD",
    "Georgian": "GE",
    "Armenian": "AM",
    "Azerbaijani": "AZ",
    "Emirati": "AE",
    "Qatari": "QA",
    "Kurdish": "",
}

# Words that are capitalised but never places by themselves (kept out of the gazetteer scan).
_NOT_PLACES_TEXT = """
    The A An In On At Of And But Or For From To By With As It He She They We I You This That These Those There
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Mr Mrs Ms Dr President Minister General Colonel Captain Sheikh Prime
    God Allah Islamic State Army Forces Force Ministry Council Government Police Reuters AFP AP BBC CNN
    News Agency Observatory Human Rights Watch Amnesty International Red Cross Crescent United Nations UN
    Security Defence Defense Interior Foreign Office Office Party Front Brigade Brigades Coalition Western
    Eastern Northern Southern Central Today Yesterday Tomorrow Earlier Later Also However Meanwhile According
    Some Many Most Several Both All Each Every No Not One Two Three Four Five Six Seven Eight Nine Ten Hundreds
    Thousands Dozens Saint St Mount Lake River Sea Gulf Street Road Square Bridge Hospital School Airport Base
    City Town Village Province Region District Governorate Oblast County Republic Kingdom Democratic People
    Liberation Democracy Freedom Free Hope Victory Union Center Centre Press Post Times Daily Herald Mail Star
    Sun Guardian Telegraph Independent Record Mirror Express Journal Tribune Monitor Observer Council Staff
    Health Emergency Civil Defence Mission Command Commander Spokesman Spokeswoman Official Officials Jazeera
    Al Jihadist Jihadists Rebels Rebel Militants Militia Militias Kremlin Pentagon Congress Senate Parliament
    Major Lieutenant Sergeant King Queen Prince Emperor Pope Bishop Imam Chief Director Secretary Governor
    Mayor Senator Judge Court Supreme High Low North South East West New Old Great Little Upper Lower
    Africa Europe Asia America Americas Pacific Atlantic Arctic Antarctic Midwest Andes Balkans Caucasus
    Anatolia Kashmir Levant Maghreb Gulf Horn Sahara Himalayas Alps Scandinavia Siberia Patagonia Amazon
    Arabic English Hebrew Persian Kurdish Russian Ukrainian French Spanish Portuguese Chinese
    Mon Tue Tues Wed Thu Thur Thurs Fri Sat Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """
NOT_PLACES: frozenset[str] = frozenset(_NOT_PLACES_TEXT.split())

# First-level divisions used as "Town, Province" context outside the US: name -> (ISO code, GeoNames admin1)
PROVINCES: dict[str, tuple[str, str]] = {
    "Alberta": ("CA", "01"),
    "British Columbia": ("CA", "02"),
    "Manitoba": ("CA", "03"),
    "New Brunswick": ("CA", "04"),
    "Newfoundland": ("CA", "05"),
    "Nova Scotia": ("CA", "07"),
    "Ontario": ("CA", "08"),
    "Prince Edward Island": ("CA", "09"),
    "Quebec": ("CA", "10"),
    "Québec": ("CA", "10"),
    "Saskatchewan": ("CA", "11"),
    "New South Wales": ("AU", "02"),
    "Queensland": ("AU", "04"),
    "South Australia": ("AU", "05"),
    "Tasmania": ("AU", "06"),
    "Victoria": ("AU", "07"),
    "Western Australia": ("AU", "08"),
}

# Suffixes that turn a city name into the administrative area around it ("Idlib province").
ADMIN_SUFFIXES: frozenset[str] = frozenset(
    {"province", "governorate", "region", "oblast", "district", "county", "state", "prefecture", "department"}
)
