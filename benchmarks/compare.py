"""Two installs of ipfacts side by side, interleaved, in wall-clock AND CPU seconds.

    python benchmarks/compare.py BEFORE_BIN AFTER_BIN [--facts 100000] [--repeat 2]

BEFORE_BIN and AFTER_BIN are bin/ folders holding `python` and `ipfacts` (two venvs, or two
checkouts' .venv/bin). Each gets its own copy of the same generated base. For every repeat, each
install runs: the libyaml floor, a cold check, a warm check, a check after one file changed, --help.

Why CPU seconds too: on a shared machine wall-clock times of the same command moved by 3× within
minutes (issue 12's measurements), while CPU seconds of the serial floor stayed within 2 %. For
a serial command, CPU seconds are what its wall-clock time is on an idle machine; a forked or
pooled path is counted with its children's CPU (wait4), so CPU cannot show what it gains, only
what it costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import FLOOR  # noqa: E402


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the process and the children it waited for), peak MB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipfacts-compare-"))
    generate(work / "base", args.facts)
    bases = {}
    for name in ("before", "after"):
        bases[name] = work / name
        shutil.copytree(work / "base", bases[name])
    rows: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for _ in range(args.repeat):
        for name, bin_dir in (("before", args.before), ("after", args.after)):
            base, exe = bases[name], str(bin_dir / "ipfacts")

            def note(what: str, result: tuple[float, float, int], name: str = name) -> None:
                rows.setdefault((what, name), []).append(result)
                print(f"{what:8} {name:6} wall {result[0]:7.2f}  cpu {result[1]:7.2f}  MB {result[2]}", flush=True)

            note("floor", timed([str(bin_dir / "python"), "-c", FLOOR], base))
            shutil.rmtree(base / ".ipfacts-cache", ignore_errors=True)
            note("cold", timed([exe, "check", "-q"], base))
            note("warm", timed([exe, "check", "-q"], base))
            with sorted((base / "facts").glob("s*.yaml"))[0].open("a", encoding="utf-8") as handle:
                handle.write(f"# edit {time.time()}\n")
            note("partial", timed([exe, "check", "-q"], base))
            note("help", timed([exe, "--help"], base))
    print("best of each; ratios to the same install's floor")
    for (what, name), results in sorted(rows.items()):
        floor = min(r[1] for r in rows[("floor", name)])
        cpu = min(r[1] for r in results)
        print(f"  {what:8} {name:6} wall {min(r[0] for r in results):7.2f}  cpu {cpu:7.2f} "
              f"({cpu / floor:4.2f}× floor cpu)  MB {max(r[2] for r in results)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
