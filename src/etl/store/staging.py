"""Staged batches: the durable unit between crawling and loading.

A batch is a folder ``<staging>/<batch_id>/``.  The crawler appends ``raw.jsonl`` (one RawPage a line,
flushed as it goes) and writes ``crawl.json`` when it ends; extraction writes ``pages.parquet``,
``articles.parquet``, ``images.parquet`` and ``manifest.json``, then the ``READY`` marker (an atomic
rename, so a batch is either ready or not).  The loader merges READY batches and removes them.  Batches
are plain files, so they can be produced on one machine and merged on another.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from etl.records import RawPage

log = logging.getLogger(__name__)

RAW = "raw.jsonl"
CRAWL = "crawl.json"
MANIFEST = "manifest.json"
READY = "READY"

PAGE_COLUMNS: dict[str, str] = {
    "url": "VARCHAR",
    "portal": "VARCHAR",
    "fetched_at": "TIMESTAMPTZ",
    "status": "INTEGER",
    "content_type": "VARCHAR",
    "charset": "VARCHAR",
    "html": "VARCHAR",
    "etag": "VARCHAR",
    "last_modified": "VARCHAR",
    "error": "VARCHAR",
    "kind": "VARCHAR",
    "is_article": "BOOLEAN",
    "article_id": "VARCHAR",
    "batch_id": "VARCHAR",
    "source": "VARCHAR",
}
ARTICLE_COLUMNS: dict[str, str] = {
    "article_id": "VARCHAR",
    "portal": "VARCHAR",
    "province": "VARCHAR",
    "url": "VARCHAR",
    "title": "VARCHAR",
    "published_at": "TIMESTAMP",
    "date_source": "VARCHAR",
    "author": "VARCHAR",
    "category": "VARCHAR",
    "dateline": "VARCHAR",
    "text": "VARCHAR",
    "text_norm": "VARCHAR",
    "word_count": "INTEGER",
    "content_hash": "VARCHAR",
    "fetched_at": "TIMESTAMPTZ",
}
IMAGE_COLUMNS: dict[str, str] = {
    "article_id": "VARCHAR",
    "position": "INTEGER",
    "url": "VARCHAR",
    "caption": "VARCHAR",
    "credit": "VARCHAR",
}
# Structured facts extracted from each article's text (etl.facts); see the README's "Structured facts".
DOC_REF_COLUMNS: dict[str, str] = {
    "article_id": "VARCHAR",
    "position": "INTEGER",
    "kind": "VARCHAR",
    "number": "VARCHAR",
    "code": "VARCHAR",
    "level": "VARCHAR",
    "year": "INTEGER",
    "doc_date": "DATE",
    "issuer": "VARCHAR",
    "span": "VARCHAR",
    "char_offset": "INTEGER",
}
PEOPLE_COLUMNS: dict[str, str] = {
    "article_id": "VARCHAR",
    "position": "INTEGER",
    "name": "VARCHAR",
    "positions": "VARCHAR[]",
    "span": "VARCHAR",
    "char_offset": "INTEGER",
}
# Duplicate-detection fingerprint of each staged article, computed at extraction (etl.dedupe.fingerprint_row) so
# the merge only joins it in SQL; a batch without it (older format, written by hand) is fingerprinted at merge.
FINGERPRINT_COLUMNS: dict[str, str] = {
    "article_id": "VARCHAR",
    "content_hash": "VARCHAR",  # the staged article's content_hash (a fingerprint is used only with it)
    "text_hash": "VARCHAR",     # NULL when the text is too short to compare
    "shingles": "INTEGER",
    "buckets": "BIGINT[]",      # LSH bucket of each band (etl.dedupe.BANDS); NULL when text_hash is NULL
    "shingle_hashes": "UINTEGER[]",  # 32-bit hash of each shingle, sorted, distinct; NULL when text_hash is NULL
    "minhash": "UINTEGER[]",    # the 128-value MinHash signature; NULL when text_hash is NULL
}
TABLES = {
    "pages": PAGE_COLUMNS,
    "articles": ARTICLE_COLUMNS,
    "images": IMAGE_COLUMNS,
    "doc_refs": DOC_REF_COLUMNS,
    "people": PEOPLE_COLUMNS,
    "fingerprints": FINGERPRINT_COLUMNS,
}


@dataclass(frozen=True)
class Batch:
    path: Path

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def raw_path(self) -> Path:
        return self.path / RAW

    @property
    def ready(self) -> bool:
        return (self.path / READY).exists()

    def crawl_info(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / CRAWL).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))

    def parquet(self, table: str) -> Path:
        return self.path / f"{table}.parquet"


def new_batch(staging_root: Path, portal_id: str, now: datetime | None = None) -> Batch:
    now = now or datetime.now(UTC)
    batch_id = f"{now:%Y%m%dT%H%M%S}Z-{portal_id}-{uuid.uuid4().hex[:8]}"
    path = Path(staging_root) / batch_id
    path.mkdir(parents=True, exist_ok=False)
    return Batch(path)


def list_batches(staging_root: Path) -> list[Batch]:
    root = Path(staging_root)
    if not root.is_dir():
        return []
    return sorted(
        (Batch(p) for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))),
        key=lambda b: b.id,
    )


def read_raw_pages(batch: Batch) -> Iterator[RawPage]:
    """Yield the crawler's pages; a torn last line (crash mid-write) is skipped with a warning."""
    if not batch.raw_path.exists():
        return
    with batch.raw_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield RawPage.from_json(line)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("batch %s: skipping unreadable line %d of %s: %s", batch.id, number, RAW, exc)


