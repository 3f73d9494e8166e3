"""The linear-model format of the shipped sentence classifiers (subjectivity, check-worthiness).

A model is a logistic regression over [encoder embedding | standardised lexical features | extra inputs |
TF-IDF], stored as `weights.npz` plus `model.json` (vocabulary, threshold, id, feature blocks in use), in its
folder under `unspin/models/`. Loaded with numpy only, once per process.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.errors import ModelMissing
from unspin.models import MODELS_DIR
from unspin.models.features import LEXICAL_NAMES, tfidf


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression over [embedding | standardised lexical | TF-IDF], with a decision threshold.

    Files: `weights.npz` (coef, intercept, lex_mean, lex_scale, idf, emb_scale) and `model.json` (vocabulary,
    threshold, id, feature blocks in use).
    """

    id: str
    coef: np.ndarray
    intercept: float
    lex_mean: np.ndarray
    lex_scale: np.ndarray
    vocabulary: dict[str, int]
    idf: np.ndarray
    threshold: float
    use_embedding: bool
    use_lexical: bool
    use_tfidf: bool
    extra: tuple[str, ...] = ()

    def features(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None,
        lexical: np.ndarray | None,
        extra: np.ndarray | None = None,
    ) -> np.ndarray:
        blocks: list[np.ndarray] = []
        if self.use_embedding:
            assert embeddings is not None
            blocks.append(embeddings)
        if self.use_lexical:
            assert lexical is not None
            blocks.append((lexical - self.lex_mean) / self.lex_scale)
        if self.extra:
            assert extra is not None
            blocks.append(extra)
        if self.use_tfidf:
            blocks.append(tfidf(texts, self.vocabulary, self.idf))
        return np.hstack(blocks) if blocks else np.zeros((len(texts), 0), dtype=np.float32)

    def logits(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(features @ self.coef + self.intercept, dtype=np.float64)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        result: np.ndarray = 1.0 / (1.0 + np.exp(-self.logits(features)))
        return result

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "weights.npz",
            coef=self.coef.astype(np.float32),
            intercept=np.asarray([self.intercept], dtype=np.float64),
            lex_mean=self.lex_mean.astype(np.float32),
            lex_scale=self.lex_scale.astype(np.float32),
            idf=self.idf.astype(np.float32),
        )
        meta = {
            "id": self.id,
            "threshold": self.threshold,
            "use_embedding": self.use_embedding,
            "use_lexical": self.use_lexical,
            "use_tfidf": self.use_tfidf,
            "extra": list(self.extra),
            "lexical_features": list(LEXICAL_NAMES),
            "vocabulary": self.vocabulary,
        }
        (folder / "model.json").write_text(json.dumps(meta, indent=0, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LinearModel:
        weights, meta_path = folder / "weights.npz", folder / "model.json"
        if not weights.is_file() or not meta_path.is_file():
            raise ModelMissing(f"model files missing from {folder}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if list(meta["lexical_features"]) != list(LEXICAL_NAMES):
            raise ModelMissing(f"model in {folder} was trained with other lexical features; train it again")
        with np.load(weights, allow_pickle=False) as data:
            return cls(
                id=str(meta["id"]),
                coef=data["coef"].astype(np.float32),
                intercept=float(data["intercept"][0]),
                lex_mean=data["lex_mean"],
                lex_scale=data["lex_scale"],
                vocabulary={str(k): int(v) for k, v in meta["vocabulary"].items()},
                idf=data["idf"],
                threshold=float(meta["threshold"]),
                use_embedding=bool(meta["use_embedding"]),
                use_lexical=bool(meta["use_lexical"]),
                use_tfidf=bool(meta["use_tfidf"]),
                extra=tuple(meta.get("extra", [])),
            )


@functools.cache
def load_linear(name: str, folder: Path | None = None) -> LinearModel:
    """A shipped model by name (`subjectivity`, `checkworthiness`), or the one in `folder` (a model just
    trained elsewhere), once per process."""
    return LinearModel.load(folder if folder is not None else MODELS_DIR / name)
