"""Page metadata: headlines without the site's name, section or date; authors as people's plain names."""

from __future__ import annotations

import json

import pytest

from unspin.ingest import document_from_bytes
from unspin.ingest.metadata import clean_authors, clean_title
from unspin.options import Options


@pytest.mark.parametrize(
    ("title", "sites", "url", "expected"),
    [
        (
            "Floods close coastal rail line | The Harbour Times",
            ["The Harbour Times"],
            None,
            "Floods close coastal rail line",
        ),
        # The site's name spelt as its host, with no declared site name.
        (
            "Floods close coastal rail line | The Harbour Times",
            [],
            "https://www.harbourtimes.co.uk/a/1",
            "Floods close coastal rail line",
        ),
        (
            "Floods close coastal rail line - KXYZ 9News | Gulf News, Weather, Sports | Port Arthur",
            ["KXYZ 9News"],
            None,
            "Floods close coastal rail line",
        ),
        (
            "Floods close coastal rail line | DW | 19.01.2020",
            ["Deutsche Welle"],
            None,
            "Floods close coastal rail line",
        ),
        ("Opinion | The rail line was never safe", ["The Harbour Times"], None, "The rail line was never safe"),
        # A dash inside the headline is kept when what follows is no site, section or date.
        (
            "Rail strike - what it means for commuters",
            ["The Harbour Times"],
            None,
            "Rail strike - what it means for commuters",
        ),
        ("Minister: the line will reopen by spring", [], None, "Minister: the line will reopen by spring"),
    ],
)
def test_metadata_title_loses_site_section_and_date(
    title: str, sites: list[str], url: str | None, expected: str
) -> None:
    from unspin.ingest.metadata import _host_label

    assert clean_title(title, sites, _host_label(url)) == expected


@pytest.mark.parametrize(
    ("raw", "sites", "expected"),
    [
        (["By Maria Lopez"], [], ["Maria Lopez"]),
        (["Maria Lopez; Tom Weller; Associated Press"], [], ["Maria Lopez", "Tom Weller"]),
        (["MARIA LOPEZ and TOM WELLER Associated Press"], [], ["Maria Lopez", "Tom Weller"]),
        (["Analysis by Chris Baxter; KXYZ Editor-at-large"], ["KXYZ"], ["Chris Baxter"]),
        (["Chris Baxter, Harbour Times"], ["The Harbour Times"], ["Chris Baxter"]),
        (["Ana Ruiz Gulf International"], ["GulfInt"], ["Ana Ruiz"]),
        (["No Author"], [], []),
        (["Admin"], [], []),
        (["Staff Reports"], [], []),
        (["Letters"], [], []),
        (["Reuters"], [], []),
        (["Deutsche Welle"], ["Deutsche Welle"], []),
        (["The Russian and Syrian defence ministries"], [], []),
        (["Harbour Times News Desk"], ["Harbour Times"], []),
    ],
)
def test_metadata_authors_are_people(raw: list[str], sites: list[str], expected: list[str]) -> None:
    assert clean_authors(raw, sites) == expected


def article_page(head: str, byline: str = "") -> bytes:
    body = (
        "<article><h1>Floods close coastal rail line for a month</h1>"
        f"{byline}"
        "<p>The coastal rail line will stay closed for at least a month after floods washed away a section of "
        "track near the harbour, the operator said on Monday.</p>"
        "<p>Engineers said the embankment had been weakened by three storms since October and would have to be "
        "rebuilt before trains could run again.</p>"
        "<p>Buses will replace trains between the two towns, adding about forty minutes to the journey, and "
        "season tickets will be refunded for the weeks of the closure.</p></article>"
    )
    html = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    return html.encode("utf-8")


def ingest_page(html: bytes) -> tuple[str | None, list[str], str | None, str | None]:
    document = document_from_bytes(html, "page.html", "html", Options(), is_html=True).document
    return document.title, document.authors, document.author, document.published


