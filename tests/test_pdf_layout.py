"""PDFs as people lay them out: two columns read one after the other, running footers and page numbers
left out (and listed), each line's page recorded (`pages:`), scanned PDFs and bombs refused.

The PDFs are made here: each shipped seed set by WeasyPrint on A5, in two columns and in one, with a
made-up site footer (an ICP number and the page number) on every page. The hand-built PDFs of the
bounds tests are made up too (a minimal PDF writer below)."""

from __future__ import annotations

import html
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.curate.extract import ExtractError, from_bytes
from ipfacts.curate.pdftext import MAX_STREAM_BYTES, MAX_TEXT_OPERATORS
from ipfacts.load.loader import load
from ipfacts.load.sourcetext import squash

REPO = Path(__file__).resolve().parent.parent
SHIPPED = load(REPO)
runner = CliRunner()


def set_in_pdf(lines: list[str], columns: int, footer: bool = True, size: str = "A5") -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in lines)
    page = (f"@page {{ size: {size}; margin: 15mm; "
            + ("@bottom-center { content: '浙ICP备12345678号 第 ' counter(page) ' 页'; font-size: 8pt }" if footer else "")
            + " }")
    css = (f"{page} body {{ font-family: 'Noto Sans CJK SC'; font-size: 9pt; column-count: {columns}; "
           "column-gap: 8mm } p { margin: 0 }")
    return bytes(HTML(string=f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body>"
                             "</html>").write_pdf())


def findable(source_id: str, text: str) -> tuple[int, int]:
    quotes = [f.quote for f in SHIPPED.facts.values() if f.source == source_id]
    squashed = squash(text)
    return sum(1 for q in quotes if squash(q) in squashed), len(quotes)


@pytest.mark.parametrize("columns", [2, 1])
@pytest.mark.parametrize("source_id", sorted(SHIPPED.sources))
def test_each_seed_set_in_columns_keeps_its_quotes(source_id: str, columns: int) -> None:
    seed = SHIPPED.sources[source_id]
    pdf = set_in_pdf(seed.path.read_text(encoding="utf-8").splitlines(), columns)
    got = from_bytes(pdf, f"{source_id}.pdf")
    found, total = findable(source_id, got.text)
    assert total > 50
    assert found >= 0.95 * total, f"{source_id} in {columns} column(s): {found}/{total} quotes findable"
    # the footer is furniture on every page, never text
    assert "ICP" not in got.text
    assert got.pages is not None and len(got.pages) >= 2 and len(got.ignored) >= len(got.pages)
    assert {page for page, _ in got.ignored} >= set(got.pages)
    assert all("ICP备" in line for _, line in got.ignored)


