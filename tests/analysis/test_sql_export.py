"""`portal-etl sql` output formats and shell; `portal-etl export` as a Hive-partitioned Parquet dataset."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import duckdb
import pytest


def portal_etl(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def test_sql_csv_and_json_to_stdout(archive):
    sql = "SELECT portal, count(*) AS n FROM articles GROUP BY portal ORDER BY portal"
    out = portal_etl("sql", sql, "--db", str(archive), "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert list(csv.reader(io.StringIO(out.stdout))) == [
        ["portal", "n"], ["hue", "1"], ["kontum", "3"], ["lamdong", "4"], ["tuyengiao", "1"]]
    out = portal_etl("sql", "SELECT portal, last_ok_at FROM crawl_health WHERE portal = 'hue'", "--db", str(archive),
                     "--format", "json")
    [row] = json.loads(out.stdout)
    assert row["portal"] == "hue" and row["last_ok_at"].startswith("2024-05-01T")


def test_sql_parquet_needs_and_writes_output(archive, tmp_path):
    out = portal_etl("sql", "SELECT * FROM coverage", "--db", str(archive), "--format", "parquet")
    assert out.returncode == 2 and out.stderr.startswith("error: --format parquet needs --output")
    target = tmp_path / "cov.parquet"
    out = portal_etl("sql", "SELECT * FROM coverage;", "--db", str(archive), "--format", "parquet", "--output", str(target))
    assert out.returncode == 0, out.stderr
    assert duckdb.sql(f"SELECT count(*) FROM '{target}'").fetchone() == (9,)
    bad = portal_etl("sql", "SELECT nope FROM articles", "--db", str(archive), "--format", "csv")
    assert bad.returncode == 2 and bad.stderr.startswith("error:")


def test_sql_table_to_file(archive, tmp_path):
    target = tmp_path / "t.txt"
    out = portal_etl("sql", "SELECT portal FROM crawl_health ORDER BY 1", "--db", str(archive), "--output", str(target))
    assert out.returncode == 0 and "tuyengiao" in target.read_text()


def test_interactive_shell_reads_statements(archive):
    script = ".tables\nSELECT count(*) AS n\n  FROM articles_v;\n.mode csv\nSELECT gap_months FROM coverage_portals" \
             " WHERE portal = 'lamdong';\nSELECT nope;\n.quit\nSELECT 'never';\n"
    out = portal_etl("sql", "--db", str(archive), stdin=script)
    assert "portal-etl SQL shell on" in out.stdout and "Full-text search available" in out.stdout
    assert "crawl_health" in out.stdout and "VIEW" in out.stdout  # .tables
    assert "9" in out.stdout  # 9 articles, printed as a table
    assert "gap_months\n2\n" in out.stdout  # csv mode
    assert "error: Binder Error" in out.stdout and "never" not in out.stdout
    assert out.returncode == 1  # a failed statement in a non-interactive session


def test_shell_supports_bm25_macros(archive):
    pytest.importorskip("duckdb_extension_fts")
    out = portal_etl("sql", "--db", str(archive), stdin=(
        "SELECT count(*) AS hits FROM (SELECT fts_main_search_fold.match_bm25(name, 'phong chong dich',"
        " conjunctive := 1) AS s FROM fts_main_search_fold.docs) WHERE s IS NOT NULL;\n"))
    assert out.returncode == 0, out.stdout
    assert "│    4 │" in out.stdout or " 4 " in out.stdout


def test_export_parquet_hive_dataset(archive, tmp_path):
    target = tmp_path / "export"
    out = portal_etl("export", "--format", "parquet", str(target), "--db", str(archive))
    assert out.returncode == 0, out.stderr
    parts = sorted(p.relative_to(target / "articles").as_posix() for p in (target / "articles").glob("*/*"))
    assert parts == ["portal=hue/year=2021", "portal=kontum/year=2021", "portal=kontum/year=__HIVE_DEFAULT_PARTITION__",
                     "portal=lamdong/year=2020", "portal=tuyengiao/year=2020"]
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT portal, year, count(*), any_value(province_2025) FROM read_parquet('{target}/articles/**/*.parquet',"
        " hive_partitioning = true) GROUP BY ALL ORDER BY ALL").fetchall()
    assert rows == [("hue", 2021, 1, "Huế"), ("kontum", 2021, 2, "Quảng Ngãi"), ("kontum", None, 1, "Quảng Ngãi"),
                    ("lamdong", 2020, 4, "Lâm Đồng"), ("tuyengiao", 2020, 1, None)]
    # partition columns live in the paths only, as Hive expects
    assert "portal" not in [r[0] for r in con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{target}/articles/portal=hue/year=2021/*.parquet',"
        " hive_partitioning = false)").fetchall()]
    assert con.execute(f"SELECT count(*) FROM '{target}/crawl_runs.parquet'").fetchone() == (5,)
    assert "html" not in [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{target}/pages.parquet'").fetchall()]
    manifest = json.loads((target / "_manifest.json").read_text())
    assert manifest["tables"]["articles"] == 9 and manifest["partitions"] == 5
    again = portal_etl("export", str(target), "--db", str(archive))
    assert again.returncode == 2 and "--overwrite" in again.stderr
    assert portal_etl("export", str(target), "--db", str(archive), "--overwrite").returncode == 0


def test_export_reads_with_pyarrow(archive, tmp_path):
    ds = pytest.importorskip("pyarrow.dataset")
    target = tmp_path / "export"
    assert portal_etl("export", str(target), "--db", str(archive)).returncode == 0
    table = ds.dataset(target / "articles", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 9 and "portal" in table.column_names
