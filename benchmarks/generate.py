"""Generate a synthetic fact base in the contract format, for benchmarks.

    python benchmarks/generate.py OUT_DIR --facts 100000 [--seed 1]

Each region gets a white-paper-like Chinese source whose lines state the
numbers its fact file cites, so citations verify for real. Every relation
kind appears; a few inconsistencies are planted (about one fact in 2,000) so
the checker has something to find.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

CITIES = ["湖州", "嘉兴", "绍兴", "宁波", "无锡", "杭州", "温州", "金华", "台州", "丽水", "衢州", "舟山", "苏州", "常州", "南通"]

METRICS = """\
patent.invention.valid: {zh: 有效发明专利, en: Valid invention patents, unit: 件, kind: stock}
patent.invention.valid.enterprise: {zh: 企业有效发明专利, en: held by enterprises, unit: 件, kind: stock}
patent.invention.valid.per_10k: {zh: 每万人有效发明专利拥有量, en: per 10k, unit: 件, kind: rate}
patent.invention.high_value: {zh: 高价值发明专利, en: High-value invention patents, unit: 件, kind: stock}
patent.invention.high_value.per_10k: {zh: 每万人高价值发明专利拥有量, en: per 10k, unit: 件, kind: rate}
patent.grants: {zh: 专利授权量, en: Patents granted, unit: 件, kind: flow}
pledge.amount: {zh: 知识产权质押融资金额, en: IP pledge financing, unit: 亿元, kind: flow}
pledge.patent.amount: {zh: 专利质押融资金额, en: Patent pledge financing, unit: 亿元, kind: flow}
pledge.trademark.amount: {zh: 商标质押融资金额, en: Trademark pledge financing, unit: 亿元, kind: flow}
population: {zh: 常住人口, en: Resident population, unit: 万人, kind: stock}
"""


def half_up(x: Decimal, places: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class Writer:
    """Accumulates one region-year: source lines and the facts citing them."""

    def __init__(self, rng: random.Random, key_prefix: str) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.facts: list[str] = []
        self.prefix = key_prefix
        self.region = ""
        self.count = 0

    def line(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def fact(self, key: str, value: str, line: int, quote: str, **extra: str) -> str:
        key = f"{self.prefix}{key}"
        body = [f"  {key}:", f"    value: {value}", f"    line: {line}", f"    quote: {quote}", f"    region: {self.region}"]
        body += [f"    {k}: {v}" for k, v in extra.items()]
        self.facts.append("\n".join(body))
        self.count += 1
        return key


def block(w: Writer, city: str, year: int, plant: bool, history: dict[str, tuple[int, int]]) -> None:
    """About 20 facts: one paragraph of a white paper, every relation kind. `history` carries each
    region's figures to its next year, so cross-file growth and change checks have real work to do."""
    rng = w.rng
    population = Decimal(rng.randint(2_000_000, 12_000_000))
    previous_valid, previous_grants = history.get(w.region, (rng.randint(5_000, 80_000), rng.randint(2_000, 30_000)))
    valid = max(100, int(previous_valid * (1 + rng.randint(-50, 300) / 1000)))
    grants = max(10, int(previous_grants * (1 + rng.randint(-50, 300) / 1000)))
    history[w.region] = (valid, grants)
    enterprise = rng.randint(valid // 2, valid)
    share = half_up(Decimal(enterprise) * 100 / valid, 1)
    growth = half_up((Decimal(valid) / previous_valid - 1) * 100, 2)
    per10k = half_up(Decimal(valid) * 10000 / population, 2)
    high = rng.randint(1_000, valid // 2)
    high_per10k = half_up(Decimal(high) * 10000 / population, 2)
    if plant:
        share += Decimal("0.4")
    l1 = w.line(f"全市有效发明专利{valid}件（其中企业{enterprise}件，占比{share}%），同比增长{growth}%。")
    k_valid = w.fact("valid", f"{valid}件", l1, f"全市有效发明专利{valid}件", metric="patent.invention.valid")
    k_ent = w.fact("valid_ent", f"{enterprise}件", l1, f"其中企业{enterprise}件", metric="patent.invention.valid.enterprise",
                   part_of=k_valid)
    w.fact("valid_ent_share", f"{share}%", l1, f"占比{share}%", share_of=f"[{k_ent}, {k_valid}]")
    w.fact("valid_growth", f"{growth}%", l1, f"同比增长{growth}%", growth_of=k_valid)
    l2 = w.line(f"每万人有效发明专利拥有量{per10k}件，高价值发明专利{high}件，每万人高价值发明专利拥有量{high_per10k}件。")
    w.fact("per10k", f"{per10k}件", l2, f"每万人有效发明专利拥有量{per10k}件", metric="patent.invention.valid.per_10k",
           per_10k_of=k_valid)
    k_high = w.fact("high", f"{high}件", l2, f"高价值发明专利{high}件", metric="patent.invention.high_value")
    w.fact("high_per10k", f"{high_per10k}件", l2, f"每万人高价值发明专利拥有量{high_per10k}件",
           metric="patent.invention.high_value.per_10k", per_10k_of=k_high)
    # two decimals always, as a white paper writes money (256.00亿元, not 256亿元)
    patent_pledge = (Decimal(rng.randint(1_000, 90_000)) / 100).quantize(Decimal("0.01"))
    trademark_pledge = (Decimal(rng.randint(100, 9_000)) / 100).quantize(Decimal("0.01"))
    total = patent_pledge + trademark_pledge + (Decimal("0.5") if plant else 0)
    l3 = w.line(f"全年知识产权质押融资{total}亿元，其中专利质押{patent_pledge}亿元，商标质押{trademark_pledge}亿元，"
                f"惠及企业超{rng.randint(100, 999)}0家，约{rng.randint(2, 9)}.{rng.randint(0, 9)}万人次参加培训。")
    k_pp = w.fact("pledge_patent", f"{patent_pledge}亿元", l3, f"其中专利质押{patent_pledge}亿元", metric="pledge.patent.amount")
    k_tp = w.fact("pledge_trademark", f"{trademark_pledge}亿元", l3, f"商标质押{trademark_pledge}亿元",
                  metric="pledge.trademark.amount")
    k_total = w.fact("pledge", f"{total}亿元", l3, f"全年知识产权质押融资{total}亿元", metric="pledge.amount",
                     sum_of=f"[{k_pp}, {k_tp}]")
    ratio = half_up(patent_pledge / trademark_pledge, 1)
    change = grants - previous_grants
    l4 = w.line(f"专利质押额是商标质押额的{ratio}倍；专利授权{grants}件，较上年增加{change}件，"
                f"其中发明专利占比{half_up(Decimal(rng.randint(0, grants)) * 100 / grants, 1)}%。")
    w.fact("pledge_ratio", f"{ratio}倍", l4, f"是商标质押额的{ratio}倍", ratio_of=f"[{k_pp}, {k_tp}]")
    k_grants = w.fact("grants", f"{grants}件", l4, f"专利授权{grants}件", metric="patent.grants")
    w.fact("grants_change", f"{change}件", l4, f"较上年增加{change}件", change_of=k_grants)
    pct = l4_pct = w.lines[-1].split("发明专利占比")[1].rstrip("%。")
    w.fact("grants_invention_pct", f"{pct}%", l4, f"其中发明专利占比{l4_pct}%", percent_of=k_grants)
    billion = half_up(total / 10, 3)
    l5 = w.line(f"IP pledge financing reached {billion} billion yuan in {year}.")
    w.fact("pledge_en", f"{billion} billion yuan", l5, f"IP pledge financing reached {billion} billion yuan",
           lang="en", same_as=k_total)


def generate(out: Path, n_facts: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    (out / "facts").mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(exist_ok=True)
    (out / "facts" / "metrics.yaml").write_text(METRICS, encoding="utf-8")
    per_file = 1000
    files = max(1, n_facts // per_file)
    sources = []
    planted = 0
    total = 0
    history: dict[str, tuple[int, int]] = {}
    for index in range(files):
        city = CITIES[index % len(CITIES)]
        year = 2000 + index // len(CITIES)
        source_id = f"s{index:05d}"
        w = Writer(rng, "")
        w.line(f"{city}市{year}年知识产权发展与保护状况")
        block_no = 0
        while w.count < per_file - 16:
            plant = rng.random() < 0.01
            planted += plant
            w.prefix = f"b{block_no}_"
            # the first paragraph is the city's own (a brief compares cities), the others its districts'
            w.region = city if block_no == 0 else f"{city}{block_no}区"
            block(w, city, year, plant, history)
            block_no += 1
        sources.append(write_source(out, source_id, city, year, w))
        total += w.count
    (out / "facts" / "sources.yaml").write_text("".join(sources), encoding="utf-8")
    return {"facts": total, "files": files, "planted": planted}


def write_source(out: Path, source_id: str, region: str, year: int | str, w: Writer) -> str:
    """The seed and fact file of one generated source; its sources.yaml entry."""
    text = "\n".join(w.lines) + "\n"
    (out / "seeds" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (out / "facts" / f"{source_id}.yaml").write_text(
        f"source: {source_id}\nfacts:\n" + "\n".join(w.facts) + "\n", encoding="utf-8")
    return (f"{source_id}:\n  file: seeds/{source_id}.txt\n  title: {region}{year}\n  region: {region}\n"
            f"  period: {year}\n  lang: zh+en\n  sha256: {sha}\n")


def main(generator: Callable[[Path, int, int], dict[str, int]] | None = None, doc: str | None = None) -> None:
    parser = argparse.ArgumentParser(description=doc or __doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print((generator or generate)(args.out, args.facts, args.seed))


if __name__ == "__main__":
    main()
