"""The code's structure: every official label written once, and the import graph a DAG."""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from govdisclosure.formats import official
from govdisclosure.formats.spec import Block, FormatSpec, Group, Node, Row, Variant

from .conftest import ROOT

SRC = ROOT / "src" / "govdisclosure"
DECLARATION = SRC / "formats" / "official.py"
#: a label this short (总计, 其他, 规章, 行政复议) is an everyday word in prose; longer ones are the form's own
MIN_LABEL = 5


def _nodes(nodes: tuple[Node, ...]) -> Iterator[str]:
    for node in nodes:
        yield node.label.zh
        if isinstance(node, Row):
            yield from node.aliases
        elif isinstance(node, Group):
            yield from _nodes(node.children)


def _labels() -> set[str]:
    out: set[str] = set()
    specs = [v for v in vars(official).values() if isinstance(v, FormatSpec)]
    variants = [v for v in vars(official).values() if isinstance(v, Variant)]
    for spec in specs:
        out |= {p.heading.zh for p in spec.parts}
        for table in spec.tables:
            out.add(table.label.zh)
            for block in table.blocks:
                out |= _block_labels(block)
    for variant in variants:
        for replacement in variant.replace_rows:
            out |= set(_nodes(replacement.nodes))
    return {label for label in out if len(unicodedata.normalize("NFKC", label)) >= MIN_LABEL}


def _block_labels(block: Block) -> set[str]:
    out = {lb.zh for lb in (block.label, block.corner, block.columns_heading) if lb is not None}
    out |= {c.label.zh for c in block.columns} | {c.group.zh for c in block.columns if c.group is not None}
    return out | set(_nodes(block.rows))


def _sources() -> Iterator[Path]:
    yield from SRC.rglob("*.py")
    for plugin in (ROOT / "plugins").glob("*/src"):
        yield from plugin.rglob("*.py")


def _strings(path: Path) -> str:
    """Every string literal of a module that is code, not documentation (docstrings and comments aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return "\n".join(n.value for n in ast.walk(tree)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs)


def test_every_official_label_is_written_in_the_declaration_only() -> None:
    labels = _labels()
    assert len(labels) > 60  # the form's rows, columns, groups, blocks, tables and parts
    declaration = _strings(DECLARATION)
    assert all(label in declaration for label in labels)
    elsewhere = [(str(path.relative_to(ROOT)), label) for path in _sources() if path != DECLARATION
                 for strings in [_strings(path)] for label in labels if label in strings]
    assert elsewhere == [], "official labels written outside formats/official.py (derive them from the declaration)"


# ----------------------------------------------------------------------------- imports


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                out |= set(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return out


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project's modules a module imports at run time (function-level imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # ``from package import submodule`` depends on the submodule, not on the package's namespace
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rsplit(".", 1)[0] if "." in name else ""
            if name and name != me:
                out.add(name)
    return out


def test_the_import_graph_has_no_cycle() -> None:
    paths = {_module(p): p for p in SRC.rglob("*.py")}
    modules = set(paths)
    graph = {m: _imports(p, modules) for m, p in paths.items()}
    # a package's __init__ that re-exports its submodules is its public face, not a dependency of them:
    # a submodule importing its own package's __init__ would be a cycle, and is one here
    cycles = _cycles(graph)
    assert cycles == [], "import cycles (move the shared piece down, or import for typing only)"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found
