"""A seeded mutation fuzzer over the shipped files: no mutated input may reach an internal error.

Each round takes one of the shipped base's files (a fact file, metrics.yaml, sources.yaml, reviews.yaml,
now and then a source document), applies a few random mutations drawn from what broke ipfacts before
(control characters, exotic digits, aliases and tags, brackets, huge numbers, truncation, swapped
lines, renamed fields), and runs a command on the result through the command line (`check` in every
format, `export`, `report`, `coverage`, `review --list`). A command may succeed or end with a message
(exit 1 or 2); an exception escaping it (what `ipfacts` reports as an internal error, exit 70) fails the
test with the seed and the mutated text to reproduce it. A fixed number of rounds from a fixed seed, so every
run checks the same inputs however fast the machine is (IPFACTS_FUZZ_ROUNDS=1000 for a longer run).
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app

from conftest import REPO

ROUNDS = int(os.environ.get("IPFACTS_FUZZ_ROUNDS", "100"))
FILES = ["facts/huzhou-2024.yaml", "facts/metrics.yaml", "facts/sources.yaml", "facts/reviews.yaml",
         "facts/huzhou-2024.yaml", "facts/huzhou-2024.yaml", "seeds/000_ef14d01db3a9c97a.txt"]
TOKENS: list[bytes] = [s.encode() for s in (
    "\x00", "\x1b[31m", "\x1b]0;x\x07", "\f", "\r", "\r\n", "\t", "\u2028", "²", "①", "٣", "１２", "9" * 30,
    "&a ", "*a", "&b [*b]", "!!python/name:os.system ", "!x ", "!!binary ", "!!timestamp ", "[", "]", "{", "}",
    ":", ": ", "- ", "\n  ", "\n", '"', "'", "\\", "%", "-", "0", "亿", "万亿", "%", "‰", "<<: *a", "~", "null", "''",
    "1e400", "-0", "0/0", "1/0", "1/3", "超", "约", "?", "#", "|", ">", "@", "`", "=", "..", "/", "/etc/passwd",
    "../../etc/passwd", "file:///etc/passwd", "{{ 1/0 }}", "<script>", "&amp;", "\ufeff", "\ufffe", "\ud7ff",
)] + [b"\xb1\xed\xb8\xf1", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80"]  # GBK bytes, broken UTF-8, an encoded surrogate
NUMBERS = ["0", "00", "0.0", "-5", "1" * 19, "99999999999999999", "3.1415926535", "1,000", "1,00", "007"]
FIELDS = ["part_of", "share_of", "sum_of", "parts_of", "ratio_of", "percent_of", "growth_of", "change_of",
          "per_10k_of", "same_as", "previous", "value", "line", "quote", "metric", "source", "period", "region",
          "unit", "lang", "note", "facts", "ignore", "file", "sha256", "kind", "zh", "en", "accepts", "status",
          "date", "reviewer", "code", "x"]
COMMANDS = [["check", "--no-cache", "--format", f] for f in ("text", "json", "github", "junit", "html")] + [
    ["check"], ["export", "--format", "json"], ["report", "--city", "湖州"], ["coverage"], ["review", "--list"],
    ["metrics"]]


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(8)
        at = rng.randrange(len(data) + 1)
        if choice == 0 and data:
            data = data[:at] + data[at + rng.randint(1, 40):]
        elif choice in (1, 2):
            data = data[:at] + rng.choice(TOKENS) + data[at:]
        elif choice == 3:
            lines = data.split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif choice == 4:
            lines = data.split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[rng.randrange(len(lines))])
            data = b"\n".join(lines)
        elif choice == 5:
            numbers = list(re.finditer(rb"[0-9]+", data))
            if numbers:
                m = rng.choice(numbers)
                data = data[:m.start()] + rng.choice(NUMBERS).encode() + data[m.end():]
        elif choice == 6:
            keys = list(re.finditer(rb"(?m)^( *)([a-z_0-9.]+):", data))
            if keys:
                m = rng.choice(keys)
                data = data[:m.start(2)] + rng.choice(FIELDS).encode() + data[m.end(2):]
        elif rng.random() < 0.3:
            data = data[:at]  # truncated
    return data


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "base"
    (root / "facts").mkdir(parents=True)
    for name in ("sources.yaml", "metrics.yaml", "reviews.yaml", "huzhou-2024.yaml"):
        shutil.copy(REPO / "facts" / name, root / "facts" / name)
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


def test_no_mutated_input_reaches_an_internal_error(pristine: Path) -> None:
    runner = CliRunner()
    rng = random.Random(20261202)
    originals = {name: (pristine / name).read_bytes() for name in set(FILES)}
    codes: dict[int, int] = {}
    for rounds in range(1, ROUNDS + 1):
        name = rng.choice(FILES)
        mutated = mutate(originals[name], rng)
        (pristine / name).write_bytes(mutated)
        command = rng.choice(COMMANDS)
        try:
            result = runner.invoke(app, [*command, "--root", str(pristine)])
        finally:
            (pristine / name).write_bytes(originals[name])
        error = result.exception
        if error is not None and not isinstance(error, SystemExit):
            preview = mutated.decode("utf-8", "replace")[:3000]
            pytest.fail(f"round {rounds}: {' '.join(command)} on mutated {name} raised {error!r}\n"
                        f"--- mutated {name} (first 3000 characters) ---\n{preview}", pytrace=False)
        codes[result.exit_code] = codes.get(result.exit_code, 0) + 1
        assert result.exit_code in (0, 1, 2), (rounds, command, name, result.output[-2000:])
    assert sum(codes.values()) == ROUNDS
    assert codes.get(2, 0) > 0 and (codes.get(0, 0) + codes.get(1, 0)) > 0  # both broken and readable inputs met
