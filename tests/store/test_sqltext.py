"""Values written into SQL text (ATTACH, COPY ... TO, SET): one quoting helper for the whole library."""

from __future__ import annotations

from datetime import date

import duckdb

from etl.store.sqltext import sql_literal, sql_str


def test_quotes_are_doubled_and_literals_round_trip_through_duckdb():
    tricky = "Đắk Lắk's 'Tỉnh ủy'"
    assert sql_str(tricky) == "Đắk Lắk''s ''Tỉnh ủy''"
    con = duckdb.connect()
    try:
        row = con.execute(
            f"SELECT {sql_literal(tricky)}, {sql_literal(None)}, {sql_literal(date(2025, 7, 1))}, {sql_literal(42)}"
        ).fetchone()
    finally:
        con.close()
    assert row == (tricky, None, date(2025, 7, 1), "42")
