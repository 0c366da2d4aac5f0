"""Generate a synthetic fact base of another shape: many small fact files, short sources.

    python benchmarks/generate_small.py OUT_DIR --facts 100000 [--seed 1]

`generate.py` writes 100 fact files of 1,000 facts, each citing one long source. This writes one
fact file of 40 facts per source (2,500 files for 100,000 facts), each source a short report of
about ten lines: 250 regions (15 cities and their districts) over ten years, every relation kind —
share, ratio, percent, growth and change across years, sum, part, per-10,000, same_as (English),
subset, breakdowns, outcome, balance, mean and rank. About one block in a hundred has a planted
inconsistency (a share 0.4 points off, a total 0.5亿元 off), as in generate.py.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from generate import CITIES, METRICS, Writer, block, half_up, main, write_source

REGIONS = 250  # 15 cities and their districts: a region has one file a year
PER_FILE = 40


def courts(w: Writer, rng: random.Random) -> None:
    """25 facts: the court, trademark and product figures of a region-year, with the relation kinds
    generate.py does not write (subset, breakdowns, outcome, balance, mean, rank)."""
    received = rng.randint(200, 9_000)
    concluded = rng.randint(received * 8 // 10, received)
    civil = rng.randint(concluded // 2, concluded * 9 // 10)
    criminal = rng.randint(0, concluded - civil)
    admin = concluded - civil - criminal
    first = rng.randint(concluded // 2, concluded - 1)
    second = concluded - first
    civil_share = half_up(Decimal(civil) * 100 / concluded, 1)
    instances = half_up(Decimal(first) / second, 1)
    opening = rng.randint(50, 2_000)
    pending = opening + received - concluded
    l1 = w.line(f"全年新收知识产权案件{received}件，审结{concluded}件，其中民事{civil}件、刑事{criminal}件、行政{admin}件，"
                f"一审{first}件、二审{second}件；民事占{civil_share}%，一审是二审的{instances}倍。")
    k_received = w.fact("received", f"{received}件", l1, f"新收知识产权案件{received}件")
    k_concluded = w.fact("concluded", f"{concluded}件", l1, f"审结{concluded}件", outcome_of=k_received)
    k_civil = w.fact("civil", f"{civil}件", l1, f"民事{civil}件")
    k_criminal = w.fact("criminal", f"{criminal}件", l1, f"刑事{criminal}件")
    k_admin = w.fact("admin", f"{admin}件", l1, f"行政{admin}件")
    k_first = w.fact("first", f"{first}件", l1, f"一审{first}件")
    k_second = w.fact("second", f"{second}件", l1, f"二审{second}件")
    w.facts[-6] += f"\n    breakdowns: [[{k_civil}, {k_criminal}, {k_admin}], [{k_first}, {k_second}]]"  # on concluded
    w.fact("civil_share", f"{civil_share}%", l1, f"民事占{civil_share}%", share_of=f"[{k_civil}, {k_concluded}]")
    w.fact("instances", f"{instances}倍", l1, f"一审是二审的{instances}倍", ratio_of=f"[{k_first}, {k_second}]")
    l2 = w.line(f"年初未结{opening}件，年末未结{pending}件。")
    k_opening = w.fact("opening", f"{opening}件", l2, f"年初未结{opening}件")
    w.fact("pending", f"{pending}件", l2, f"年末未结{pending}件",
           balance_of=f"{{opening: {k_opening}, inflow: {k_received}, outflow: {k_concluded}}}")
    mediated = rng.randint(0, civil)
    foreign = rng.randint(0, mediated)
    l3 = w.line(f"调解结案{mediated}件，其中涉外{foreign}件。")
    k_mediated = w.fact("mediated", f"{mediated}件", l3, f"调解结案{mediated}件", subset_of=k_concluded)
    w.fact("foreign", f"{foreign}件", l3, f"其中涉外{foreign}件", subset_of=k_mediated)
    products = rng.randint(20, 900)
    sales = (Decimal(rng.randint(1_000, 90_000)) / 100).quantize(Decimal("0.01"))
    mean = half_up(sales / products, 2)
    while mean == 0:
        sales += 1
        mean = half_up(sales / products, 2)
    l4 = w.line(f"专利密集型产品备案{products}件，销售额{sales}亿元，平均每件{mean}亿元。")
    k_products = w.fact("products", f"{products}件", l4, f"专利密集型产品备案{products}件")
    k_sales = w.fact("sales", f"{sales}亿元", l4, f"销售额{sales}亿元")
    w.fact("sales_mean", f"{mean}亿元", l4, f"平均每件{mean}亿元", mean_of=f"[{k_sales}, {k_products}]")
    figures = rng.sample(range(1_000, 60_000), 4)
    rank = 1 + sum(f > figures[0] for f in figures[1:])
    l5 = w.line(f"商标注册{figures[0]}件，居全省第{rank}（甲地{figures[1]}件、乙地{figures[2]}件、丙地{figures[3]}件）。")
    k_tm = w.fact("tm", f"{figures[0]}件", l5, f"商标注册{figures[0]}件")
    peers = [w.fact(f"tm_peer{i}", f"{figures[i]}件", l5, f"{'甲乙丙'[i - 1]}地{figures[i]}件") for i in (1, 2, 3)]
    w.fact("tm_rank", str(rank), l5, f"居全省第{rank}", rank_among=f"[{k_tm}, {', '.join(peers)}]")
    madrid = rng.randint(10, figures[0] // 10)
    madrid_share = half_up(Decimal(madrid) * 100 / figures[0], 2)
    gi = rng.randint(1, 60)
    l6 = w.line(f"马德里国际注册{madrid}件，占商标注册的{madrid_share}%；地理标志{gi}件。")
    k_madrid = w.fact("madrid", f"{madrid}件", l6, f"马德里国际注册{madrid}件", subset_of=k_tm)
    w.fact("madrid_share", f"{madrid_share}%", l6, f"占商标注册的{madrid_share}%", share_of=f"[{k_madrid}, {k_tm}]")
    k_gi = w.fact("gi", f"{gi}件", l6, f"地理标志{gi}件")
    l7 = w.line(f"Geographical indications reached {gi} in all.")
    w.fact("gi_en", str(gi), l7, f"Geographical indications reached {gi}", lang="en", same_as=k_gi)


def generate(out: Path, n_facts: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    (out / "facts").mkdir(parents=True, exist_ok=True)
    (out / "seeds").mkdir(exist_ok=True)
    (out / "facts" / "metrics.yaml").write_text(METRICS, encoding="utf-8")
    files = max(1, n_facts // PER_FILE)
    sources: list[str] = []
    planted = total = 0
    history: dict[str, tuple[int, int]] = {}
    for index in range(files):
        place = index % REGIONS
        city, district = CITIES[place % len(CITIES)], place // len(CITIES)
        year = 2015 + index // REGIONS
        source_id = f"t{index:05d}"
        w = Writer(rng, "")
        w.region = city if district == 0 else f"{city}{district}区"
        w.line(f"{w.region}{year}年知识产权工作报告")
        plant = rng.random() < 0.01
        planted += plant
        block(w, city, year, plant, history)
        courts(w, rng)
        sources.append(write_source(out, source_id, w.region, year, w))
        total += w.count
    (out / "facts" / "sources.yaml").write_text("".join(sources), encoding="utf-8")
    return {"facts": total, "files": files, "planted": planted}


if __name__ == "__main__":
    main(generate, __doc__)
