"""The 2025 province merger (``etl/portals/provinces.toml``) as a table in the archive.

``provinces`` has one row per pre-2025 province: ``province`` (as spelled in the portal registry),
``province_2025`` (the provincial unit it became part of from 2025-07-01), ``effective`` and ``note``.
It is created by schema migration 3 and refreshed from the shipped TOML every time a snapshot is
published, so a corrected mapping reaches the archive without a new migration.
"""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

import duckdb

from etl.store.sqltext import sql_literal

CREATE_SQL = """
CREATE TABLE IF NOT EXISTS provinces (
    province      VARCHAR PRIMARY KEY,  -- pre-2025 province, as in the portal registry
    province_2025 VARCHAR NOT NULL,     -- the post-2025 provincial unit it became (part of)
    effective     DATE,                 -- when the new unit's government took over
    note          VARCHAR
)
"""


def load_provinces() -> list[tuple[str, str, date | None, str | None]]:
    """Rows of the shipped provinces.toml: (province, province_2025, effective, note)."""
    text = resources.files("etl.portals").joinpath("provinces.toml").read_text(encoding="utf-8")
    rows = []
    for entry in tomllib.loads(text).get("province", []):
        effective = entry.get("effective")
        rows.append((entry["name"], entry.get("merged_into") or entry["name"],
                     effective if isinstance(effective, date) else None, entry.get("note")))
    return rows


def insert_sql() -> str:
    """One INSERT statement carrying the shipped mapping (used by the migration)."""
    values = ",\n".join(
        "(" + ", ".join(sql_literal(v) for v in row) + ")" for row in load_provinces()
    )
    return f"INSERT OR REPLACE INTO provinces (province, province_2025, effective, note) VALUES\n{values}"


def refresh_provinces(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the rows of ``provinces`` with the shipped mapping (one transaction; the table must exist)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM provinces")
        con.execute(insert_sql())
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
