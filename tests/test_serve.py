"""`ipfacts serve`: route tests with Starlette's TestClient over copies of the shipped fact base."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_serve_cli import verdicts_in_file

from ipfacts.cli import app as cli_app
from ipfacts.web import core, create_app
from ipfacts.web.live import Live

REPO = Path(__file__).resolve().parent.parent
R101 = "3d009c19658435e1"  # huzhou-2024: 15829 / 16966 printed as 93.4% (reviewed source-error in the shipped base)
R104 = "5f2af8676441b084"  # ningbo-2024: 93.38% of 1356 is no whole number
R106 = "dc1ed349dc471c7a"  # huzhou-2024: +340% to 446
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def shared_parse_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # the run cache is keyed by content, so every copy of the base can share one (fast tests)
    monkeypatch.setenv("IPFACTS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "serve-cache"))


def copy_base(tmp_path: Path, reviews: bool = True) -> Path:
    root = tmp_path / "base"
    shutil.copytree(REPO / "facts", root / "facts")
    shutil.copytree(REPO / "seeds", root / "seeds")
    if not reviews:
        (root / "facts" / "reviews.yaml").unlink()
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return copy_base(tmp_path)


@pytest.fixture
def unreviewed(tmp_path: Path) -> Path:
    """The shipped base without its verdicts: its three findings are open."""
    return copy_base(tmp_path, reviews=False)


def client(root: Path) -> TestClient:
    return TestClient(create_app(root), base_url="http://127.0.0.1:8765", follow_redirects=False)


def form_of(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    assert "csrf" in fields and "version" in fields, "no verdict form on the page"
    return fields


def post_verdict(c: TestClient, fp: str, fields: dict[str, str], **values: str) -> object:
    return c.post(f"/findings/{fp}", data={**fields, **values}, headers={"origin": "http://127.0.0.1:8765"})


def reviews_of(root: Path) -> dict[str, dict[str, object]]:
    return verdicts_in_file(root)


def tally(root: Path) -> tuple[int, int, int]:
    """(open, stale, reviewed) findings by fingerprint, straight from a fresh check of ROOT."""
    report = Live(root).state().report
    found = {f.fingerprint: f for f in report.findings}.values()
    return (sum(1 for f in found if f.code != "V001" and report.review_of(f) is None),
            sum(1 for f in found if f.code == "V001"), sum(1 for f in found if report.review_of(f) is not None))


def counts(numbers: tuple[int, int, int]) -> str:
    return "{} open · {} stale · {} reviewed".format(*numbers)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- the list -------------------------------------------------------------------------------------------


def test_list_shows_reviewed_findings_with_counts_and_check_time(shipped: Path) -> None:
    with client(shipped) as c:
        page = c.get("/")
    assert page.status_code == 200
    text = text_of(page.text)
    numbers = tally(shipped)
    assert numbers[2] >= 3 and counts(numbers) in text
    assert "Last checked at" in text
    for fp in (R101, R104, R106):
        assert f'href="/findings/{fp}"' in page.text
    assert "ipfacts curators" in text


def test_list_filters_by_source_code_status_and_reviewer(shipped: Path) -> None:
    with client(shipped) as c:
        by_source = c.get("/", params={"source": "ningbo-2024"}).text
        by_code = c.get("/", params={"code": "R106"}).text
        open_only = c.get("/", params={"status": "open"}).text
        by_reviewer = c.get("/", params={"reviewer": "ipfacts curators"}).text
        nobody = c.get("/", params={"reviewer": "Li Wei"}).text
    state = Live(shipped).state()
    assert state.base is not None
    found = {f.fingerprint: f for f in state.report.findings}
    ningbo = [fp for fp, f in found.items() if any(state.base.facts[r.id].source == "ningbo-2024" for r in f.facts)]
    assert R104 in by_source and R101 not in by_source and R106 not in by_source
    assert f"Showing {len(ningbo)} of {len(found)} finding(s)" in text_of(by_source)
    assert all(fp in by_source for fp in ningbo)
    assert R106 in by_code and R101 not in by_code
    assert all(fp not in open_only for fp in (R101, R104, R106))
    assert all(fp in by_reviewer for fp in (R101, R104, R106))
    assert f"Showing 0 of {len(found)}" in text_of(nobody)


def test_unknown_status_filter_is_a_clear_400_page(shipped: Path) -> None:
    with client(shipped) as c:
        page = c.get("/", params={"status": "<b>nope</b>"})
    assert page.status_code == 400
    assert "Unknown status filter" in page.text and "<b>nope</b>" not in page.text
    assert "Traceback" not in page.text


# -- one finding ----------------------------------------------------------------------------------------


def test_finding_page_shows_message_marked_source_facts_notes_and_verdict(shipped: Path) -> None:
    from markupsafe import escape

    message = next(f.message for f in Live(shipped).state().report.findings if f.fingerprint == R101)
    with client(shipped) as c:
        page = c.get(f"/findings/{R101}")
    assert page.status_code == 200
    html = page.text
    assert "16966" in message and str(escape(message)) in html  # the check's own words
    assert "The part divided by the whole" in html  # what the check means, from the code catalogue
    for value in ("16966", "15829", "93.4"):  # the figures of the facts, marked in the cited lines
        assert f'<mark class="value">{value}</mark>' in html
    assert '<li value="58" class="cited">' in html
    assert "huzhou-2024/patent_grants_enterprise_share" in html
    assert "so the share should read 93.3%, not 93.4%" in html  # the curators' note on the fact
    assert "Current verdict" in html and "source-error" in html
    fields = form_of(html)
    assert fields["version"] == core.version_of(shipped, R101) != ""


def test_prefix_redirects_to_the_stable_url_and_bad_fingerprints_get_pages(shipped: Path) -> None:
    with client(shipped) as c:
        prefix = c.get(f"/findings/{R101[:8]}")
        unknown = c.get("/findings/0123456789abcdef")
        junk = c.get("/findings/not-a-fingerprint")
        traversal = c.get("/findings/..%2F..%2Fetc%2Fpasswd")
        missing = c.get("/facts/sources.yaml")
        wrong_method = c.put(f"/findings/{R101}")
    assert prefix.status_code == 307 and prefix.headers["location"] == f"/findings/{R101}"
    assert unknown.status_code == 404 and "No such finding" in unknown.text
    assert junk.status_code == 400 and "Not a fingerprint" in junk.text
    assert traversal.status_code in (400, 404) and "root:" not in traversal.text
    assert missing.status_code == 404 and "sha256" not in missing.text
    assert wrong_method.status_code == 405
    for page in (unknown, junk, traversal, missing, wrong_method):
        assert "Traceback" not in page.text and "<h1>" in page.text


def test_every_response_carries_the_security_headers(shipped: Path) -> None:
    with client(shipped) as c:
        pages = [c.get("/"), c.get(f"/findings/{R101}"), c.get("/nope"), c.get("/static/style.css")]
    for page in pages:
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["x-frame-options"] == "DENY"
    assert pages[3].headers["content-type"].startswith("text/css")


def test_other_host_headers_are_refused(shipped: Path) -> None:
    # a page elsewhere that rebinds its own name to 127.0.0.1 still sends its own Host header
    with TestClient(create_app(shipped), base_url="http://attacker.example") as c:
        assert c.get("/").status_code == 400


# -- recording ------------------------------------------------------------------------------------------


def test_record_a_verdict_writes_reviews_yaml_and_check_sees_it(unreviewed: Path) -> None:
    from typer.testing import CliRunner

    with client(unreviewed) as c:
        page = c.get(f"/findings/{R104}")
        assert "No verdict recorded" in page.text
        done = post_verdict(c, R104, form_of(page.text), status="source-error", reviewer="Li Wei",
                            note="1356 cases cannot give 93.38%: misprint")
        assert done.status_code == 303 and done.headers["location"] == f"/findings/{R104}?recorded=1"
        after = c.get(done.headers["location"])
        listing = c.get("/", params={"status": "reviewed"})
    entry = reviews_of(unreviewed)[R104]
    assert entry["status"] == "source-error" and entry["reviewer"] == "Li Wei"
    assert entry["note"] == "1356 cases cannot give 93.38%: misprint"
    assert "Verdict recorded" in after.text and "Li Wei" in after.text
    assert 'name="reviewer" value="Li Wei"' in after.text  # remembered for the next verdict
    assert R104 in listing.text and "Li Wei" in listing.text
    result = CliRunner().invoke(cli_app, ["check", "--root", str(unreviewed), "--format", "json"])
    reviewed = [f for f in json.loads(result.stdout)["findings"] if f["review"]]
    assert [(f["fingerprint"], f["review"]["reviewer"]) for f in reviewed] == [(R104, "Li Wei")]


def test_a_page_that_showed_an_older_verdict_is_refused_and_both_are_shown(unreviewed: Path) -> None:
    with client(unreviewed) as c:
        seen_by_a = form_of(c.get(f"/findings/{R101}").text)  # editor A opens the page: no verdict yet
        seen_by_b = form_of(c.get(f"/findings/{R101}").text)
        assert post_verdict(c, R101, seen_by_b, status="explained", note="B: a different base",
                            reviewer="Editor B").status_code == 303
        refused = post_verdict(c, R101, seen_by_a, status="source-error", note="A: misprint", reviewer="Editor A")
        assert refused.status_code == 409
        text = text_of(refused.text)
        assert "Not recorded: the verdict changed" in text
        assert "Editor B" in text and "B: a different base" in text and "A: misprint" in text
        assert reviews_of(unreviewed)[R101]["reviewer"] == "Editor B"
        # the refusal page carries B's version: submitting it again replaces B's verdict knowingly
        again = form_of(refused.text)
        assert again["version"] == core.version_of(unreviewed, R101) != ""
        assert 'name="note" rows="4" maxlength="4000" required>A: misprint</textarea>' in refused.text
        assert post_verdict(c, R101, again, status="source-error", note="A: misprint",
                            reviewer="Editor A").status_code == 303
    assert reviews_of(unreviewed)[R101]["reviewer"] == "Editor A"
    assert [v.reviewer for v in core.history(unreviewed, R101)] == ["Editor B", "Editor A"]  # nothing lost
    with client(unreviewed) as c:
        history = text_of(c.get(f"/findings/{R101}").text)
    assert history.index("Editor A · ") < history.index("Editor B · ")  # newest first


def test_a_verdict_recorded_from_the_terminal_meanwhile_is_not_overwritten(unreviewed: Path) -> None:
    from typer.testing import CliRunner

    with client(unreviewed) as c:
        shown = form_of(c.get(f"/findings/{R106}").text)
        result = CliRunner().invoke(cli_app, ["review", R106, "--root", str(unreviewed), "--status", "explained",
                                              "--note", "rounded to tens", "--reviewer", "Terminal", "--no-interactive"])
        assert result.exit_code == 0, result.output
        refused = post_verdict(c, R106, shown, status="false-positive", note="web", reviewer="Browser")
    assert refused.status_code == 409
    assert reviews_of(unreviewed)[R106]["reviewer"] == "Terminal"


def test_empty_note_or_unknown_status_is_refused_by_the_core_and_the_input_kept(unreviewed: Path) -> None:
    with client(unreviewed) as c:
        fields = form_of(c.get(f"/findings/{R104}").text)
        no_note = post_verdict(c, R104, fields, status="explained", note="   ", reviewer="Li Wei")
        bad_status = post_verdict(c, R104, fields, status="fine", note="kept text", reviewer="Li Wei")
    assert no_note.status_code == 400 and "a review needs a note" in no_note.text
    assert bad_status.status_code == 400 and "unknown status" in bad_status.text and "kept text" in bad_status.text
    assert not (unreviewed / "facts" / "reviews.yaml").exists()


@pytest.mark.parametrize("case", ["no token", "other token", "forged", "other origin", "no version"])
def test_posts_without_a_valid_csrf_token_or_from_elsewhere_are_refused(unreviewed: Path, case: str) -> None:
    with client(unreviewed) as c:
        fields = form_of(c.get(f"/findings/{R104}").text)
        data = {**fields, "status": "explained", "note": "n", "reviewer": "r"}
        headers = {"origin": "http://127.0.0.1:8765"}
        if case == "no token":
            del data["csrf"]
        elif case == "other token":
            data["csrf"] = create_app(unreviewed).state.pages.csrf.new_token()  # another server's key
        elif case == "forged":  # cookie and field agree, but the signature is not this server's
            data["csrf"] = fields["csrf"].split(".")[0] + "." + "0" * 64
            c.cookies.clear()
            headers["cookie"] = f"ipfacts_csrf={data['csrf']}"
        elif case == "other origin":
            headers = {"origin": "http://attacker.example"}
        else:
            del data["version"]
        refused = c.post(f"/findings/{R104}", data=data, headers=headers)
    assert refused.status_code in (400, 403)
    assert "Nothing was recorded" in refused.text or "another site" in refused.text
    assert not (unreviewed / "facts" / "reviews.yaml").exists()


def test_csrf_tokens_are_this_servers_signed_values() -> None:
    from ipfacts.web.csrf import Csrf

    mine, theirs = Csrf(b"k" * 32), Csrf(b"j" * 32)
    token = mine.new_token()
    assert mine.valid(token) and mine.check(token, token)
    assert not theirs.valid(token) and not theirs.check(token, token)
    assert not mine.check(token, mine.new_token())  # the field must equal the cookie
    nonce, signature = token.split(".")
    assert not mine.valid(f"{nonce}.{signature[:-1]}{'0' if signature[-1] != '0' else '1'}")
    assert not mine.valid(f"{nonce[:-1]}x.{signature}")
    for junk in ("", "no-dot", "a.b.c", "é.é"):
        assert not mine.valid(junk)
    assert mine.token_for(token) == token and mine.token_for("junk") != "junk"


def test_an_internal_error_is_a_page_without_a_traceback(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ipfacts.web import views

    def broken(*_: object) -> None:
        raise RuntimeError("boom in rows")

    monkeypatch.setattr(views, "rows", broken)
    with TestClient(create_app(shipped), base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        page = c.get("/")
    assert page.status_code == 500 and "Something went wrong" in page.text
    assert "Traceback" not in page.text and "boom in rows" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_citation_findings_cannot_be_reviewed(unreviewed: Path) -> None:
    edit(unreviewed / "facts" / "huzhou-2024.yaml", "quote: 本年度获评中国专利奖优秀奖4项",
         "quote: 本年度获评中国专利奖优秀奖5项")
    with client(unreviewed) as c:
        listing = c.get("/", params={"code": "C004"})
        fp = re.findall(r'href="/findings/([0-9a-f]{16})"', listing.text)[0]
        page = c.get(f"/findings/{fp}")
        assert "cannot be reviewed" in page.text and 'name="version"' not in page.text
        token = re.search(r'ipfacts_csrf=([^;]+)', page.headers.get("set-cookie", "")) or None
        fields = form_of(c.get(f"/findings/{R104}").text)  # a valid token, from a reviewable finding's form
        forced = post_verdict(c, fp, {**fields, "version": ""}, status="explained", note="fine", reviewer="x")
    assert token is None or token.group(1)
    assert forced.status_code == 409 and "cannot be reviewed" in forced.text
    assert not (unreviewed / "facts" / "reviews.yaml").exists()


def test_script_in_a_quote_a_note_and_a_verdict_shows_as_text(unreviewed: Path) -> None:
    facts = unreviewed / "facts" / "huzhou-2024.yaml"
    edit(facts, "quote: 本年度获评中国专利奖优秀奖4项", f"quote: 本年度获评中国专利奖优秀奖4项{SCRIPT}")
    edit(facts, "      source error: 15829 / 16966", f"      {SCRIPT} source error: 15829 / 16966")
    with client(unreviewed) as c:
        listing = c.get("/")
        c004 = re.findall(r'href="/findings/([0-9a-f]{16})"', c.get("/", params={"code": "C004"}).text)[0]
        quote_page = c.get(f"/findings/{c004}")
        fields = form_of(c.get(f"/findings/{R101}").text)
        post_verdict(c, R101, fields, status="source-error", note=f"misprint {SCRIPT}", reviewer=f"{SCRIPT}")
        note_page = c.get(f"/findings/{R101}")
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for page in (listing, quote_page, note_page):
        assert "<script" not in page.text.lower()
    assert escaped in listing.text and escaped in quote_page.text
    assert note_page.text.count(escaped) >= 3  # the fact's note, the verdict's note and its reviewer


# -- live -----------------------------------------------------------------------------------------------


def test_a_changed_fact_file_is_rechecked_on_the_next_page_load(shipped: Path) -> None:
    opened, stale, reviewed = tally(shipped)
    live = Live(shipped)
    first = live.state()
    assert live.state() is first  # nothing changed: no new check
    with client(shipped) as c:
        c.app.state.pages.live = live
        before = c.get("/").text
        edit(shipped / "facts" / "ningbo-2024.yaml", "value: 93.38%", "value: 93.36%")  # now a whole 1266 of 1356
        after = c.get("/").text
    assert live.state() is not first and live.state().checks == 2
    assert counts((opened, stale, reviewed)) in text_of(before)
    # the verdict on 93.38% no longer applies; 93.36% is not what the quote says (a citation finding)
    assert counts((opened + 1, stale + 1, reviewed - 1)) in text_of(after)
    assert R104 in after


def test_a_stale_verdict_has_a_page_saying_so_and_the_new_finding_is_open(shipped: Path) -> None:
    edit(shipped / "facts" / "ningbo-2024.yaml", "value: 93.38%", "value: 93.39%")  # a new value, still impossible
    with client(shipped) as c:
        listing = c.get("/", params={"status": "stale"})
        stale_fp = re.findall(r'href="/findings/([0-9a-f]{16})"', listing.text)
        opened = c.get("/", params={"status": "open", "code": "R104"})
        new_fp = re.findall(r'href="/findings/([0-9a-f]{16})"', opened.text)
        stale_page = c.get(f"/findings/{stale_fp[0]}")
        new_page = c.get(f"/findings/{new_fp[0]}")
    assert len(stale_fp) == 1 and len(new_fp) == 1 and new_fp[0] != R104
    text = text_of(stale_page.text)
    assert "This verdict no longer applies" in text and "ipfacts curators" in text
    assert "93.38% was" in text or "was 93.38%" in text
    assert "cannot be reviewed" in text and 'name="version"' not in stale_page.text
    # the new value is not in its quote any more: the new finding waits until the citation is fixed
    assert "No verdict recorded" in new_page.text and 'name="version"' not in new_page.text
    assert "the citation of ningbo-2024/ip_tribunal_first_instance_share" in text_of(new_page.text)


def test_a_verdict_on_the_renewed_finding_replaces_its_stale_one(shipped: Path) -> None:
    import hashlib

    opened, stale, reviewed = tally(shipped)
    seed = shipped / "seeds" / "000_ef14d01db3a9c97a.txt"  # huzhou-2024: a line added at the end, hash updated
    old_hash = hashlib.sha256(seed.read_bytes()).hexdigest()
    seed.write_bytes(seed.read_bytes() + "\n（附注）\n".encode())
    edit(shipped / "facts" / "sources.yaml", old_hash, hashlib.sha256(seed.read_bytes()).hexdigest())
    moved = tally(shipped)  # the huzhou findings (R101, R106 …) under new fingerprints, their verdicts stale
    with client(shipped) as c:
        before = text_of(c.get("/").text)
        listing = c.get("/", params={"status": "open", "code": "R101"}).text
        new_fp = re.findall(r'href="/findings/([0-9a-f]{16})"', listing)[0]
        fields = form_of(c.get(f"/findings/{new_fp}").text)  # reviewable: its numbers are verified
        done = post_verdict(c, new_fp, fields, status="source-error", note="still a misprint", reviewer="Li Wei")
        after = text_of(c.get("/").text)
    assert moved[0] >= 2 and moved[1] >= 2 and moved[0] - opened == moved[1] - stale == reviewed - moved[2]
    assert counts(moved) in before
    assert done.status_code == 303
    assert counts((moved[0] - 1, moved[1] - 1, moved[2] + 1)) in after
    entries = reviews_of(shipped)
    assert new_fp in entries and R101 not in entries and R106 in entries


def test_a_same_size_rewrite_within_one_clock_tick_is_still_seen(shipped: Path) -> None:
    path = shipped / "facts" / "ningbo-2024.yaml"
    os.utime(path)  # just saved
    live = Live(shipped)
    first = live.state()
    stamp = path.stat()
    edit(path, "value: 93.38%", "value: 93.36%")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same size, same mtime: only the bytes differ
    assert live.state() is not first


def test_a_changed_source_document_is_rechecked(shipped: Path) -> None:
    live = Live(shipped)
    first = live.state()
    seed = next((shipped / "seeds").iterdir())
    seed.write_bytes(seed.read_bytes() + b"\n")
    second = live.state()
    assert second is not first
    assert any(f.code == "C001" for f in second.report.findings)


def test_a_fact_base_that_cannot_be_read_gets_a_page_with_file_and_line(shipped: Path) -> None:
    edit(shipped / "facts" / "wuxi-2024.yaml", "facts:", "facts: [")
    with client(shipped) as c:
        listing = c.get("/")
        finding = c.get(f"/findings/{R101}")
    assert listing.status_code == 200 and "The fact base cannot be read" in listing.text
    assert "facts/wuxi-2024.yaml:" in listing.text
    assert finding.status_code == 409 and "Traceback" not in finding.text


HOLD_THE_LOCK = """
import sys
from ipfacts.web import core
with core.reviews_lock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our standard input
"""


def test_a_verdict_waits_for_the_lock_ipfacts_review_takes(unreviewed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Another process holds the lock, as `ipfacts review` would; the test knows the verdict is waiting for it
    # when the verdict asks for the lock file's flock (no sleeping: nothing here depends on the clock).
    fcntl = pytest.importorskip("fcntl")
    flock = fcntl.flock
    asked = threading.Event()
    lock_file = unreviewed / "facts" / ".reviews.lock"

    def watched(fd: int, operation: int) -> None:
        if operation & fcntl.LOCK_EX and os.fstat(fd).st_ino == os.stat(lock_file).st_ino:
            asked.set()
        flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", watched)
    with client(unreviewed) as c:
        fields = form_of(c.get(f"/findings/{R104}").text)
        outcome: list[int] = []

        def submit() -> None:
            with TestClient(c.app, base_url="http://127.0.0.1:8765", follow_redirects=False,
                            cookies=dict(c.cookies)) as other:
                outcome.append(post_verdict(other, R104, fields, status="explained", note="n",
                                            reviewer="r").status_code)

        with subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(unreviewed)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) as holder:
            assert holder.stdout is not None and holder.stdin is not None
            assert holder.stdout.readline() == "held\n"
            worker = threading.Thread(target=submit)
            worker.start()
            assert asked.wait(120), "the verdict never asked for the reviews lock"
            assert worker.is_alive() and not outcome  # blocked on the lock the other process holds
            assert not (unreviewed / "facts" / "reviews.yaml").exists()
            holder.stdin.close()  # the holder ends and releases the lock
        assert holder.returncode == 0
        worker.join(120)
    assert outcome == [303]
    assert R104 in reviews_of(unreviewed)


# -- the review core, as the web layer uses it (ipfacts/web/core.py) --------------------------------------


def test_the_core_api_the_web_layer_is_written_against() -> None:
    import inspect

    for name in ("reviewable", "why_not_reviewable", "history", "current", "version_of", "record", "undo",
                 "reviews_lock", "why_not_now", "Verdict", "VerdictConflict", "NotReviewable", "FingerprintError"):
        assert hasattr(core, name), name
    params = inspect.signature(core.record).parameters
    keywords = {p for p in params if params[p].kind is inspect.Parameter.KEYWORD_ONLY}
    assert {"status", "note", "reviewer", "expected_version", "force", "report"} <= keywords
    assert {"fingerprint", "status", "note", "reviewer", "at"} <= set(core.Verdict.__dataclass_fields__)


def test_core_record_refuses_a_changed_version_a_silent_replace_and_unknown_findings(unreviewed: Path) -> None:
    report = Live(unreviewed).state().report
    finding = next(f for f in report.findings if f.fingerprint == R104)
    first = core.record(unreviewed, finding, status="source-error", note="misprint", reviewer="A",
                        expected_version="", force=False, report=report)
    assert core.current(unreviewed, R104) == first and core.version_of(unreviewed, R104) != ""
    with pytest.raises(core.VerdictConflict) as stale:  # the caller showed "no verdict"
        core.record(unreviewed, finding, status="explained", note="x", reviewer="B", expected_version="",
                    force=True, report=report)
    assert stale.value.current == first and stale.value.proposed.reviewer == "B"
    with pytest.raises(core.VerdictConflict):  # showed nothing at all: replacing needs force
        core.record(unreviewed, finding, status="explained", note="x", reviewer="B", expected_version=None,
                    force=False, report=report)
    second = core.record(unreviewed, finding, status="explained", note="x", reviewer="B",
                         expected_version=core.version_of(unreviewed, R104), force=False, report=report)
    assert core.current(unreviewed, R104) == second and core.history(unreviewed, R104)[-1] == second
    with pytest.raises(core.FingerprintError):
        core.record(unreviewed, "0123456789abcdef", status="explained", note="x", reviewer="B",
                    expected_version="", force=False)
    with pytest.raises(ValueError):
        core.record(unreviewed, finding, status="explained", note=" ", reviewer="B",
                    expected_version=core.version_of(unreviewed, R104), force=False, report=report)
    assert core.current(unreviewed, R104) == second


def test_core_refuses_citation_findings_and_holds_back_findings_on_a_misquoted_fact(unreviewed: Path) -> None:
    facts = unreviewed / "facts" / "huzhou-2024.yaml"
    edit(facts, "quote: 本年度获评中国专利奖优秀奖4项", "quote: 本年度获评中国专利奖优秀奖5项")
    edit(facts, "quote: 占比93.4%", "quote: 占比93.5%")  # a fact of R101 no longer quotes its source
    report = Live(unreviewed).state().report
    c004 = next(f for f in report.findings if f.code == "C004" and "china_patent_award" in f.message)
    r101 = next(f for f in report.findings if f.fingerprint == R101)
    r104 = next(f for f in report.findings if f.fingerprint == R104)
    assert not core.reviewable(c004) and core.why_not_reviewable(c004)
    assert core.reviewable(r101) and core.why_not_now(r101, report)  # reviewable, but not now
    assert core.why_not_now(r104, report) is None
    for finding in (c004, r101):
        with pytest.raises(core.NotReviewable):
            core.record(unreviewed, finding, status="explained", note="x", reviewer="B",
                        expected_version="", force=False, report=report)
    assert not (unreviewed / "facts" / "reviews.yaml").exists()
