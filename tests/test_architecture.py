"""The map of the code holds: dependencies point one way and no two modules import each
other, read from the source with `ast` (so an import added anywhere, even inside a function
or under TYPE_CHECKING, is seen)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("claims", "verify", "outbound", "config", "api")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    }


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Every module of ours that `path` imports, at any depth of its code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from package import module" imports the module; "from module import name"
            # the module.
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m.split(".")[0] in PACKAGES}


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {
        name: {m for m in imports_of(path, name, set(mods)) if m in mods and m != name}
        for name, path in mods.items()
    }


def test_the_graph_sees_the_imports_it_must_judge() -> None:
    edges = graph()
    assert "claims.models" in edges["verify.models"]
    assert "outbound.http" in edges["verify.evidence.sources.web"]


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("claims", ("verify", "api")),
        ("verify", ("api",)),
        ("outbound", ("claims", "verify", "api")),
        ("claims.extraction", ("claims.models", "verify", "django", "config")),
    ],
)
def test_a_lower_layer_imports_nothing_of_a_higher_one(layer: str, forbidden: tuple) -> None:
    bad = []
    for name, path in modules().items():
        if name != layer and not name.startswith(layer + "."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            bad += [
                f"{name} imports {t}" for t in targets
                if any(t == f or t.startswith(f + ".") for f in forbidden)
            ]
    assert bad == []


def test_no_two_modules_import_each_other_even_through_others() -> None:
    edges = graph()
    cycles = []
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            cycles.append(" -> ".join([*trail[trail.index(node):], node]))
            return
        if node in done:
            return
        for nxt in sorted(edges.get(node, ())):
            visit(nxt, [*trail, node])
        done.add(node)

    for start in sorted(edges):
        visit(start, [])
    assert cycles == []


def test_the_task_claims_queues_by_name_is_registered() -> None:
    from claims import services
    from config.celery import app

    assert services.PROCESS_ARTICLE in app.tasks
