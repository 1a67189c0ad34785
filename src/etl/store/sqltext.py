"""Values written into SQL text, for the statements DuckDB cannot take parameters in (ATTACH, COPY ... TO,
SET, read_parquet paths).  One home for the quoting, imported by the loader and by the analysis side alike
(it imports nothing)."""

from __future__ import annotations

from datetime import date


def sql_str(value: object) -> str:
    """``value`` as the inside of a SQL string literal (quotes doubled)."""
    return str(value).replace("'", "''")


def sql_literal(value: object) -> str:
    """``value`` as a whole SQL literal: ``NULL``, ``DATE 'YYYY-MM-DD'`` or a quoted string."""
    if value is None:
        return "NULL"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return "'" + sql_str(value) + "'"
