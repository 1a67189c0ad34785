"""Migration 3: the provinces table and the documented views, present in the published snapshot."""

from __future__ import annotations

from datetime import date

import duckdb

from etl.store import schema
from etl.store.query import query
from etl.store.snapshot import snapshot_path


def q(db, sql):
    return query(db, sql).rows


def test_views_are_in_the_snapshot(archive):
    assert snapshot_path(archive).exists()
    names = {r[0] for r in q(archive, "SELECT view_name FROM duckdb_views() WHERE schema_name = 'main'")}
    assert {"articles_v", "coverage", "coverage_portals", "crawl_health"} <= names
    assert (3,) in q(archive, "SELECT version FROM schema_migrations")
    assert q(archive, "SELECT count(*) FROM provinces") == [(63,)]


def test_articles_v_adds_date_parts_and_the_2025_unit(archive):
    rows = dict(q(archive, "SELECT DISTINCT province, province_2025 FROM articles_v"))
    assert rows == {"Lâm Đồng": "Lâm Đồng", "Kon Tum": "Quảng Ngãi", "Thừa Thiên Huế": "Huế", "Trung ương": None}
    assert q(archive, "SELECT year, month, date FROM articles_v WHERE title LIKE 'Quán triệt%'") == [
        (2020, 5, date(2020, 5, 5))]
    assert q(archive, "SELECT count(*) FROM articles_v WHERE year IS NULL") == [(1,)]  # undated kept


def test_coverage_shows_gap_months(archive):
    rows = q(archive, "SELECT month, articles, is_gap, gap_months FROM coverage WHERE portal = 'lamdong' ORDER BY month")
    assert rows == [
        (date(2020, 1, 1), 1, False, 2), (date(2020, 2, 1), 2, False, 2), (date(2020, 3, 1), 0, True, 2),
        (date(2020, 4, 1), 0, True, 2), (date(2020, 5, 1), 1, False, 2),
    ]
    summary = q(archive, "SELECT articles, undated, months_spanned, gap_months, gaps FROM coverage_portals"
                         " WHERE portal IN ('lamdong', 'kontum') ORDER BY portal")
    assert summary == [(3, 1, 2, 0, []), (4, 0, 5, 2, [date(2020, 3, 1), date(2020, 4, 1)])]


def test_crawl_health_keeps_the_last_success_and_the_last_error(archive):
    [row] = q(archive, "SELECT runs, ok_runs, failed_runs, last_status, last_ok_at < last_run_at, last_ok_articles,"
                       " errors_total, last_error FROM crawl_health WHERE portal = 'kontum'")
    assert row == (2, 1, 1, "failed", True, 3, 3, "DNS lookup failed for kontum.example")
    [row] = q(archive, "SELECT last_status, pages_with_error, last_error FROM crawl_health WHERE portal = 'lamdong'")
    assert row == ("ok", 1, "http://lamdong.example/missing: HTTP 404")


def test_migrations_apply_by_number_not_by_maximum(tmp_path, monkeypatch):
    """An archive already at 3 still gets a migration 2 that ships later (parallel work lands out of order)."""
    con = duckdb.connect(str(tmp_path / "a.duckdb"))
    schema.migrate(con)
    assert {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()} >= {1, 3}
    late = (2, "a late migration", ["CREATE TABLE late_table (x INTEGER)"])
    monkeypatch.setattr(schema, "MIGRATIONS", sorted([*schema.MIGRATIONS, late], key=lambda m: m[0]))
    if 2 not in {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}:
        assert schema.migrate(con) == 1
        assert con.execute("SELECT count(*) FROM late_table").fetchone() == (0,)
    assert schema.migrate(con) == 0
    con.close()


def test_an_archive_from_before_the_views_gets_them(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    schema.current_version(con)
    for statement in schema.MIGRATIONS[0][2]:
        con.execute(statement)
    con.execute("INSERT INTO schema_migrations (version, description) VALUES (1, 'initial')")
    schema.migrate(con)
    assert con.execute("SELECT count(*) FROM coverage").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM provinces").fetchone() == (63,)
    con.close()
