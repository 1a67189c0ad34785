"""Staged batches without a network (the sample portals rendered in-process) and archive comparisons."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import duckdb

from tests.archive.helpers import FETCHED, raw_pages, sample_registry, sample_sites, stage_pages

# Columns that legitimately differ between two loads of the same batches.
VOLATILE = {"crawl_runs": {"loaded_at"}}
COMPARED = ("articles", "images", "pages", "doc_refs", "people", "article_fingerprint", "article_lsh", "crawl_runs")


def make_batches(root: Path) -> list[str]:
    """Two crawls of each sample portal (the second a day later) staged under ``root``."""
    sites = sample_sites()
    registry = sample_registry(sites)
    ids = []
    for day in range(2):
        for site_id, site in sites.items():
            batch = stage_pages(root, site_id, raw_pages(site, FETCHED + timedelta(days=day)), registry)
            ids.append(batch.id)
    return ids


def copy_batches(template: Path, target: Path, ids: list[str] | None = None) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(template.iterdir()):
        if ids is None or path.name in ids:
            shutil.copytree(path, target / path.name)
    return target


def table_rows(con: duckdb.DuckDBPyConnection, catalog: str, table: str, columns: list[str] | None = None):
    if columns is None:
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_catalog = ? AND table_schema = 'main' "
            "AND table_name = ? ORDER BY ordinal_position", [catalog, table]).fetchall()]
    columns = [c for c in columns if c not in VOLATILE.get(table, ())]
    names = ", ".join(f'"{c}"' for c in columns)
    return sorted(con.execute(f'SELECT {names} FROM {catalog}.main."{table}"').fetchall(), key=repr)


def compare_lake_with_file(archive: str, db_path: Path, tables=COMPARED, columns: dict | None = None) -> dict:
    """Rows of each table in the lake and in the DuckDB file: {table: (lake_rows, file_rows)}."""
    from etl.store.lake import ALIAS, open_lake_readonly

    con = open_lake_readonly(archive)
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"ATTACH '{db_path}' AS f (READ_ONLY)")
        return {t: (table_rows(con, ALIAS, t, (columns or {}).get(t)), table_rows(con, "f", t, (columns or {}).get(t)))
                for t in tables}
    finally:
        con.close()
