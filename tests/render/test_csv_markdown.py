"""The CSV and Markdown renderers on real-shaped analyses: one row per finding, positions a reader can find,
"not analysed" never passed off as "none found", article text made inert."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable

from unspin.analysis import Analysis, Claim, Document, Skipped
from unspin.render import render

REASON = "not analysed: the text's language is 'de', and this detector reads only en"


def rows(analysis: Analysis, **options: bool) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render(analysis, "csv", **options))))


def test_csv_one_row_per_finding(sample: Analysis) -> None:
    table = rows(sample)
    assert list(table[0]) == ["kind", "start", "end", "paragraph", "sentence", "text", "label", "score", "details"]
    kinds = Counter(r["kind"] for r in table)
    assert kinds["technique"] == len(sample.techniques) and kinds["claim"] == len(sample.claims)
    assert kinds["quote"] == 1 and kinds["source"] == 3 and kinds["event"] == 2 and kinds["place"] == 2
    assert kinds["sentence"] == len(sample.sentences) and kinds["caution"] == 1  # the analysis' warning
    text = sample.document.text
    for r in table:
        if r["kind"] in ("technique", "claim", "quote"):
            assert " ".join(text[int(r["start"]) : int(r["end"])].split()) == r["text"]


def test_csv_positions_and_labels(sample: Analysis) -> None:
    table = rows(sample)
    nested = next(r for r in table if r["label"] == "Name_Calling,Labeling")
    assert (nested["text"], nested["paragraph"], nested["sentence"]) == ("cowardly", "2", "2")
    claim = next(r for r in table if r["kind"] == "claim" and r["text"].startswith("Prices of bread"))
    assert claim["paragraph"] == "4" and claim["score"] == "0.74"
    assert "quantities: 40% (40 %)" in claim["details"]
    unsourced = next(r for r in table if r["kind"] == "claim" and r["text"].startswith("the market hid"))
    assert "attributed: no (cites no source)" in unsourced["details"]
    event = next(r for r in table if r["kind"] == "event" and r["label"] == "shelling")
    assert "title: Shelling on market by Russian forces: at least 12 dead" in event["details"]
    assert "record: GED-552301 (Article says at least 12 killed" in event["details"]


def test_csv_and_markdown_say_not_analysed() -> None:
    text = "Die Regierung lügt, und die Medien schweigen. Jeder Patriot weiß es längst."
    analysis = Analysis(
        document=Document(text=text, language="de"),
        skipped=[Skipped(detector=name, reason=REASON) for name in ("techniques", "claims")],
    )
    table = rows(analysis)
    skipped = {r["label"]: r["details"] for r in table if r["kind"] == "not_analysed"}
    assert skipped == {
        name: "not analysed (the text's language is 'de', and this detector reads only en)"
        for name in ("techniques", "claims")
    }
    report = render(analysis, "md")
    assert "- Not analysed: techniques (the text's language is 'de', and this detector reads only en)" in report
    section = report[report.index("## Persuasion techniques") : report.index("## Check-worthy claims")]
    assert "Not analysed (the text's language is 'de'" in section and "No persuasion technique" not in section
    assert "Found: 0 quotes" in report and "technique spans" not in report.split("- Not analysed")[0]


def test_csv_defuses_formulas_from_the_article() -> None:
    text = '=HYPERLINK("http://evil.example","click") said the minister.'
    analysis = Analysis(
        document=Document(text=text), claims=[Claim(start=0, end=40, text=text[:40], checkworthiness=0.8)]
    )
    claim = next(r for r in rows(analysis) if r["kind"] == "claim")
    assert claim["text"].startswith("'=HYPERLINK")


def test_csv_claims_cut_like_the_reports(make_long: Callable[..., Analysis]) -> None:
    analysis = make_long(quotes=6)
    for claim in analysis.claims[4:]:
        claim.selected = False
    assert sum(r["kind"] == "claim" for r in rows(analysis)) == 4
    every = rows(analysis, all_claims=True)
    assert sum(r["kind"] == "claim" for r in every) == 6
    assert sum(r["label"] == "not selected" for r in every) == 2


def test_markdown_report_sections(sample: Analysis) -> None:
    report = render(sample, "md")
    assert report.startswith("# Shelling kills 12 in Kharkiv as officials trade blame\n")
    for heading in (
        "## Summary",
        "## Persuasion techniques",
        "### Strongest examples",
        "## Check-worthy claims",
        "## Quotes",
        "### Oleh Syniehubov (1)",
        "## Sources",
        "## Events",
        "## Places",
    ):
        assert f"\n{heading}\n" in report, heading
    assert "> - Publication date taken from page metadata" in report
    assert "| ¶2 s2 | Loaded language | 93% | " in report and "a **barbaric, cowardly attack**" in report
    assert "| Shelling on market by Russian forces: at least 12 dead |" in report
    assert "- 5 Mar 2024, shelling: Article says at least 12 killed" in report


def test_markdown_cuts_and_all(make_long: Callable[..., Analysis]) -> None:
    analysis = make_long(quotes=40)
    report = render(analysis, "md")
    assert report.count("*… and 25 more (--all shows every one)*") == 2
    assert "*… and 10 more (--all shows every one)*" in report
    assert "more (--all shows every one)" not in render(analysis, "md", show_all=True)


def test_markdown_escapes_article_text(make_hostile: Callable[[str], Analysis]) -> None:
    report = render(make_hostile("<img src=x onerror=alert(1)> [link](javascript:alert(1)) | *bold*"), "md")
    assert not re.search(r"(?<!\\)<img", report) and not re.search(r"(?<!\\)\[link(?<!\\)\]\(", report)
    assert "\\<img src=x onerror=alert(1)\\>" in report and "\\[link\\](javascript:alert(1))" in report
    assert "\\| \\*bold\\*" in report
