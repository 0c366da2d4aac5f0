"""`ipfacts add-source`: a PDF, an HTML page, Markdown or text into seeds/ID.txt and sources.yaml,
with stable lines, its sha256, and never over a file."""

from __future__ import annotations

import hashlib
import html
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.curate.addsource import AddSourceError, Entry, add_source, guess_lang
from ipfacts.curate.extract import normalise
from ipfacts.load.loader import load
from ipfacts.load.sourcetext import squash

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A base with the shipped sources.yaml (its bytes must survive every add)."""
    (tmp_path / "base" / "facts").mkdir(parents=True)
    (tmp_path / "base" / "facts" / "sources.yaml").write_bytes((REPO / "facts" / "sources.yaml").read_bytes())
    shutil.copy(REPO / "facts" / "metrics.yaml", tmp_path / "base" / "facts" / "metrics.yaml")
    shutil.copytree(REPO / "seeds", tmp_path / "base" / "seeds")
    return tmp_path / "base"


def invoke(*args: str, input: str | None = None) -> object:
    return runner.invoke(app, list(args), input=input)


def seed_as_pdf(lines: list[str], path: Path) -> Path:
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in lines)
    HTML(string=f"<html><head><meta charset='utf-8'><style>@page {{ size: A4; margin: 15mm }} "
                f"body {{ font-family: 'Noto Sans CJK SC'; font-size: 10pt }} p {{ margin: 0 }}</style></head>"
                f"<body>{body}</body></html>").write_pdf(path)
    return path


def assert_kept_and_appended(root: Path, before: bytes, source_id: str) -> None:
    after = (root / "facts" / "sources.yaml").read_bytes()
    assert after.startswith(before), "every byte sources.yaml had is kept"
    base = load(root)
    source = base.sources[source_id]
    assert source.sha256 == hashlib.sha256(source.path.read_bytes()).hexdigest()


def test_a_seed_rendered_to_pdf_comes_back_with_every_quote_of_its_facts(root: Path, tmp_path: Path) -> None:
    shipped = load(REPO)
    seed = shipped.sources["jiaxing-shaoxing-2023"]
    pdf = seed_as_pdf(seed.path.read_text(encoding="utf-8").splitlines(), tmp_path / "jiaxing.pdf")
    before = (root / "facts" / "sources.yaml").read_bytes()
    result = invoke("add-source", str(pdf), "--id", "jiaxing-pdf", "--region", "嘉兴", "--period", "2023",
                    "--title", seed.title, "--root", str(root))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert_kept_and_appended(root, before, "jiaxing-pdf")
    text = (root / "seeds" / "jiaxing-pdf.txt").read_text(encoding="utf-8")
    assert "\f" not in text and text == normalise(text)
    squashed = squash(text)
    quotes = [f.quote for f in shipped.facts.values() if f.source == "jiaxing-shaoxing-2023"]
    assert len(quotes) > 80
    missing = [q for q in quotes if squash(q) not in squashed]
    assert missing == []
    entry = load(root).sources["jiaxing-pdf"]
    assert (entry.region, entry.period, entry.lang, entry.title) == ("嘉兴", "2023", "zh", seed.title)


def test_pdf_table_cells_stand_apart_on_one_line(root: Path, tmp_path: Path) -> None:
    from weasyprint import HTML

    pdf = tmp_path / "table.pdf"
    HTML(string="<html><head><meta charset='utf-8'><style>body { font-family: 'Noto Sans CJK SC' }</style></head>"
                "<body><p>表1 各地专利授权量</p><table><tr><th>地区</th><th>合计</th><th>发明</th></tr>"
                "<tr><td>杭州市</td><td>31459</td><td>1234</td></tr>"
                "<tr><td>宁波市</td><td>2,345</td><td>12.5%</td></tr></table></body></html>").write_pdf(pdf)
    add_source(root, pdf, Entry("table"))
    lines = (root / "seeds" / "table.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split() for line in lines[1:]] == [["地区", "合计", "发明"], ["杭州市", "31459", "1234"],
                                                   ["宁波市", "2,345", "12.5%"]]


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某市2024年知识产权发展状况</title></head>
<body><nav><a href="/">首页</a> | <a href="/news">新闻中心</a> | 第1页</nav>
<article><h1>某市2024年知识产权发展状况</h1>
<p>全市有效发明专利21579件（其中企业20134件，占比93.3%），同比增长11.55%。</p>
<p>全年授权专利16966件，比去年底增长4710件。</p>
<table><tr><th>地区</th><th>合计</th><th>发明</th></tr>
<tr><td>甲县</td><td>9000</td><td>1200</td></tr><tr><td>乙县</td><td>7966</td><td>2125</td></tr></table>
</article><footer>版权所有 © 2024 某市市场监督管理局 备案号12345678</footer></body></html>
"""


