"""Ingest of hand-made HTML pages shaped like the real pages unspin went wrong on (their shape, not their text):
a caption-only extraction, a sidebar-heavy story, a server-status page, a police-blotter listing, a German
article. Each must end with the right text, the right `extraction` block and a warning a reader can act on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from unspin.errors import NotAnArticle
from unspin.ingest import Ingested, document_from_bytes
from unspin.options import Options

BRIDGE = [
    "The city council voted on Tuesday to close the old bridge over the river after engineers found deep "
    "cracks in two of its supports.",
    "Traffic will be sent over the northern crossing, which the council said could carry the extra load until "
    "a new bridge opens in three years.",
    "Residents on the east bank said the closure would add half an hour to their daily drive, and shop owners "
    "warned that trade would suffer.",
    "The mayor said the decision was hard but that safety had to come first, and promised a public meeting "
    "next month to discuss the plans.",
    "Engineers first raised concerns about the bridge in a report last spring, which found that salt from "
    "winter roads had eaten into the steel.",
    "The repair bill was put at twelve million dollars, more than the council spends on roads in a whole year, "
    "according to the report.",
]
CAPTION = (
    "A view of the old bridge at dusk, with the river running high after a week of heavy rain and the lights "
    "of the town behind it."
)
TEASERS = [
    "Cricket: county side collapse to 87 all out on the opening day",
    "Five things to watch at the regional food festival this weekend",
    "Weather warning issued for the coast as storm moves in",
    "Local school wins national robotics prize for second year",
    "Petrol prices rise again as suppliers blame the exchange rate",
    "New cycle lanes divide opinion on the high street",
]


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def page(title: str, body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def caption_only_page() -> str:
    """An opinion column whose text sits where the extractor does not look; only the photo caption is found."""
    return page(
        "Council shuts old bridge",
        f"<article><h1>Council shuts old bridge</h1><figure><img src='bridge.jpg'>"
        f"<figcaption>{CAPTION}</figcaption></figure></article>"
        f"<div class='comments'>{paragraphs(BRIDGE * 2)}</div>",
    )


def sidebar_page() -> str:
    """A news story with a teaser sidebar, a 'Read more:' line and a follow-us line inside the article."""
    teaser_list = "".join(f"<li><a href='/story/{i}'>{text}</a></li>" for i, text in enumerate(TEASERS))
    body = (
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav></header>"
        "<main><article><h1>Council shuts old bridge after cracks found</h1>"
        f"{paragraphs(BRIDGE[:3])}"
        "<p>Read more: <a href='/story/99'>How the bridge was built in 1904</a></p>"
        f"{paragraphs(BRIDGE[3:])}"
        "<p>Follow us on Twitter and Facebook for the latest news from the valley.</p>"
        "</article>"
        f"<ul class='more'>{teaser_list}</ul>"
        "</main>"
        f"<aside><h2>Most read</h2><ul>{teaser_list}</ul></aside>"
    )
    return page("Council shuts old bridge after cracks found | The Valley Courier", body)


def status_page() -> str:
    """A web server's status page: a heading, field lines and a table of numbers, no prose."""
    fields = [
        "Server Version: Apache/2.4.29 (Unix) OpenSSL/1.1.1",
        "Server MPM: event",
        "Server Built: Jan 12 2019 10:14:02",
        "Current Time: Tuesday, 19-Nov-2019 14:02:11 UTC",
        "Restart Time: Monday, 11-Nov-2019 03:00:01 UTC",
        "Parent Server Config. Generation: 9",
        "Server uptime: 8 days 11 hours 2 minutes 10 seconds",
        "Total accesses: 1829301 - Total Traffic: 41.2 GB",
        "CPU Usage: u512.3 s98.1 cu0 cs0 - .0836% CPU load",
        "2.49 requests/sec - 59.1 kB/second - 23.7 kB/request",
        "12 requests currently being processed, 88 idle workers",
    ]
    rows = "".join(f"<tr><td>{i}</td><td>{1000 + i}</td><td>W</td><td>0.{i}</td></tr>" for i in range(12))
    body = f"<h1>Apache Server Status for www.example.org</h1><dl>{''.join(f'<dt>{f}</dt>' for f in fields)}</dl>"
    return page("Apache Status", body + f"<table>{rows}</table>")


def listing_page() -> str:
    """A police blotter: one dated line per call, linked, and no story."""
    calls = [
        ("11/18 22:14", "Assault reported in the 400 block of Elm Street; one person taken to hospital."),
        ("11/18 21:02", "Shots fired call near Riverside Park; officers found shell casings."),
        ("11/18 19:47", "Robbery at a gas station on Route 9; suspect fled on foot."),
        ("11/18 17:30", "Burglary reported at a home on Oak Avenue."),
        ("11/18 15:12", "Stabbing on Main Street; victim in stable condition."),
        ("11/18 13:05", "Vehicle break-in at the library parking lot."),
        ("11/18 11:41", "Fight reported outside a bar on Water Street."),
        ("11/18 09:20", "Attempted carjacking on Pine Road; no injuries."),
        ("11/18 08:03", "Vandalism to a bus shelter on Lake Drive."),
        ("11/17 23:55", "Domestic disturbance on Cedar Lane; one arrest."),
    ]
    items = "".join(f"<li>{when} <a href='/blotter/{i}'>{what}</a></li>" for i, (when, what) in enumerate(calls))
    nav = "".join(f"<a href='/section/{i}'>Section {i}</a> " for i in range(15))
    return page("Police blotter - Riverside Daily", f"<nav>{nav}</nav><h1>Police blotter</h1><ul>{items}</ul>")


