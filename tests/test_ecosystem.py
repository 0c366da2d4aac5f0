"""ipfacts among other tools: JSON Schema for editors, pre-commit, tidy export, scaffold, metrics, global options."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from ipfacts.cli import app, settings
from ipfacts.load.loader import LoadFailed, load
from ipfacts.load.schema import FACT_FIELDS, FACT_FILE_FIELDS, IGNORE_FIELDS, METRIC_FIELDS, SOURCE_FIELDS
from ipfacts.render.export import COLUMNS

from conftest import HUZHOU_FACTS, REPO, MakeBase

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomli: the same parser, a test dependency on 3.10 (pyproject.toml)
    import tomli as tomllib

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Any:
    """The global options live in one object for the whole process: leave it as found."""
    saved = (settings.quiet, settings.verbose, settings.no_color)
    yield
    settings.quiet, settings.verbose, settings.no_color = saved


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


# --- JSON Schema -------------------------------------------------------------------------------------------


def validator(name: str) -> jsonschema.Draft7Validator:
    from ipfacts.load.jsonschema import shipped_text

    return jsonschema.Draft7Validator(json.loads(shipped_text(name)))


@pytest.mark.parametrize("name", ["fact-file", "sources", "metrics"])
def test_shipped_schemas_are_the_generator_output(name: str) -> None:
    from ipfacts.load.jsonschema import dumps, schema, shipped_path

    assert shipped_path(name).read_text(encoding="utf-8") == dumps(schema(name)), \
        "ipfacts/data/*.schema.json are stale: regenerate with `python -m ipfacts.load.jsonschema`"
    jsonschema.Draft7Validator.check_schema(schema(name))


def test_schema_has_every_field_of_the_tables_with_its_doc() -> None:
    from ipfacts.load.jsonschema import schema

    fact_file = schema("fact-file")
    pairs = [
        (fact_file, FACT_FILE_FIELDS),
        (fact_file["definitions"]["fact"], FACT_FIELDS),
        (fact_file["definitions"]["ignore"], IGNORE_FIELDS),
        (schema("sources")["additionalProperties"], SOURCE_FIELDS),
        (schema("metrics")["additionalProperties"], METRIC_FIELDS),
    ]
    for part, table in pairs:
        assert list(part["properties"]) == list(table)
        assert part["required"] == [name for name, spec in table.items() if spec.required]
        assert part["additionalProperties"] is False
        for name, spec in table.items():
            assert part["properties"][name]["description"] == spec.doc


def shipped_fact_files() -> list[Path]:
    from ipfacts.load.loader import fact_files

    return fact_files(REPO)


def test_schema_accepts_every_shipped_file_and_the_loader_does_too() -> None:
    files = shipped_fact_files()
    assert files, "the repository ships fact files"
    for path in files:
        errors = list(validator("fact-file").iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].absolute_path)}"
    for name, file in (("sources", "sources.yaml"), ("metrics", "metrics.yaml")):
        document = yaml.safe_load((REPO / "facts" / file).read_text(encoding="utf-8"))
        assert not list(validator(name).iter_errors(document)), file
    base = load(REPO)  # the loader reads the same files without a problem
    assert base.facts


FACT = """\
    value: 21579件
    line: 56
    quote: 全市有效发明21579件
