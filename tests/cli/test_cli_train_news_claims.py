"""`unspin train news-claims`: the news ranker learnt from hand-annotated pages, scored batch by batch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from unspin.cli import app
from unspin.models import MODELS_DIR

pytestmark = pytest.mark.skipif(
    not all((MODELS_DIR / name / "weights.npz").is_file() for name in ("subjectivity", "checkworthiness")),
    reason="sentence models not trained",
)

# Pages of the same shape as local news: figures and named actors (marked check-worthy), scene-setting,
# questions and predictions (not marked).
PAGES = [
    "The county board approved a $12 million budget for road repairs on Monday, officials said. "
    "It was a grey morning in the town hall. Will the work finish before winter? "
    "The sheriff's office reported 214 burglaries in 2023, up from 160 the year before.",
    "A fire at a warehouse in Riverton destroyed 40 tonnes of grain on Friday, the fire chief said. "
    "Neighbours watched from the street. The owners will decide next month whether to rebuild. "
    "The state insurance fund paid out $3.1 million for farm fires last year.",
    "Enrolment at Lakeside College fell by 8 percent this autumn, according to the registrar. "
    "Students gathered on the lawn in the sun. What will the college do now? "
    "The college cut 35 teaching posts in 2022, the faculty union said.",
    "The transit authority said ridership rose to 1.2 million trips in October. "
    "Buses hummed along the avenue. Could fares rise again? "
    "The city spent $48 million on new buses between 2019 and 2023, audit records show.",
]
CHECKWORTHY = [
    ("The county board approved a $12 million budget", "The sheriff's office reported 214 burglaries"),
    ("A fire at a warehouse in Riverton destroyed 40 tonnes", "The state insurance fund paid out $3.1 million"),
    ("Enrolment at Lakeside College fell by 8 percent", "The college cut 35 teaching posts in 2022"),
    ("The transit authority said ridership rose to 1.2 million", "The city spent $48 million on new buses"),
]


def _gold(tmp_path: Path) -> tuple[list[Path], Path]:
    data = tmp_path / "realnews"
    data.mkdir()
    truth = {}
    folders = [tmp_path / "gold" / "claims-a", tmp_path / "gold" / "claims-b"]
    for folder in folders:
        folder.mkdir(parents=True)
    for index, (body, anchors) in enumerate(zip(PAGES, CHECKWORTHY, strict=True)):
        sha = f"{index:02d}" * 32
        truth[sha] = {"articleBody": body, "url": f"https://news.example/{index}"}
        gold = {
            "sha": sha,
            "batch": "claims-a" if index < 2 else "claims-b",
            "checkworthy": [{"anchor": anchor, "priority": 1 + (n > 0)} for n, anchor in enumerate(anchors)],
            "quotes": [],
            "not_quotes": [],
        }
        (folders[index // 2] / f"{sha[:12]}.json").write_text(json.dumps(gold), encoding="utf-8")
    (data / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folders, data


def test_train_news_claims_writes_a_model_the_detector_reads(tmp_path: Path) -> None:
    from unspin import nlp
    from unspin.detectors import claims
    from unspin.models.linear import LinearModel

    folders, data = _gold(tmp_path)
    out = tmp_path / "news"
    result = CliRunner().invoke(
        app, ["train", "news-claims", *map(str, folders), "--data", str(data), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert report["positives"] == 8  # each anchor covers one sentence
    assert report["sentences"] == 16
    assert set(report["by_held_out_batch"]) == {"claims-a", "claims-b"}
    assert 0.0 <= report["leave_one_batch_out"]["precision"] <= 1.0
    model = LinearModel.load(out)
    assert model.extra == claims.RANK_FEATURES and not model.use_lexical
    # The model just trained, read through the detector's own path, ranks a figure above scene-setting.
    spans = list(nlp.load_spacy()(PAGES[0]).sents)
    scores = claims.news_probabilities(
        spans, claims.checkworthiness(spans), np.full(len(spans), 0.2), [], [], folder=out
    )
    assert scores[0] > scores[1]
    assert scores[2] == 0.0  # the question


def test_train_news_claims_needs_two_batches_and_gold_files(tmp_path: Path) -> None:
    folders, data = _gold(tmp_path)
    one = CliRunner().invoke(app, ["train", "news-claims", str(folders[0]), "--data", str(data)])
    assert one.exit_code == 2
    assert "two annotation batches" in one.output
    empty = tmp_path / "empty"
    empty.mkdir()
    none = CliRunner().invoke(app, ["train", "news-claims", str(empty), "--data", str(data)])
    assert none.exit_code == 2
    assert "no gold files" in none.output
    assert "Traceback" not in one.output + none.output
