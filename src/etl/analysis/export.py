"""``portal-etl export``: the archive as a Parquet dataset that any tool can read.

Layout (standard Hive partitioning, read by DuckDB, pandas/pyarrow, Polars and Spark)::

    DIR/articles/portal=<id>/year=<YYYY>/data_0.parquet   articles (with month, date, province_2025);
                                                           undated articles under year=__HIVE_DEFAULT_PARTITION__
    DIR/images.parquet, DIR/pages.parquet, DIR/crawl_runs.parquet, DIR/provinces.parquet, ...
                                                           every other table, flat (pages without html
                                                           unless asked for)
    DIR/_manifest.json                                     what was written, from which file, when

The partition columns (portal, year) live in the directory names, not inside the files, as Hive expects.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.store.sqltext import sql_str

# Tables of the archive's machinery, not data: never exported.
INTERNAL_TABLES = {"schema_migrations", "snapshot_info", "search_index_info", "loaded_batches"}
MANIFEST = "_manifest.json"


class ExportError(ValueError):
    """The target cannot be written (exists and not empty without --overwrite, ...)."""


@dataclass
class ExportResult:
    directory: str
    source: str
    written_at: str
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows
    partitions: int = 0


def _base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database()"
        " AND NOT temporary ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows if r[0] not in INTERNAL_TABLES]


def _has_view(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'main' AND view_name = ?", [name]
    ).fetchone()[0])


def export_parquet(
    con: duckdb.DuckDBPyConnection, directory: Path, *, source: str = "", overwrite: bool = False,
    with_html: bool = False,
) -> ExportResult:
    directory = Path(directory)
    tables = _base_tables(con)
    if "articles" not in tables:
        raise ExportError("the database has no articles table")
    targets = [directory / "articles", directory / MANIFEST] + [
        directory / f"{t}.parquet" for t in tables if t != "articles"
    ]
    existing = [t for t in targets if t.exists()]
    if existing and not overwrite:
        raise ExportError(f"{directory} already holds an export ({existing[0].name}); pass --overwrite to replace it")
    directory.mkdir(parents=True, exist_ok=True)
    for target in existing:  # only what an export writes, never anything else in DIR
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()

    result = ExportResult(str(directory), source, datetime.now(UTC).isoformat())
    articles = (
        "SELECT * FROM articles_v" if _has_view(con, "articles_v")
        else "SELECT *, year(published_at) AS year FROM articles"
    )
    con.execute(
        f"COPY ({articles}) TO '{sql_str(directory / 'articles')}' "
        "(FORMAT parquet, PARTITION_BY (portal, year), COMPRESSION zstd)"
    )
    result.tables["articles"] = int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    result.partitions = len(list((directory / "articles").glob("portal=*/year=*")))
    for table in tables:
        if table == "articles":
            continue
        select = f'SELECT * FROM "{table}"'
        if table == "pages" and not with_html:
            select = "SELECT * EXCLUDE (html) FROM pages"
        con.execute(f"COPY ({select}) TO '{sql_str(directory / f'{table}.parquet')}' (FORMAT parquet, COMPRESSION zstd)")
        result.tables[table] = int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    (directory / MANIFEST).write_text(json.dumps(asdict(result), ensure_ascii=False, indent=1), encoding="utf-8")
    return result
