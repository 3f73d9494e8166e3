"""The corpus report: one self-contained HTML page of charts over the store, made offline with Plotly.

Public functions (the web app reuses them for its per-source pages):
- `report_html(engine, *, by="site", site=None) -> str`: the whole page. `site=None` covers the whole corpus,
  with its charts grouped `by` site or month; a site name gives that outlet's page (its charts by month).
- `chart_specs(engine, *, by="site", site=None) -> list[Chart]`: the same charts as data: each `Chart` has an
  `id`, a `title`, a `caption`, the Plotly figure as a dict (`figure`: `{"data": [...], "layout": {...}}`,
  ready for `Plotly.newPlot(element, figure.data, figure.layout)`), and the table of its numbers (`header`,
  `rows`: plain strings, not escaped). Strings from articles inside `figure` are HTML-escaped, as Plotly reads
  its labels as a little HTML; in `rows` they are raw, for the caller's own escaping (Jinja autoescape).
- `plotly_js() -> str`: the plotly.js that ships in the plotly package (to serve it as a static file).

The page: plotly.js inlined from the plotly package (no CDN, no request of any kind), each figure as JSON in a
`<script type="application/json">` block, and one script of ours that draws them; no inline event handler.
A Content-Security-Policy admits exactly those two scripts (by hash) and nothing from outside. Everything from
the articles (site names, authors, speakers) is escaped and never executed. Under each chart, a table gives its
numbers, readable without JavaScript. Measures are those of `corpus.stats` ("not analysed" is never zero).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from unspin.corpus import stats
from unspin.taxonomy import TECHNIQUES

if TYPE_CHECKING:
    from sqlalchemy import Engine

ReportGrouping = Literal["site", "month"]
MAX_GROUPS = 25  # outlets in a chart and its table (the largest); `corpus stats` lists them all
MAX_TECHNIQUES_OVER_TIME = 6  # lines in the "over time" chart: the most frequent techniques
LABEL_CHARS = 40
ACTION_LABELS = {"air_strike": "air strike", "other": "other"}
FALLBACK_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7")
NAMED_COLOUR, UNNAMED_COLOUR, ACCENT = "#2f6fb0", "#c8ccd3", "#2357c6"
PAGE_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'


@dataclass
class Chart:
    id: str
    title: str
    caption: str
    figure: dict[str, Any]
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    empty: str = ""  # why nothing is drawn (no article had this analysed); the figure is then not drawn

    @property
    def figure_json(self) -> str:
        """The figure as JSON safe inside a <script> element: no `<`, `>` or `&` left to end it early."""
        return _script_json(self.figure)


@dataclass
class Summary:
    articles: int
    words: int
    sites: int
    first: str | None
    last: str | None
    analysed: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------- helpers


def _script_json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def plotly_label(text: str, limit: int | None = LABEL_CHARS) -> str:
    """A string from an article as Plotly shows it literally: shortened, then HTML-escaped (Plotly reads `<b>`,
    `<a href>`, `<br>` and entities in every label, tick and hover text)."""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=False)


def _number(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "not analysed"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _percent(value: float | None) -> str:
    return "not analysed" if value is None else f"{100 * value:.1f}%"


def technique_name(label: str) -> str:
    known = TECHNIQUES.get(label)
    return known.name if known else label.replace("_", " ")


def _colour(label: str, index: int) -> str:
    known = TECHNIQUES.get(label)
    return known.colour if known else FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)]


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": "none",
        "font": {"family": PAGE_FONT, "size": 12, "color": "#1d2126"},
        "margin": {"l": 60, "r": 20, "t": 10, "b": 110},
        "height": 380,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.35},
        "meta": {"title": title},
    }
    layout.update(extra)
    return layout


def _category_axis(labels: list[str]) -> dict[str, Any]:
    """Groups on an axis by position: two long names cut to the same label stay two bars."""
    return {
        "tickmode": "array",
        "tickvals": list(range(len(labels))),
        "ticktext": [plotly_label(label) for label in labels],
        "tickangle": -35 if len(labels) > 6 else 0,
        "automargin": True,
    }


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """The figure checked by plotly's own validators, as plain JSON-ready data."""
    import plotly.graph_objects as go

    checked: dict[str, Any] = json.loads(go.Figure(data=data, layout=layout).to_json())
    return checked


# --------------------------------------------------------------------------------------------- charts


