"""The layers of ipfacts import downward only — every import, at module level or inside a function.

The contract (README, "Development"): a module may import its own layer and the layers below it, never
one above. Read from the source with `ast`, so an import hidden in a function body counts too.

And imports stand at module level (issue 26): one inside a function, outside ipfacts/cli, says why in a
`# lazy: …` comment — a measured start-up cost, a platform's module — on its line or the line above.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import ipfacts

PACKAGE = Path(ipfacts.__file__).parent

# Bottom first. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("root", ("ipfacts",)),  # ipfacts/__init__.py: the version, nothing else
    ("infra", ("ipfacts.infra",)),  # files, atomic writes, output guard: no domain knowledge
    ("tables", ("ipfacts.tables",)),  # the one reader of statistical tables in a text, and their arithmetic
    ("model", ("ipfacts.load.yamlnodes", "ipfacts.load.intervals", "ipfacts.load.numbers", "ipfacts.load.units",
               "ipfacts.load.words", "ipfacts.load.hanzi", "ipfacts.load.periods", "ipfacts.load.model",
               "ipfacts.load.relationfields", "ipfacts.load.sourcetext", "ipfacts.load.inputs")),
    ("findings", ("ipfacts.findings",)),  # problems as data: what load, check and review all produce
    ("load", ("ipfacts.load",)),
    ("check", ("ipfacts.check",)),
    ("review", ("ipfacts.review",)),
    ("render", ("ipfacts.render", "ipfacts.curate")),  # curate beside render: neither imports the other
    ("top", ("ipfacts.cli", "ipfacts.web", "ipfacts.__main__")),
]
BESIDE = [("ipfacts.render", "ipfacts.curate"), ("ipfacts.curate", "ipfacts.render"), ("ipfacts.web", "ipfacts.cli")]


def layer_of(module: str) -> int:
    best, level = "", -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, level = prefix, index
    assert level >= 0, module
    return level


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every `import` and `from … import` of the file, anywhere in it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from ipfacts.check import runcache` imports the module ipfacts.check.runcache (and the package's
            # __init__, which holds no imports of its own when it is only a folder of layers)
            submodules = [f"{target}.{alias.name}" for alias in node.names
                          if (PACKAGE.parent / (f"{target}.{alias.name}".replace(".", "/") + ".py")).exists()]
            found += [(module, node.lineno) for module in submodules or [target]]
    return [(target, line) for target, line in found if target == "ipfacts" or target.startswith("ipfacts.")]


def violations() -> list[str]:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = module_name(path)
        for target, line in imports(path):
            if layer_of(target) > layer_of(here) or any(
                    here.startswith(a) and target.startswith(b) for a, b in BESIDE):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {here} ({LAYERS[layer_of(here)][0]}) "
                             f"imports {target} ({LAYERS[layer_of(target)][0]})")
    return wrong


def test_every_import_goes_downward() -> None:
    assert violations() == []


def test_the_reader_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The reader itself: an import inside a function, relative or absolute, is found (else the test above
    could pass having read nothing)."""
    module = PACKAGE / "infra" / "atomic.py"
    assert any(target.startswith("ipfacts.") for target, _ in imports(PACKAGE / "load" / "loader.py"))
    source = module.read_text(encoding="utf-8")
    assert "def " in source
    inner = PACKAGE / "infra" / "_layers_probe.py"
    inner.write_text("def f():\n    from ..check import engine\n    import ipfacts.render.export\n", encoding="utf-8")
    try:
        found = violations()
    finally:
        inner.unlink()
    assert any("_layers_probe.py:2: ipfacts.infra._layers_probe (infra) imports ipfacts.check" in v for v in found)
    assert any("_layers_probe.py:3:" in v and "ipfacts.render.export (render)" in v for v in found)


def test_every_module_has_a_layer() -> None:
    modules = [module_name(p) for p in PACKAGE.rglob("*.py")]
    assert len(modules) > 100
    assert {LAYERS[layer_of(m)][0] for m in modules} == {name for name, _ in LAYERS}


