"""sources.yaml edited, never appended to blindly: `init`, add-source on every valid layout (block, flow,
`{}`, comments), a refusal with the line when an edit cannot be made safely, and no lost edit when
add-source and `reanchor --write` run at once in separate processes.

The sources.yaml texts here are made up (hand-written layouts a curator or a tool could produce)."""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.curate.addsource import AddSourceError, Entry, add_source
from ipfacts.curate.sourcesyaml import SourcesEditError, editing
from ipfacts.load.loader import load

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
DOC = "专利授权量71425件，同比增长12.3%。\n"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "base"
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 0, result.output
    return root


def document(tmp_path: Path, text: str = DOC, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_init_makes_a_base_that_checks_clean_with_zero_facts(base: Path) -> None:
    assert sorted(p.name for p in (base / "facts").iterdir()) == ["README.md", "metrics.yaml", "sources.yaml"]
    assert (base / "seeds").is_dir()
    assert (base / "facts" / "metrics.yaml").read_bytes() == (REPO / "facts" / "metrics.yaml").read_bytes()
    result = runner.invoke(app, ["check", "--root", str(base)])
    assert result.exit_code == 0, result.output
    assert "0 facts" in result.output
    assert len(load(base).metrics) == len(load(REPO).metrics)


def test_init_never_writes_over_a_base(base: Path) -> None:
    (base / "facts" / "sources.yaml").write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(base)])
    assert result.exit_code == 2
    assert "already exist" in result.output and "nothing was written" in result.output
    assert (base / "facts" / "sources.yaml").read_text(encoding="utf-8") == "# mine\n"


def test_a_base_without_sources_yaml_says_what_a_base_needs(base: Path) -> None:
    (base / "facts" / "sources.yaml").unlink()
    result = runner.invoke(app, ["check", "--root", str(base)])
    assert result.exit_code == 2
    assert "facts/sources.yaml is missing" in result.output and "ipfacts init" in result.output


def test_init_then_add_source_then_check(base: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["add-source", str(document(tmp_path)), "--id", "demo-2024", "--period", "2024",
                                 "--root", str(base)])
    assert result.exit_code == 0, result.output
    text = (base / "facts" / "sources.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The source documents of this fact base")  # the comments stay
    source = load(base).sources["demo-2024"]
    assert source.period == "2024" and source.sha256 == hashlib.sha256(DOC.encode()).hexdigest()
    assert runner.invoke(app, ["check", "--root", str(base)]).exit_code == 0


@pytest.mark.parametrize("layout", [
    "{}\n",
    "{}",
    "# nothing yet\n{}  # empty\n",
    "--- {}\n",
    "other: {file: seeds/other.txt, sha256: abc}  # flow\n",
    "{other: {file: seeds/other.txt, sha256: abc}}\n",
    "{\n  other: {file: seeds/other.txt,\n          sha256: abc},  # trailing comma\n}\n",
    "# head\nother:\n  file: seeds/other.txt\n  sha256: 'abc'   # quoted\n# tail comment\n",
    "other:\n    file: seeds/other.txt\n    sha256: abc\n",  # four-space indents
    "  other:\n    file: seeds/other.txt\n    sha256: abc\n",  # an indented top level
    "other:\n  file: seeds/other.txt\n  sha256: abc",  # no final newline
    "",
    "# only a comment",
])
def test_add_source_edits_any_valid_layout(base: Path, tmp_path: Path, layout: str) -> None:
    sources = base / "facts" / "sources.yaml"
    sources.write_text(layout, encoding="utf-8")
    before = yaml.safe_load(layout) or {}
    add_source(base, document(tmp_path), Entry("demo-2024", title="演示", region="杭州", period="2024"))
    after_text = sources.read_text(encoding="utf-8")
    after = yaml.safe_load(after_text)
    assert {k: v for k, v in after.items() if k != "demo-2024"} == before
    assert after["demo-2024"]["file"] == "seeds/demo-2024.txt" and after["demo-2024"]["period"] == 2024
    for line in layout.splitlines():  # every comment and value line the curator wrote is still there
        if "#" in line:
            assert line.split("#", 1)[1] in after_text


