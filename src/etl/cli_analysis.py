"""``portal-etl search``, ``export`` and ``report``: what analysts do with the archive.

Registered on the ``portal-etl`` group at the bottom of ``etl.cli`` (which this module imports lazily, inside
the commands, because ``etl.cli`` imports this module at its bottom).
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from etl.config import DEFAULT_DB

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB, show_default=True,
    help="DuckDB archive file (its published snapshot is read).",
)
live_option = click.option("--live", is_flag=True, help="Read the archive itself, not its published snapshot.")


def _open(db_path: Path, live: bool):
    from etl.cli import UserError
    from etl.store.loader import ArchiveError, ArchiveLocked
    from etl.store.query import open_for_reading

    try:
        return open_for_reading(db_path, live=live)
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None


def _date(value: str | None, flag: str) -> date | None:
    from etl.cli import UserError

    if value is None:
        return None
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise UserError(f"{flag} expects a date YYYY-MM-DD (or YYYY-MM, YYYY), got {value!r}")


@click.command()
@click.argument("query")
@click.option("--portal", "portals", multiple=True, help="Only this portal id (repeatable).")
@click.option("--since", default=None, help="Only articles published on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", default=None, help="Only articles published before this date (YYYY[-MM[-DD]]).")
@click.option("--limit", type=click.IntRange(min=1, max=10000), default=20, show_default=True)
@click.option("--fold", is_flag=True, help="Accent-insensitive: 'phong chong dich' finds 'phòng chống dịch'.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
@live_option
def search(query, portals, since, until, limit, fold, fmt, db_path, live):
    """Full-text search of the articles (BM25, Vietnamese-aware), best first, with snippets.

    Every syllable of QUERY must occur; articles with the exact phrase rank first. Old and new tone
    placement match each other ("hoà" = "hòa", "uỷ" = "ủy")."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from etl.analysis.search import search_connection
    from etl.cli import UserError

    con, source, _ = _open(db_path, live)
    try:
        result = search_connection(con, query, portals=list(portals) or None, since=_date(since, "--since"),
                                   until=_date(until, "--until"), limit=limit, fold=fold)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    finally:
        con.close()
    err = Console(stderr=True)
    if fmt == "json":
        json.dump([{
            "article_id": h.article_id, "portal": h.portal, "province": h.province,
            "published_at": h.published_at.isoformat() if h.published_at else None, "title": h.title,
            "url": h.url, "score": round(h.score, 4), "phrase": h.phrase, "snippet": h.snippet,
        } for h in result.hits], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        table = Table(show_lines=True)
        for column in ("#", "score", "portal", "published", "title / snippet"):
            table.add_column(column, overflow="fold", justify="right" if column in ("#", "score") else "left")
        for i, h in enumerate(result.hits, 1):
            body = Text(h.title, style="bold")
            body.append("\n")
            snippet = Text(h.snippet, style="dim")
            for a, b in h.highlights:
                snippet.stylize("bold yellow not dim", a, b)
            body.append_text(snippet)
            body.append(f"\n{h.url}", style="blue")
            table.add_row(str(i), f"{h.score:.2f}{' *' if h.phrase else ''}", h.portal,
                          h.published_at.strftime("%Y-%m-%d") if h.published_at else "—", body)
        Console().print(table)
    how = "BM25 (fts index)" if result.method == "bm25" else f"scan, not BM25: {result.note}"
    err.print(f"[dim]{len(result.hits)} result(s) in {result.seconds * 1000:.0f} ms · {how}"
              f"{' · accent-insensitive' if fold else ''} · {source}"
              f"{' · * = exact phrase' if fmt == 'table' and result.hits else ''}[/]", highlight=False)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet"]), default="parquet", show_default=True)
@click.option("--overwrite", is_flag=True, help="Replace an earlier export in DIRECTORY.")
@click.option("--with-html", is_flag=True, help="Keep the raw html column of pages (large).")
@db_option
@live_option
def export(directory, fmt, overwrite, with_html, db_path, live):
    """Write the archive to DIRECTORY as Parquet: articles Hive-partitioned by portal and year, the other
    tables as one file each."""
    import duckdb
    from rich.console import Console

    from etl.analysis.export import ExportError, export_parquet
    from etl.cli import UserError

    con, source, _ = _open(db_path, live)
    try:
        result = export_parquet(con, directory, source=str(source), overwrite=overwrite, with_html=with_html)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    except (duckdb.Error, OSError) as exc:
        raise UserError(f"cannot export to {directory}: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    tables = ", ".join(f"{name} {rows}" for name, rows in result.tables.items())
    Console().print(f"exported to {directory}: {tables} rows; articles in {result.partitions} portal/year partitions")


@click.command()
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("data/report"), show_default=True, help="Folder to write report.html into.")
@db_option
@live_option
def report(output_dir, db_path, live):
    """Write a self-contained HTML coverage report (heat map of articles per portal per month, crawl errors,
    top document references, last successful crawl per portal)."""
    import duckdb
    from rich.console import Console

    from etl.analysis.report import build_report
    from etl.cli import UserError

    con, source, snapshot_at = _open(db_path, live)
    try:
        result = build_report(con, output_dir, source=str(source), snapshot_at=snapshot_at)
    except (duckdb.Error, OSError) as exc:
        raise UserError(f"cannot write the report: {str(exc).splitlines()[0]}") from None
    finally:
        con.close()
    Console().print(f"report written to {result.path} ({result.portals} portals, {result.months} months)")
