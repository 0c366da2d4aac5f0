"""Text that cannot hurt (terminals, XML, spreadsheets), structured output on failure, templates that cannot
leak, and review text stored as valid UTF-8."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.render.safetext import for_csv, for_terminal, for_xml

from conftest import HUZHOU_FACTS, REPO, MakeBase

runner = CliRunner()
ESC = "\x1b"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def stdout_of(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.stdout


def with_source_text(root: Path, text: str) -> None:
    """Replace the Huzhou seed by `text`, with its sha256 updated."""
    seed = root / "seeds" / "000_ef14d01db3a9c97a.txt"
    old = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_text(text, encoding="utf-8")
    sources = root / "facts" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(old, hashlib.sha256(seed.read_bytes()).hexdigest()),
                       encoding="utf-8")


def seed_lines() -> list[str]:
    return (REPO / "seeds" / "000_ef14d01db3a9c97a.txt").read_text(encoding="utf-8").split("\n")


def test_safetext_functions() -> None:
    assert for_terminal(f"a{ESC}[31mb\x07c\u202ed\te\nf") == "a\\x1b[31mb\\x07c\\u202ed\te\nf"
    assert for_xml("a\x01b\ufffec") == "a\\x01b\\ufffec"
    assert [for_csv(c) for c in ("=1+1", "+1", "-19.48%", "-19.48", "+5", "@SUM(A1)", "\tx", "-x", "1,234", "湖州")] == \
        ["'=1+1", "+1", "-19.48%", "-19.48", "+5", "'@SUM(A1)", "'\tx", "'-x", "1,234", "湖州"]


def test_escape_sequences_from_a_source_never_reach_the_terminal(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS.replace("line: 57\n    quote: 同比增长11.55%",
                                                               "line: 56\n    quote: 同比增长11.55%")})
    lines = seed_lines()
    lines[54] = f"{ESC}]0;pwned\x07{ESC}[2J{ESC}[31m红\r"
    with_source_text(root, "\n".join(lines))
    code, output = run("check", "--root", str(root), "--no-cache")
    assert code == 1 and "C003" in output
    [finding] = [f for f in json.loads(run("check", "--root", str(root), "--format", "json")[1])["findings"]]
    for args in (["show", finding["fingerprint"], "--root", str(root), "-C", "3"],
                 ["locate", "huzhou-2024", "21579件", "--root", str(root)],
                 ["coverage", "--root", str(root), "--all"],
                 ["check", "--root", str(root), "--format", "github"]):
        code, output = run(*args)
        assert code in (0, 1), (args, output)
        assert ESC not in output and "\x07" not in output, args
    code, output = run("show", finding["fingerprint"], "--root", str(root), "-C", "3")
    assert "\\x1b]0;pwned\\x07" in output  # shown, visibly


def test_junit_is_valid_xml_whatever_a_file_name_holds(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS, "bad\x01name.yaml": "source: huzhou-2024\nfacts:\n  a:\n"
                      "    value: 5件\n    line: 56\n    quote: 全市有效发明\n"})
    code, output = run("check", "--root", str(root), "--format", "junit")
    assert code == 1
    suite = ET.fromstring(output.encode("utf-8"))
    assert any("bad\\x01name" in (case.get("name") or "") for case in suite.iter("testcase"))


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(make_base: MakeBase, tmp_path: Path) -> None:
    from ipfacts.render.export import written

    facts = ("source: huzhou-2024\nfacts:\n  formula:\n    value: 5件\n    line: 56\n"
             "    quote: '=HYPERLINK(\"http://x\",\"5件\")'\n"
             "  drop:\n    value: -19.48%\n    line: 56\n    quote: '-19.48%'\n"
             "  at:\n    value: 7件\n    line: 56\n    quote: '@7件'\n")
    root = make_base({"f.yaml": facts})
    out = tmp_path / "facts.csv"
    code, output = run("export", "--root", str(root), "-o", str(out))
    assert code == 0, output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert rows["f/formula"]["quote"].startswith("'=HYPERLINK")
    assert rows["f/at"]["quote"] == "'@7件"
    assert rows["f/drop"]["value"] == "-19.48%" and rows["f/drop"]["quote"] == "-19.48%"  # numbers stay numbers
    assert rows["f/drop"]["number"] == "-19.48"
    assert str(written(rows["f/drop"]).value) == "-19.48"


def test_export_refuses_a_suffix_it_does_not_write(huzhou_base: Path, tmp_path: Path) -> None:
    for name, args in (("facts.xlsx", []), ("facts.csv", ["--format", "json"])):
        code, output = run("export", "--root", str(huzhou_base), "-o", str(tmp_path / name), *args)
        assert code == 2 and not (tmp_path / name).exists()
    code, output = run("export", "--root", str(huzhou_base), "-o", str(tmp_path / "facts.xlsx"))
    assert "csv, json, parquet" in output


def test_a_form_feed_is_not_a_line_break(make_base: MakeBase) -> None:
    lines = seed_lines()
    lines[40] = "第一页的最后一行\f第二页的第一行"  # pdftotext's page break inside line 41
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS})
    with_source_text(root, "\n".join(lines))
    grep = subprocess.run(["grep", "-n", "全市有效发明21579件", str(root / "seeds" / "000_ef14d01db3a9c97a.txt")],
                          capture_output=True, text=True, check=True).stdout
    assert grep.startswith("56:")
    code, output = run("check", "--root", str(root), "--no-cache")
    assert code == 0, output


def test_percent_of_a_zero_whole_is_an_error(make_base: MakeBase) -> None:
    facts = ("source: huzhou-2024\nfacts:\n  whole:\n    value: 0件\n    line: 56\n    quote: x\n"
             "  share:\n    value: 24.8%\n    line: 56\n    quote: x\n    percent_of: whole\n")
    code, output = run("check", "--root", str(make_base({"z.yaml": facts})), "--format", "json")
    found = [f for f in json.loads(output)["findings"] if f["code"] == "R115"]
    assert code == 1 and found and found[0]["severity"] == "error"


# -- structured output on failure ---------------------------------------------------------------------------


def test_load_failures_in_every_format_on_stdout_and_in_o(make_base: MakeBase, tmp_path: Path) -> None:
    root = make_base({"huzhou-2024.yaml": "source: huzhou-2024\nfacts:\n  a: [unclosed\n"})
    data = json.loads(stdout_of("check", "--root", str(root), "--format", "json"))
    assert data["summary"]["load_failed"] is True and data["findings"][0]["code"] == "L001"
    code, output = run("check", "--root", str(root), "--format", "github")
    assert code == 2 and "::error file=facts/huzhou-2024.yaml,line=4,title=L001 invalid-yaml::" in output
    for fmt, name in (("junit", "r.xml"), ("html", "r.html"), ("json", "r.json"), ("text", "r.txt")):
        out = tmp_path / name
        out.write_text("the fact base cannot be read: an earlier report\n", encoding="utf-8")
        code, output = run("check", "--root", str(root), "--format", fmt, "-o", str(out))
        assert code == 2
        text = out.read_text(encoding="utf-8")
        assert "an earlier report" not in text and "L001" in text, fmt
    ET.fromstring((tmp_path / "r.xml").read_bytes())


def test_a_broken_metrics_yaml_is_one_problem_with_its_consequences_folded(make_base: MakeBase) -> None:
    from conftest import METRICS

    broken = METRICS.replace("pledge.amount:\n", "pledge.amount: {\n")
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS}, metrics=broken)
    code, output = run("check", "--root", str(root), "--no-cache")
    assert code == 2
    first = output.splitlines()[0]
    assert first.startswith("facts/metrics.yaml:") and "L001" in first and "2 problem(s) follow from it" in first
    assert "the fact base cannot be read: 1 problem(s)" in output
    [problem] = json.loads(stdout_of("check", "--root", str(root), "--format", "json"))["findings"]
    assert len(problem["details"]["follows"]) == 2 and all("unknown metric" in f for f in problem["details"]["follows"])


# -- reviews ------------------------------------------------------------------------------------------------


# The white paper's own misprint (15829 / 16966 = 93.30%, printed 93.4%): every citation is right, so the R101
# on this share is reviewable (a finding on a fact whose citation fails is held back).
MISPRINT = HUZHOU_FACTS + """\
  patent_grants:
    value: 16966件
    line: 57-58
    quote: 全年授权专利16966件
  patent_grants_enterprise:
    value: 15829件
    line: 58
    quote: 其中企业15829件
    part_of: patent_grants
  grants_share:
    value: 93.4%
    line: 58-59
    quote: 占比93.4%
    share_of: [patent_grants_enterprise, patent_grants]
