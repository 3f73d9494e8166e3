"""The shared sentence encoder: all-MiniLM-L6-v2 (first 2 layers) as int8 ONNX, mean-pooled, L2-normalised.

Loaded lazily, once per process. The detectors keep a document's sentence vectors in its spaCy
`Doc.user_data` (see `unspin.detectors.subjectivity.embed_spans`), so each sentence is encoded once. Threads
are the caller's: `embed` runs sentences side by side on the executor it is handed (the pipeline's).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING

import numpy as np

from unspin.errors import ModelMissing
from unspin.models import model_dir

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

ENCODER_DIR = model_dir("encoder")
ID = "all-MiniLM-L6-v2-2layers-int8"


def fingerprint() -> str:
    """Changes whenever the shipped encoder file does (for caches of its outputs)."""
    import hashlib

    path = ENCODER_DIR / "model.onnx"
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else "missing"


DIM = 384
MAX_TOKENS = 128
# One sentence per run: dynamic int8 quantization scales activations per batch, so batching would make a
# sentence's vector depend on its neighbours (and padding); alone, it is the same in every document.
BATCH = 1


@functools.cache
def _load() -> tuple[onnxruntime.InferenceSession, Tokenizer]:
    import onnxruntime
    from tokenizers import Tokenizer

    model, vocab = ENCODER_DIR / "model.onnx", ENCODER_DIR / "tokenizer.json"
    if not model.is_file() or not vocab.is_file():
        raise ModelMissing(f"sentence encoder missing from {ENCODER_DIR} (run: unspin train encoder)")
    options = onnxruntime.SessionOptions()
    # One thread per run; `embed` runs sentences side by side instead (one sentence is too small to split).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    # Threads that spin while waiting burn CPU that other processes (and detectors) could use.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(vocab))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return session, tokenizer


def _encode_batch(texts: Sequence[str]) -> np.ndarray:
    session, tokenizer = _load()
    encodings = tokenizer.encode_batch(list(texts))
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(texts), width), dtype=np.int64)
    mask = np.zeros((len(texts), width), dtype=np.int64)
    for row, enc in enumerate(encodings):
        ids[row, : len(enc.ids)] = enc.ids
        mask[row, : len(enc.ids)] = 1
    (hidden,) = session.run(
        ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    )
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    result: np.ndarray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
    return result


def embed(texts: Sequence[str], executor: Executor | None = None) -> np.ndarray:
    """One L2-normalised 384-d vector per text, rows in input order. With an executor, sentences run side by
    side on its threads (onnxruntime releases the GIL); without one, in the calling thread."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    chunks = [list(range(begin, min(begin + BATCH, len(texts)))) for begin in range(0, len(texts), BATCH)]
    if executor is not None and len(chunks) > 1:
        vectors = list(executor.map(lambda chunk: _encode_batch([texts[i] for i in chunk]), chunks))
    else:
        vectors = [_encode_batch([texts[i] for i in chunk]) for chunk in chunks]
    for chunk, block in zip(chunks, vectors, strict=True):
        out[chunk] = block
    return out