"""


def fact_file(extra: str = "", fact: str = FACT, key: str = "valid_invention", top: str = "source: huzhou-2024\n") -> str:
    return top + f"facts:\n  {key}:\n" + textwrap.indent(textwrap.dedent(fact), "    ") + \
        textwrap.indent(textwrap.dedent(extra), "    ")


# (case, fact file text, loader code(s), JSON Schema keyword, path of the schema error)
BROKEN_FACT_FILES = [
    ("unknown field", fact_file("metrik: patent.invention.valid\n"), {"L003"}, "additionalProperties",
     ["facts", "valid_invention"]),
    ("missing quote", fact_file(fact="value: 21579件\nline: 56\n"), {"L005"}, "required", ["facts", "valid_invention"]),
    ("bad key", fact_file(key="Valid-Invention"), {"L012"}, "pattern", ["facts"]),
    ("line not a range", fact_file(fact="value: 21579件\nline: 56~57\nquote: 全市有效发明21579件\n"), {"L011"}, "anyOf",
     ["facts", "valid_invention", "line"]),
    ("line zero", fact_file(fact="value: 21579件\nline: 0\nquote: 全市有效发明21579件\n"), {"L011"}, "anyOf",
     ["facts", "valid_invention", "line"]),
    ("value a mapping", fact_file(fact="value: {n: 1}\nline: 56\nquote: 全市有效发明21579件\n"), {"L004"}, "type",
     ["facts", "valid_invention", "value"]),
    ("value without digits", fact_file(fact="value: many\nline: 56\nquote: 全市有效发明21579件\n"), {"L010"}, "pattern",
     ["facts", "valid_invention", "value"]),
    ("quote empty", fact_file(fact="value: 21579件\nline: 56\nquote:\n"), {"L004"}, "type",
     ["facts", "valid_invention", "quote"]),
    ("share_of one fact", fact_file("share_of: [valid_invention]\n"), {"L014"}, "minItems",
     ["facts", "valid_invention", "share_of"]),
    ("share_of three facts", fact_file("share_of: [a, b, c]\n"), {"L014"}, "maxItems",
     ["facts", "valid_invention", "share_of"]),
    ("share_of not a list", fact_file("share_of: other\n"), {"L004"}, "type", ["facts", "valid_invention", "share_of"]),
    ("sum_of one fact", fact_file("sum_of: [other]\n"), {"L014"}, "minItems", ["facts", "valid_invention", "sum_of"]),
    ("growth_of a list", fact_file("growth_of: [a, b]\n"), {"L004"}, "type", ["facts", "valid_invention", "growth_of"]),
    ("previous alone", fact_file("previous: other\n"), {"L014", "L006"}, "anyOf", ["facts", "valid_invention"]),
    ("lang unknown", fact_file("lang: fr\n"), {"L004"}, "enum", ["facts", "valid_invention", "lang"]),
    ("base unknown", fact_file("growth_of: other\nbase: last-month\n"), {"L004", "L006"}, "enum",
     ["facts", "valid_invention", "base"]),
    ("base alone", fact_file("base: year-end\n"), {"L014"}, "anyOf", ["facts", "valid_invention"]),
    ("period a list", fact_file("period: [2023, 2024]\n"), {"L004"}, "type", ["facts", "valid_invention", "period"]),
    ("no source anywhere", fact_file(top=""), {"L005"}, "required", ["facts", "valid_invention"]),
    ("facts a list", "source: huzhou-2024\nfacts: [a, b]\n", {"L004"}, "type", ["facts"]),
    ("top-level typo", fact_file(top="source: huzhou-2024\nregoin: 湖州\n"), {"L003"}, "additionalProperties", []),
    ("ignore without reason", fact_file() + "ignore:\n  - {line: 2, text: 2024年}\n", {"L005"}, "required",
     ["ignore", 0]),
    ("ignore not a list", fact_file() + "ignore: {line: 2}\n", {"L004"}, "type", ["ignore"]),
]


def loader_codes(root: Path) -> set[str]:
    with pytest.raises(LoadFailed) as failed:
        load(root)
    return {p.code for p in failed.value.problems}


def schema_errors(name: str, text: str) -> list[tuple[str, list[Any]]]:
    return [(e.validator, list(e.absolute_path)) for e in validator(name).iter_errors(yaml.safe_load(text))]


@pytest.mark.parametrize(("case", "text", "codes", "keyword", "path"), BROKEN_FACT_FILES,
                         ids=[c[0] for c in BROKEN_FACT_FILES])
def test_broken_fact_files_fail_the_loader_and_the_schema_alike(make_base: MakeBase, case: str, text: str,
                                                               codes: set[str], keyword: str, path: list[Any]) -> None:
    assert not schema_errors("fact-file", fact_file()), "the unbroken file is valid"
    root = make_base({"huzhou-2024.yaml": text})
    assert loader_codes(root) == codes
    assert (keyword, path) in schema_errors("fact-file", text)


BROKEN_SOURCES = [
    ("unknown field", "  titel: x\n", "L003", "additionalProperties", ["broken"]),
    ("no sha256", None, "L005", "required", ["broken"]),
    ("path outside the root", "  file: ../outside.txt\n", "L007", "not", ["broken", "file"]),
    ("absolute path", "  file: /etc/hostname\n", "L007", "not", ["broken", "file"]),
    ("lang unknown", "  lang: de\n", "L004", "enum", ["broken", "lang"]),
]


@pytest.mark.parametrize(("case", "extra", "code", "keyword", "path"), BROKEN_SOURCES, ids=[c[0] for c in BROKEN_SOURCES])
def test_broken_sources_fail_the_loader_and_the_schema_alike(make_base: MakeBase, case: str, extra: str | None,
                                                            code: str, keyword: str, path: list[Any]) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    sources = root / "facts" / "sources.yaml"
    entry = "broken:\n  file: seeds/000_ef14d01db3a9c97a.txt\n"
    if extra and extra.startswith("  file:"):
        entry = "broken:\n" + extra
        extra = None
    entry += "" if case == "no sha256" else "  sha256: " + "0" * 64 + "\n"
    text = sources.read_text(encoding="utf-8") + entry + (extra or "")
    sources.write_text(text, encoding="utf-8")
    assert not schema_errors("sources", sources.read_text(encoding="utf-8").replace(entry + (extra or ""), ""))
    assert loader_codes(root) == {code}
    assert (keyword, path) in schema_errors("sources", text)


BROKEN_METRICS = [
    ("unknown field", "  zh: 甲\n  en: A\n  unit: 件\n  kind: flow\n  unti: 件\n", "L003", "additionalProperties"),
    ("no en", "  zh: 甲\n  unit: 件\n  kind: flow\n", "L005", "required"),
    ("kind unknown", "  zh: 甲\n  en: A\n  unit: 件\n  kind: monthly\n", "L004", "enum"),
    ("accepts not a list", "  zh: 甲\n  en: A\n  unit: 件\n  kind: flow\n  accepts: 起\n", "L004", "type"),
]


@pytest.mark.parametrize(("case", "entry", "code", "keyword"), BROKEN_METRICS, ids=[c[0] for c in BROKEN_METRICS])
def test_broken_metrics_fail_the_loader_and_the_schema_alike(make_base: MakeBase, case: str, entry: str, code: str,
                                                            keyword: str) -> None:
    from conftest import METRICS

    text = METRICS + "broken.metric:\n" + entry
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS}, metrics=text)
    assert not schema_errors("metrics", METRICS)
    assert loader_codes(root) == {code}
    assert keyword in {k for k, _ in schema_errors("metrics", text)}


def test_schema_command_prints_and_writes(tmp_path: Path) -> None:
    from ipfacts.load.jsonschema import shipped_text

    result = invoke("schema")
    assert result.exit_code == 0 and result.output == shipped_text("fact-file")
    assert invoke("schema", "metrics").output == shipped_text("metrics")
    result = invoke("schema", "facts")
    assert result.exit_code == 2 and "no schema 'facts'; choose one of fact-file, sources, metrics" in result.output
    result = invoke("schema", "--dir", str(tmp_path / "schemas"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == \
        ["fact-file.schema.json", "metrics.schema.json", "sources.schema.json"]
    assert (tmp_path / "schemas" / "sources.schema.json").read_text(encoding="utf-8") == shipped_text("sources")


def test_docs_show_the_yaml_language_server_line() -> None:
    docs = (REPO / "docs" / "ecosystem.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in docs
    assert "ipfacts schema --dir" in docs


# --- pre-commit --------------------------------------------------------------------------------------------

HOOK_KEYS = {"id", "name", "entry", "language", "description", "pass_filenames", "require_serial", "files",
             "minimum_pre_commit_version", "args", "types", "always_run", "stages"}


def hooks() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return loaded


def test_pre_commit_hooks_file_is_a_valid_manifest() -> None:
    manifest = hooks()
    assert isinstance(manifest, list) and [h["id"] for h in manifest] == ["ipfacts-check"]
    hook = manifest[0]
    assert set(hook) <= HOOK_KEYS and {"id", "name", "entry", "language"} <= set(hook)
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    command = shlex.split(hook["entry"])[0]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert command in scripts, "the hook's entry is a console script the package installs"
    try:
        from pre_commit.clientlib import load_manifest
    except ImportError:
        return  # pre-commit is not a test dependency; where it is installed, it validates the manifest too
    assert load_manifest(str(REPO / ".pre-commit-hooks.yaml"))[0]["id"] == "ipfacts-check"


def test_pre_commit_example_config_names_the_hook() -> None:
    docs = (REPO / "docs" / "ecosystem.md").read_text(encoding="utf-8")
    block = docs.split("```yaml\n# .pre-commit-config.yaml\n", 1)[1].split("```", 1)[0]
    config = yaml.safe_load(block)
    ids = {h["id"] for h in hooks()}
    used = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert used and all(hook["id"] in ids for hook in used)


def run_hook(root: Path) -> subprocess.CompletedProcess[str]:
    """The hook as pre-commit runs it: its entry and args, in the repository root, with no file names."""
    hook = hooks()[0]
    command = shlex.split(hook["entry"]) + hook.get("args", [])
    assert command[0] == "ipfacts"
    return subprocess.run([sys.executable, "-m", "ipfacts", *command[1:], "--no-cache"], cwd=root,
                          capture_output=True, text=True)


def test_pre_commit_hook_entry_passes_a_clean_base_and_fails_a_broken_one(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    clean = run_hook(root)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "0 error(s)" in clean.stdout
    broken = root / "facts" / "huzhou-2024.yaml"
    broken.write_text(HUZHOU_FACTS.replace("value: 93.3%", "value: 95.3%"), encoding="utf-8")
    failed = run_hook(root)
    assert failed.returncode == 1 and "R101" in failed.stdout
    broken.write_text(HUZHOU_FACTS + "  bad: [\n", encoding="utf-8")
    unreadable = run_hook(root)
    assert unreadable.returncode == 2 and "L001" in unreadable.stderr + unreadable.stdout


def test_github_actions_example_uses_github_annotations() -> None:
    docs = (REPO / "docs" / "ecosystem.md").read_text(encoding="utf-8")
    block = docs.split("```yaml\n# .github/workflows/facts.yml\n", 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(block)
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("ipfacts check --format github" in run for run in steps)


# --- export ------------------------------------------------------------------------------------------------

VARIED = """\
source: huzhou-2024
facts:
  valid_invention:
    metric: patent.invention.valid
    value: 21579件
    line: 56
    quote: 全市有效发明21579件
  share:
    value: 93.3%
    line: 57
    quote: 占比93.3%
  pledge:
    metric: pledge.amount
    value: 240.29亿元
    line: 127-128
    quote: 全年新增知识产权质押额240.29亿元
  transfer_amount:
    value: 超4亿元
    line: 82
    quote: 实现转化运用金额超4亿元
  visitors:
    value: 近400人
    line: 124
    quote: 客户近400人
  income:
    value: 约8500元
    line: 74
    quote: 约8500元
  case_value:
    value: 1.2亿余元
    line: 168
    quote: 涉案价值1.2亿余元
  deal:
    value: 700
    unit: 万元
    line: 124
    quote: 额700万元
