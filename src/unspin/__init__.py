"""unspin: what an article claims, whom it cites, and how it tries to persuade."""

from unspin.analysis import SCHEMA, Analysis, Document
from unspin.errors import UnspinError
from unspin.options import Options, Runtime
from unspin.pipeline import Pipeline, analyze, load_pipeline
from unspin.version import __version__

__all__ = [
    "SCHEMA",
    "Analysis",
    "Document",
    "Options",
    "Pipeline",
    "Runtime",
    "UnspinError",
    "__version__",
    "analyze",
    "load_pipeline",
]
