"""Full-depth sentence vectors for comparing claims across articles: all-MiniLM-L6-v2 at all 6 layers.

The shared `sentence_encoder` keeps only the first 2 layers (enough for the sentence classifiers, a third of the
cost); for "do these two sentences say the same thing" the model's full depth is what it was trained for
(sentence-transformers' similarity objective). The techniques tagger already ships the whole frozen encoder
inside its ONNX graph (`models/techniques/model.int8.onnx`, int8 weights), so no second copy of the weights is
shipped: at load, the graph is handed to onnxruntime with the last transformer layer's output named as an extra
graph output, and the sentence vector is that output mean-pooled over the attention mask and L2-normalised,
as sentence-transformers does for this model. The tagging heads still run (a fraction of the cost).

One text per run, as in `sentence_encoder`: dynamic int8 quantization scales activations per run, so a claim
encoded alone gets the same vector whichever claims are encoded with it (the store caches these vectors).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING

import numpy as np

from unspin.errors import ModelMissing
from unspin.models import model_dir

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

MODEL_PATH = model_dir("techniques") / "model.int8.onnx"
TOKENIZER_PATH = model_dir("techniques") / "tokenizer.json"
# The output of the 6th (last) transformer layer of the encoder inside the techniques graph.
LAST_LAYER = "/base/encoder/layer.5/output/LayerNorm/LayerNormalization_output_0"
ID = "all-MiniLM-L6-v2-6layers-int8"
DIM = 384
MAX_TOKENS = 128
# The tagging heads read 3 repetition features per token; they do not reach the encoder, so zeros will do.
_N_FEATURES = 3


def fingerprint() -> str:
    """Changes whenever the weights do: cached vectors are keyed by it."""
    digest = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()[:16] if MODEL_PATH.is_file() else "missing"
    return f"{ID}-{digest}"


@functools.cache
def _load() -> tuple[onnxruntime.InferenceSession, Tokenizer]:
    import onnx
    import onnxruntime
    from tokenizers import Tokenizer

    if not MODEL_PATH.is_file() or not TOKENIZER_PATH.is_file():
        raise ModelMissing(f"the encoder for claim vectors is missing from {MODEL_PATH.parent}")
    graph = onnx.load(str(MODEL_PATH))
    if not any(LAST_LAYER in node.output for node in graph.graph.node):
        raise ModelMissing(f"{MODEL_PATH} has no tensor {LAST_LAYER} (a techniques model of another shape?)")
    graph.graph.output.append(onnx.helper.make_tensor_value_info(LAST_LAYER, onnx.TensorProto.FLOAT, None))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return session, tokenizer


def _encode_one(text: str) -> np.ndarray:
    session, tokenizer = _load()
    encoding = tokenizer.encode(text)
    ids = np.asarray([encoding.ids], dtype=np.int64)
    mask = np.ones_like(ids)
    features = np.zeros((1, ids.shape[1], _N_FEATURES), dtype=np.float32)
    (hidden,) = session.run([LAST_LAYER], {"input_ids": ids, "attention_mask": mask, "features": features})
    pooled = hidden[0].mean(axis=0)
    vector: np.ndarray = (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)
    return vector


def embed(texts: Sequence[str], executor: Executor | None = None) -> np.ndarray:
    """One L2-normalised 384-d vector per text, rows in input order; with an executor, texts run side by side
    on its threads (onnxruntime releases the GIL)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if executor is not None and len(texts) > 1:
        vectors = list(executor.map(_encode_one, texts))
    else:
        vectors = [_encode_one(text) for text in texts]
    for row, vector in enumerate(vectors):
        out[row] = vector
    return out