def _top(groups: list[dict[str, Any]], grouping: str) -> tuple[list[dict[str, Any]], str]:
    if grouping == "month" or len(groups) <= MAX_GROUPS:
        return groups, ""
    return groups[:MAX_GROUPS], (
        f"The {MAX_GROUPS} largest of {len(groups)} groups; `unspin corpus stats --by site` lists them all."
    )


def _technique_totals(groups: list[dict[str, Any]]) -> list[str]:
    """Techniques by how often they occur over the groups' spans (rate × words ≈ spans), most first."""
    totals: dict[str, float] = {}
    for g in groups:
        rates = g["techniques_per_1000_words"] or {}
        words = g["words"]
        for name, rate in rates.items():
            totals[name] = totals.get(name, 0.0) + (rate or 0.0) * words
    return sorted(totals, key=lambda name: (-totals[name], name))


def _techniques_by_group(groups: list[dict[str, Any]], grouping: str) -> Chart:
    shown, note = _top(groups, grouping)
    analysed = [g for g in shown if g["techniques_per_1000_words"] is not None]
    names = _technique_totals(analysed)
    labels = [g["group"] for g in analysed]
    data = [
        {
            "type": "bar",
            "name": plotly_label(technique_name(name), None),
            "x": list(range(len(analysed))),
            "y": [g["techniques_per_1000_words"].get(name, 0.0) for g in analysed],
            "customdata": [plotly_label(label, None) for label in labels],
            "hovertemplate": "%{customdata}<br>%{fullData.name}: %{y} per 1,000 words<extra></extra>",
            "marker": {"color": _colour(name, i), "line": {"color": "#555b63", "width": 0.5}},
        }
        for i, name in enumerate(names)
    ]
    title = f"Technique spans per 1,000 words, by {grouping}"
    figure = _figure(
        data,
        _layout(title, barmode="stack", xaxis=_category_axis(labels), yaxis={"title": {"text": "per 1,000 words"}}),
    )
    top_names = names[:5]
    return Chart(
        id="techniques-by-group",
        title=title,
        caption="Persuasion-technique spans found per 1,000 words of the articles whose techniques were analysed, "
        "stacked by technique.",
        figure=figure,
        header=[grouping, "articles analysed", "spans per 1,000 words", *map(technique_name, top_names)],
        rows=[
            [
                g["group"],
                _number(g["analysed"]["techniques"]),
                _number(g["technique_spans_per_1000_words"]),
                *(
                    _number(
                        None
                        if g["techniques_per_1000_words"] is None
                        else g["techniques_per_1000_words"].get(name, 0.0)
                    )
                    for name in top_names
                ),
            ]
            for g in shown
        ],
        note=note,
        empty="" if analysed else "No article of these groups had its techniques analysed.",
    )


def _techniques_over_time(months: list[dict[str, Any]]) -> Chart:
    dated = [g for g in months if g["group"] != stats.UNKNOWN and g["techniques_per_1000_words"] is not None]
    names = _technique_totals(dated)[:MAX_TECHNIQUES_OVER_TIME]
    x = [plotly_label(g["group"], None) for g in dated]  # months come from the documents' dates: escaped too
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "all techniques",
            "x": x,
            "y": [g["technique_spans_per_1000_words"] for g in dated],
            "line": {"color": "#1d2126", "width": 3},
        },
        *(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": plotly_label(technique_name(name), None),
                "x": x,
                "y": [g["techniques_per_1000_words"].get(name, 0.0) for g in dated],
                "line": {"color": _colour(name, i), "width": 2},
            }
            for i, name in enumerate(names)
        ),
    ]
    title = "Technique spans per 1,000 words, by month"
    figure = _figure(
        data,
        _layout(
            title,
            xaxis={"type": "category", "title": {"text": "month of publication"}},
            yaxis={"title": {"text": "per 1,000 words"}, "rangemode": "tozero"},
        ),
    )
    undated = next((g for g in months if g["group"] == stats.UNKNOWN), None)
    return Chart(
        id="techniques-over-time",
        title=title,
        caption=f"All techniques together and the most frequent (up to {MAX_TECHNIQUES_OVER_TIME}), by month of "
        "publication.",
        figure=figure,
        header=["month", "articles analysed", "spans per 1,000 words", *map(technique_name, names)],
        rows=[
            [
                g["group"],
                _number(g["analysed"]["techniques"]),
                _number(g["technique_spans_per_1000_words"]),
                *(_number(g["techniques_per_1000_words"].get(name, 0.0)) for name in names),
            ]
            for g in dated
        ],
        note=f"{undated['articles']:,} articles without a publication date are left out."
        if undated and undated["articles"]
        else "",
        empty="" if dated else "No dated article had its techniques analysed.",
    )


