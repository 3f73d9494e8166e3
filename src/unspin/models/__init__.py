"""Shipped models: each in its own folder here (weights, model card, training report), and the code that loads
them: the shared sentence encoder (`sentence_encoder`), the linear-model format of the sentence classifiers
(`linear`) and the sentence features they read (`features`). Detectors are handed loaded models; training
writes new ones into a folder it is given.
"""

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent


def model_dir(name: str) -> Path:
    """The folder of a shipped model, e.g. `model_dir("techniques")`."""
    return MODELS_DIR / name
