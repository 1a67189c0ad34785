"""User mistakes end in one clear line and exit status 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest


def portal_etl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, timeout=60)


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_unknown_portal_id(tmp_path):
    assert_one_line_error(portal_etl("crawl", "no-such-portal", "--db", str(tmp_path / "a.duckdb")),
                          "unknown portal id", "no-such-portal")


def test_malformed_registry_names_the_line(tmp_path):
    bad = tmp_path / "portals.toml"
    bad.write_text('[[portal]]\nid = "a"\nname = "A"\nprovince = "P"\nurl = "http://127.0.0.1:9/"\n\n'
                   '[[portal]]\nid = "b"\nname = = "B"\n', encoding="utf-8")
    assert_one_line_error(portal_etl("crawl", "--portals-file", str(bad)), "line 9")


def test_registry_entry_missing_url_names_its_line(tmp_path):
    bad = tmp_path / "portals.toml"
    bad.write_text('[[portal]]\nid = "a"\nname = "A"\nprovince = "P"\n', encoding="utf-8")
    assert_one_line_error(portal_etl("crawl", "--portals-file", str(bad)), "line 1", "url")


def test_unwritable_db_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_one_line_error(portal_etl("crawl", "--db", str(blocker / "sub" / "a.duckdb")), "archive")


@pytest.mark.parametrize("query", ["SELECT FROM WHERE", "SELECT * FROM no_such_table"])
def test_bad_sql(tmp_path, query):
    import duckdb

    db = tmp_path / "a.duckdb"
    duckdb.connect(str(db)).close()
    assert_one_line_error(portal_etl("sql", query, "--db", str(db)))


def test_sql_on_missing_archive(tmp_path):
    assert_one_line_error(portal_etl("sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")), "no archive")
