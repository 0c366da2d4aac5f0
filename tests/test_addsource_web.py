"""`ipfacts add-source URL` and HTML decoding: pages fetched from a local HTTP server on 127.0.0.1 (no
other network), decoded as they declare (the server's charset, `<meta charset>`, http-equiv, a BOM;
GBK, Big5 and Shift_JIS among them), hidden text dropped, deep nesting kept, and what cannot be
decoded refused. Every page here is made up."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.curate.extract import ExtractError, from_bytes
from ipfacts.load.loader import load
from ipfacts.load.sourcetext import squash

runner = CliRunner()

ARTICLE_ZH = ("<h1>杭州市2024年知识产权发展状况</h1>"
              "<p>2024年，全市专利授权量71425件，同比增长12.3%。其中发明专利授权量18000件，占比25.2%。</p>"
              "<p>每万人口发明专利拥有量46.79件，有效发明专利60608件，高价值发明专利23713件。</p>"
              "<p>新增注册商标81879件，累计有效注册商标136474件，知识产权质押融资登记金额336.1亿元。</p>")
ARTICLE_TW = ("<h1>臺北市2024年智慧財產權發展狀況</h1>"
              "<p>2024年，全市專利授權量71425件，同比增長12.3%。其中發明專利授權量18000件，佔比25.2%。</p>"
              "<p>每萬人口發明專利擁有量46.79件，有效發明專利60608件，高價值發明專利23713件。</p>"
              "<p>新增註冊商標81879件，累計有效註冊商標136474件，國際專利申請1234件。</p>")
HIDDEN = ("<p hidden>隐藏甲1111件</p><div style=\"display: none\">隐藏乙2222件</div>"
          "<span style='visibility:hidden'>隐藏丙3333件</span><noscript>隐藏丁4444件</noscript>"
          "<iframe src='x'>隐藏戊5555件</iframe><object data='x'>隐藏己6666件</object>"
          "<div aria-hidden='true'>隐藏庚7777件</div><template>隐藏辛8888件</template>")


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}<title>t</title></head><body><article>{body}</article></body></html>"


PAGES: dict[str, tuple[bytes, str]] = {
    "/utf8.html": (page(ARTICLE_ZH + HIDDEN, "<meta charset='utf-8'>").encode("utf-8"), "text/html; charset=utf-8"),
    "/gbk-header.html": (page(ARTICLE_ZH).encode("gbk"), "text/html; charset=GBK"),
    "/gbk-meta.html": (page(ARTICLE_ZH, "<meta charset=\"gb2312\">").encode("gbk"), "text/html"),
    "/big5-equiv.html": (page(ARTICLE_TW, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">")
                         .encode("big5"), "text/html"),
    "/big5-meta.html": (page(ARTICLE_TW, "<meta charset='big5'>").encode("big5"), "text/html"),
    "/big5-undeclared.html": (page(ARTICLE_TW).encode("big5"), "text/html"),
    "/sjis.html": (page("<p>東京都の特許出願件数は１２３４件です。知的財産の保護を進めています。</p>",
                        "<meta charset='shift_jis'>").encode("shift_jis"), "text/html"),
    "/report.pdf": (b"", "application/pdf"),  # filled in by the PDF test
    "/lies.html": (page("<p>\u4e13\u5229</p>", "<meta charset='big5'>").encode("utf-8") + b"\xff\xfe\xfd",
                   "text/html"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        if self.path in ("/moved", "/to-ftp"):
            self.send_response(302)
            self.send_header("Location", "/utf8.html" if self.path == "/moved" else "ftp://127.0.0.1/x.html")
            self.end_headers()
            return
        found = PAGES.get(self.path)
        if found is None:
            self.send_error(404)
            return
        body, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "base"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    return root


def add(base: Path, url: str, source_id: str) -> object:
    return runner.invoke(app, ["add-source", url, "--id", source_id, "--region", "杭州", "--period", "2024",
                               "--root", str(base)])


@pytest.mark.parametrize("path", ["/utf8.html", "/gbk-header.html", "/gbk-meta.html", "/moved"])
def test_a_simplified_page_by_url(server: str, base: Path, path: str) -> None:
    result = add(base, server + path, "hz")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    source = load(base).sources["hz"]
    text = source.path.read_text(encoding="utf-8")
    assert "全市专利授权量71425件" in squash(text) and "每万人口发明专利拥有量46.79件" in squash(text)
    assert "隐藏" not in text  # hidden, display:none, visibility:hidden, noscript, iframe, object, aria, template
    assert source.url == server + path
    assert source.retrieved is not None and len(source.retrieved) == 10
    assert runner.invoke(app, ["check", "--root", str(base)]).exit_code == 0


@pytest.mark.parametrize("path", ["/big5-equiv.html", "/big5-meta.html", "/big5-undeclared.html"])
def test_a_big5_page_by_url_is_read_as_big5(server: str, base: Path, path: str) -> None:
    result = add(base, server + path, "tp")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    text = squash((base / "seeds" / "tp.txt").read_text(encoding="utf-8"))
    assert "每萬人口發明專利擁有量46.79件" in text and "國際專利申請1234件" in text
    # and `locate` finds it by its simplified name
    found = runner.invoke(app, ["locate", "tp", "每万人口发明专利拥有量", "--root", str(base)])
    assert found.exit_code == 0, found.output
    assert "quote: 每萬人口發明專利擁有量46.79件" in found.output
    back = runner.invoke(app, ["locate", "tp", "国际专利申请", "--root", str(base)])
    assert back.exit_code == 0 and "1234件" in back.output


def test_shift_jis_is_honoured(server: str, base: Path) -> None:
    assert add(base, server + "/sjis.html", "tokyo").exit_code == 0  # type: ignore[attr-defined]
    assert "特許出願件数は１２３４件です" in (base / "seeds" / "tokyo.txt").read_text(encoding="utf-8")


def test_a_pdf_by_url_records_its_pages(server: str, base: Path) -> None:
    from weasyprint import HTML

    PAGES["/report.pdf"] = (bytes(HTML(string=page(ARTICLE_ZH, "<meta charset='utf-8'>")).write_pdf()),
                            "application/pdf")
    result = add(base, server + "/report.pdf", "pdf")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    source = load(base).sources["pdf"]
    assert source.pages and source.pages[0][0] == 1 and source.url.endswith("/report.pdf")


def test_what_cannot_be_fetched_or_decoded_is_refused_and_nothing_written(server: str, base: Path) -> None:
    before = (base / "facts" / "sources.yaml").read_bytes()
    missing = add(base, server + "/nowhere.html", "x")
    assert missing.exit_code == 2 and "A006" in missing.output and "404" in missing.output  # type: ignore[attr-defined]
    lies = add(base, server + "/lies.html", "x")
    assert lies.exit_code == 2 and "A002" in lies.output and "declares big5" in lies.output  # type: ignore[attr-defined]
    ftp = add(base, server + "/to-ftp", "x")
    assert ftp.exit_code == 2 and "not an http(s) URL" in ftp.output  # type: ignore[attr-defined]
    closed = add(base, "http://127.0.0.1:9/x.html", "x")  # the discard port: nothing listens
    assert closed.exit_code == 2 and "cannot fetch" in closed.output  # type: ignore[attr-defined]
    assert (base / "facts" / "sources.yaml").read_bytes() == before
    assert list((base / "seeds").iterdir()) == []


def test_a_big5_text_file_is_not_read_as_gb18030(tmp_path: Path) -> None:
    text = "每萬人口發明專利擁有量46.79件，同比增長12.3%。國際專利申請1234件。\n"
    got = from_bytes(text.encode("big5"), "taipei.txt")
    assert got.text == text and got.encoding == "big5hkscs"
    gbk = from_bytes(text.replace("萬", "万").encode("gb18030"), "x.txt")
    assert gbk.encoding == "gb18030"


def test_undecodable_text_is_refused() -> None:
    with pytest.raises(ExtractError) as caught:
        from_bytes(bytes(range(128, 256)) * 50, "noise.txt")
    assert caught.value.code == "A002"


def test_a_bom_decides(tmp_path: Path) -> None:
    text = "专利授权量71425件\n"
    assert from_bytes(b"\xff\xfe" + text.encode("utf-16-le"), "x.txt").text == text
    assert from_bytes(b"\xef\xbb\xbf" + page(f"<p>{text}</p>", "<meta charset='big5'>").encode(), "x.html").encoding \
        == "utf-8"


def test_deep_nesting_keeps_the_text() -> None:
    deep = ("<div>" * 300 + "<p>深处：专利授权量71425件。</p><table><tr><th>地区</th><th>授权量</th></tr>"
            "<tr><td>甲县</td><td>9000</td></tr></table>" + "</div>" * 300)
    got = from_bytes(page("<nav>首页 | 新闻</nav><h1>标题</h1>" + deep + "<p>之后：商标81879件。</p>"
                          "<footer>浙ICP备12345678号</footer>").encode(), "deep.html")
    assert "深处：专利授权量71425件。" in got.text and "之后：商标81879件。" in got.text
    assert "ICP" not in got.text and "首页" not in got.text  # the site's menu and footer are not the article
    assert "| 地区 | 授权量 |\n| 甲县 | 9000 |\n" in got.text  # a table one row a line, as trafilatura writes it


def test_many_short_paragraphs_are_all_kept() -> None:
    # made up: 40,000 paragraphs (past what trafilatura reads in reasonable time): the plain walker keeps each
    body = "".join(f"<p>第{i}段：专利{i}件</p>" for i in range(40_000))
    got = from_bytes(page(body).encode(), "long.html")
    assert got.text.count("\n") >= 40_000 and "第39999段：专利39999件" in got.text


def test_a_paragraph_over_ten_megabytes_is_kept() -> None:
    # made up: libxml2 cuts a text node past 10 MB unless told otherwise; the paragraph must come back whole
    paragraph = "专利授权量71425件。" * 900_000  # 12.6 MB of UTF-8
    got = from_bytes(page(f"<p>{paragraph}</p><p>之后</p>").encode(), "big.html")
    assert got.text.count("专利授权量71425件。") == 900_000 and "之后" in got.text
