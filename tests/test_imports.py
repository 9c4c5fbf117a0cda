"""Imports run one way: no module of textmine imports, directly or through others, a module that
imports it back — counting the imports inside functions and under ``TYPE_CHECKING``, which hide a
cycle from Python but not from a reader."""

import ast
from pathlib import Path

import networkx as nx

import textmine

PACKAGE = Path(textmine.__file__).parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> nx.DiGraph:
    """Every module of the package, and an edge to each package module it imports."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in files.items():
        graph.add_node(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                named = [target, *(f"{target}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                named = [alias.name for alias in node.names]
            else:
                continue
            graph.add_edges_from((name, t) for t in named if t in files and t != name)
    return graph


def test_the_import_walk_sees_relative_function_level_and_type_checking_imports():
    graph = imports()
    assert ("textmine.api", "textmine.workflow.pipeline") in graph.edges  # from .workflow.pipeline import ...
    assert ("textmine.ingest.extract.pdf", "textmine.ingest.extract.ocr") in graph.edges  # inside a function
    assert ("textmine.output.report", "textmine.workflow.pipeline") in graph.edges  # under TYPE_CHECKING
    assert ("textmine.ingest.extract.html", "textmine.ingest.clean") in graph.edges  # from ..clean import ...


def test_no_import_cycle_between_modules():
    cycles = [sorted(c) for c in nx.strongly_connected_components(imports()) if len(c) > 1]
    # was: pipeline, outputs, report, record, cache, charts, chart_jobs, network_export, network_stage,
    # topic_outputs, topic_stage in one cycle, and extract with its format modules in another
    assert cycles == []


# Packages by role, highest first: a module imports only from its own layer or the layers below it.
LAYERS = [
    {"textmine.cli"},
    {"textmine.api", "textmine.stage_alone"},
    {"textmine.output"},
    {"textmine.workflow"},
    {"textmine.ingest", "textmine.text", "textmine.analysis"},
    {"textmine.config", "textmine.grouping", "textmine.writers"},
    {"textmine.errors"},
]


def layer(module: str) -> int | None:
    """The layer of ``module`` (by its package under textmine), or None for the package's own face
    (``textmine/__init__.py``, which names the public API, and ``__main__``)."""
    role = ".".join(module.split(".")[:2])
    return next((i for i, names in enumerate(LAYERS) if role in names), None)


def test_every_module_has_a_layer():
    assert [m for m in imports() if layer(m) is None] == ["textmine", "textmine.__main__"]


def test_imports_run_down_the_layers():
    graph = imports()
    upward = sorted(
        (a, b) for a, b in graph.edges if layer(a) is not None and layer(b) is not None and layer(b) < layer(a)
    )
    assert upward == []