"""
NINGBO = """\
source: ningbo-2024
facts:
  court_cases_decline:
    value: -19.48%
    line: 103
    quote: 降19.48%
"""


@pytest.fixture
def varied_base(make_base: MakeBase) -> Path:
    return make_base({"huzhou-2024.yaml": VARIED, "ningbo/court.yaml": NINGBO}, sources=["huzhou-2024", "ningbo-2024"])


def test_export_csv_is_one_tidy_row_per_fact(varied_base: Path) -> None:
    result = invoke("export", "--root", str(varied_base))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")  # a byte-order mark by default: Excel reads UTF-8 (--no-bom drops it)
    assert not invoke("export", "--no-bom", "--root", str(varied_base)).stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == COLUMNS
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == 9
    pledge = by_id["huzhou-2024/pledge"]
    assert pledge == {
        "id": "huzhou-2024/pledge", "region": "湖州", "period": "2024", "metric": "pledge.amount",
        "label_zh": pledge["label_zh"], "label_en": pledge["label_en"], "relation": "", "parent": "",
        "value": "240.29亿元", "value_unit": "", "number": "24029000000", "unit": "元", "lower": "24028500000",
        "upper": "24029500000", "qualifier": "", "source": "huzhou-2024", "line": "127\u2013128",  # not a date
        "quote": "全年新增知识产权质押额240.29亿元"}
    assert pledge["label_zh"] and pledge["label_en"]  # the metric's names
    assert (by_id["huzhou-2024/share"]["lower"], by_id["huzhou-2024/share"]["upper"]) == ("93.25", "93.35")
    assert by_id["huzhou-2024/transfer_amount"]["qualifier"] == "at_least"
    assert (by_id["huzhou-2024/transfer_amount"]["lower"], by_id["huzhou-2024/transfer_amount"]["upper"]) == \
        ("400000000", "")
    assert by_id["huzhou-2024/deal"]["value_unit"] == "万元" and by_id["huzhou-2024/deal"]["number"] == "7000000"
    assert by_id["ningbo/court/court_cases_decline"]["number"] == "-19.48"


def test_export_round_trips_every_fact_through_csv_and_json(varied_base: Path, tmp_path: Path) -> None:
    from ipfacts.render.export import written

    base = load(varied_base)
    assert invoke("export", "--root", str(varied_base), "-o", str(tmp_path / "facts.csv")).exit_code == 0
    assert invoke("export", "--root", str(varied_base), "-o", str(tmp_path / "facts.json")).exit_code == 0
    from_csv = list(csv.DictReader(io.StringIO((tmp_path / "facts.csv").read_text(encoding="utf-8-sig"))))
    from_json = json.loads((tmp_path / "facts.json").read_text(encoding="utf-8"))
    for table in (from_csv, from_json):
        assert sorted(r["id"] for r in table) == sorted(base.facts)
        for record in table:
            assert written(record) == base.facts[record["id"]].value, record["id"]
    record = next(r for r in from_json if r["id"] == "huzhou-2024/share")
    assert record["number"] == 93.3 and record["lower"] == 93.25 and record["upper"] == 93.35
    assert next(r for r in from_json if r["id"] == "huzhou-2024/visitors")["lower"] is None


def test_export_round_trips_the_shipped_base() -> None:
    from ipfacts.render.export import rows, to_csv, written

    base = load(REPO)
    table = list(csv.DictReader(io.StringIO(to_csv(rows(base)))))
    assert len(table) == len(base.facts)
    assert all(written(r) == base.facts[r["id"]].value for r in table)


def test_export_verbose_and_quiet(varied_base: Path, tmp_path: Path) -> None:
    result = invoke("--verbose", "export", "--root", str(varied_base), "-o", str(tmp_path / "x.csv"))
    assert result.stderr == (f"read 9 facts from 2 fact file(s) under {varied_base / 'facts'}\n"
                             f"wrote 9 facts to {tmp_path / 'x.csv'} (csv)\n")
    result = invoke("-q", "export", "--root", str(varied_base), "-o", str(tmp_path / "x.json"))
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))[0]["id"] == "huzhou-2024/case_value"


def test_export_bom_and_format_errors(varied_base: Path) -> None:
    assert invoke("export", "--root", str(varied_base), "--bom").stdout.startswith("\ufeffid,region")
    result = invoke("export", "--root", str(varied_base), "--format", "xlsx")
    assert result.exit_code == 2 and "unknown format 'xlsx'; choose one of csv, json, parquet" in result.output
    result = invoke("export", "--root", str(varied_base), "--format", "parquet")
    assert result.exit_code == 2 and "parquet is binary: give a file with -o FILE" in result.output


def test_export_parquet_without_pyarrow_says_how_to_get_it(varied_base: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = invoke("export", "--root", str(varied_base), "-o", str(tmp_path / "facts.parquet"))
    assert result.exit_code == 2
    assert "parquet output needs pyarrow: pip install 'ipfacts[parquet]'" in result.output
    assert not (tmp_path / "facts.parquet").exists()


def test_export_parquet_round_trips(varied_base: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from ipfacts.render.export import written

    result = invoke("export", "--root", str(varied_base), "-o", str(tmp_path / "facts.parquet"))
    assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "facts.parquet").to_pylist()
    base = load(varied_base)
    assert [r["id"] for r in table] == sorted(base.facts)
    assert all(written(r) == base.facts[r["id"]].value for r in table)
    assert next(r for r in table if r["id"] == "huzhou-2024/pledge")["number"] == 24029000000.0


# --- scaffold ----------------------------------------------------------------------------------------------

def add_source(root: Path, source_id: str, text: str) -> None:
    """A small source document of the test's own, added to a base."""
    path = root / "seeds" / f"{source_id}.txt"
    path.write_text(text, encoding="utf-8")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with (root / "facts" / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"{source_id}:\n  file: seeds/{source_id}.txt\n  region: 某市\n  period: 2024\n  sha256: {sha}\n")


