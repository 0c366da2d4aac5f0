"""The layers of ipfacts import downward only — every import, at module level or inside a function.

The contract (README, "Development"): a module may import its own layer and the layers below it, never
one above. Read from the source with `ast`, so an import hidden in a function body counts too.
"""

from __future__ import annotations

import ast
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