def write_raw_pages(batch: Batch, pages: list[RawPage]) -> None:
    """Append raw pages (used by WARC import and tests; the crawler writes its own)."""
    with batch.raw_path.open("a", encoding="utf-8") as handle:
        for page in pages:
            handle.write(page.to_json() + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value)!r}")


# One DuckDB-heavy step at a time in a process: converting a batch's rows to Parquet (etl.store.extracted) and
# reading or merging into the archive (etl.pipeline).  Portals run in threads (the CLI, flows): without it a
# conversion and a merge would each hold a DuckDB instance near its memory limit at the same moment.
DUCKDB_STEP = threading.RLock()  # re-entrant: a step may run another inside it (same thread)

# Staged Parquet is written in row groups of at most ROW_GROUP_SIZE rows and, for ``pages`` (raw HTML of 10 to
# 150 KB a page), at most ROW_GROUP_SIZE_BYTES: readers hold one row group at a time (the loader's slices of raw
# pages, ``etl.store.loader.PAGE_SLICE``), so what a reader needs stays small whatever the pages weigh.  (DuckDB
# cuts row groups by bytes only while allowed to reorder rows: the order of staged pages carries no meaning.)
ROW_GROUP_SIZE = 5000
ROW_GROUP_SIZE_BYTES = "32MB"


def copy_to_parquet(con: duckdb.DuckDBPyConnection, query: str, path: Path | str, table: str) -> None:
    """``COPY (query) TO path`` as a staged table's Parquet file (zstd, bounded row groups)."""
    options = f"FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE}"
    if table != "pages":
        con.execute(f"COPY ({query}) TO '{path}' ({options})")
        return
    con.execute("SET preserve_insertion_order = false")
    try:
        con.execute(f"COPY ({query}) TO '{path}' ({options}, ROW_GROUP_SIZE_BYTES '{ROW_GROUP_SIZE_BYTES}')")
    finally:
        con.execute("RESET preserve_insertion_order")


def write_extracted(batch: Batch, rows: dict[str, list[dict[str, Any]]], manifest: dict[str, Any]) -> None:
    """Write the extracted tables as Parquet, then mark the batch READY (atomically)."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        for table, columns in TABLES.items():
            tmp_json = batch.path / f".{table}.jsonl"
            with tmp_json.open("w", encoding="utf-8") as handle:
                for row in rows.get(table, []):
                    handle.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
            target = batch.parquet(table)
            tmp_parquet = batch.path / f".{table}.parquet"
            column_spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
            select = ", ".join(columns)
            if tmp_json.stat().st_size:
                source = f"read_json('{tmp_json}', format='newline_delimited', columns={column_spec})"
            else:  # an empty table still needs its columns
                source = "(SELECT " + ", ".join(
                    f"CAST(NULL AS {kind}) AS {name}" for name, kind in columns.items()
                ) + " LIMIT 0)"
            copy_to_parquet(con, f"SELECT {select} FROM {source}", tmp_parquet, table)
            os.replace(tmp_parquet, target)
            tmp_json.unlink()
    finally:
        con.close()
    _atomic_write(batch.path / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default))
    _atomic_write(batch.path / READY, datetime.now(UTC).isoformat())


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
