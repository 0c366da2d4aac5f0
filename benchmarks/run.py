"""Time ipfacts against the floor no YAML-based checker can beat, on two base shapes, in one run.

    python benchmarks/run.py [--facts 100000] [--repeat 3] [--keep DIR] [--shapes big,small]
    python benchmarks/run.py --code before=/tmp/old --code after=.     # two versions of the code, interleaved

Generates two synthetic fact bases of the same size and different shapes — `big` (generate.py: 100 files
of 1,000 facts citing long sources) and `small` (generate_small.py: 2,500 files of 40 facts, short
sources) — then times on each, every command in a fresh process (wall clock, best of --repeat; peak
memory from wait4):

- floor: the bare libyaml parse (yaml.CSafeLoader) of the same fact files;
- ipfacts check, cold (no cache), alternating with the floor (a shared machine's speed drifts: both see
  the same minutes; each pair's ratio is printed too), and warm (cache from the previous run);
- ipfacts check after one fact file changed (partially warm);
- a Markdown brief of one city of the generated base, after a warm check;
- ipfacts --help; a PDF brief of every city of the shipped fact base (`--no-pdf` skips them);
- `--scaffold` alone: scaffold on a long table without 。 (linear time), on the seeds, and drafting a
  statistical table of 1,500 rows × 12 columns with its identities searched (issue 24: < 10 s).

It prints the ratios to each base's floor measured in this same run, side by side, and whether each
target of issue 26 is met (cold ≤ 1.5×, warm ≤ 0.2×, brief after a warm check ≤ 0.3×, memory < 1 GB,
--help < 0.3 s).
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
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from generate_small import generate as generate_small  # noqa: E402

FLOOR = ("import glob, yaml\n"
         "for p in sorted(glob.glob('facts/*.yaml')):\n"
         "    yaml.load(open(p, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n")


CPU: dict[str, float] = {"last": 0.0}  # CPU seconds (user + system) of the last timed process and its children


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB, exit status of one fresh process (its CPU seconds in CPU["last"])."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    CPU["last"] = usage.ru_utime + usage.ru_stime
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


SHAPES = {
    "big": (generate, "generate.py: 100 files × 1,000 facts, long sources"),
    "small": (generate_small, "generate_small.py: 2,500 files × 40 facts, short sources"),
}


@dataclass
class Result:
    """Seconds (best), every run's seconds, and peak memory (MB) of one measure."""

    runs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: int = 0

    def add(self, seconds: float, rss: int) -> None:
        self.runs.append(seconds)
        self.cpu.append(CPU["last"])
        self.rss = max(self.rss, rss)

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def best_cpu(self) -> float:
        return min(self.cpu)


def measure_shape(exe: str, work: Path, codes: dict[str, dict[str, str] | None], repeat: int,
                  ) -> dict[tuple[str, str], Result]:
    """Every measure of one generated base for every code variant, floor and cold checks alternating."""
    out: dict[tuple[str, str], Result] = defaultdict(Result)
    cache = work / ".ipfacts-cache"
    python = sys.executable
    for _ in range(repeat):
        out[("floor", "")].add(*timed([python, "-c", FLOOR], work)[:2])
        for label, env in codes.items():
            shutil.rmtree(cache, ignore_errors=True)
            out[("cold", label)].add(*timed([exe, "check", "-q"], work, env)[:2])
    edited = sorted((work / "facts").glob("[st]*.yaml"))[0]
    edits = iter(range(1_000_000))
    for label, env in codes.items():
        shutil.rmtree(cache, ignore_errors=True)
        timed([exe, "check", "-q"], work, env)  # fill the caches
        for _ in range(repeat):
            out[("warm", label)].add(*timed([exe, "check", "-q"], work, env)[:2])
        for _ in range(repeat):
            with edited.open("a", encoding="utf-8") as handle:  # new bytes, the same facts: a comment line
                handle.write(f"# edit {next(edits)}\n")
            out[("partial", label)].add(*timed([exe, "check", "-q"], work, env)[:2])
        timed([exe, "check", "-q"], work, env)  # warm again after the edits: the brief reuses the checked report
        for _ in range(repeat):
            out[("brief", label)].add(*timed([exe, "report", "--city", BRIEF_CITY, "-o", str(work / "brief.md")],
                                             work, env)[:2])
    return out


