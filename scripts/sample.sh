#!/usr/bin/env bash
# The main job on the bundled sample article: terminal report, plus JSON and HTML reports in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
mkdir -p out
.venv/bin/unspin analyze samples/sample-article.txt --published 2016-09-20 --records samples/ged-sample.csv
.venv/bin/unspin analyze samples/sample-article.txt --published 2016-09-20 --records samples/ged-sample.csv --format json --out out/sample.json
.venv/bin/unspin analyze samples/sample-article.txt --published 2016-09-20 --records samples/ged-sample.csv --format html --out out/sample.html
echo "unspin: wrote out/sample.json and out/sample.html (open it in a browser)" >&2
