"""Facts in the archive: the ``doc_refs`` and ``people`` tables (schema migration 2).

* ``mark_changed_articles`` + ``merge_facts``: called by ``etl.store.loader.merge_batch`` inside the batch's
  transaction.  Articles that are new or whose ``content_hash`` changed get their old facts deleted and their
  new ones inserted, batched (one INSERT ... SELECT per table): from the batch's ``doc_refs.parquet`` /
  ``people.parquet`` when extraction staged them (``manifest["facts"]``), else computed here from the staged
  texts (batches written by older versions or by hand).
* ``refresh_facts``: recompute the facts of every archived article (or of some); migration 2
  (``etl.store.schema``) runs it so an archive that predates the tables gets filled, and it can be rerun after
  the extractors improve.

Only the connection it is given is touched; nothing here opens the archive.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from etl.facts.rows import fact_rows
from etl.store.staging import DOC_REF_COLUMNS, PEOPLE_COLUMNS, Batch

log = logging.getLogger(__name__)

FACT_TABLES = {"doc_refs": DOC_REF_COLUMNS, "people": PEOPLE_COLUMNS}
CHANGED = "facts_changed_articles"  # temp table: article_id of the staged articles that are new or changed

def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[dict[str, Any]], tmpdir: Path) -> int:
    """Insert rows with one INSERT ... SELECT over a JSON-lines file (no per-row INSERT)."""
    columns = FACT_TABLES[table]
    path = tmpdir / f"{table}.jsonl"
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    if count:
        spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
        cols = ", ".join(columns)
        con.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM "
            f"read_json('{path}', format='newline_delimited', columns={spec})"
        )
    path.unlink()
    return count


def _compute(records: Iterable[tuple[str, str, Any]]) -> tuple[list[dict], list[dict]]:
    docs: list[dict] = []
    people: list[dict] = []
    for article_id, text, published_at in records:
        d, p = fact_rows(article_id, text, published_at)
        docs.extend(d)
        people.extend(p)
    return docs, people


def mark_changed_articles(con: duckdb.DuckDBPyConnection, staged: str = "staged_articles") -> int:
    """Before the articles upsert: remember which staged articles are new or changed (their facts get redone)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {CHANGED} AS
        SELECT DISTINCT s.article_id FROM {staged} s LEFT JOIN articles a USING (article_id)
        WHERE a.article_id IS NULL OR a.content_hash IS DISTINCT FROM s.content_hash
        """
    )
    return con.execute(f"SELECT count(*) FROM {CHANGED}").fetchone()[0]


def merge_facts(
    con: duckdb.DuckDBPyConnection, batch: Batch | None, manifest: dict | None = None,
    staged: str = "staged_articles",
) -> tuple[int, int]:
    """Replace the facts of the articles marked by ``mark_changed_articles``; returns (doc_refs, people) rows.

    Runs inside the caller's transaction.  Uses the batch's staged fact tables when its extraction wrote them,
    else extracts the facts from the staged texts.
    """
    for table in FACT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {CHANGED})")
    staged_facts = (
        batch is not None and bool((manifest or {}).get("facts"))
        and all(batch.parquet(t).exists() for t in FACT_TABLES)
    )
    counts = []
    if staged_facts:
        for table, columns in FACT_TABLES.items():
            cols = ", ".join(columns)
            before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            con.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet('{batch.parquet(table)}') "
                f"WHERE article_id IN (SELECT article_id FROM {CHANGED})"
            )
            counts.append(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before)
    else:
        records = con.execute(
            f"SELECT article_id, text, published_at FROM {staged} WHERE article_id IN (SELECT article_id FROM {CHANGED})"
        ).fetchall()
        docs, people = _compute(records)
        with tempfile.TemporaryDirectory(prefix="portal-etl-facts-") as tmp:
            counts = [_insert_rows(con, "doc_refs", docs, Path(tmp)), _insert_rows(con, "people", people, Path(tmp))]
    con.execute(f"DROP TABLE IF EXISTS {CHANGED}")
    return counts[0], counts[1]


def refresh_facts(
    con: duckdb.DuckDBPyConnection,
    article_ids: list[str] | None = None,
    *,
    in_transaction: bool = False,
    chunk_size: int = 5000,
) -> tuple[int, int]:
    """Recompute ``doc_refs`` and ``people`` for every archived article (or ``article_ids``) in one transaction.

    Returns the numbers of (doc_refs, people) rows written.  Idempotent: rerunning gives the same rows.
    """
    if not in_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        where = ""
        params: list[Any] = []
        if article_ids is not None:
            where = "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"
            params = [list(article_ids)]
        for table in FACT_TABLES:
            con.execute(f"DELETE FROM {table} {where}", params)
        total = con.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]
        written = [0, 0]
        with tempfile.TemporaryDirectory(prefix="portal-etl-facts-") as tmp:
            for offset in range(0, total, chunk_size):
                records = con.execute(
                    f"SELECT article_id, text, published_at FROM articles {where} "
                    f"ORDER BY article_id LIMIT {chunk_size} OFFSET {offset}",
                    params,
                ).fetchall()
                docs, people = _compute(records)
                written[0] += _insert_rows(con, "doc_refs", docs, Path(tmp))
                written[1] += _insert_rows(con, "people", people, Path(tmp))
        if not in_transaction:
            con.execute("COMMIT")
    except Exception:
        if not in_transaction:
            con.execute("ROLLBACK")
        raise
    if total:
        log.info("facts refreshed for %d articles: %d doc_refs, %d people", total, written[0], written[1])
    return written[0], written[1]