def test_metadata_page_with_several_authors_and_a_declared_date() -> None:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Floods close coastal rail line for a month",
        "datePublished": "2021-03-08T14:30:00+01:00",
        "author": [{"@type": "Person", "name": "Maria Lopez"}, {"@type": "Person", "name": "Tom Weller"}],
        "publisher": {"@type": "Organization", "name": "The Harbour Times"},
    }
    head = (
        "<title>Floods close coastal rail line for a month | The Harbour Times</title>"
        '<meta property="og:site_name" content="The Harbour Times">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    title, authors, author, published = ingest_page(article_page(head))
    assert title == "Floods close coastal rail line for a month"
    assert authors == ["Maria Lopez", "Tom Weller"]
    assert author == "Maria Lopez, Tom Weller"
    assert published == "2021-03-08"


def test_metadata_printed_byline_adds_the_authors_metadata_left_out() -> None:
    head = (
        "<title>Floods close coastal rail line for a month - Harbour Times</title>"
        '<meta name="author" content="Maria Lopez">'
    )
    byline = '<p class="article-byline">By Maria Lopez, Tom Weller and Ana Ruiz 2021-03-08 14:30</p>'
    title, authors, _, _ = ingest_page(article_page(head, byline))
    assert title == "Floods close coastal rail line for a month"
    assert authors == ["Maria Lopez", "Tom Weller", "Ana Ruiz"]


def test_metadata_placeholder_author_gives_none() -> None:
    head = "<title>Floods close coastal rail line for a month</title><meta name='author' content='No Author'>"
    _, authors, author, _ = ingest_page(article_page(head))
    assert authors == [] and author is None


def test_metadata_page_without_author_has_none() -> None:
    _, authors, author, _ = ingest_page(article_page("<title>Floods close coastal rail line for a month</title>"))
    assert authors == [] and author is None


def test_metadata_headline_is_the_h1_when_the_title_is_worded_for_search() -> None:
    head = "<title>Rail line closed: floods, buses, refunds | Harbour Times</title>"
    title, _, _, _ = ingest_page(article_page(head))
    assert title == "Floods close coastal rail line for a month"


@pytest.mark.parametrize(
    ("declared", "printed", "expected"),
    [
        # Published at 02:10 UTC, printed as the evening before (an American page): the printed day is the
        # one its readers saw.
        ("2021-03-09T02:10:00Z", "Posted March 8, 2021 9:10 PM", "2021-03-08"),
        # The same timestamp without an offset, written with a space, as some pages do.
        ("2021-03-09 02:10:00", "Mar. 8, 2021", "2021-03-08"),
        # A page that prints the declared day keeps it, even in the small hours.
        ("2021-03-09T02:10:00Z", "Updated 0310 GMT March 9, 2021", "2021-03-09"),
        # Past the small hours a printed day before is something else (an earlier event): the declared day stays.
        ("2021-03-09T15:10:00Z", "Posted March 8, 2021", "2021-03-09"),
        # Another offset is no UTC timestamp: nothing to correct.
        ("2021-03-09T02:10:00+01:00", "March 8, 2021", "2021-03-09"),
    ],
)
def test_metadata_date_is_the_day_the_page_prints_when_a_utc_timestamp_falls_after_midnight(
    declared: str, printed: str, expected: str
) -> None:
    head = (
        "<title>Floods close coastal rail line for a month</title>"
        f'<meta property="article:published_time" content="{declared}">'
    )
    # The <time> element's machine value is the UTC one; only its printed text is what readers see.
    byline = f'<p class="dateline"><time datetime="{declared}">{printed}</time></p>'
    _, _, _, published = ingest_page(article_page(head, byline))
    assert published == expected


def test_metadata_printed_dates_leave_scripts_and_comments_out() -> None:
    from lxml import html as lxml_html

    from unspin.ingest.metadata import printed_dates

    page = lxml_html.fromstring(
        "<html><head><script>var built = 'March 1, 2021';</script></head><body><!-- March 2, 2021 -->"
        "<p>Posted <b>March 8, 2021</b> after the vote of 2021-03-05</p><style>p{}</style> tail March 9, 2021"
        "</body></html>"
    )
    assert printed_dates(page) == {"2021-03-08", "2021-03-05", "2021-03-09"}


def test_metadata_a_page_that_names_only_a_year_gets_no_date() -> None:
    from unspin.ingest.metadata import _publication_date

    # htmldate's guess from a bare "2019" on the page is the first of January: no date the page states
    assert _publication_date(None, False, "2019-01-01", {"2019-11-19"}) is None
    # a first of January the page prints is a date like any other
    assert _publication_date(None, False, "2019-01-01", {"2019-01-01"}) == "2019-01-01"
    assert _publication_date(None, False, "2019-11-19", set()) == "2019-11-19"


def test_metadata_authors_keep_their_middle_initials() -> None:
    # "y" and "e" are "and" in Spanish and Italian bylines, never a capital initial
    assert clean_authors(["Bruce Y. Lee"], ["The Harbour Times"]) == ["Bruce Y. Lee"]
    assert clean_authors(["E. Jean Roe y María López"], []) == ["E. Jean Roe", "María López"]


def test_metadata_title_keeps_a_second_half_that_opens_with_a_conjunction() -> None:
    title = "The first reviews of the streaming service are in — And They're Not Kind - Harbour Times"
    assert clean_title(title, ["Harbour Times"]) == (
        "The first reviews of the streaming service are in — And They're Not Kind"
    )


def test_metadata_a_headline_linking_to_another_site_is_a_teaser_not_the_title() -> None:
    head = (
        "<title>Floods close coastal rail line for a month - Harbour Times</title>"
        '<meta property="og:title" content="Floods close coastal rail line for a month">'
    )
    teaser = '<h1><a href="https://other-paper.example/story">Why the bridge at Elm Ford never reopened</a></h1>'
    html = article_page(head).replace(b"<article><h1>Floods close coastal rail line for a month</h1>", teaser.encode())
    document = document_from_bytes(
        html, "page.html", "html", Options(), is_html=True, page_url="https://www.harbourtimes.example/a/1"
    ).document
    assert document.title == "Floods close coastal rail line for a month"


def test_metadata_an_author_run_on_into_the_date_is_the_printed_name() -> None:
    head = (
        "<title>Floods close coastal rail line for a month</title><meta name='author' content='Maria Lopez November'>"
    )
    byline = '<p class="byline">By Maria Lopez November 15, 2019</p>'
    _, authors, _, _ = ingest_page(article_page(head, byline))
    assert authors == ["Maria Lopez"]


def test_metadata_a_printed_first_name_never_shortens_a_full_one() -> None:
    from unspin.ingest.metadata import _as_printed

    assert _as_printed("Catherine Weller", ["Catherine"]) == "Catherine Weller"
    assert _as_printed("Theresa May", ["Theresa May"]) == "Theresa May"


def test_metadata_a_byline_ends_at_the_weekday_of_its_date() -> None:
    head = "<title>Rocket engine test slips to spring</title><meta name='author' content='Jeff Roe Monday'>"
    byline = '<h3 class="byline">by Jeff Roe<br><span class="datetime">Monday, November 18, 2019</span></h3>'
    _, authors, _, _ = ingest_page(article_page(head, byline))
    assert authors == ["Jeff Roe"]


def test_metadata_an_editorial_staff_byline_is_no_person() -> None:
    from unspin.ingest.metadata import clean_authors

    assert clean_authors(["Harbour Riders Editorial Staff"], ["Harbour Riders"]) == []
    assert clean_authors(["By Jane Roe, Editorial Staff"], ["Harbour Riders"]) == ["Jane Roe"]
