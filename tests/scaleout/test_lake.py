"""DuckLake archive (etl.store.lake) on a throwaway PostgreSQL: concurrent writers and migrate-archive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from click.testing import CliRunner

from etl.cli import main
from etl.store import lake
from etl.store.loader import load_ready_batches
from tests.scaleout.batches import compare_lake_with_file, copy_batches

REPO = Path(__file__).resolve().parents[2]


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.scaleout.lake_worker", *args], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def test_archive_string_parsing():
    spec = lake.parse_archive("ducklake:postgres:host=db port=5432 dbname=lake password=s3cret;data=/srv/lake/")
    assert spec.catalog == "postgres:host=db port=5432 dbname=lake password=s3cret"
    assert spec.data_path == "/srv/lake/" and spec.is_postgres
    assert "s3cret" not in spec.describe()
    url = lake.parse_archive("ducklake:postgres:postgresql://etl:pw@db:5432/lake")
    assert url.data_path is None and "pw" not in url.describe()
    assert lake.lake_statements("CREATE TABLE t (a VARCHAR PRIMARY KEY, b VARCHAR NOT NULL UNIQUE, -- unique\n"
                                " PRIMARY KEY (a, b))")[0].split() == \
        ["CREATE", "TABLE", "t", "(a", "VARCHAR,", "b", "VARCHAR", "NOT", "NULL)"]


def test_concurrent_writers_and_a_reader(lake_archive, staged_template, tmp_path):
    ids = sorted(p.name for p in staged_template.iterdir())
    sites = sorted({i.split("Z-", 1)[1].rsplit("-", 1)[0] for i in ids})
    half = set(sites[: len(sites) // 2])
    first = [i for i in ids if i.split("Z-", 1)[1].rsplit("-", 1)[0] in half]
    second = [i for i in ids if i not in first]
    shared = first[0]  # both writers get this batch: it must be merged exactly once
    a = copy_batches(staged_template, tmp_path / "staging-a", first)
    b = copy_batches(staged_template, tmp_path / "staging-b", [*second, shared])
    stop, out = tmp_path / "stop", tmp_path / "reader.json"

    reader = _spawn("read", lake_archive, str(stop), str(out))
    writers = [_spawn("load", lake_archive, str(a)), _spawn("load", lake_archive, str(b))]
    outputs = [w.communicate(timeout=240) for w in writers]
    stop.touch()
    reader.communicate(timeout=60)
    for writer, (stdout, stderr) in zip(writers, outputs):
        assert writer.returncode == 0, stderr[-3000:]
        assert "Traceback" not in stderr and "Error" not in stderr, stderr[-3000:]
    merged = [json.loads(stdout.strip().splitlines()[-1]) for stdout, _ in outputs]
    assert sum(not skipped for result in merged for _, skipped in result) == len(ids)  # each batch once
    report = json.loads(out.read_text())
    assert report["errors"] == [], report["errors"][:5]
    assert report["reads"] > 0
    assert report["seen"] == sorted(report["seen"])

    # Nothing lost or duplicated: the lake equals a single-file load of the same batches.
    single = tmp_path / "single.duckdb"
    load_ready_batches(single, copy_batches(staged_template, tmp_path / "staging-single"), publish=False)
    for table, (lake_rows, file_rows) in compare_lake_with_file(lake_archive, single).items():
        assert lake_rows == file_rows, table
    con = lake.open_lake_readonly(lake_archive)
    try:
        assert con.execute("SELECT count(*) FROM crawl_runs").fetchone()[0] == len(ids)
        assert con.execute("SELECT count(*) = count(DISTINCT article_id) FROM articles").fetchone()[0]
    finally:
        con.close()


def _all_rows(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name <> 'snapshot_info'"
        ).fetchall()]
        out = {}
        for table in tables:
            if table == "schema_migrations":
                out[table] = sorted(con.execute("SELECT version, description FROM schema_migrations").fetchall())
            else:
                out[table] = sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_migrate_archive_round_trip(lake_archive, staged_template, tmp_path):
    original = tmp_path / "original.duckdb"
    load_ready_batches(original, copy_batches(staged_template, tmp_path / "staging"), publish=False)
    runner = CliRunner()
    result = runner.invoke(main, ["migrate-archive", "--to", lake_archive, "--db", str(original)])
    assert result.exit_code == 0, result.output
    assert "row counts checked" in result.output

    columns_everywhere = compare_lake_with_file(
        lake_archive, original, tables=("articles", "images", "pages", "doc_refs", "people", "article_fingerprint",
                                        "article_lsh", "provinces"))
    for table, (lake_rows, file_rows) in columns_everywhere.items():
        assert lake_rows == file_rows and file_rows, table

    # Into a lake that already holds data: refused, nothing changes.
    again = runner.invoke(main, ["migrate-archive", "--to", lake_archive, "--db", str(original)])
    assert again.exit_code == 2 and "already holds" in again.output

    back = tmp_path / "back.duckdb"
    result = runner.invoke(main, ["migrate-archive", "--from", lake_archive, "--to", str(back)])
    assert result.exit_code == 0, result.output
    before, after = _all_rows(original), _all_rows(back)
    assert set(before) == set(after)
    for table in before:
        assert after[table] == before[table], table
    # The copy is a normal archive: queries, its snapshot and the views work.
    query = runner.invoke(main, ["sql", "SELECT count(*) AS n FROM articles_v", "--db", str(back)])
    assert query.exit_code == 0 and str(len(before["articles"])) in query.output


def test_lake_load_step_is_idempotent(lake_archive, staged_template, tmp_path):
    from etl.config import Settings
    from etl.pipeline import load_step

    ids = sorted(p.name for p in staged_template.iterdir())[:2]
    settings = Settings(db_path=tmp_path / "unused.duckdb", archive=lake_archive, keep_batches=True,
                        staging_dir=copy_batches(staged_template, tmp_path / "staging", ids))
    first = load_step(settings)
    assert [r.skipped for r in first] == [False, False]
    assert [r.skipped for r in load_step(settings)] == [True, True]
    assert not (tmp_path / "unused.duckdb").exists()  # the single-file archive is not touched
    result = CliRunner().invoke(main, ["lake-sql", "SELECT count(*) AS runs FROM crawl_runs", "--archive", lake_archive])
    assert result.exit_code == 0 and "2" in result.output
