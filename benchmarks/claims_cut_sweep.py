"""How the claims cut trades precision for recall on the real-page gold: every batch, several cuts.

Run: .venv/bin/python benchmarks/claims_cut_sweep.py [--cuts 0.5:0.4,0.4:0.4,0.3:0.5] [--gold DIR ...]

Each cut is `NEWS_CUT:MAX_SHARE` (a claim is selected when its news score reaches NEWS_CUT and it ranks within
MAX_SHARE of the article's sentences; the shipped default is the first). For every gold folder the script runs
`benchmarks/realnews_claims.py` with that cut set in the claims detector and prints selected-claim precision,
recall, the share of sentences selected and the priority-1 claims found in a page's first five. It changes
nothing on disk: the cut is set in this process only.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "realnews" / "gold"
DEFAULT_GOLD = ["claims", "claims-heldout", "claims-heldout2", "claims-heldout3", "claims-heldout4"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cuts", default="0.5:0.4,0.4:0.4,0.3:0.4,0.3:0.5,0.2:0.5")
    parser.add_argument("--gold", nargs="*", default=DEFAULT_GOLD, help="folders under benchmarks/realnews/gold")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import realnews_claims

    from unspin.detectors import claims

    default = (claims.NEWS_CUT, claims.MAX_SHARE)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "report.json"
        for cut in args.cuts.split(","):
            news_cut, max_share = (float(part) for part in cut.split(":"))
            claims.NEWS_CUT, claims.MAX_SHARE = news_cut, max_share
            for name in args.gold:
                with contextlib.redirect_stdout(io.StringIO()):
                    realnews_claims.main(["--gold", str(GOLD / name), "--out", str(out)])
                overall = json.loads(out.read_text(encoding="utf-8"))["overall"]
                rows.append(
                    {
                        "cut": news_cut,
                        "max_share": max_share,
                        "gold": name,
                        "precision": overall["claims_precision"],
                        "recall": overall["claims_recall"],
                        "selected_share": overall["selected_share"],
                        "top5_priority1": overall["top5_priority1"],
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
    claims.NEWS_CUT, claims.MAX_SHARE = default
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