TINY = """\
全市商标申请量5000件，同比下降3.2%。
发明专利1200件、实用新型2300件，合计3500件。
有效发明专利占比61.5%，比上年提高1.2个百分点。
服务企业超300家，其中
小微企业210家。
"""


def test_scaffold_drafts_every_uncited_number_with_guessed_relations(make_base: MakeBase) -> None:
    root = make_base({})
    add_source(root, "tiny", TINY)
    result = invoke("scaffold", "tiny", "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = result.stdout
    assert "source: tiny\nfacts:\n" in draft
    assert """\
  trademark_applications_growth:
    value: -3.2%
    line: 1
    quote: 同比下降3.2%
    growth_of: trademark_applications
    note: "TODO confirm: stated growth_of from 同比/增长; TODO confirm: a decline (下降/减少), written negative"
""" in draft
    assert """\
  total:
    value: 3500件
    line: 2
    quote: 合计3500件
    sum_of: [invention_patent, utility]
    note: "TODO confirm: stated sum_of from 合计"
""" in draft
    assert "    change_of: valid_invention_patent_share\n" in draft
    assert '    note: "TODO: a share (占比) of what? share_of [part, whole]"\n' in draft
    assert "    value: 超300家\n    line: 4\n    quote: 服务企业超300家\n" in draft
    assert "    line: 4-5\n    quote: 其中小微企业210家\n    subset_of: service_enterprise\n" in draft
    assert result.stderr == "drafted 9 facts for tiny, 4 with a relation (4 stated, 0 guessed; TODO confirm)\n"
    verbose = invoke("--verbose", "scaffold", "tiny", "--root", str(root))
    assert verbose.stdout == draft
    assert "seeds/tiny.txt:1: trademark_applications_growth: stated growth_of trademark_applications\n" \
           in verbose.stderr
    assert invoke("--quiet", "scaffold", "tiny", "--root", str(root)).stderr == ""


def test_scaffold_draft_loads_and_every_citation_verifies(make_base: MakeBase) -> None:
    from ipfacts.review.checked import check_root

    root = make_base({})
    add_source(root, "tiny", TINY)
    draft = invoke("scaffold", "tiny", "--root", str(root)).stdout
    (root / "facts" / "tiny.yaml").write_text(draft, encoding="utf-8")
    base, report = check_root(root)
    assert len(base.facts) == 9
    assert [f.code for f in report.findings] == []
    assert invoke("scaffold", "tiny", "--root", str(root)).stderr.startswith("every number of tiny")


def test_scaffold_on_a_white_paper_names_keys_like_a_curator(make_base: MakeBase) -> None:
    from ipfacts.review.checked import check_root

    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS.split("  valid_invention_enterprise:")[0]})
    draft = invoke("scaffold", "huzhou-2024", "--root", str(root)).stdout
    assert """\
  valid_invention_enterprise:
    value: 20134件
    line: 56-57
    quote: 其中企业20134件
    subset_of: huzhou-2024/valid_invention
    note: "TODO confirm: stated subset_of from 其中 naming one subset"
  valid_invention_enterprise_share:
    value: 93.3%
    line: 57
    quote: 占比93.3%
    share_of: [valid_invention_enterprise, huzhou-2024/valid_invention]
""" in draft
    assert "  valid_invention_growth:\n    value: 11.55%\n    line: 57\n    quote: 同比增长11.55%\n" \
           "    growth_of: huzhou-2024/valid_invention\n" in draft
    (root / "facts" / "draft.yaml").write_text(draft, encoding="utf-8")
    _, report = check_root(root)
    assert not [f for f in report.findings if f.code.startswith(("C", "L"))], "every drafted citation verifies"
    assert "15829件 of 16966件" in " ".join(f.message for f in report.findings if f.code == "R101")