"""


def test_a_note_in_another_encoding_is_refused(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": MISPRINT})
    found = json.loads(run("check", "--root", str(root), "--format", "json")[1])["findings"]
    fingerprint = next(f["fingerprint"] for f in found if f["code"] == "R101")
    gbk = "表格与正文不一致".encode("gbk")
    for flag in (b"--note", b"--reviewer"):
        args = {b"--note": b"n", b"--reviewer": b"x", flag: gbk}
        result = subprocess.run([sys.executable, "-m", "ipfacts", "review", fingerprint.encode(), b"--status",
                                 b"explained", *[x for pair in args.items() for x in pair], b"--root", str(root).encode()],
                                capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
        assert result.returncode == 2, result.stderr
        assert b"not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr
        assert not (root / "facts" / "reviews.yaml").exists()
    result = subprocess.run([sys.executable, "-m", "ipfacts", "review", fingerprint, "--status", "explained",
                             "--note", "表格与正文不一致", "--reviewer", "x", "--root", str(root)],
                            capture_output=True)
    assert result.returncode == 0, result.stderr
    (root / "facts" / "reviews.yaml").read_bytes().decode("utf-8")
    assert "表格与正文不一致" in (root / "facts" / "reviews.yaml").read_text(encoding="utf-8")


def test_the_store_refuses_control_characters_and_lone_surrogates(make_base: MakeBase) -> None:
    from ipfacts.review.verdicts import record, withdraw

    root = make_base({"huzhou-2024.yaml": MISPRINT})
    found = json.loads(run("check", "--root", str(root), "--format", "json")[1])["findings"]
    fingerprint = next(f["fingerprint"] for f in found if f["code"] == "R101")
    for note, reviewer in (("a\x1b[2Jb", "x"), ("n", "x\udcb1"), ("n\x07", "x")):
        with pytest.raises(ValueError, match="control character|not valid UTF-8"):
            record(root, fingerprint, status="explained", note=note, reviewer=reviewer)
    assert not (root / "facts" / "reviews.yaml").exists()
    code, output = run("review", fingerprint, "--status", "explained", "--note", "n", "--reviewer", "x",
                       "--root", str(root))
    assert code == 0, output
    with pytest.raises(ValueError, match="control character"):
        withdraw(root, fingerprint, reviewer="x\x1b]0;t\x07")


def test_a_broken_reviews_yaml_says_how_to_repair_it(huzhou_base: Path) -> None:
    (huzhou_base / "facts" / "reviews.yaml").write_text('abcd1234:\n  note: "\\uDCB1"\n', encoding="utf-8")
    code, output = run("review", "--remove", "abcd1234", "--root", str(huzhou_base))
    assert code == 2 and "facts/reviews.yaml:2: L001" in output and "to repair it, delete the broken entry" in output


@pytest.mark.parametrize("date", ["yesterday", "2026-13-01", "2026-02-30", "٢٠٢٦-٠١-٠١"])
def test_review_dates_must_be_real_dates(huzhou_base: Path, date: str) -> None:
    from ipfacts.review.verdicts import valid_at, valid_date

    reviews = huzhou_base / "facts" / "reviews.yaml"
    reviews.write_text(  # the first format: one verdict with a `date:`
        f"abcd1234abcd1234:\n  code: R101\n  status: explained\n  reviewer: x\n  date: {date}\n  note: n\n",
        encoding="utf-8")
    code, output = run("check", "--root", str(huzhou_base))
    assert code == 2 and "facts/reviews.yaml:5: L004" in output and "YYYY-MM-DD" in output, output
    reviews.write_text(  # the history format: each verdict `at:` a date and time
        f"abcd1234abcd1234:\n  code: R101\n  verdicts:\n"
        f"  - {{at: \"{date}T09:30:00Z\", status: explained, reviewer: \"x\", note: \"n\"}}\n", encoding="utf-8")
    code, output = run("check", "--root", str(huzhou_base))
    assert code == 2 and "facts/reviews.yaml:4: L004" in output and "ISO date and time" in output, output
    assert not valid_date(date) and not valid_at(f"{date}T09:30:00Z")
    assert valid_date("2026-02-28") and valid_at("2026-02-28T09:30:00Z")


# -- templates ----------------------------------------------------------------------------------------------


def test_the_bases_templates_folder_cannot_link_out(huzhou_base: Path) -> None:
    templates = huzhou_base / "templates"
    templates.mkdir()
    (templates / "logo.txt").symlink_to("/etc/passwd")
    shipped = (REPO / "templates" / "brief.md.j2").read_text(encoding="utf-8")
    (templates / "brief.md.j2").write_text('{% include "logo.txt" %}\n' + shipped, encoding="utf-8")
    code, output = run("report", "--root", str(huzhou_base), "--city", "湖州")  # ROOT/templates is not read
    assert code == 0 and "root:x:0:0" not in output, output
    code, output = run("report", "--root", str(huzhou_base), "--city", "湖州",
                       "--template", str(templates / "brief.md.j2"))  # a base passes its own with --template
    assert code == 2 and "outside its folder" in output and "root:x:0:0" not in output


def test_a_custom_template_includes_only_its_own_folder_and_the_packages(huzhou_base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "secret.txt").symlink_to("/etc/passwd")
    (folder / "leak.md.j2").write_text('{% include "secret.txt" %}', encoding="utf-8")
    code, output = run("report", "--root", str(huzhou_base), "--city", "湖州", "--template", str(folder / "leak.md.j2"))
    assert code == 2 and "root:x:0:0" not in output
    (huzhou_base / "templates").mkdir()
    (huzhou_base / "templates" / "base-only.txt").write_text("from the base", encoding="utf-8")
    (folder / "base.md.j2").write_text('{% include "base-only.txt" %}', encoding="utf-8")
    code, output = run("report", "--root", str(huzhou_base), "--city", "湖州", "--template", str(folder / "base.md.j2"))
    assert code == 2 and "not found" in output  # ROOT/templates is not searched for a custom template
    (folder / "ext.md.j2").write_text('{% extends "brief.md.j2" %}', encoding="utf-8")
    code, output = run("report", "--root", str(huzhou_base), "--city", "湖州", "--template", str(folder / "ext.md.j2"))
    assert code == 0 and "湖州" in output


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ('x{% include "self.md.j2" %}', "includes or calls itself"),
    ("{% for x in brief.nothing_here %}{% endfor %}", "self.md.j2"),
])
def test_a_template_failing_while_rendering_is_a_message(huzhou_base: Path, tmp_path: Path, text: str,
                                                         expected: str) -> None:
    template = tmp_path / "self.md.j2"
    template.write_text(text, encoding="utf-8")
    code, output = run("report", "--root", str(huzhou_base), "--city", "湖州", "--template", str(template))
    assert code == 2 and expected in output


def test_pdf_attachments_only_from_the_packages_own_template(tmp_path: Path) -> None:
    from ipfacts.render.brief.pdf import PrintJob, render_pdf

    (tmp_path / "secret.txt").write_text("TOPSECRET-ATTACHED", encoding="utf-8")
    html = '<html><head><link rel="attachment" href="secret.txt"></head><body><p>x</p></body></html>'
    base_url = tmp_path.as_uri() + "/"
    other = render_pdf(PrintJob(html, base_url, [tmp_path], attachments=False))
    assert b"EmbeddedFile" not in other.data and other.attachments_dropped == 1
    own = render_pdf(PrintJob(html, base_url, [tmp_path], attachments=True))
    assert b"EmbeddedFile" in own.data  # the mechanism is real: the package's own template may attach


def test_metric_names_with_escapes_are_harmless_in_every_listing(make_base: MakeBase) -> None:
    from conftest import METRICS

    metrics = METRICS.replace("zh: 常住人口", 'zh: "常住\\e[2J人口\\x9b1m"')
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS}, metrics=metrics)
    for fmt in ("text", "csv", "json"):
        code, output = run("metrics", "--root", str(root), "--format", fmt)
        assert code == 0 and ESC not in output and "\x9b" not in output, fmt
    rows = json.loads(stdout_of("metrics", "--root", str(root), "--format", "json"))
    assert any(r["zh"] == "常住\x1b[2J人口\x9b1m" for r in rows)  # the JSON still says exactly what the file says
    code, output = run("export", "--root", str(root), "--format", "csv")
    assert code == 0 and ESC not in output


def test_a_brief_is_never_written_over_its_own_template(huzhou_base: Path, tmp_path: Path) -> None:
    template = tmp_path / "mine.md"
    template.write_text((REPO / "templates" / "brief.md.j2").read_text(encoding="utf-8"), encoding="utf-8")
    before = template.read_bytes()
    code, output = run("report", "--root", str(huzhou_base), "--city", "湖州", "--template", str(template),
                       "-o", str(template))
    assert code == 2 and "the template itself" in output and template.read_bytes() == before


def test_a_file_name_with_escapes_is_shown_escaped_in_load_failures(make_base: MakeBase) -> None:
    root = make_base({"huzhou-2024.yaml": HUZHOU_FACTS, f"x{ESC}]0;owned\x07.yaml": "facts: [\n"})
    result = runner.invoke(app, ["check", "--root", str(root), "--no-cache"])
    assert result.exit_code == 2 and ESC not in result.output and "\x07" not in result.output
    assert "x\\x1b]0;owned\\x07.yaml" in result.output