def _opinion(groups: list[dict[str, Any]], grouping: str) -> Chart:
    shown, note = _top(groups, grouping)
    analysed = [g for g in shown if g["opinion_share"] is not None]
    labels = [g["group"] for g in analysed]
    title = f"Share of opinion sentences, by {grouping}"
    data = [
        {
            "type": "bar",
            "name": "opinion sentences",
            "x": list(range(len(analysed))),
            "y": [round(100 * g["opinion_share"], 2) for g in analysed],
            "customdata": [plotly_label(label, None) for label in labels],
            "hovertemplate": "%{customdata}<br>%{y:.1f}% of sentences are opinion<extra></extra>",
            "marker": {"color": "#e8892b"},
        }
    ]
    figure = _figure(
        data,
        _layout(
            title,
            xaxis=_category_axis(labels),
            yaxis={"title": {"text": "% of sentences"}, "rangemode": "tozero"},
            showlegend=False,
        ),
    )
    return Chart(
        id="opinion-by-group",
        title=title,
        caption="Sentences the subjectivity model reads as opinion, as a share of all sentences of the articles "
        "analysed for it.",
        figure=figure,
        header=[grouping, "articles analysed", "sentences", "opinion share"],
        rows=[
            [g["group"], _number(g["analysed"]["subjectivity"]), _number(g["sentences"]), _percent(g["opinion_share"])]
            for g in shown
        ],
        note=note,
        empty="" if analysed else "No article of these groups had its opinion sentences analysed.",
    )


def _source_mix(groups: list[dict[str, Any]], grouping: str) -> Chart:
    shown, note = _top(groups, grouping)
    analysed = [g for g in shown if g["quotes_with_named_source"] is not None]
    labels = [g["group"] for g in analysed]
    x = list(range(len(analysed)))
    custom = [plotly_label(label, None) for label in labels]
    data = [
        {
            "type": "bar",
            "name": "named speaker",
            "x": x,
            "y": [g["quotes_with_named_source"] for g in analysed],
            "customdata": custom,
            "hovertemplate": "%{customdata}<br>%{y} quotes with a named speaker<extra></extra>",
            "marker": {"color": NAMED_COLOUR},
        },
        {
            "type": "bar",
            "name": "no named speaker",
            "x": x,
            "y": [g["quotes_without_named_source"] for g in analysed],
            "customdata": custom,
            "hovertemplate": "%{customdata}<br>%{y} quotes without a named speaker<extra></extra>",
            "marker": {"color": UNNAMED_COLOUR},
        },
    ]
    title = f"Quotes with and without a named source, by {grouping}"
    figure = _figure(
        data, _layout(title, barmode="stack", xaxis=_category_axis(labels), yaxis={"title": {"text": "quotes"}})
    )

    def share(g: dict[str, Any]) -> str:
        named, unnamed = g["quotes_with_named_source"], g["quotes_without_named_source"]
        if named is None:
            return "not analysed"
        return f"{100 * named / (named + unnamed):.0f}%" if named + unnamed else "no quotes"

    return Chart(
        id="source-mix",
        title=title,
        caption="Quotations attributed to a named speaker, and those whose speaker is not named (titles of works "
        "in quotation marks are not counted).",
        figure=figure,
        header=[grouping, "articles analysed", "named", "not named", "named share", "most-cited"],
        rows=[
            [
                g["group"],
                _number(g["analysed"]["sources"]),
                _number(g["quotes_with_named_source"]),
                _number(g["quotes_without_named_source"]),
                share(g),
                "not analysed"
                if g["most_cited_sources"] is None
                else ", ".join(f"{s['name']} ({s['quotes']})" for s in g["most_cited_sources"][:3]) or "none",
            ]
            for g in shown
        ],
        note=note,
        empty="" if analysed else "No article of these groups had its quotes and sources analysed.",
    )