def test_a_layout_that_cannot_be_edited_safely_is_refused_and_kept(base: Path, tmp_path: Path) -> None:
    # an explicit document end: an entry after it would start a second document
    layout = "a:\n  file: seeds/a.txt\n  sha256: abc\n...\n# after the document end\n"
    sources = base / "facts" / "sources.yaml"
    sources.write_text(layout, encoding="utf-8")
    result = runner.invoke(app, ["add-source", str(document(tmp_path)), "--id", "demo", "--root", str(base)])
    assert result.exit_code == 2
    assert "A008 facts/sources.yaml:6: cannot add 'demo' safely" in result.output
    assert "nothing was written" in result.output
    assert sources.read_text(encoding="utf-8") == layout
    assert not (base / "seeds" / "demo.txt").exists()


def test_broken_yaml_is_refused_with_its_line(base: Path, tmp_path: Path) -> None:
    sources = base / "facts" / "sources.yaml"
    layout = "ok:\n  file: seeds/x.txt\n  sha256: abc\nbroken: [unclosed\n"
    sources.write_text(layout, encoding="utf-8")
    result = runner.invoke(app, ["add-source", str(document(tmp_path)), "--id", "demo", "--root", str(base)])
    assert result.exit_code == 2
    assert "facts/sources.yaml:" in result.output and "not valid YAML" in result.output
    assert sources.read_text(encoding="utf-8") == layout
    assert not (base / "seeds" / "demo.txt").exists()


def test_a_multi_document_file_is_refused(base: Path) -> None:
    sources = base / "facts" / "sources.yaml"
    sources.write_text("a: {file: x, sha256: y}\n---\nb: {file: x, sha256: y}\n", encoding="utf-8")
    with pytest.raises(SourcesEditError, match=r"facts/sources.yaml:\d+: not valid YAML"), editing(base) as doc:
        doc.add("c", {"file": "seeds/c.txt", "sha256": "z"})


def test_set_keeps_quotes_and_refuses_a_changed_value(base: Path) -> None:
    sources = base / "facts" / "sources.yaml"
    sources.write_text("# c\na: {file: seeds/a.txt, sha256: 'aaaa'}  # x\nb:\n  file: seeds/b.txt\n  sha256: bbbb\n",
                       encoding="utf-8")
    with editing(base) as doc:
        doc.set("a", "sha256", "aaaa", "cccc")
        doc.set("b", "sha256", "bbbb", "dddd")
    assert sources.read_text(encoding="utf-8") == ("# c\na: {file: seeds/a.txt, sha256: 'cccc'}  # x\nb:\n"
                                                   "  file: seeds/b.txt\n  sha256: dddd\n")
    with pytest.raises(SourcesEditError, match="is not 'bbbb' any more"), editing(base) as doc:
        doc.set("b", "sha256", "bbbb", "eeee")
    assert "dddd" in sources.read_text(encoding="utf-8")


def test_ids_are_matched_whole_and_bounded(base: Path, tmp_path: Path) -> None:
    for bad in ("nl\n", "a" * 65, "A-upper", "-dash", "x/y", "a b"):
        with pytest.raises(AddSourceError, match="lower-case letters"):
            add_source(base, document(tmp_path), Entry(bad))
    result = runner.invoke(app, ["add-source", str(document(tmp_path)), "--id", "x" * 300, "--root", str(base)])
    assert result.exit_code == 2 and "at most 64 characters" in result.output
    assert list((base / "seeds").iterdir()) == []
    for bad_period in ("2024-13", "2024-00", "2024-10/02", "2024\n"):
        with pytest.raises(AddSourceError, match="period"):
            add_source(base, document(tmp_path), Entry("ok", period=bad_period))


def _add(root: str, doc: str, source_id: str) -> None:
    add_source(Path(root), Path(doc), Entry(source_id))


def _reanchor(root: str, source_id: str) -> None:
    from ipfacts.curate.reanchor import apply, plan

    base = load(Path(root))
    apply(Path(root), plan(base, source_id))


