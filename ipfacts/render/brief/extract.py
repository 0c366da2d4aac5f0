"""What a brief reads of a fact base, kept beside the run cache so that a brief after a check costs little.

A brief shows the figures of cities, provinces and the nation — never of a county or district — and
the facts its findings name. On the 100,000-fact benchmark base that is a tenth of the facts, yet
loading the whole base again costs more than the bare libyaml parse
of it. So the first brief after any change loads the base in full and writes this extract; every
later brief, until one input byte changes, reads the extract instead.

The extract is keyed like the run cache (ipfacts.check.runcache.run_key: the tool version, every
input file of load/inputs.py and every source document), is stored as JSON
(never pickle), and any doubt — unreadable, another key, a damaged entry — means it is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from ipfacts.check import runcache
from ipfacts.findings import Report
from ipfacts.infra.atomic import write_atomic
from ipfacts.infra.cachekey import seal, sealed
from ipfacts.infra.safefiles import read_regular, real_path
from ipfacts.load.loader import base_units, load
from ipfacts.load.model import Fact, FactBase, Metric, Ref, Source
from ipfacts.load.numbers import Written
from ipfacts.load.runfiles import RunFiles
from ipfacts.load.yamlnodes import Where
from ipfacts.render.brief.regions import COUNTY, Regions, classify
from ipfacts.review.checked import checked

FORMAT = 6
KINDS = ("growth_of", "per_10k_of", "rank_among")  # the relations a brief follows


def brief_inputs(root: Path, use_cache: bool = True) -> tuple[FactBase, Report, Regions]:
    """The base a brief reads (the extract, or the full base), its checked report and its region levels.

    Raises loader.LoadFailed when the base cannot be read."""

    root = real_path(root)
    files = RunFiles.for_root(root, use_cache)  # one for the run: each input is read (and hashed) once
    base, report = checked(root, use_cache=use_cache, files=files)  # reused from the last check if nothing changed
    key = entry = None
    if files.directory is not None and (root / "facts").is_dir():
        key = runcache.run_key(root, files, f"brief-extract-{FORMAT}")
        entry = files.directory / f"brief-extract-v{FORMAT}.json"
        if key is not None and base is None:
            found = _read(entry, key, root)
            if found is not None:
                return found[0], report, found[1]
    if base is None:
        base = load(root, files)
    regions = classify(base)
    if key is not None and entry is not None:
        _write(entry, key, base, report, regions)
    return base, report, regions


def _wanted(base: FactBase, report: Report, regions: Regions) -> list[Fact]:
    named = {ref.id for finding in report.findings for ref in finding.facts}

    def shown(region: str) -> bool:  # a city, province or the nation — also as 宁波市 in a province's table
        return regions.levels.get(region, COUNTY) != COUNTY or (
            region.endswith("市") and regions.levels.get(region[:-1], COUNTY) != COUNTY)

    kept = [f for f in base.facts.values() if f.id in named or (f.region is not None and shown(f.region))]
    ranked = {r.target for f in kept for r in f.relations.get("rank_among", [])[:1]}  # a district's figure a
    ids = {f.id for f in kept}                                                        # city's source ranks
    return kept + [base.facts[i] for i in sorted(ranked - ids) if i in base.facts]


def _write(entry: Path, key: str, base: FactBase, report: Report, regions: Regions) -> None:

    data = {
        "key": key,
        "levels": regions.levels,
        "file_regions": base.file_regions,
        "sources": [{"id": s.id, "file": s.file, "title": s.title, "region": s.region, "period": s.period,
                     "lang": s.lang, "sha256": s.sha256, "where": list(s.where), "url": s.url, "retrieved": s.retrieved,
                     "pages": [list(p) for p in s.pages], "publisher": s.publisher, "published": s.published,
                     "title_en": s.title_en, "publisher_en": s.publisher_en}
                    for s in base.sources.values()],
        "metrics": [[m.key, m.zh, m.en, m.unit, m.kind, list(m.where), list(m.accepts), m.counts_zh, m.counts_en,
                     m.scope, m.per_10k, m.headline] for m in base.metrics.values()],
        "facts": [_fact(f) for f in _wanted(base, report, regions)],
    }
    with contextlib.suppress(OSError, TypeError, ValueError):  # not kept: the next brief is merely slower
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        mac = seal(key.encode(), text)  # this user's seal: an entry edited or planted by anyone else is not used
        if mac is not None:
            write_atomic(entry, mac.encode("ascii") + b"\n" + text, durable=False)


def _fact(f: Fact) -> list[Any]:
    v = f.value
    written = [v.text, v.literal, v.negative, str(v.magnitude), v.decimals, str(v.multiplier), v.multiplier_word,
               v.unit, v.qualifier, v.qualifier_word]
    relations = {kind: [r.target for r in f.relations[kind]] for kind in KINDS if kind in f.relations}
    return [f.id, f.key, f.file, list(f.where), f.source, f.region, f.period, f.lang, written, f.line_from,
            f.line_to, f.quote, f.metric, f.note, f.caveat_zh, f.caveat_en, relations, f.rank_scope]


def _read(entry: Path, key: str, root: Path) -> tuple[FactBase, Regions] | None:
    try:

        mac, _, text = read_regular(entry, 1 << 30).partition(b"\n")  # a regular file: never a FIFO or device
        if not sealed(mac.decode("ascii", "replace"), key.encode(), text):
            return None
        data = json.loads(text.decode("utf-8"))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        base = FactBase(root=root, units=base_units(root))  # the base's own units, read as the loader reads them
        for s in data["sources"]:
            base.sources[s["id"]] = Source(
                s["id"], s["file"], root / s["file"], s["title"], s["region"], s["period"], s["lang"], s["sha256"],
                Where(*s["where"]), url=s["url"], retrieved=s["retrieved"], pages=tuple(tuple(p) for p in s["pages"]),
                publisher=s["publisher"], published=s["published"], title_en=s["title_en"],
                publisher_en=s["publisher_en"])
        for (mkey, zh, en, unit, kind, where, accepts, counts_zh, counts_en, scope, per_10k,
             headline) in data["metrics"]:
            base.metrics[mkey] = Metric(mkey, zh, en, unit, kind, Where(*where), tuple(accepts), counts_zh, counts_en,
                                        scope, bool(per_10k), bool(headline))
        for (fid, fkey, file, where, source, region, period, lang, written, line_from, line_to, quote, metric, note,
             caveat_zh, caveat_en, relations, rank_scope) in data["facts"]:
            (text, literal, negative, magnitude, decimals, multiplier, multiplier_word, unit, qualifier,
             qualifier_word) = written
            value = Written(text, literal, bool(negative), Decimal(magnitude), int(decimals), Decimal(multiplier),
                            multiplier_word, unit, qualifier, qualifier_word, base.units)
            at = Where(*where)
            base.facts[fid] = Fact(fid, fkey, file, at, source, region, period, lang, value, int(line_from),
                                   int(line_to), quote, metric, note, caveat_zh, caveat_en,
                                   {kind: [Ref(target, at, target) for target in targets]
                                    for kind, targets in relations.items()}, rank_scope=rank_scope)
        base.file_regions = dict(data["file_regions"])
        return base, Regions(dict(data["levels"]))
    except (OSError, ValueError, KeyError, TypeError, ArithmeticError):
        return None
