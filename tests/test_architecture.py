"""The import rules of docs/architecture.md, enforced on the source tree.

Each subpackage of ``kg`` lies on the data's path (ingest -> nlp -> analysis -> graph ->
store -> query / neo4j / report -> cli) and may import only the packages its row of
``MAY_IMPORT`` names, plus the base modules (``kg.errors``, ``kg.model``, ``kg.codec``,
``kg.data``, ``kg.resources``, ``kg.processes``). Heavy libraries belong to one step each
(spaCy to ``kg.nlp``, the Neo4j driver to ``kg.neo4j`` and ``kg.query``), ``kg.graph``
does no I/O, nothing imports ``kg.cli``, no module but a package's ``__init__`` re-exports
a name, and module-level imports form no loop. The checker reads the AST, so it sees
imports inside functions too; ``test_a_forbidden_import_fails`` shows it failing.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = "kg"  # the modules directly in kg/ and the kg.data / kg.resources packages
STEPS = ("ingest", "nlp", "analysis", "graph", "store", "query", "neo4j", "report", "cli", "pipeline")
MAY_IMPORT: dict[str, set[str]] = {
    BASE: set(),
    "ingest": set(),
    "nlp": {"ingest", "graph"},
    "analysis": set(),
    "graph": set(),
    "store": {"graph"},
    "query": {"graph", "store", "analysis"},
    "neo4j": {"graph", "store"},
    "report": {"graph"},
    "pipeline": {"ingest", "nlp", "analysis", "graph", "store"},
    "cli": {"ingest", "nlp", "analysis", "graph", "store", "query", "neo4j", "report", "pipeline"},
}
#: third-party packages that only some steps may import
OWNED = {"spacy": {"nlp"}, "neo4j": {"neo4j", "query"}, "jinja2": {"report"},
         "trafilatura": {"ingest"}, "typer": {"cli"}, "rich": {"cli"}}
#: what "no I/O" means for kg.graph: no file, process, socket or database modules, no store
NO_IO_MODULES = {"os", "io", "shutil", "tempfile", "sqlite3", "socket", "subprocess", "httpx",
                 "neo4j", "kg.store"}
NO_IO_CALLS = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink"}


def module_name(path: Path, root: Path) -> str:
    name = ".".join(path.relative_to(root).with_suffix("").parts)
    return name.removesuffix(".__init__")


def step(module: str) -> str:
    """The step a ``kg`` module belongs to (BASE for the shared base modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STEPS else BASE


def imports(tree: ast.AST) -> list[tuple[int, str, list[str], bool]]:
    """(line, module, names, at top level) of every absolute import in ``tree``."""
    top = {id(n) for n in getattr(tree, "body", [])}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module, [a.name for a in node.names], id(node) in top))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, a.name, [], id(node) in top) for a in node.names)
    return out


def targets(module: str, names: list[str]) -> list[str]:
    """What an import reaches: ``from kg import x`` the module ``kg.x`` when there is one
    (``violations`` falls back to ``module`` for a name that is not a module)."""
    return [f"{module}.{n}" for n in names] or [module]


def violations(root: Path) -> list[str]:
    """Every broken rule under ``root`` (a checkout holding ``kg/``), one line each."""
    found: list[str] = []
    sources = {module_name(p, root): p for p in sorted((root / "kg").rglob("*.py"))}
    trees = {m: ast.parse(p.read_text(encoding="utf-8")) for m, p in sources.items()}
    graph: dict[str, set[str]] = defaultdict(set)
    for mod, tree in trees.items():
        where, own = sources[mod].relative_to(root), step(mod)
        for line, target, names, top in imports(tree):
            head = target.split(".")[0]
            for t in targets(target, names) if head == "kg" else [target]:
                if head == "kg":
                    t = t if t in sources else target
                    other = step(t)
                    if other == "cli" and own != "cli":
                        found.append(f"{where}:{line}: imports {t}: nothing imports kg.cli")
                    elif other not in (own, BASE) and other not in MAY_IMPORT[own]:
                        found.append(f"{where}:{line}: kg.{own} may not import {t}")
                    elif own == BASE and other != BASE:
                        found.append(f"{where}:{line}: a base module may not import {t}")
                    if top and t in sources and t != mod:
                        graph[mod].add(t)
                elif head in OWNED and own not in OWNED[head]:
                    found.append(f"{where}:{line}: kg.{own} may not import {head}")
            if own == "graph" and (target in NO_IO_MODULES or head in NO_IO_MODULES):
                found.append(f"{where}:{line}: kg.graph does no I/O, but imports {target}")
        if own == "graph":
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    f = node.func
                    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                    if name in NO_IO_CALLS:
                        found.append(f"{where}:{node.lineno}: kg.graph does no I/O, but calls {name}")
    found += _reexports(sources, trees, root)
    found += [f"import loop: {' -> '.join(c)}" for c in _cycles(graph)]
    return found


