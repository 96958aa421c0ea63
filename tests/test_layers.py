"""The layers import one way: index/ <- assistant/ <- ui/. Read from the source, so it cannot drift."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

LAYERS = ("index", "assistant", "ui")
# Entry points that only dispatch to the command line (which lives in ui/).
ENTRY_POINTS = {Path("assistant/__main__.py")}


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports, at any depth (lazy imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def violations() -> list[str]:
    bad = []
    for rank, layer in enumerate(LAYERS):
        higher = set(LAYERS[rank + 1 :])
        for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT)
            if relative in ENTRY_POINTS:
                continue
            for package in sorted(imported_packages(path) & higher):
                bad.append(f"{relative} imports {package}")
    return bad


def test_lower_layers_never_import_higher_ones() -> None:
    assert violations() == []


def imported_modules(path: Path) -> set[str]:
    """Full dotted names of the modules a file imports (lazy imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


# The LTI tool is a leaf of ui/: it may use the session signer, never the web app, chat or admin page
# (ui/site.py composes them), so the launch checks can be read and tested on their own.
LTI_MAY_IMPORT = ("ui.lti", "ui.sessions")


def test_the_lti_package_imports_no_other_part_of_ui() -> None:
    bad = []
    for path in sorted((PROJECT_ROOT / "ui" / "lti").rglob("*.py")):
        for module in sorted(imported_modules(path)):
            if module.split(".")[0] == "ui" and not module.startswith(LTI_MAY_IMPORT):
                bad.append(f"{path.relative_to(PROJECT_ROOT)} imports {module}")
    assert bad == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from ui.server import serve\n    return serve\n", encoding="utf-8")
    assert "ui" in imported_packages(module)


@pytest.mark.parametrize("layer", LAYERS)
def test_production_modules_do_not_import_test_doubles(layer: str) -> None:
    """`testing` modules are loaded lazily by the composition root only, never at import time."""
    for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
        if path.name == "testing.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        for node in top_level:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            assert not any(n.endswith(".testing") for n in names), f"{path} imports a test double"


def _names_kind(node: ast.AST) -> bool:
    """The expression reads a `kind`: a name, an attribute or a `.get("kind")`."""
    for part in ast.walk(node):
        if (isinstance(part, ast.Name) and part.id == "kind") or (
            isinstance(part, ast.Attribute) and part.attr == "kind"
        ):
            return True
        if isinstance(part, ast.Constant) and part.value == "kind":
            return True
    return False


def _kind_literals(path: Path) -> list[str]:
    """Comparisons of a kind with one of the vocabulary's strings (`kind == "comment"`)."""
    from enum import StrEnum

    import index.vocabulary
    from assistant.settings import ModelKind

    kinds = [v for v in vars(index.vocabulary).values() if isinstance(v, type) and issubclass(v, StrEnum)]
    names = {k.value for kind in (*kinds, ModelKind) for k in kind}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if not any(_names_kind(side) for side in sides):
            continue
        literals = [
            c.value
            for side in sides
            for c in ast.walk(side)
            if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value in names
        ]
        if literals:
            found.append(f"{path}:{node.lineno}: {literals[0]!r}")
    return found


def test_code_branches_on_the_kind_vocabulary_never_on_its_strings() -> None:
    """The kinds (of source, of page block, of speaker, of embedder, of model) are written once
    (index/vocabulary.py, the settings); everything else uses the enums."""
    found = []
    for layer in LAYERS:
        for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
            if path.name != "vocabulary.py":
                found += _kind_literals(path)
    assert found == []


def test_the_kind_check_sees_a_string_comparison(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    for kind in ("expert_quote", "heading", "pronoun", "bundled"):
        module.write_text(f'def f(p):\n    return p.kind == "{kind}"\n', encoding="utf-8")
        assert _kind_literals(module), kind


# Inside a layer, sub-packages import one way too, lowest first. Modules at a layer's top level that
# every part shares (settings, records, errors, text, testing) are not in the order; the orchestrator
# (pipeline), the evaluation and the composition root (app) come last.
PARTS = {
    "assistant": (
        "models",
        "understand",
        "writing",
        "retrieval",
        "checks",
        "ready",
        "pipeline",
        "evaluation",
        "app",
    ),
    "index": ("reading", "quotes", "threads", "parse", "merge", "storage", "report", "build"),
}


def _runtime_imports(path: Path) -> set[str]:
    """Modules imported at run time (an `if TYPE_CHECKING:` import only names a type)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def part_violations(layer: str) -> list[str]:
    order = PARTS[layer]
    bad = []
    for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
        relative = path.relative_to(PROJECT_ROOT / layer)
        part = relative.parts[0].removesuffix(".py")
        if part not in order:
            continue
        for module in sorted(_runtime_imports(path)):
            names = module.split(".")
            inside = names[0] == layer and len(names) > 1 and names[1] in order
            if inside and order.index(names[1]) > order.index(part):
                bad.append(f"{layer}/{relative} ({part}) imports {module}")
    return bad


@pytest.mark.parametrize("layer", sorted(PARTS))
def test_sub_packages_import_one_way(layer: str) -> None:
    assert part_violations(layer) == []


def test_every_sub_package_has_a_place_in_the_order() -> None:
    for layer, order in PARTS.items():
        packages = {p.parent.name for p in (PROJECT_ROOT / layer).glob("*/__init__.py")}
        assert packages <= set(order), f"{layer}: {sorted(packages - set(order))} not in PARTS"


def _constants(path: Path) -> set[str]:
    """Module-level UPPER_CASE names a module defines."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        found.update(
            t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper() and not t.id.startswith("_")
        )
    return found


def test_no_constant_is_defined_twice() -> None:
    """Each tuning number and limit is named once (assistant/tuning.py holds the calibrated ones)."""
    seen: dict[str, str] = {}
    twice = []
    for layer in LAYERS:
        for path in sorted((PROJECT_ROOT / layer).rglob("*.py")):
            for name in sorted(_constants(path)):
                where = str(path.relative_to(PROJECT_ROOT))
                if name in seen:
                    twice.append(f"{name}: {seen[name]} and {where}")
                seen.setdefault(name, where)
    assert twice == []