GERMAN = [
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss zu sperren, nachdem Ingenieure "
    "tiefe Risse in zwei Pfeilern gefunden hatten.",
    "Der Verkehr wird über die nördliche Brücke umgeleitet, die nach Angaben der Stadt die zusätzliche Last "
    "tragen kann, bis in drei Jahren eine neue Brücke fertig ist.",
    "Anwohner am Ostufer sagten, die Sperrung verlängere ihren täglichen Weg um eine halbe Stunde, und "
    "Ladenbesitzer warnten vor Einbußen.",
    "Der Bürgermeister sagte, die Entscheidung sei schwer gewesen, aber die Sicherheit gehe vor, und kündigte "
    "für den nächsten Monat eine Bürgerversammlung an.",
]


def german_page() -> str:
    return page(
        "Stadtrat sperrt alte Brücke | Tageblatt",
        f"<article><h1>Stadtrat sperrt alte Brücke</h1>{paragraphs(GERMAN)}</article>",
        head='<meta property="og:type" content="article">',
    )


def ingest(html: str, *, strict: bool = False) -> Ingested:
    return document_from_bytes(html.encode("utf-8"), "page.html", "html", Options(strict=strict), is_html=True)


def test_ingest_pages_caption_only_extraction_is_doubted() -> None:
    ingested = ingest(caption_only_page())
    extraction = ingested.extraction
    assert extraction is not None and extraction.doubts
    assert extraction.coverage is not None and extraction.coverage < 0.2
    assert extraction.confidence < 0.5
    assert any(w.startswith("the extracted text may be incomplete: kept") for w in ingested.warnings)


def test_ingest_pages_sidebar_teasers_and_boilerplate_lines_dropped() -> None:
    ingested = ingest(sidebar_page())
    text = ingested.document.text
    assert text.split("\n\n") == BRIDGE
    for teaser in TEASERS:
        assert teaser not in text
    assert "Read more" not in text and "Follow us" not in text
    assert ingested.extraction is not None and ingested.extraction.page_kind == "article"
    assert ingested.extraction.doubts == [] and ingested.warnings == []
    assert ingested.document.title == "Council shuts old bridge after cracks found"


def test_ingest_pages_coverage_is_words_kept_over_visible_words() -> None:
    ingested = ingest(sidebar_page())

    def words(text: str) -> int:
        return len(text.split())

    kept = sum(words(p) for p in BRIDGE)
    # Everything else a reader sees: menu, headline, teasers (twice), the sidebar heading, two boilerplate lines.
    shown = [
        "Home News Sport",
        "Council shuts old bridge after cracks found",
        "Most read",
        "Read more: How the bridge was built in 1904",
        "Follow us on Twitter and Facebook for the latest news from the valley.",
    ]
    visible = kept + 2 * sum(words(t) for t in TEASERS) + sum(words(t) for t in shown)
    assert ingested.extraction is not None
    assert ingested.extraction.coverage == pytest.approx(kept / visible, abs=0.03)


def test_ingest_pages_status_page_is_named_not_called_foreign() -> None:
    ingested = ingest(status_page())
    assert ingested.extraction is not None and ingested.extraction.page_kind == "status"
    assert ingested.document.language == "und"
    assert not any("English" in warning for warning in ingested.warnings)
    assert any(
        w.startswith("this page does not look like a news article: it looks like a status page")
        for w in ingested.warnings
    )


def test_ingest_pages_police_blotter_is_a_listing() -> None:
    ingested = ingest(listing_page())
    assert ingested.extraction is not None and ingested.extraction.page_kind == "listing"
    assert any("short items" in w and "a date or time" in w for w in ingested.warnings)


@pytest.mark.parametrize("build", [status_page, listing_page, caption_only_page])
def test_ingest_pages_strict_refuses_non_articles_and_doubtful_text(build: object) -> None:
    with pytest.raises(NotAnArticle) as refused:
        ingest(build(), strict=True)  # type: ignore[operator]
    assert refused.value.exit_code == 13
    assert "--strict" in str(refused.value)


def test_ingest_pages_strict_keeps_a_plain_article() -> None:
    assert ingest(sidebar_page(), strict=True).extraction is not None


def test_ingest_pages_german_article_language_named() -> None:
    ingested = ingest(german_page())
    assert ingested.document.language == "de"
    assert ingested.document.title == "Stadtrat sperrt alte Brücke"
    assert any("is in German (de), not English" in w for w in ingested.warnings)


def test_ingest_pages_german_article_every_detector_skipped(tmp_path: Path) -> None:
    import unspin
    from unspin import detectors

    path = tmp_path / "brücke.html"
    path.write_text(german_page(), encoding="utf-8")
    analysis = unspin.analyze(str(path))
    assert analysis.document.language == "de"
    assert {skip.detector for skip in analysis.skipped} == set(detectors.available())
    assert all("language is 'de'" in skip.reason for skip in analysis.skipped)
    assert analysis.claims == [] and analysis.techniques == []


def test_ingest_pages_cli_strict_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "status.html"
    path.write_text(status_page(), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "unspin", "analyze", str(path), "--strict"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 13, result.stderr
    assert result.stderr.startswith("unspin: error:") and "status page" in result.stderr
    assert "Traceback" not in result.stderr
