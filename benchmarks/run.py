"""Time ipfacts against the floor no YAML-based checker can beat, in one run.

    python benchmarks/run.py [--facts 100000] [--repeat 3] [--keep DIR]

Generates a synthetic fact base (benchmarks/generate.py), then times, each in
a fresh process (wall clock, best of --repeat; peak memory from wait4):

- floor: the bare libyaml parse (yaml.CSafeLoader) of the same fact files;
- ipfacts check, cold (no cache), run alternately with the floor (a shared machine's speed drifts:
  both see the same minutes; each pair's ratio is printed too), and warm (cache from the previous run);
- ipfacts check after one fact file changed (partially warm);
- ipfacts --help;
- a Markdown brief of one city of the generated base, after a warm check (issue 12: ≤ 0.5× floor);
- a PDF brief of every city of the shipped fact base (the target holds for the slowest);
- scaffold on a long table without 。 (1,500 and 3,000 rows, 3 numbers a row): linear time
  (`--scaffold` runs this section alone);
- scaffold drafting a statistical table of 1,500 rows × 12 columns, its identities searched (issue 24: < 10 s).

It prints the ratios to the floor measured in this same run, and whether each
target of issue 7 is met.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FLOOR = ("import glob, yaml\n"
         "for p in sorted(glob.glob('facts/*.yaml')):\n"
         "    yaml.load(open(p, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n")


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB, exit status of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def best(cmd: list[str], cwd: Path, repeat: int, before=None, env=None) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        if before:
            before()
        seconds, rss, _ = timed(cmd, cwd, env)
        runs.append((seconds, rss))
    return min(r[0] for r in runs), max(r[1] for r in runs)


BRIEFS = Path(tempfile.gettempdir()) / "ipfacts-bench-briefs"
BRIEF_CITY = "湖州"  # a city of the generated base (benchmarks/generate.py: its first paragraph per source)


def pdf_briefs(exe: str, repeat: int) -> dict[str, float]:
    """Best seconds of `ipfacts report --format pdf` for every city of the shipped base."""
    if subprocess.run([exe, "report", "--help"], capture_output=True).returncode != 0:
        return {}
    from ipfacts.load.loader import load
    from ipfacts.render.brief.assemble import latest_period
    from ipfacts.render.brief.regions import classify

    base = load(REPO)
    BRIEFS.mkdir(exist_ok=True)
    return {city: best([exe, "report", "--city", city, "--format", "pdf", "-o", str(BRIEFS / f"{city}.pdf")],
                       REPO, repeat)[0]
            for city in classify(base).cities if latest_period(base, city)}


def pages(city: str) -> str:
    info = subprocess.run(["pdfinfo", str(BRIEFS / f"{city}.pdf")], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def long_table_base(root: Path, rows: int) -> Path:
    """A base whose one source is a table of `rows` rows, three numbers a row, and not one 。."""
    import hashlib

    (root / "facts").mkdir(parents=True)
    (root / "seeds").mkdir()
    text = "".join(f"地区{i} {1000 + i}件 {i % 97}.{i % 10}% {200 + i}件\n" for i in range(rows))
    (root / "seeds" / "table.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    (root / "facts" / "sources.yaml").write_text(
        f"table:\n  file: seeds/table.txt\n  region: 某市\n  period: 2024\n  sha256: {sha}\n", encoding="utf-8")
    (root / "facts" / "metrics.yaml").write_text("{}\n", encoding="utf-8")
    return root


def scaffold_seconds(rows: int, repeat: int) -> tuple[float, int]:
    """Best CPU seconds of drafting the long table (in process: the load is not timed), and the drafts made."""
    from ipfacts.curate.scaffold import scaffold
    from ipfacts.load.loader import load

    with tempfile.TemporaryDirectory(prefix="ipfacts-bench-scaffold-") as tmp:
        base = load(long_table_base(Path(tmp), rows))
        runs, drafts = [], 0
        for _ in range(repeat):
            start = time.process_time()  # CPU seconds: other processes on a shared machine do not count
            drafts = len(scaffold(base, "table"))
            runs.append(time.process_time() - start)
    return min(runs), drafts


def statistical_table(rows: int) -> str:
    """A made-up table of `rows` rows and 12 columns under a header: 合计 = 发明 + 实用新型 + 外观设计, 个人 = 非职务,
    职务 = 发明 + 实用新型, a population, a density (÷ 万人) and a rank by it, three plain columns; a total row last."""
    from decimal import ROUND_HALF_UP, Decimal

    lines = ["表1 各地区专利授权量", "单位：件",
             "地区 合计 发明 实用新型 外观设计 职务 非职务 个人 常住人口 密度 排名 甲 乙"]
    body, sums = [], [0] * 9
    densities = []
    for i in range(rows):
        inv, utl, des = 100 + (i * 37) % 900, 200 + (i * 53) % 700, 50 + (i * 11) % 300
        non = (utl + des) // 3
        people = Decimal(50 + (i * 7919) % 5000) / 10
        dens = (Decimal(inv) / people).quantize(Decimal("0.01"), ROUND_HALF_UP)
        values = [inv + utl + des, inv, utl, des, inv + utl + des - non, non, non, (i * 13) % 97, (i * 29) % 89]
        densities.append(dens)
        body.append((f"地区{i:04d}", values, people, dens))
        sums = [a + b for a, b in zip(sums, values, strict=True)]
    order = sorted(range(rows), key=lambda n: (-densities[n], n))
    rank = {n: k + 1 for k, n in enumerate(order)}
    for n, (name, values, people, dens) in enumerate(body):
        cells = [*map(str, values[:7]), f"{people:.1f}", f"{dens:.2f}", str(rank[n]), *map(str, values[7:])]
        lines.append(" ".join([name, *cells]))
    lines.append(" ".join(["合计", *map(str, sums[:7]), "-", "-", "-", *map(str, sums[7:])]))
    return "\n".join(lines) + "\n"


def table_draft_seconds(rows: int, repeat: int) -> tuple[float, int]:
    """Best CPU seconds of drafting (scaffold and its render) a statistical table of `rows` rows × 12 columns."""
    import hashlib

    from ipfacts.curate.scaffold import render, scaffold
    from ipfacts.load.loader import load

    with tempfile.TemporaryDirectory(prefix="ipfacts-bench-table-") as tmp:
        root = Path(tmp)
        (root / "facts").mkdir()
        (root / "seeds").mkdir()
        text = statistical_table(rows)
        (root / "seeds" / "table.txt").write_text(text, encoding="utf-8")
        (root / "facts" / "sources.yaml").write_text(
            f"table:\n  file: seeds/table.txt\n  sha256: {hashlib.sha256(text.encode()).hexdigest()}\n",
            encoding="utf-8")
        (root / "facts" / "metrics.yaml").write_text("{}\n", encoding="utf-8")
        base = load(root)
        runs, identities = [], 0
        for _ in range(repeat):
            start = time.process_time()
            drafted = render(base, "table", scaffold(base, "table"))
            runs.append(time.process_time() - start)
            identities = drafted.count("      - ")
    return min(runs), identities


def scaffold_section(repeat: int) -> None:
    from ipfacts.curate.measure import measure

    (short, few), (long, many) = scaffold_seconds(1500, repeat), scaffold_seconds(3000, repeat)
    print(f"scaffold, table without 。: 1,500 rows ({few:,} drafts) {short:.2f} s, 3,000 rows ({many:,} drafts) "
          f"{long:.2f} s; doubling × {long / short:.2f} (linear: ≈ 2; target ≤ 2.5)")
    seconds, found = table_draft_seconds(1500, repeat)
    print(f"scaffold, a statistical table of 1,500 rows × 12 columns: {seconds:.2f} s, {found} identities found "
          f"(target < 10 s)")
    scores = measure(REPO)
    print("scaffold on the seeds without their fact files, against the shipped facts:")
    for s in scores + [None]:
        if s is None:
            facts, right = sum(x.facts for x in scores), sum(x.facts_right for x in scores)
            relations, related = sum(x.relations for x in scores), sum(x.relations_right for x in scores)
            metrics, named = sum(x.metrics for x in scores), sum(x.metrics_right for x in scores)
            name = "all"
        else:
            facts, right, relations, related = s.facts, s.facts_right, s.relations, s.relations_right
            metrics, named, name = s.metrics, s.metrics_right, s.source
        print(f"  {name:24} facts {right}/{facts} ({right / facts:.1%})  relations {related}/{relations} "
              f"({related / max(relations, 1):.1%})  metrics suggested right {named}/{metrics}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--scaffold", action="store_true", help="run only the scaffold section")
    args = parser.parse_args()
    if args.scaffold:
        scaffold_section(args.repeat)
        return

    beside = Path(sys.executable).parent / "ipfacts"  # .venv/bin/python → .venv/bin/ipfacts, activated or not
    exe = str(beside) if beside.exists() else shutil.which("ipfacts")
    if exe is None:
        sys.exit("ipfacts is not installed: run `bash .ci/setup`, then `.venv/bin/python benchmarks/run.py`")
    work = args.keep or Path(tempfile.mkdtemp(prefix="ipfacts-bench-"))
    if work.exists():
        shutil.rmtree(work)
    made = generate(work, args.facts)
    cache = work / ".ipfacts-cache"
    python = sys.executable

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    # The floor and the cold check alternate, so that both see the same moments of a shared machine
    # (its speed drifts by tens of per cent within minutes); best of each, and the median of the pairs' ratios.
    floors, colds, pair_ratios = [], [], []
    for _ in range(args.repeat):
        floors.append(best([python, "-c", FLOOR], work, 1))
        drop_cache()
        colds.append(best([exe, "check", "-q"], work, 1))
        pair_ratios.append(colds[-1][0] / floors[-1][0])
    floor, floor_rss = min(f[0] for f in floors), max(f[1] for f in floors)
    cold, cold_rss = min(c[0] for c in colds), max(c[1] for c in colds)
    timed([exe, "check", "-q"], work)  # fill the cache
    warm, warm_rss = best([exe, "check", "-q"], work, args.repeat)
    edited = sorted((work / "facts").glob("s*.yaml"))[0]

    edits = iter(range(1_000_000))

    def touch_one() -> None:  # new bytes every time: a comment line, so the facts stay the same
        with edited.open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {next(edits)}\n")

    partial, _ = best([exe, "check", "-q"], work, args.repeat, before=touch_one)
    timed([exe, "check", "-q"], work)  # warm again after the edits: the brief reuses the checked report
    brief_md, brief_rss = best([exe, "report", "--city", BRIEF_CITY, "-o", str(work / "brief.md")], work, args.repeat)
    help_time, _ = best([exe, "--help"], work, args.repeat)
    briefs = pdf_briefs(exe, args.repeat)
    pdf = max(briefs.values()) if briefs else None

    rows = [
        ("libyaml floor (CSafeLoader, same files)", floor, 1.0, floor_rss, ""),
        ("ipfacts check, cold (no cache)", cold, cold / floor, cold_rss, "≤ 1.5× floor"),
        ("ipfacts check, warm (nothing changed)", warm, warm / floor, warm_rss, "≤ 0.3× floor"),
        ("ipfacts check, one file changed", partial, partial / floor, 0, ""),
        ("ipfacts --help", help_time, help_time / floor, 0, "< 0.3 s"),
        (f"ipfacts report -o brief.md ({BRIEF_CITY}), after a warm check", brief_md, brief_md / floor, brief_rss,
         "≤ 0.5× floor"),
    ]
    if pdf is not None:
        slowest = max(briefs, key=lambda city: briefs[city])
        rows.append((f"ipfacts report --format pdf, slowest city ({slowest})", pdf, pdf / floor, 0, "< 2 s"))
    print(f"{made['facts']} facts in {made['files']} files ({made['planted']} planted inconsistencies); "
          f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; best of {args.repeat}")
    print(f"{'':45} {'seconds':>8} {'× floor':>8} {'peak MB':>8}  target")
    for name, seconds, ratio, rss, target in rows:
        print(f"{name:45} {seconds:8.2f} {ratio:8.2f} {rss or '':>8}  {target}")
    pair_ratios.sort()
    print(f"cold check ÷ floor, run by run (alternating): {', '.join(f'{r:.2f}' for r in pair_ratios)}; "
          f"median {pair_ratios[len(pair_ratios) // 2]:.2f}")
    if briefs:
        print("PDF briefs of the shipped base: " + ", ".join(f"{city} {t:.2f} s ({pages(city)} pages)"
                                                             for city, t in sorted(briefs.items(), key=lambda b: -b[1])))
    verdicts = {
        "cold ≤ 1.5× floor": cold <= 1.5 * floor,
        "warm ≤ 0.3× floor": warm <= 0.3 * floor,
        "memory < 1 GB": max(cold_rss, warm_rss) < 1024,
        "--help < 0.3 s": help_time < 0.3,
        "Markdown brief ≤ 0.5× floor": brief_md <= 0.5 * floor,
    }
    if pdf is not None:
        verdicts["PDF brief < 2 s"] = pdf < 2
    print("targets: " + ", ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in verdicts.items()))
    scaffold_section(args.repeat)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