def _most_cited(overall: dict[str, Any]) -> Chart:
    cited = overall["most_cited_sources"] or []
    ordered = list(reversed(cited))  # the most cited at the top of a horizontal bar chart
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": "quotes",
            "y": list(range(len(ordered))),
            "x": [s["quotes"] for s in ordered],
            "customdata": [plotly_label(s["name"], None) for s in ordered],
            "hovertemplate": "%{customdata}: %{x} quotes<extra></extra>",
            "marker": {"color": NAMED_COLOUR},
        }
    ]
    axis = _category_axis([s["name"] for s in ordered])
    axis["tickangle"] = 0
    title = "Most-cited sources"
    figure = _figure(
        data,
        _layout(
            title,
            yaxis=axis,
            xaxis={"title": {"text": "quotes attributed"}},
            showlegend=False,
            margin={"l": 20, "r": 20, "t": 10, "b": 50},
            height=max(220, 32 * len(ordered) + 80),
        ),
    )
    return Chart(
        id="most-cited",
        title=title,
        caption="The speakers quoted most often (by the name the article gives them).",
        figure=figure,
        header=["source", "quotes"],
        rows=[[s["name"], _number(s["quotes"])] for s in cited],
        empty=""
        if cited
        else (
            "No article had its quotes and sources analysed."
            if overall["most_cited_sources"] is None
            else "No quote with a named speaker was found."
        ),
    )


def _claims(groups: list[dict[str, Any]], grouping: str) -> Chart:
    shown, note = _top(groups, grouping)
    analysed = [g for g in shown if g["claims_per_article"] is not None]
    labels = [g["group"] for g in analysed]
    data = [
        {
            "type": "bar",
            "name": "claims per article",
            "x": list(range(len(analysed))),
            "y": [g["claims_per_article"] for g in analysed],
            "customdata": [plotly_label(label, None) for label in labels],
            "hovertemplate": "%{customdata}<br>%{y} claims worth checking per article<extra></extra>",
            "marker": {"color": ACCENT},
        }
    ]
    title = f"Claims worth checking per article, by {grouping}"
    figure = _figure(
        data,
        _layout(title, xaxis=_category_axis(labels), yaxis={"title": {"text": "claims per article"}}, showlegend=False),
    )
    return Chart(
        id="claims-by-group",
        title=title,
        caption="Check-worthy claims (the default cut) per article analysed for claims.",
        figure=figure,
        header=[grouping, "articles analysed", "claims", "claims per article"],
        rows=[
            [g["group"], _number(g["analysed"]["claims"]), _number(g["claims"]), _number(g["claims_per_article"])]
            for g in shown
        ],
        note=note,
        empty="" if analysed else "No article of these groups had its claims analysed.",
    )


def _events_over_time(months: list[dict[str, Any]]) -> Chart:
    dated = [g for g in months if g["group"] != stats.UNKNOWN and g["events"] is not None]
    actions: dict[str, int] = {}
    for g in dated:
        for action, n in g["events"]["by_action"].items():
            actions[action] = actions.get(action, 0) + n
    ordered = sorted(actions, key=lambda a: (-actions[a], a))
    x = [plotly_label(g["group"], None) for g in dated]  # months come from the documents' dates: escaped too
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": plotly_label(ACTION_LABELS.get(action, action.replace("_", " ")), None),
            "x": x,
            "y": [g["events"]["by_action"].get(action, 0) for g in dated],
            "marker": {"color": FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)]},
        }
        for i, action in enumerate(ordered)
    ]
    data.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "fatalities reported",
            "x": x,
            "yaxis": "y2",
            "y": [g["events"]["fatalities_reported"] for g in dated],
            "line": {"color": "#b3261e", "width": 2},
        }
    )
    title = "Events reported, by month"
    figure = _figure(
        data,
        _layout(
            title,
            barmode="stack",
            xaxis={"type": "category", "title": {"text": "month of publication"}},
            yaxis={"title": {"text": "events"}, "rangemode": "tozero"},
            yaxis2={
                "title": {"text": "fatalities reported"},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "showgrid": False,
            },
        ),
    )
    return Chart(
        id="events-over-time",
        title=title,
        caption="Events the articles report (attacks, shelling, protests, …) by action and month of publication, "
        "and the fatalities they report (the lower figure given; the same event reported twice counts twice).",
        figure=figure,
        header=["month", "articles analysed", "events", "by action", "fatalities reported"],
        rows=[
            [
                g["group"],
                _number(g["analysed"]["events"]),
                _number(g["events"]["count"]),
                ", ".join(
                    f"{ACTION_LABELS.get(a, a.replace('_', ' '))} {n}" for a, n in g["events"]["by_action"].items()
                )
                or "none",
                _number(g["events"]["fatalities_reported"]),
            ]
            for g in dated
        ],
        empty="" if dated else "No dated article had its events analysed.",
    )