def test_scaffold_never_writes_over_a_file(make_base: MakeBase) -> None:
    root = make_base({})
    add_source(root, "tiny", TINY)
    target = root / "facts" / "tiny.yaml"
    result = invoke("scaffold", "tiny", "--root", str(root), "-o", str(target))
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("# Draft facts for tiny")
    target.write_text("# mine\n", encoding="utf-8")
    result = invoke("scaffold", "tiny", "--root", str(root), "-o", str(target))
    assert result.exit_code == 2 and "exists; scaffold never writes over a file" in result.output
    assert target.read_text(encoding="utf-8") == "# mine\n"
    target.unlink()
    result = invoke("scaffold", "nope", "--root", str(root))
    assert result.exit_code == 2 and "unknown source 'nope'; known: huzhou-2024, tiny" in result.output


# --- metrics, global options -------------------------------------------------------------------------------

def test_metrics_lists_the_vocabulary_with_usage(huzhou_base: Path) -> None:
    result = invoke("metrics", "--root", str(huzhou_base))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["key", "zh", "en", "unit", "kind", "facts"]
    row = next(line for line in lines if line.startswith("patent.invention.valid "))
    assert row.split()[:2] == ["patent.invention.valid", "有效发明专利量"] and row.split()[-3:] == ["件", "stock", "1"]
    assert lines[-1] == "6 of 6 metrics; 2 of 4 facts name a metric"
    data = json.loads(invoke("metrics", "--root", str(huzhou_base), "--format", "json").stdout)
    assert data[0] == {"key": "patent.invention.valid", "zh": "有效发明专利量", "en": "Valid invention patents",
                       "unit": "件", "kind": "stock", "facts": 1}
    unused = invoke("metrics", "--root", str(huzhou_base), "--unused", "--format", "csv").stdout.splitlines()
    assert unused[0] == "key,zh,en,unit,kind,facts" and len(unused) == 1 + 4
    assert invoke("-q", "metrics", "--root", str(huzhou_base)).stdout.splitlines()[-1].startswith("population")