def test_concurrent_add_source_and_reanchor_lose_nothing(tmp_path: Path) -> None:
    """Processes, not threads: add-source of four documents while the sha256 of two changed sources is
    rewritten by `reanchor --write`; every entry and every new sha256 is there at the end."""
    root = tmp_path / "base"
    (root / "facts").mkdir(parents=True)
    shutil.copy(REPO / "facts" / "metrics.yaml", root / "facts" / "metrics.yaml")
    (root / "seeds").mkdir()
    entries = []
    for name in ("one", "two"):
        seed = root / "seeds" / f"{name}.txt"
        seed.write_text(DOC, encoding="utf-8")
        entries.append(f"{name}:\n  file: seeds/{name}.txt\n  sha256: {hashlib.sha256(DOC.encode()).hexdigest()}\n")
        seed.write_text(DOC + f"改过的{name}\n", encoding="utf-8")  # changed after it was declared
    (root / "facts" / "sources.yaml").write_text("# shared\n" + "".join(entries), encoding="utf-8")
    docs = [document(tmp_path, DOC + f"第{i}份\n", f"doc{i}.txt") for i in range(4)]
    context = multiprocessing.get_context("fork")
    jobs = [context.Process(target=_add, args=(str(root), str(doc), f"new-{i}")) for i, doc in enumerate(docs)]
    jobs += [context.Process(target=_reanchor, args=(str(root), name)) for name in ("one", "two")]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(120)
        assert job.exitcode == 0
    base = load(root)
    assert set(base.sources) == {"one", "two", "new-0", "new-1", "new-2", "new-3"}
    for source in base.sources.values():
        assert source.sha256 == hashlib.sha256(source.path.read_bytes()).hexdigest(), source.id
    assert (root / "facts" / "sources.yaml").read_text(encoding="utf-8").startswith("# shared\n")
    assert not (root / "facts" / ".sources.lock").exists()


@pytest.mark.parametrize("pages, message", [
    ("{1: 1-2, 2: 2-3}", "must come after page 1"),
    ("{2: 1-1, 1: 2-2}", "must come after page 2"),
    ("{0: 1-2}", "is not a page number"),
    ("{one: 1-2}", "is not a page number"),
    ("[1, 2]", "must be a mapping of page number"),
    ("{1: [1, 2]}", "must give a line or a range"),
    ("{1: 3-1}", "a range runs forward"),
])
def test_a_wrong_pages_map_is_a_load_error_with_its_line(base: Path, pages: str, message: str) -> None:
    (base / "seeds" / "a.txt").write_text(DOC, encoding="utf-8")
    sha = hashlib.sha256(DOC.encode()).hexdigest()
    (base / "facts" / "sources.yaml").write_text(f"a:\n  file: seeds/a.txt\n  sha256: {sha}\n  pages: {pages}\n",
                                                 encoding="utf-8")
    result = runner.invoke(app, ["check", "--root", str(base)])
    assert result.exit_code == 2
    assert "facts/sources.yaml:4:" in result.output and message in result.output


def test_pages_and_retrieved_load(base: Path) -> None:
    (base / "seeds" / "a.txt").write_text(DOC, encoding="utf-8")
    sha = hashlib.sha256(DOC.encode()).hexdigest()
    sources = base / "facts" / "sources.yaml"
    sources.write_text(f"a:\n  file: seeds/a.txt\n  sha256: {sha}\n  url: https://example.org/a\n"
                       "  retrieved: 2025-03-12\n  pages: {1: 1, 3: 2-4}\n", encoding="utf-8")
    source = load(base).sources["a"]
    assert (source.url, source.retrieved, source.pages) == ("https://example.org/a", "2025-03-12",
                                                            ((1, 1, 1), (3, 2, 4)))
    assert [source.page_label(1, 1), source.page_label(1, 3), source.page_label(2, 2, "zh"), source.page_label(9, 9)] \
        == ["p. 1", "pp. 1–3", "第3页", ""]
    sources.write_text(sources.read_text(encoding="utf-8").replace("2025-03-12", "2025-02-30"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--root", str(base)])
    assert result.exit_code == 2 and "facts/sources.yaml:5: L004" in result.output and "not a date" in result.output
