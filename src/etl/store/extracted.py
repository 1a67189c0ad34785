"""Writing a batch's extracted tables as a stream: rows go to disk as they come, never all in memory.

``ExtractedWriter`` appends each row (one JSON line, tagged with ``_seq``, the position of the raw page it
came from) to ``.<table>.jsonl`` in the batch folder.  ``finish()`` turns the files into the batch's Parquet
tables (``etl.store.staging.TABLES``) with DuckDB, de-duplicating on the way exactly as keeping rows in dicts
did: the last row of a URL wins in ``pages`` and the last row of an ``article_id`` in ``articles``; images,
doc_refs, people and fingerprints are those of the winning version of their article.  ``mark_ready()`` then writes the
manifest and the ``READY`` marker (atomically), as ``write_extracted`` does.

DuckDB runs the conversion under a memory limit and spills to the batch folder, so a batch of any size is
converted in bounded memory (pages carry their HTML).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from etl.store.staging import (
    DUCKDB_STEP,
    MANIFEST,
    READY,
    TABLES,
    Batch,
    _atomic_write,
    _json_default,
    copy_to_parquet,
)

SEQ = "_seq"
KEYS = {"pages": "url", "articles": "article_id"}  # the row with the highest _seq of each key wins
CHILDREN = ("images", "doc_refs", "people", "fingerprints")  # kept when their _seq is the winning articles row's
MEMORY_LIMIT = "384MB"
# One DuckDB thread: DuckDB's JSON reader holds buffers per thread, and with two the conversion of 5,000 benchmark
# pages peaked about 80 MB higher (~480 instead of ~400 MB of RSS), for 0.2 s less.
THREADS = 1


def row_line(row: dict[str, Any], seq: int) -> str:
    """One row as the JSON line ``ExtractedWriter`` stores (``_seq`` first)."""
    return json.dumps({SEQ: seq, **row}, ensure_ascii=False, default=_json_default)


class ExtractedWriter:
    """Streams a batch's extracted rows to temporary JSONL files; ``finish()`` makes the Parquet tables."""

    def __init__(self, batch: Batch) -> None:
        self.batch = batch
        self.written = dict.fromkeys(TABLES, 0)
        self._files = {table: self._tmp(table).open("w", encoding="utf-8") for table in TABLES}

    def _tmp(self, table: str) -> Path:
        return self.batch.path / f".{table}.jsonl"

    def write(self, table: str, lines: Iterable[str]) -> None:
        """Append JSON lines (from ``row_line``) to ``table``."""
        handle = self._files[table]
        for line in lines:
            handle.write(line)
            handle.write("\n")
            self.written[table] += 1

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()

    def discard(self) -> None:
        self.close()
        for table in TABLES:
            self._tmp(table).unlink(missing_ok=True)

    def finish(self) -> dict[str, int]:
        """Write the de-duplicated Parquet tables; returns the row count of each and ``errors`` (error pages)."""
        self.close()
        with DUCKDB_STEP:  # not beside a merge or another conversion (about a second per 5,000 pages)
            return self._convert()

    def _convert(self) -> dict[str, int]:
        # imported late: the loader is heavier to import than this module (which extraction workers import)
        from etl.store.loader import retry_without_limit

        spill = self.batch.path / ".duckdb_tmp"
        con = duckdb.connect()
        counts: dict[str, int] = {}
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            con.execute(f"SET threads = {THREADS}")
            con.execute(f"SET temp_directory = '{spill}'")
            for table, columns in TABLES.items():
                target = self.batch.parquet(table)
                tmp_parquet = self.batch.path / f".{table}.parquet"
                query = self._query(table, columns)
                # rows too large for the limit are converted anyway
                retry_without_limit(con, lambda: copy_to_parquet(con, query, tmp_parquet, table))
                os.replace(tmp_parquet, target)
                counts[table] = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0]
            counts["errors"] = con.execute(
                f"SELECT count(*) FROM read_parquet('{self.batch.parquet('pages')}') WHERE kind = 'error'"
            ).fetchone()[0]
        finally:
            con.close()
            shutil.rmtree(spill, ignore_errors=True)
        for table in TABLES:
            self._tmp(table).unlink(missing_ok=True)
        return counts

    def _source(self, table: str, columns: dict[str, str]) -> str:
        spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in {SEQ: "BIGINT", **columns}.items()) + "}"
        return f"read_json('{self._tmp(table)}', format='newline_delimited', columns={spec})"

    def _winners(self, table: str) -> str:
        key = KEYS[table]
        spec = "{" + f"'{key}': 'VARCHAR', '{SEQ}': 'BIGINT'" + "}"
        return (
            f"SELECT max({SEQ}) FROM read_json('{self._tmp(table)}', format='newline_delimited', columns={spec}) "
            f"GROUP BY {key}"
        )

    def _query(self, table: str, columns: dict[str, str]) -> str:
        select = ", ".join(columns)
        if not self.written[table]:  # an empty table still needs its columns
            return "SELECT " + ", ".join(f"CAST(NULL AS {kind}) AS {name}" for name, kind in columns.items()) + " LIMIT 0"
        source = self._source(table, columns)
        if table in KEYS:
            return f"SELECT {select} FROM {source} WHERE {SEQ} IN ({self._winners(table)})"
        if table in CHILDREN and self.written["articles"]:
            order = f"{SEQ}, position" if "position" in columns else SEQ
            return f"SELECT {select} FROM {source} WHERE {SEQ} IN ({self._winners('articles')}) ORDER BY {order}"
        return f"SELECT {select} FROM {source} ORDER BY {SEQ}"


def mark_ready(batch: Batch, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` then the ``READY`` marker, atomically (the batch is ready or it is not)."""
    _atomic_write(batch.path / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default))
    _atomic_write(batch.path / READY, datetime.now(UTC).isoformat())