def test_global_quiet_reaches_check_and_verbose_excludes_it(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS.replace("value: 11.55%", "value: 11.5%")})
    loud = invoke("check", "--root", str(root), "--no-cache")
    quiet = invoke("--quiet", "check", "--root", str(root), "--no-cache")
    local = invoke("check", "--quiet", "--root", str(root), "--no-cache")
    assert quiet.exit_code == local.exit_code == loud.exit_code
    assert quiet.stdout == local.stdout and len(quiet.stdout) <= len(loud.stdout)
    result = invoke("--quiet", "--verbose", "check", "--root", str(root))
    assert result.exit_code == 2 and "--quiet and --verbose exclude each other" in result.output
    invoke("codes")
    assert settings.quiet is False


def test_no_color_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipfacts.cli.common import console

    monkeypatch.delenv("NO_COLOR", raising=False)
    invoke("codes")
    assert settings.no_color is False and console().no_color is False
    monkeypatch.setenv("NO_COLOR", "1")
    invoke("codes")
    assert settings.no_color is True
    out = console()
    assert out.no_color is True
    monkeypatch.delenv("NO_COLOR")
    invoke("--no-color", "codes")
    assert settings.no_color is True and console().no_color is True
    invoke("codes")
    assert settings.no_color is False


def test_verbose_shows_the_traceback_of_an_internal_error(huzhou_base: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import ipfacts.render.export
    from ipfacts.cli import run

    def broken(base: object) -> list[dict[str, str]]:
        raise RuntimeError("boom")

    monkeypatch.setattr(ipfacts.render.export, "rows", broken)
    monkeypatch.setattr(sys, "argv", ["ipfacts", "export", "--root", str(huzhou_base)])
    assert run() == 70
    assert capsys.readouterr().err == ("ipfacts: internal error: RuntimeError: boom\n"
                                       "Run again with --verbose (or IPFACTS_DEBUG=1) for the traceback, "
                                       "and please report it.\n")
    monkeypatch.setattr(sys, "argv", ["ipfacts", "--verbose", "export", "--root", str(huzhou_base)])
    with pytest.raises(RuntimeError, match="boom"):
        run()
