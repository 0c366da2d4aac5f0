"""`ipfacts serve` end to end in a real browser: Playwright driving Debian's chromium against a server
process on a copy of the shipped base (its verdicts removed, so its findings are open again)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_serve_cli import copy_base, env, start, stop, verdicts_in_file

from ipfacts.web import core

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]  # containers often have a small /dev/shm
R101 = "3d009c19658435e1"
R104 = "5f2af8676441b084"
SCRIPT = "<script>alert(1)</script>"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed "
                                "(`.ci/setup` installs Debian's chromium for these browser tests)")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    work = tmp_path_factory.mktemp("served")
    root = copy_base(work / "base", reviews=False)
    facts = root / "facts" / "huzhou-2024.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("quote: 本年度获评中国专利奖优秀奖4项", f"quote: 本年度获评中国专利奖优秀奖4项{SCRIPT}", 1)
    text = text.replace("      source error: 15829 / 16966", f"      {SCRIPT} source error: 15829 / 16966", 1)
    facts.write_text(text, encoding="utf-8")
    proc, url = start(root, work / "cache")
    try:
        yield url, root, work / "cache"
    finally:
        code, _, err = stop(proc)
        assert code in (0, 130) and "Traceback" not in err, err


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def reviews_of(root: Path) -> dict[str, Any]:
    return verdicts_in_file(root)


def test_list_finding_verdict_reviews_yaml_and_check_without_scripts(served: tuple[str, Path, Path],
                                                                      browser: Any) -> None:
    url, root, cache = served
    context = browser.new_context(java_script_enabled=False)  # every page works without scripts
    try:
        page = context.new_page()
        page.goto(url)
        assert "open" in page.inner_text("#counts") and "Last checked at" in page.inner_text("#checked")
        page.click(f'#open a[href="/findings/{R104}"]')
        assert page.url.endswith(f"/findings/{R104}")
        assert "R104" in page.inner_text("h1")
        assert page.locator("mark.value").count() >= 2  # 1356 and 93.38 marked in the cited lines
        page.check('input[name="status"][value="source-error"]')
        page.fill('textarea[name="note"]', "1356 cases cannot give 93.38%: a misprint")
        page.fill('input[name="reviewer"]', "Li Wei")
        page.click('button[type="submit"]')
        assert "Verdict recorded" in page.inner_text("main")
        assert "Li Wei" in page.inner_text("#history")
        page.goto(url + "?status=reviewed")
        assert page.locator(f'a[href="/findings/{R104}"]').count() == 1
    finally:
        context.close()
    entry = reviews_of(root)[R104]
    assert (entry["status"], entry["reviewer"]) == ("source-error", "Li Wei")
    result = subprocess.run([sys.executable, "-m", "ipfacts", "check", "--root", str(root), "--format", "json"],
                            capture_output=True, text=True, env=env(cache), timeout=120)
    reviewed = {f["fingerprint"]: f["review"] for f in json.loads(result.stdout)["findings"] if f["review"]}
    assert reviewed[R104]["reviewer"] == "Li Wei"


def test_a_second_page_that_showed_the_old_state_is_refused(served: tuple[str, Path, Path], browser: Any) -> None:
    url, root, _ = served
    context = browser.new_context()
    try:
        first, second = context.new_page(), context.new_page()
        first.goto(f"{url}findings/{R101}")
        second.goto(f"{url}findings/{R101}")  # both show: no verdict yet
        for page, who, note in ((first, "Editor A", "A: the text says 93.3%"), (second, "Editor B", "B: fine")):
            page.check('input[name="status"][value="source-error"]')
            page.fill('textarea[name="note"]', note)
            page.fill('input[name="reviewer"]', who)
        first.click('button[type="submit"]')
        assert "Verdict recorded" in first.inner_text("main")
        second.click('button[type="submit"]')
        conflict = second.inner_text("#conflict")
        assert "Not recorded" in conflict and "Editor A" in conflict and "Editor B" in conflict
        assert "A: the text says 93.3%" in conflict and "B: fine" in conflict
    finally:
        context.close()
    assert reviews_of(root)[R101]["reviewer"] == "Editor A"
    assert [v.reviewer for v in core.history(root, R101)] == ["Editor A"]  # B's refused verdict was not written


def test_a_quote_holding_a_script_renders_as_text(served: tuple[str, Path, Path], browser: Any) -> None:
    url, _, _ = served
    context = browser.new_context()  # scripts on: one that slipped through would run
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + "?code=C004")
        assert SCRIPT in page.inner_text("#open")  # the finding's message quotes the quote
        page.click("#open a.fp")
        assert SCRIPT in page.inner_text("section.facts q")
        assert page.evaluate("document.scripts.length") == 0
        page.goto(f"{url}findings/{R101}")
        assert SCRIPT in page.inner_text("section.facts td.note")
        assert page.evaluate("document.scripts.length") == 0
    finally:
        context.close()
    assert dialogs == []