def test_an_html_page_keeps_the_article_and_its_table_one_row_a_line(root: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    before = (root / "facts" / "sources.yaml").read_bytes()
    added = add_source(root, page, Entry("page", region="某市", period="2024", url="https://example.org/ip"))
    assert_kept_and_appended(root, before, "page")
    text = added.seed.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "全市有效发明专利21579件（其中企业20134件，占比93.3%），同比增长11.55%。" in lines
    assert "全年授权专利16966件，比去年底增长4710件。" in lines
    rows = [line for line in lines if "县" in line]
    assert [[c.strip() for c in row.strip("| ").split("|")] for row in rows] == [["甲县", "9000", "1200"],
                                                                                 ["乙县", "7966", "2125"]]
    assert "新闻中心" not in text and "备案号" not in text  # the page's menu and footer are not the document
    assert added.entry_text.endswith("  url: https://example.org/ip\n")
    from ipfacts.curate.scaffold import scaffold, tables_of

    [table] = tables_of(load(root), "page")
    assert [(r.region, r.cells) for r in table.rows] == [("甲县", ["9000", "1200"]), ("乙县", ["7966", "2125"])]
    assert [c.header for c in table.columns] == ["合计", "发明"]
    drafts = {d.value: d for d in scaffold(load(root), "page")}
    assert drafts["4710件"].relations == {"change_of": [drafts["16966件"].key]} and drafts["4710件"].base == "year-end"


def test_markdown_and_text_keep_their_lines_and_lose_page_breaks(root: Path, tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text("# 统计公报\n\n| 地区 | 合计 |\n|---|---|\n| 甲县 | 9000 |\n", encoding="utf-8")
    add_source(root, md, Entry("note"))
    assert (root / "seeds" / "note.txt").read_text(encoding="utf-8") == \
        "# 统计公报\n\n| 地区 | 合计 |\n|---|---|\n| 甲县 | 9000 |\n"
    raw = tmp_path / "pdftotext.txt"
    raw.write_bytes("第一页 全年授权专利16966件\r\n\f第二页\u2028甲县  9000   \r\n\n\n\n乙县\x0b7966\n".encode())
    add_source(root, raw, Entry("raw"))
    text = (root / "seeds" / "raw.txt").read_text(encoding="utf-8")
    assert text == "第一页 全年授权专利16966件\n\n第二页\n甲县  9000\n\n乙县\n7966\n"
    assert text.splitlines() == text.split("\n")[:-1], "no break but \\n: grep -n and citations agree"
    gbk = tmp_path / "old.txt"
    gbk.write_bytes("有效发明专利21579件\n".encode("gb18030"))
    add_source(root, gbk, Entry("old"))
    assert (root / "seeds" / "old.txt").read_text(encoding="utf-8") == "有效发明专利21579件\n"


def test_never_over_an_id_or_a_file(root: Path, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("全年授权专利16966件。\n", encoding="utf-8")
    before = (root / "facts" / "sources.yaml").read_bytes()
    with pytest.raises(AddSourceError, match="'huzhou-2024' is already declared"):
        add_source(root, doc, Entry("huzhou-2024"))
    (root / "seeds" / "mine.txt").write_text("hand-written\n", encoding="utf-8")
    result = invoke("add-source", str(doc), "--id", "mine", "--root", str(root))
    assert result.exit_code == 2 and "exists; add-source never writes over a file" in result.output  # type: ignore[attr-defined]
    assert (root / "seeds" / "mine.txt").read_text(encoding="utf-8") == "hand-written\n"
    assert (root / "facts" / "sources.yaml").read_bytes() == before
    for bad, message in ((["--id", "Bad Id"], "use lower-case letters"), (["--id", "x", "--period", "2024年"], "period"),
                         (["--id", "x", "--lang", "fr"], "lang 'fr'"), ([], "--id is required")):
        result = invoke("add-source", str(doc), *bad, "--root", str(root))
        assert result.exit_code == 2 and message in result.output, result.output  # type: ignore[attr-defined]
    result = invoke("add-source", str(tmp_path / "nope.pdf"), "--id", "x", "--root", str(root))
    assert result.exit_code == 2 and "no such file" in result.output  # type: ignore[attr-defined]
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.7 garbage")
    result = invoke("add-source", str(fake), "--id", "x", "--root", str(root))
    assert result.exit_code == 2 and "not a readable PDF" in result.output  # type: ignore[attr-defined]
    assert not (root / "seeds" / "x.txt").exists()
    assert (root / "facts" / "sources.yaml").read_bytes() == before


def test_appends_after_a_last_line_without_newline_and_asks_on_a_terminal(root: Path, tmp_path: Path) -> None:
    path = root / "facts" / "sources.yaml"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    before = path.read_bytes()
    doc = tmp_path / "a.txt"
    doc.write_text("全年授权专利16966件。Patents granted: 16,966.\n", encoding="utf-8")
    result = invoke("add-source", str(doc), "--root", str(root), "--interactive", input="new-2024\n新文件\n某市\n2024-01/10\n")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert path.read_bytes().startswith(before + b"\nnew-2024:\n")
    source = load(root).sources["new-2024"]
    assert (source.title, source.region, source.period) == ("新文件", "某市", "2024-01/10")


def test_language_guess() -> None:
    assert guess_lang("全年授权专利16966件。") == "zh"
    assert guess_lang("Patents granted in 2024: 16,966 in total") == "en"
    assert guess_lang("全年授权专利16966件。" * 3 + "A total of 16,966 patents were granted in the year.") == "zh+en"
