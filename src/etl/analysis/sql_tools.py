"""``portal-etl sql`` beyond a printed table: CSV / JSON / Parquet output and an interactive shell.

The shell is a small REPL in this process, on the same DuckDB version as the archive (the PyPI
``duckdb-cli`` exists only for a newer DuckDB: it opens the files read-only but cannot load our ``fts``
extension), with the fts extension loaded so ``match_bm25`` works in it.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import IO

import duckdb

from etl.store.sqltext import sql_str

FORMATS = ("table", "csv", "json", "parquet")


def _json_default(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def write_csv(columns: list[str], rows: list[tuple], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, (datetime, date)) else v) for v in row])


def write_json(columns: list[str], rows: list[tuple], out: IO[str]) -> None:
    """A JSON array of objects, one per row (timestamps as ISO 8601 strings)."""
    json.dump([dict(zip(columns, row)) for row in rows], out, ensure_ascii=False, default=_json_default, indent=1)
    out.write("\n")


def write_parquet(con: duckdb.DuckDBPyConnection, sql: str, output: Path) -> int:
    """Run ``sql`` and write its result to ``output`` as Parquet; returns the row count."""
    relation = con.sql(sql.strip().rstrip(";"))
    if relation is None:
        raise ValueError("the statement returns no rows to write")
    output.parent.mkdir(parents=True, exist_ok=True)
    relation.write_parquet(str(output), compression="zstd")
    return int(con.execute(f"SELECT count(*) FROM read_parquet('{sql_str(output)}')").fetchone()[0])


def export_result(
    con: duckdb.DuckDBPyConnection, sql: str, fmt: str, output: Path | None, stdout: IO[str] | None = None
) -> int:
    """Write the result of ``sql`` as csv/json (to ``output`` or stdout) or parquet (``output`` required)."""
    if fmt == "parquet":
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        return write_parquet(con, sql, output)
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description] if cursor.description else []
    rows = cursor.fetchall() if cursor.description else []
    writer = write_csv if fmt == "csv" else write_json
    if output is None:
        writer(columns, rows, stdout or sys.stdout)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(output, "w", encoding="utf-8", newline="") as handle:
            writer(columns, rows, handle)
    return len(rows)


# --- the interactive shell ----------------------------------------------------------------------------------

SHELL_HELP = """Statements end with ';' (they may span lines). Read-only: the snapshot cannot be changed.
  .tables            tables and views, with their kind
  .schema NAME       columns of a table or view
  .mode table|csv|json  how results are printed (table)
  .maxrows N         rows shown in table mode (100)
  .help              this text
  .quit              leave (also Ctrl-D)
Try:  SELECT * FROM coverage_portals;   SELECT * FROM crawl_health;"""


def run_shell(
    con: duckdb.DuckDBPyConnection,
    print_rows: Callable[[list[str], list[tuple], int], None],
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    banner: str = "",
    max_rows: int = 100,
) -> int:
    """Read statements until EOF or ``.quit``; returns the number of statements that failed."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401 - line editing and history for input()
        except ImportError:
            pass
    if banner:
        print(banner, file=stdout)
    mode, failures, buffer = "table", 0, []

    def read(prompt: str) -> str | None:
        if interactive:
            try:
                return input(prompt)
            except EOFError:
                print(file=stdout)
                return None
        line = stdin.readline()
        return None if line == "" else line.rstrip("\n")

    def execute(statement: str) -> None:
        nonlocal failures
        try:
            cursor = con.execute(statement)
        except duckdb.Error as exc:
            failures += 1
            print(f"error: {str(exc).splitlines()[0]}", file=stdout)
            return
        if cursor.description is None:
            print("ok", file=stdout)
            return
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        if mode == "table":
            print_rows(columns, rows, max_rows)
        elif mode == "csv":
            write_csv(columns, rows, stdout)
        else:
            write_json(columns, rows, stdout)

    while True:
        line = read("sql> " if not buffer else "...> ")
        if line is None:
            break
        stripped = line.strip()
        if not buffer and stripped.startswith("."):
            command, _, argument = stripped.partition(" ")
            argument = argument.strip()
            if command in (".quit", ".exit", ".q"):
                break
            if command == ".help":
                print(SHELL_HELP, file=stdout)
            elif command == ".tables":
                execute("SELECT table_name AS name, table_type AS kind FROM information_schema.tables"
                        " WHERE table_schema = 'main' ORDER BY table_type, table_name")
            elif command == ".schema" and argument:
                execute(f"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
                        f"'{argument.replace(chr(39), '')}' AND table_schema = 'main' ORDER BY ordinal_position")
            elif command == ".mode" and argument in ("table", "csv", "json"):
                mode = argument
            elif command == ".maxrows" and argument.isdigit():
                max_rows = max(1, int(argument))
            else:
                print(f"error: unknown command {stripped!r} (.help lists them)", file=stdout)
            continue
        if not stripped and not buffer:
            continue
        buffer.append(line)
        if stripped.endswith(";"):
            execute("\n".join(buffer))
            buffer = []
    if buffer and "".join(buffer).strip():
        execute("\n".join(buffer))
    return failures


def render_table_text(columns: list[str], rows: list[tuple], max_rows: int = 100) -> str:
    """A plain-text table (for ``--format table --output FILE``)."""
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows[:max_rows]:
        table.add_row(*("NULL" if v is None else str(v) for v in row))
    buffer = io.StringIO()
    Console(file=buffer, width=200, no_color=True).print(table)
    return buffer.getvalue()
