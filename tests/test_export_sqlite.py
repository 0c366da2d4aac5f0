"""`ipfacts export -o facts.db`: the base as a SQLite database for data desks, tested by querying the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipfacts.cli import app
from ipfacts.review.checked import check_root

from conftest import REPO

pytest.importorskip("sqlite_utils")
runner = CliRunner()


def test_sqlite_export_of_the_shipped_base_with_views(tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    result = runner.invoke(app, ["export", "--root", str(REPO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(out)
    try:
        facts = db.execute("SELECT count(*) FROM facts").fetchone()[0]
        assert facts > 900
        # one row per region × metric × period, with its citation
        rows = db.execute("SELECT region, period, value, number, source_title, line, quote FROM figures "
                          "WHERE metric = 'patent.grants' ORDER BY region").fetchall()
        assert ("宁波", "2024", "71425件", 71425.0, "宁波市2024年知识产权发展与保护状况", "31", "全市专利授权量 71425 件") in rows
        duplicates = db.execute("SELECT region, metric, period, count(*) FROM figures GROUP BY region, metric, period "
                                "HAVING count(*) > 1").fetchall()
        assert duplicates == []
        assert db.execute("SELECT number FROM facts WHERE id = 'ningbo-2024/pledge_amount'").fetchone()[0] == 61093000000
        relations = db.execute("SELECT kind, target FROM relations WHERE fact = 'huzhou-2024/valid_invention_growth'")
        assert relations.fetchall() == [("growth_of", "huzhou-2024/valid_invention")]
        reviewed = db.execute("SELECT code, status, reviewer FROM reviewed_findings ORDER BY code").fetchall()
        assert ("R101", "source-error", "ipfacts curators") in reviewed
        # one finding per fingerprint, as many as the check leaves open (warnings nobody could judge yet)
        _, report = check_root(REPO)
        assert db.execute("SELECT count(DISTINCT fingerprint) FROM open_findings").fetchone()[0] == len(report.open)
        assert db.execute("SELECT count(*) FROM open_findings WHERE severity = 'error'").fetchone()[0] == 0
        metric = db.execute("SELECT counts_zh, headline FROM metrics WHERE key = 'admin.patent_disputes.rulings'")
        counts, headline = metric.fetchone()
        assert "只含裁决" in counts and headline == 0
    finally:
        db.close()


def test_sqlite_needs_a_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--root", str(REPO), "-f", "sqlite"])
    assert result.exit_code == 2 and "binary" in result.output


def test_the_database_is_closed_when_the_export_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # #31: Python 3.13 reports a connection left open (ResourceWarning); the export closes it on every path
    import sqlite_utils

    from ipfacts.render.export import to_sqlite

    base, report = check_root(REPO)
    opened: list[sqlite_utils.Database] = []
    closed: list[sqlite_utils.Database] = []
    real_init, real_close = sqlite_utils.Database.__init__, sqlite_utils.Database.close

    def init(self: sqlite_utils.Database, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        opened.append(self)

    def close(self: sqlite_utils.Database) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(sqlite_utils.Database, "__init__", init)
    monkeypatch.setattr(sqlite_utils.Database, "close", close)

    class Broken:
        @property
        def findings(self) -> list[object]:
            raise RuntimeError("the report cannot be read")

    with pytest.raises(RuntimeError, match="cannot be read"):
        to_sqlite(base, Broken())
    assert len(opened) == 1 and closed == opened
    assert to_sqlite(base, report).startswith(b"SQLite format 3\x00")  # and on success
    assert len(opened) == 2 and closed == opened