LAZY = "lazy:"  # the comment that gives a function-level import its reason


def has_reason(comment: str) -> bool:
    """`# lazy: <a reason>`, alone or after another tool's comment (a noqa directive)."""
    return any(part.strip().startswith(LAZY) and len(part.strip()) > len(LAZY) + 10 for part in comment.split("#"))


def unexplained_lazy_imports(package: Path) -> list[str]:
    """file:line of every import inside a function, outside `package`/cli, with no `# lazy: <reason>` comment
    on its lines or in the comment lines right above it (or above the run of imports it is one of)."""
    wrong = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).parts[0] == "cli":  # the command line imports lazily: see its docstring
            continue
        source = path.read_text(encoding="utf-8")
        comments = {token.start[0]: token.string for token in tokenize.generate_tokens(io.StringIO(source).readline)
                    if token.type == tokenize.COMMENT}
        lines = source.splitlines()
        inner = sorted({(node.lineno, node.end_lineno or node.lineno)
                        for function in ast.walk(ast.parse(source))
                        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                        for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))})
        explained: set[int] = set()  # last lines of the explained imports
        for first, last in inner:
            above = first - 1
            block = []  # the comment lines right above the import
            while above >= 1 and lines[above - 1].lstrip().startswith("#"):
                block.append(above)
                above -= 1
            if (any(has_reason(comments.get(line, "")) for line in (*range(first, last + 1), *block))
                    or (not block and first - 1 in explained)):
                explained.add(last)
            else:
                wrong.append(f"{path.relative_to(package.parent)}:{first}: {lines[first - 1].strip()}")
    return wrong


def test_every_import_inside_a_function_says_why() -> None:
    assert unexplained_lazy_imports(PACKAGE) == []


def test_an_import_inside_a_function_without_a_reason_is_found(tmp_path: Path) -> None:
    """The probe: an import in a function with no comment, or one that is no reason, is reported; one with its
    reason (on its line, above it, or above its run) is not, nor a module-level one, nor one under cli/."""
    package = tmp_path / "pkg"
    (package / "cli").mkdir(parents=True)
    (package / "probe.py").write_text(
        "import json\n"
        "def f():\n"
        "    import re\n"  # 3: no comment
        "    import os  # noqa: F401\n"  # 4: a directive, no reason
        "    import sys; x = '# lazy: not a comment at all'\n"  # 5: in a string
        "    import csv  # lazy: csv costs nothing; a test of the line's own comment\n"
        "    # lazy: the two below are a probe of the comment above a run of imports\n"
        "    import abc\n"
        "    from typing import (\n"
        "        Any,\n"
        "    )\n"
        "    x = 1\n"
        "    import ast\n"  # 13: the run ended
        "    # lazy:\n"
        "    import io\n"  # 15: a marker without a reason
        "    # lazy: a reason on two lines of comment,\n"
        "    # the second right above the import\n"
        "    import glob\n"
        "    import math  # noqa: F401  # lazy: a reason after another tool's comment\n"
        "    # a comment, but no reason\n"
        "    import enum\n",  # 21
        encoding="utf-8")
    (package / "cli" / "command.py").write_text("def g():\n    import re\n", encoding="utf-8")
    found = unexplained_lazy_imports(package)
    assert [entry.split(": ")[0] for entry in found] == [f"pkg/probe.py:{n}" for n in (3, 4, 5, 13, 15, 21)]


def test_every_pattern_reads_ascii_digits_only() -> None:
    """One idea of a digit: the loader's number pattern reads [0-9] only, so every other pattern must too — `\\d`
    also matches Arabic-Indic and other scripts' digits, which a pattern would take for a cell, a date or a claim
    that the loader then cannot read. (A comment may name `\\d` to say why it is not used.)"""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
            if "\\d" in code:
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []
