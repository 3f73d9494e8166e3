"""The public API is small and deliberate."""

import unspin


def test_exported_members() -> None:
    assert set(unspin.__all__) == {
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
    }
    for name in unspin.__all__:
        assert hasattr(unspin, name)
