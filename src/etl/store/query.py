"""Read-only queries over the archive, for the CLI and notebooks."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.store.loader import connect


class QueryError(ValueError):
    """The query itself is wrong (syntax, unknown column, a write on a read-only archive)."""


def run_query(db_path: str | Path, query: str, lock_timeout: float = 10.0) -> tuple[list[str], list[tuple]]:
    con = connect(db_path, read_only=True, lock_timeout=lock_timeout)
    try:
        try:
            cursor = con.execute(query)
        except duckdb.Error as exc:
            raise QueryError(str(exc).splitlines()[0]) from None
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
    finally:
        con.close()
