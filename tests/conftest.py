"""Shared fixtures: small fact bases built in a temporary directory from the real seeds."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

SEED_SOURCES = {
    "huzhou-2024": ("000_ef14d01db3a9c97a.txt", "湖州", "2024", "zh"),
    "jiaxing-shaoxing-2023": ("001_dbd157ffe24a7f33.txt", "嘉兴", "2023", "zh"),
    "ningbo-2024": ("002_a96ba6aa271934dd.txt", "宁波", "2024", "zh"),
    "wuxi-2024": ("003_70ce970277dacd44.txt", "无锡", "2024", "zh"),
    "zhejiang-2020": ("004_5690681d153a1fe0.txt", "浙江省", "2020", "zh+en"),
}

METRICS = """\
patent.invention.valid:
  zh: 有效发明专利量
  en: Valid invention patents
  unit: 件
  kind: stock
patent.invention.valid.enterprise:
  zh: 企业有效发明专利量
  en: Valid invention patents held by enterprises
  unit: 件
  kind: stock
patent.invention.valid.per_10k:
  zh: 每万人有效发明专利拥有量
  en: Valid invention patents per 10,000 residents
  unit: 件
  kind: rate
patent.invention.grants:
  zh: 发明专利授权量
  en: Invention patents granted
  unit: 件
  kind: flow
pledge.amount:
  zh: 知识产权质押融资金额
  en: IP pledge financing
  unit: 亿元
  kind: flow
population:
  zh: 常住人口
  en: Resident population
  unit: 万人
  kind: stock
"""


def sources_yaml(ids: list[str]) -> str:
    out = []
    for source_id in ids:
        file, region, period, lang = SEED_SOURCES[source_id]
        sha = hashlib.sha256((SEEDS / file).read_bytes()).hexdigest()
        out.append(f"{source_id}:\n  file: seeds/{file}\n  title: {region}\n  region: {region}\n"
                   f"  period: {period}\n  lang: {lang}\n  sha256: {sha}\n")
    return "".join(out)


MakeBase = Callable[..., Path]


@pytest.fixture
def make_base(tmp_path: Path) -> MakeBase:
    """make_base({"name.yaml": "yaml text", ...}, sources=[ids], metrics=text) → root path.

    Fact file texts are dedented, so tests can write them inline."""

    def build(files: dict[str, str], sources: list[str] | None = None, metrics: str = METRICS) -> Path:
        root = tmp_path / "base"
        (root / "facts").mkdir(parents=True, exist_ok=True)
        (root / "seeds").mkdir(exist_ok=True)
        ids = sources or ["huzhou-2024"]
        for source_id in ids:
            shutil.copy(SEEDS / SEED_SOURCES[source_id][0], root / "seeds")
        (root / "facts" / "sources.yaml").write_text(sources_yaml(ids), encoding="utf-8")
        (root / "facts" / "metrics.yaml").write_text(metrics, encoding="utf-8")
        for name, text in files.items():
            path = root / "facts" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return build


HUZHOU_FACTS = """\
source: huzhou-2024
facts:
  valid_invention:
    metric: patent.invention.valid
    value: 21579件
    line: 56
    quote: 全市有效发明21579件
  valid_invention_enterprise:
    metric: patent.invention.valid.enterprise
    value: 20134件
    line: 56-57
    quote: 其中企业20134件
    part_of: valid_invention
  valid_invention_enterprise_share:
    value: 93.3%
    line: 57
    quote: 占比93.3%
    share_of: [valid_invention_enterprise, valid_invention]
  valid_invention_growth:
    value: 11.55%
    line: 57
    quote: 同比增长11.55%
    growth_of: valid_invention
"""


@pytest.fixture
def huzhou_base(make_base: MakeBase) -> Path:
    """A clean base: the spec's example facts from the Huzhou seed (check exits 0)."""
    return make_base({"huzhou-2024.yaml": HUZHOU_FACTS})


@contextlib.contextmanager
def hang_guard(seconds: int = 300) -> Iterator[None]:
    """Fail, rather than hang the suite, if the block waits forever (a FIFO opened for reading, a pipe never
    written) or expands without bound (an alias bomb). Not a speed bound: the block does its work in well under
    a second on any machine; only a block that never ends meets the alarm."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: it waited on something or expanded without bound")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def interruptible() -> None:
    """`preexec_fn` for a child a test interrupts with SIGINT: a suite started in the background (`cmd &` in a
    script) inherits SIGINT ignored, and a Python started so ignores Ctrl-C for good; the child gets the default
    back, as in a terminal, so it turns SIGINT into KeyboardInterrupt as ipfacts' users see it do."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