def _reexports(sources: dict[str, Path], trees: dict[str, ast.AST], root: Path) -> list[str]:
    """Imports of a name from a module that only imported it (re-exports live in __init__)."""
    borrowed: dict[tuple[str, str], str] = {}
    for mod, tree in trees.items():
        if sources[mod].name != "__init__.py":
            for _, target, names, top in imports(tree):
                if top and target.startswith("kg"):
                    borrowed.update({(mod, n): target for n in names})
    out = []
    for mod, tree in trees.items():
        for line, target, names, _ in imports(tree):
            for n in names:
                origin = borrowed.get((target, n))
                if origin and f"{origin}.{n}" not in sources:
                    out.append(f"{sources[mod].relative_to(root)}:{line}: {n} is re-exported by "
                               f"{target}; import it from {origin}")
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One loop per strongly connected group of modules (module-level imports only)."""
    seen: set[str] = set()
    loops = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                loop = [*path[path.index(nxt):], nxt]
                if not set(loop) <= seen:
                    loops.append(loop)
                    seen.update(loop)
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    return loops


def test_the_package_keeps_its_import_rules() -> None:
    assert violations(ROOT) == []


def test_every_step_is_a_package() -> None:
    for name in STEPS:
        if name != "pipeline":
            assert (ROOT / "kg" / name / "__init__.py").is_file(), name


def test_package_code_never_reads_tests_or_seeds() -> None:
    for p in (ROOT / "kg").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        for folder in ('"tests"', '"seeds"', "'tests'", "'seeds'"):
            assert folder not in text, f"{p}: names {folder}"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("files", "expected"), [
    ({"kg/analysis/bad.py": "import spacy\n"}, "kg.analysis may not import spacy"),
    ({"kg/analysis/bad.py": "def f():\n    from kg.nlp import parse\n"},
     "kg.analysis may not import kg.nlp"),
    ({"kg/graph/bad.py": "from pathlib import Path\nPath('x').write_text('y')\n"},
     "kg.graph does no I/O, but calls write_text"),
    ({"kg/graph/bad.py": "import sqlite3\n"}, "kg.graph does no I/O, but imports sqlite3"),
    ({"kg/report/bad.py": "from kg.cli import main\n"}, "nothing imports kg.cli"),
    ({"kg/store/a.py": "from kg.model import Claim\n",
      "kg/store/b.py": "from kg.store.a import Claim\n"}, "Claim is re-exported by kg.store.a"),
    ({"kg/store/a.py": "from kg.store import b\n", "kg/store/b.py": "from kg.store import a\n"},
     "import loop: kg.store.a -> kg.store.b -> kg.store.a"),
])
def test_a_forbidden_import_fails(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    for pkg in ("kg", "kg/analysis", "kg/graph", "kg/report", "kg/store", "kg/cli", "kg/nlp"):
        files.setdefault(f"{pkg}/__init__.py", "")
    files.setdefault("kg/model.py", "class Claim: ...\n")
    found = violations(_tree(tmp_path, files))
    assert any(expected in line for line in found), found


def test_an_allowed_import_passes(tmp_path: Path) -> None:
    files = {f"{p}/__init__.py": "" for p in ("kg", "kg/nlp", "kg/ingest", "kg/store", "kg/graph")}
    files["kg/nlp/ok.py"] = "import spacy\nfrom kg.ingest import read\n"
    files["kg/ingest/read.py"] = "import os\n"
    files["kg/store/ok.py"] = "import sqlite3\nfrom kg.graph import ns\n"
    files["kg/graph/ns.py"] = "X = 1\n"
    assert violations(_tree(tmp_path, files)) == []