def test_chinese_lines_set_in_columns_get_no_stray_spaces() -> None:
    # the seed's line 外观设计专利授权时间由一般的6个月缩短至最快3天 comes back whole wherever it breaks
    seed = SHIPPED.sources["jiaxing-shaoxing-2023"]
    text = from_bytes(set_in_pdf(seed.path.read_text(encoding="utf-8").splitlines(), 2), "j.pdf").text
    import re

    stray = re.findall(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)
    written = re.findall(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", seed.path.read_text(encoding="utf-8"))
    assert len(stray) <= len(written)  # only the spaces the seed itself has
    assert "知识产权快速维权中心" in text.replace("\n", "")


def test_three_columns_on_a4() -> None:
    seed = SHIPPED.sources["huzhou-2024"]
    got = from_bytes(set_in_pdf(seed.path.read_text(encoding="utf-8").splitlines(), 3, size="A4"), "three.pdf")
    found, total = findable("huzhou-2024", got.text)
    assert found >= 0.95 * total, f"{found}/{total}"


def test_two_columns_are_read_one_after_the_other() -> None:
    # made up: two paragraphs long enough to fill a column each, side by side
    left = "左栏" + "甲" * 400 + "左栏完"
    right = "右栏" + "乙" * 400 + "右栏完"
    pdf = set_in_pdf([left, right], 2, footer=False)
    text = squash(from_bytes(pdf, "two.pdf").text)
    assert text.index("左栏完") < text.index("右栏")
    assert "甲" * 400 in text and "乙" * 400 in text


def test_a_page_wide_paragraph_over_two_columns() -> None:
    # made up: a paragraph across the page (column-span: all), then two columns under it
    css = ("@page { size: A5; margin: 15mm } body { font-family: 'Noto Sans CJK SC'; font-size: 9pt; "
           "column-count: 2; column-gap: 8mm } .all { column-span: all } p { margin: 0 }")
    from weasyprint import HTML

    body = (f"<p class='all'>引言{'丙' * 500}引言完</p><p>左栏{'甲' * 500}左栏完</p><p>右栏{'乙' * 500}右栏完</p>")
    pdf = HTML(string=f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{body}</body></html>"
               ).write_pdf()
    text = squash(from_bytes(bytes(pdf), "mixed.pdf").text)
    assert f"引言{'丙' * 500}引言完" in text
    assert f"左栏{'甲' * 500}左栏完" in text and f"右栏{'乙' * 500}右栏完" in text
    assert text.index("引言完") < text.index("左栏") < text.index("左栏完") < text.index("右栏")


def test_pages_map_each_line_to_its_page(tmp_path: Path) -> None:
    seed = SHIPPED.sources["ningbo-2024"]
    pdf = tmp_path / "ningbo.pdf"
    pdf.write_bytes(set_in_pdf(seed.path.read_text(encoding="utf-8").splitlines(), 2))
    (tmp_path / "base").mkdir()
    assert runner.invoke(app, ["init", str(tmp_path / "base")]).exit_code == 0
    result = runner.invoke(app, ["add-source", str(pdf), "--id", "ningbo-pdf", "--root", str(tmp_path / "base")])
    assert result.exit_code == 0, result.output
    assert "p. 1: 浙ICP备12345678号 第 1 页" in result.output  # the furniture is listed
    source = load(tmp_path / "base").sources["ningbo-pdf"]
    lines = source.path.read_text(encoding="utf-8").splitlines()
    assert source.pages[0][:2] == (1, 1) and source.pages[-1][2] == len(lines)
    assert all(a[2] + 1 == b[1] for a, b in zip(source.pages, source.pages[1:], strict=False))
    # a line of page 2 is on page 2 of the PDF
    import io

    import pdfplumber

    page, first, last = source.pages[1]
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as document:
        on_page = squash(document.pages[page - 1].extract_text() or "")
    assert squash(lines[first - 1]) in on_page and squash(lines[last - 1]) in on_page
    assert source.page_of(first) == page and source.page_of(len(lines) + 1) is None


def test_a_pdf_without_a_text_layer_is_refused_as_scanned() -> None:
    from weasyprint import HTML

    pdf = HTML(string="<html><body><div style='width:300px;height:400px;background:#888'></div></body></html>"
               ).write_pdf()
    with pytest.raises(ExtractError) as caught:
        from_bytes(bytes(pdf), "scan.pdf")
    assert caught.value.code == "A005" and "scanned" in str(caught.value) and "OCR" in str(caught.value)


def minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF with `content` as its page content, deflated (made up; Helvetica)."""
    return pdf_with_stream(zlib.compress(content))


def pdf_with_stream(stream: bytes) -> bytes:
    """A one-page PDF whose page content is `stream`, already deflated."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Filter /FlateDecode /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_the_minimal_pdf_reads() -> None:
    got = from_bytes(minimal_pdf(b"BT /F1 12 Tf 72 700 Td (Patents granted 71425) Tj ET"), "ok.pdf")
    assert got.text == "Patents granted 71425\n"


def test_a_pdf_of_too_many_text_operators_is_refused_before_layout() -> None:
    content = b"BT /F1 1 Tf 0 0 Td " + b"(a) Tj " * (MAX_TEXT_OPERATORS + 10) + b"ET"
    pdf = minimal_pdf(content)
    assert len(pdf) < 200_000  # small on disk: the operators are compressed
    with pytest.raises(ExtractError) as caught:
        from_bytes(pdf, "ops.pdf")
    assert caught.value.code == "A004" and "text operators" in str(caught.value)


def test_a_decompression_bomb_is_refused() -> None:
    squeezer = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    stream = b"".join(squeezer.compress(chunk) for _ in range(MAX_STREAM_BYTES // len(chunk) + 8)) + squeezer.flush()
    assert len(stream) < 1_000_000
    with pytest.raises(ExtractError) as caught:
        from_bytes(pdf_with_stream(stream), "bomb.pdf")
    assert caught.value.code == "A004" and "decompression bomb" in str(caught.value)


def test_show_and_corrections_cite_the_page(tmp_path: Path) -> None:
    """A made-up two-page PDF whose second page misprints a share: `show` and `corrections` say p. 2."""
    import json

    from weasyprint import HTML

    pdf = tmp_path / "report.pdf"
    HTML(string="<html><head><meta charset='utf-8'><style>body { font-family: 'Noto Sans CJK SC' }</style></head>"
                "<body><p>第一页：知识产权工作综述。</p><p style='page-break-before: always'>"
                "全市专利授权量1000件，其中企业500件，占比60.0%。</p></body></html>").write_pdf(pdf)
    root = tmp_path / "base"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    added = runner.invoke(app, ["add-source", str(pdf), "--id", "demo", "--region", "杭州", "--period", "2024",
                                "--root", str(root)])
    assert added.exit_code == 0, added.output
    source = load(root).sources["demo"]
    lines = source.path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "1000件" in text)
    assert source.page_of(line) == 2 and source.page_of(1) == 1
    (root / "facts" / "demo.yaml").write_text(
        "source: demo\nfacts:\n"
        f"  grants:\n    value: 1000件\n    line: {line}\n    quote: 全市专利授权量1000件\n"
        f"  grants_enterprise:\n    value: 500件\n    line: {line}\n    quote: 其中企业500件\n    part_of: grants\n"
        f"  grants_enterprise_share:\n    value: 60.0%\n    line: {line}\n    quote: 占比60.0%\n"
        "    share_of: [grants_enterprise, grants]\n", encoding="utf-8")
    checked = runner.invoke(app, ["check", "--root", str(root), "--format", "json"])
    assert checked.exit_code in (0, 1)  # the misprint is a finding (R101)
    finding = next(f for f in json.loads(checked.stdout)["findings"] if f["code"].startswith("R"))
    shown = runner.invoke(app, ["show", finding["fingerprint"], "--root", str(root)])
    assert shown.exit_code == 0
    assert f"line {line} (p. 2)" in shown.output
    reviewed = runner.invoke(app, ["review", finding["fingerprint"], "--status", "source-error", "--note",
                                   "60.0% should be 50.0%", "--reviewer", "test", "--root", str(root)])
    assert reviewed.exit_code == 0, reviewed.output
    for lang, said in (("zh", "（第2页）"), ("en", "(p. 2)")):
        letter = runner.invoke(app, ["corrections", "--root", str(root), "--lang", lang])
        assert letter.exit_code == 0 and said in letter.output, letter.output


def test_a_page_without_text_among_pages_with_text_is_named(tmp_path: Path) -> None:
    from weasyprint import HTML

    pdf = tmp_path / "mixed.pdf"  # made up: a page of text, then a page that is only a grey box (a scan)
    HTML(string="<html><head><meta charset='utf-8'><style>body { font-family: 'Noto Sans CJK SC' }</style></head>"
                "<body><p>全市专利授权量71425件。</p><div style='page-break-before: always; width: 300px; "
                "height: 400px; background: #888'></div></body></html>").write_pdf(pdf)
    root = tmp_path / "base"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    result = runner.invoke(app, ["add-source", str(pdf), "--id", "mixed", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "no text on page(s) 2: blank, or scanned" in result.output
    assert load(root).sources["mixed"].pages == ((1, 1, 1),)


FIXTURES = REPO.parent / "shared" / "fixtures" / "tables"


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures/tables is not beside the repository")
def test_a_wide_table_is_not_taken_for_two_columns() -> None:
    """../shared/fixtures: a CNIPA yearbook table set in a PDF table: every row stays one line, its cells in
    order (a gap between a table's columns is no gutter: a column of text fills its width, cells do not)."""
    import html as markup

    from weasyprint import HTML

    fixture = FIXTURES / "cnipa-2022-utility-models-in-force-by-region.txt"
    rows = [line.split() for line in fixture.read_text(encoding="utf-8").splitlines() if line.strip()][:60]
    body = "<table>" + "".join("<tr>" + "".join(f"<td>{markup.escape(c)}</td>" for c in row) + "</tr>"
                               for row in rows) + "</table>"
    pdf = HTML(string="<html><head><meta charset='utf-8'><style>@page { size: A4 } body { font-family: "
                      "'Noto Sans CJK SC'; font-size: 8pt } td { padding: 0 6px }</style></head>"
                      f"<body>{body}</body></html>").write_pdf()
    lines = from_bytes(bytes(pdf), "table.pdf").text.splitlines()
    assert [" ".join(row) for row in rows if " ".join(row) not in lines] == []
