"""The layout a newcomer reads from folder names: packages import one another without cycles, detectors do
detection only, and nothing below the CLI reads the environment."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import unspin

PACKAGE_ROOT = Path(unspin.__file__).resolve().parent


def _component(module: str) -> str | None:
    """`unspin.detectors.sources.speakers` -> `detectors`; the root package itself is no component."""
    parts = module.split(".")
    if parts[0] != "unspin" or len(parts) < 2:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE_ROOT.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module an import statement names, function-level and TYPE_CHECKING imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def component_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE_ROOT.rglob("*.py"):
        source = _component(_module_name(path))
        if source is None:
            continue
        for imported in _imports(path):
            target = _component(imported)
            exists = target is not None and (
                (PACKAGE_ROOT / target).exists() or (PACKAGE_ROOT / f"{target}.py").exists()
            )
            if target is not None and target != source and exists:
                graph[source].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_architecture_cycle_finder_finds_a_planted_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_architecture_packages_import_one_another_without_cycles() -> None:
    graph = component_graph()
    assert {"detectors", "store", "crosscheck", "models", "pipeline"} <= set(graph)
    assert find_cycle(graph) is None, f"import cycle between packages: {' -> '.join(find_cycle(graph) or [])}"


def test_architecture_lower_layers_never_import_upper_ones() -> None:
    graph = component_graph()
    upper = {"cli", "pipeline", "store", "render", "evaluate", "training"}
    for lower in ("detectors", "models", "crosscheck", "geo", "ingest", "analysis", "options", "errors"):
        assert not graph.get(lower, set()) & upper, f"{lower} imports {graph[lower] & upper}"


def test_architecture_detectors_folder_holds_detectors_only() -> None:
    """Each module of detectors/ is a detector, the registry and its interface, or a detector's own helper
    inside that detector's subpackage; shared model loading lives in models/, shared parsers in text/."""
    loose = sorted(
        path.stem
        for path in (PACKAGE_ROOT / "detectors").glob("*.py")
        if path.stem not in {"__init__", "base"} and "Detector" not in path.read_text(encoding="utf-8")
    )
    assert loose == []


def test_architecture_only_the_edge_reads_the_environment() -> None:
    """Environment variables are read once, by `Runtime.from_environment` and the CLI's debug switch."""
    readers = sorted(
        str(path.relative_to(PACKAGE_ROOT))
        for path in PACKAGE_ROOT.rglob("*.py")
        if re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8")) and "training" not in path.parts
    )
    assert readers == ["cli/common.py", "options.py"]