# --------------------------------------------------------------------------------------------- public


def _grouping(by: str, site: str | None) -> ReportGrouping:
    if by not in ("site", "month"):
        raise ValueError(f"by must be site or month, not {by!r}")
    return "month" if site is not None else "month" if by == "month" else "site"


@dataclass
class _Figures:
    """The stats a report draws: by month, by its grouping, and all together (each computed once)."""

    grouping: ReportGrouping
    months: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    overall: dict[str, Any]


def _figures(engine: Engine, by: str, site: str | None) -> _Figures:
    grouping = _grouping(by, site)
    months = stats.compute(engine, "month", site=site)
    groups = months if grouping == "month" else stats.compute(engine, grouping, site=site)
    (overall,) = stats.compute(engine, None, site=site) or [stats.GroupStats(stats.ALL).as_dict()]
    return _Figures(grouping, months, groups, overall)


def _charts(figures: _Figures) -> list[Chart]:
    grouping, groups, months = figures.grouping, figures.groups, figures.months
    charts = [
        _techniques_by_group(groups, grouping) if grouping == "site" else None,
        _techniques_over_time(months),
        _opinion(groups, grouping),
        _source_mix(groups, grouping),
        _most_cited(figures.overall),
        _claims(groups, grouping),
        _events_over_time(months),
    ]
    return [chart for chart in charts if chart is not None]


def chart_specs(engine: Engine, *, by: str = "site", site: str | None = None) -> list[Chart]:
    """The report's charts (see the module docstring); `site` narrows every chart to that outlet."""
    return _charts(_figures(engine, by, site))


def _summary(engine: Engine, site: str | None, overall: dict[str, Any]) -> Summary:
    from sqlalchemy import func, select

    from unspin.store import corpus as store

    latest = stats.latest_analyses(engine, None)
    query = (
        select(
            func.count(func.distinct(store.DocumentRow.site)),
            func.min(store.DocumentRow.published),
            func.max(store.DocumentRow.published),
        )
        .select_from(latest)
        .join(store.DocumentRow, store.DocumentRow.id == latest.c.document_id)
    )
    if site is not None:
        query = query.where(store.DocumentRow.site == site)
    with engine.connect() as connection:
        sites, first, last = connection.execute(query).one()
    return Summary(overall["articles"], overall["words"], sites, first, last, overall["analysed"])


def site_articles(engine: Engine, site: str) -> int:
    """How many stored documents name `site` (a page for a site with none would only show zeros)."""
    from sqlalchemy import func, select

    from unspin.store import corpus as store

    with engine.connect() as connection:
        return connection.scalar(select(func.count()).where(store.DocumentRow.site == site)) or 0


@cache
def plotly_js() -> str:
    """plotly.js as shipped inside the pinned plotly package (read from the package, never fetched)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


@cache
def _asset(name: str) -> str:
    return (resources.files("unspin.render") / "templates" / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("unspin", "render/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_html(engine: Engine, *, by: str = "site", site: str | None = None) -> str:
    """The corpus report (or `site`'s page) as one HTML string: no external request, works offline."""
    from unspin.version import __version__

    figures = _figures(engine, by, site)
    css, script = _asset("corpus_report.css"), _asset("corpus_report.js")
    library = plotly_js().replace("</script", "<\\/script")  # none in the pinned build; never let one end the page
    # Scripts: only plotly.js and ours, by hash (no inline handler, no javascript: URL can run). Styles: Plotly
    # adds a stylesheet of its own at run time (hover labels, cursors), which a style hash would block, so
    # inline styles are allowed; no article string reaches a style (all are escaped), and with nothing loadable
    # from anywhere (default-src 'none', images only as data: URLs) a style could not send anything out.
    csp = (
        f"default-src 'none'; script-src '{_sha256(library)}' '{_sha256(script)}'; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        _environment()
        .get_template("corpus_report.html")
        .render(
            charts=_charts(figures),
            summary=_summary(engine, site, figures.overall),
            site=site,
            grouping=_grouping(by, site),
            detectors=stats.DETECTORS,
            generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            version=__version__,
            css=Markup(css),
            script=Markup(script),
            plotly=Markup(library),
            csp=csp,
        )
    )