ROWS = [
    ("floor", "libyaml floor (CSafeLoader, same files)", None),
    ("cold", "ipfacts check, cold (no cache)", 1.5),
    ("warm", "ipfacts check, warm (nothing changed)", 0.2),
    ("partial", "ipfacts check, one file changed", None),
    ("brief", f"report -o brief.md ({BRIEF_CITY}) after a warm check", 0.3),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--shapes", default="big,small", help="which generated bases: big, small or both")
    parser.add_argument("--code", action="append", default=[], metavar="LABEL=DIR",
                        help="time the ipfacts code in DIR (PYTHONPATH) as LABEL, interleaved with the others; "
                             "repeatable (default: the installed code, or PYTHONPATH as set)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF briefs of the shipped base")
    parser.add_argument("--scaffold", action="store_true", help="run only the scaffold section")
    args = parser.parse_args()
    if args.scaffold:
        scaffold_section(args.repeat)
        return

    beside = Path(sys.executable).parent / "ipfacts"  # .venv/bin/python → .venv/bin/ipfacts, activated or not
    exe = str(beside) if beside.exists() else shutil.which("ipfacts")
    if exe is None:
        sys.exit("ipfacts is not installed: run `bash .ci/setup`, then `.venv/bin/python benchmarks/run.py`")
    codes: dict[str, dict[str, str] | None] = {"ipfacts": None}
    if args.code:
        codes = {}
        for item in args.code:
            label, _, folder = item.partition("=")
            codes[label] = {**os.environ, "PYTHONPATH": str(Path(folder).resolve())}
    work = args.keep or Path(tempfile.mkdtemp(prefix="ipfacts-bench-"))
    if work.exists():
        shutil.rmtree(work)
    shapes = [name for name in args.shapes.split(",") if name]
    results, made = {}, {}
    for shape in shapes:
        made[shape] = SHAPES[shape][0](work / shape, args.facts)
    for shape in shapes:
        results[shape] = measure_shape(exe, work / shape, codes, args.repeat)
    helps = {label: best([exe, "--help"], work, args.repeat, env=env)[0] for label, env in codes.items()}

    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; best of {args.repeat}; "
          "ratios to the floor of the same base, same run")
    for shape in shapes:
        print(f"  {shape}: {made[shape]['facts']:,} facts in {made[shape]['files']:,} files "
              f"({made[shape]['planted']} planted inconsistencies) — {SHAPES[shape][1]}")
    columns = [(shape, label) for shape in shapes for label in codes]
    print("wall: wall-clock seconds; CPU: user + system seconds of the process and its children (on a shared "
          "machine CPU is the steadier measure of the work done; a second process shows in wall time only)")
    print(f"{'':44}" + "".join(f" {f'{shape}/{label}':>40}" for shape, label in columns) + "  target")
    print(f"{'':44}" + "".join(f" {'wall s':>7} {'× floor':>8} {'CPU s':>7} {'× floor':>8} {'MB':>6}"
                               for _ in columns))
    verdicts: dict[str, bool] = {}
    for key, name, target in ROWS:
        cells = []
        for shape, label in columns:
            floor = results[shape][("floor", "")]
            got = results[shape][(key, "" if key == "floor" else label)]
            ratio = got.best / floor.best
            cpu_ratio = got.best_cpu / floor.best_cpu
            cells.append(f" {got.best:7.2f} {ratio:8.2f} {got.best_cpu:7.2f} {cpu_ratio:8.2f} {got.rss:6}")
            if target is not None:
                verdicts[f"{key} ≤ {target}× ({shape}/{label})"] = ratio <= target
            if key in ("cold", "warm"):
                verdicts[f"memory < 1 GB ({shape}/{label})"] = verdicts.get(
                    f"memory < 1 GB ({shape}/{label})", True) and got.rss < 1024
        print(f"{name:44}" + "".join(cells) + (f"  ≤ {target}×" if target else ""))
    for shape, label in columns:
        floor, cold = results[shape][("floor", "")], results[shape][("cold", label)]
        spread = sorted(c / f for c, f in zip(cold.runs, floor.runs, strict=True))
        cpu_spread = sorted(c / f for c, f in zip(cold.cpu, floor.cpu, strict=True))
        print(f"cold ÷ floor run by run, {shape}/{label}: wall {', '.join(f'{r:.2f}' for r in spread)}; "
              f"CPU {', '.join(f'{r:.2f}' for r in cpu_spread)}")
    print("ipfacts --help: " + ", ".join(f"{label} {t:.2f} s" for label, t in helps.items()) + " (target < 0.3 s)")
    verdicts.update({f"--help < 0.3 s ({label})": t < 0.3 for label, t in helps.items()})
    if not args.no_pdf:
        briefs = pdf_briefs(exe, args.repeat)
        if briefs:
            print("PDF briefs of the shipped base: " + ", ".join(
                f"{city} {t:.2f} s ({pages(city)} pages)" for city, t in sorted(briefs.items(), key=lambda b: -b[1])))
            verdicts["PDF brief < 2 s"] = max(briefs.values()) < 2
    print("targets: " + ", ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in verdicts.items()))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
