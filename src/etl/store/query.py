"""Read-only queries over the archive, for the CLI and notebooks.

Queries read the published snapshot (``<db>.snapshot.duckdb``) when there is one, so they never block a
load; ``live=True`` reads the archive itself (and waits while a loader holds it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from etl.store.loader import ArchiveError, connect
from etl.store.snapshot import snapshot_path, snapshot_published_at


class QueryError(ValueError):
    """The query itself is wrong (syntax, unknown column, a write on a read-only archive)."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    source: Path  # the file that answered
    snapshot_at: datetime | None  # publication time when a snapshot answered


def open_for_reading(db_path: str | Path, live: bool = False, lock_timeout: float = 10.0):
    """Return (connection, file, snapshot time) for reading the archive."""
    snapshot = snapshot_path(db_path)
    if not live and snapshot.exists():
        con = duckdb.connect(str(snapshot), read_only=True)
        con.execute("SET TimeZone = 'Asia/Ho_Chi_Minh'")
        return con, snapshot, snapshot_published_at(con)
    if not Path(db_path).exists():
        raise ArchiveError(f"no archive at {db_path} (run `portal-etl crawl` or `portal-etl demo` first)")
    return connect(db_path, read_only=True, lock_timeout=lock_timeout), Path(db_path), None


def query(db_path: str | Path, sql: str, *, live: bool = False, lock_timeout: float = 10.0) -> QueryResult:
    con, source, snapshot_at = open_for_reading(db_path, live=live, lock_timeout=lock_timeout)
    try:
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            raise QueryError(str(exc).splitlines()[0]) from None
        if cursor.description is None:
            return QueryResult([], [], source, snapshot_at)
        columns = [d[0] for d in cursor.description]
        return QueryResult(columns, cursor.fetchall(), source, snapshot_at)
    finally:
        con.close()


def run_query(db_path: str | Path, sql: str, lock_timeout: float = 10.0) -> tuple[list[str], list[tuple]]:
    result = query(db_path, sql, lock_timeout=lock_timeout)
    return result.columns, result.rows
