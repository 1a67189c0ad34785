"""The ``portal-etl`` command: thin, it parses flags into Settings and calls the library and flows.

User mistakes (unknown portal, malformed registry, unusable database path) end with one line on stderr and
exit status 2, never a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from etl.cli_options import db_option, portals_option
from etl.config import Settings
from etl.portals.registry import RegistryError, load_registry
from etl.store.loader import ArchiveError, ArchiveLocked

console = Console()
err_console = Console(stderr=True)


class UserError(click.ClickException):
    """A mistake the user can fix: printed as one line, exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {' '.join(self.message.split())}", err=True)


def quiet_prefect_env() -> None:
    """Telemetry off and no network: set before Prefect is imported."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")


def check_db_path(db_path: Path) -> None:
    folder = db_path.parent if str(db_path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the archive folder {folder}: {exc.strerror}") from None
    if db_path.exists() and db_path.is_dir():
        raise UserError(f"--db {db_path} is a directory, not a file")
    if not os.access(folder, os.W_OK) or (db_path.exists() and not os.access(db_path, os.W_OK)):
        raise UserError(f"the archive path {db_path} is not writable")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show debug logging.")
def main(verbose: bool) -> None:
    """portal-etl: archive the news of Vietnam's provincial Party portals into DuckDB."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("httpx", "httpcore", "uvicorn", "docket"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@main.command()
@click.argument("portal_ids", nargs=-1)
@portals_option
@db_option
@click.option("--max-articles", type=click.IntRange(min=1), default=None, help="Stop each portal after N articles.")
@click.option("--concurrency", type=click.IntRange(min=1), default=4, show_default=True, help="Portals at once.")
@click.option("--timeout", "crawl_timeout", type=float, default=3 * 3600.0, show_default=True,
              help="Seconds before a hung crawl is killed.")
@click.option("--staging-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where crawl batches are staged (default: <db folder>/staging).")
@click.option("--scrapy-setting", "-s", "scrapy_settings", multiple=True, metavar="NAME=VALUE",
              help="Extra Scrapy setting for the spider (repeatable).")
@click.option("--refresh-since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Also refetch stored articles published since this date; changed ones are updated in place.")
def crawl(portal_ids, portals_file, db_path, max_articles, concurrency, crawl_timeout, staging_dir, scrapy_settings,
          refresh_since):
    """Crawl PORTAL_IDS (default: all registered portals) and load the results."""
    registry = _registry(portals_file)
    try:
        registry.select(list(portal_ids))
    except RegistryError as exc:
        raise UserError(str(exc)) from None
    check_db_path(db_path)
    settings = Settings(
        db_path=db_path,
        staging_dir=staging_dir,
        portals_file=portals_file,
        max_articles=max_articles,
        crawl_timeout=crawl_timeout,
        portal_concurrency=concurrency,
        scrapy_settings=_parse_settings(scrapy_settings),
        refresh_since=refresh_since.date().isoformat() if refresh_since else None,
    )
    reports = run_flow(list(portal_ids) or None, settings)
    print_reports(reports)
    failed = [r["portal"] for r in reports if r["status"] == "failed"]
    if failed:
        err_console.print(f"[bold red]failed entirely:[/] {', '.join(failed)}")
        sys.exit(1)


def run_flow(portal_ids: list[str] | None, settings: Settings) -> list[dict]:
    quiet_prefect_env()
    from portal_flows.pipeline import run_crawl_flow  # Prefect is imported only when a flow runs

    try:
        return run_crawl_flow(portal_ids, settings)
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None


def print_reports(reports: list[dict]) -> None:
    table = Table(title="Crawl summary")
    for name in ("portal", "status", "pages", "articles", "new", "updated", "errors"):
        table.add_column(name, justify="left" if name in ("portal", "status") else "right")
    for r in reports:
        style = {"ok": "green", "failed": "red", "staged": "yellow"}.get(r["status"], "")
        table.add_row(
            r["portal"], f"[{style}]{r['status']}[/]" if style else r["status"], str(r["pages"]),
            str(r["articles"]), str(r["articles_new"]), str(r["articles_updated"]), str(r["errors"]),
        )
    console.print(table)
    for r in reports:
        if r["status"] == "staged":
            console.print(f"[yellow]{r['portal']}:[/] {r['message']}")
        elif r["status"] == "failed" and r.get("message"):
            console.print(f"[red]{r['portal']}:[/] {r['message']}")


@main.command()
@click.argument("query", required=False)
@db_option
@click.option("--max-rows", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--live", is_flag=True, help="Query the archive itself, not its published snapshot.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]), default="table",
              show_default=True, help="Output format (parquet needs --output).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the result to FILE instead of standard output.")
@click.option("--duckdb-cli", "duckdb_cli", is_flag=True,
              help="Without QUERY: hand the snapshot to the `duckdb` executable instead of the built-in shell.")
def sql(query, db_path, max_rows, live, fmt, output, duckdb_cli):
    """Run QUERY read-only on the archive's published snapshot and print a table.

    Without QUERY, open an interactive SQL shell on the snapshot (statements end with ';')."""
    from etl.store.query import QueryError
    from etl.store.query import query as run

    if query is None:
        _sql_shell(db_path, live, max_rows, duckdb_cli)
        return
    if fmt != "table":
        _sql_export(db_path, query, live, fmt, output)
        return
    try:
        result = run(db_path, query, live=live)
    except (ArchiveError, ArchiveLocked, QueryError) as exc:
        raise UserError(str(exc)) from None
    if output is not None:
        from etl.analysis.sql_tools import render_table_text

        output.write_text(render_table_text(result.columns, result.rows, max_rows), encoding="utf-8")
    else:
        print_rows(result.columns, result.rows, max_rows)
    if result.snapshot_at is not None:
        when = result.snapshot_at.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        err_console.print(f"[dim]snapshot {result.source} published {when}[/]", highlight=False)
    else:
        err_console.print(f"[dim]live archive {result.source}[/]", highlight=False)


def _sql_export(db_path: Path, query: str, live: bool, fmt: str, output: Path | None) -> None:
    import duckdb

    from etl.analysis.sql_tools import export_result
    from etl.store.query import open_for_reading

    if fmt == "parquet" and output is None:
        raise UserError("--format parquet needs --output FILE")
    try:
        con, source, _ = open_for_reading(db_path, live=live)
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None
    try:
        count = export_result(con, query, fmt, output)
    except (duckdb.Error, ValueError) as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror}") from None
    finally:
        con.close()
    if output is not None:
        err_console.print(f"[dim]{count} row(s) written to {output} ({fmt}) from {source}[/]", highlight=False)


def _sql_shell(db_path: Path, live: bool, max_rows: int, duckdb_cli: bool) -> None:
    import shutil

    from etl.analysis.search import load_fts
    from etl.analysis.sql_tools import run_shell
    from etl.store.query import open_for_reading

    try:
        con, source, snapshot_at = open_for_reading(db_path, live=live)
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None
    if duckdb_cli:
        con.close()
        exe = shutil.which("duckdb")
        if exe is None:
            raise UserError("no `duckdb` executable on PATH (drop --duckdb-cli for the built-in shell)")
        os.execv(exe, [exe, "-readonly", str(source)])
    try:
        fts = load_fts(con)
        when = f", published {snapshot_at.astimezone():%Y-%m-%d %H:%M}" if snapshot_at else " (live archive)"
        banner = (f"portal-etl SQL shell on {source}{when}; read-only. "
                  f"Full-text search {'available' if fts else 'unavailable'}. .help for help, .quit to leave.")
        failures = run_shell(con, print_rows, banner=banner, max_rows=max_rows)
    finally:
        con.close()
    if failures and not sys.stdin.isatty():
        sys.exit(1)


def print_rows(columns: list[str], rows: list[tuple], max_rows: int = 100) -> None:
    table = Table(show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows[:max_rows]:
        table.add_row(*("NULL" if v is None else str(v) for v in row))
    console.print(table)
    more = f" (showing {max_rows})" if len(rows) > max_rows else ""
    console.print(f"{len(rows)} row(s){more}")


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("data/demo.duckdb"), show_default=True, help="Archive the demo writes.")
def demo(db_path):
    """Serve the bundled sample portals on 127.0.0.1, crawl them through Prefect and show what landed."""
    from etl.demo import NotADemoArchive, reset_demo_archive, run_demo

    check_db_path(db_path)
    try:
        reset_demo_archive(db_path)
    except NotADemoArchive as exc:
        raise UserError(str(exc)) from None
    run_demo(db_path, run_flow=run_flow, print_reports=print_reports, print_rows=print_rows, console=console)


@main.command("eval")
@click.option("--golden-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("tests/golden"),
              show_default=True, help="Golden fixtures: <platform>/<name>.html + <name>.json.")
@click.option("--bench-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also score the public article-extraction benchmark in this folder "
                   "(html/<id>.html.gz + ground-truth.json).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write summary, notes and per-page scores to this JSON file.")
@click.option("--worst", type=click.IntRange(min=0), default=5, show_default=True,
              help="List the N lowest-scoring pages of ours per evaluation.")
@click.option("--baseline/--no-baseline", default=False, show_default=True,
              help="Also print bare trafilatura.extract on the same pages, and score the public benchmark "
                   "(../shared/bench/article-extraction-benchmark) when --bench-dir is not given and it exists.")
def eval_(golden_dir, bench_dir, json_out, worst, baseline):
    """Measure extraction quality (ours; with --baseline side by side with bare trafilatura) and check the
    acceptance criteria."""
    from etl.evaluate import EvalError, benchmark_available, default_bench_dir, eval_command

    logging.getLogger("etl.extract").setLevel(logging.CRITICAL)  # failures are reported per page instead
    if baseline and bench_dir is None and benchmark_available(default_bench_dir()):
        bench_dir = default_bench_dir()
    try:
        eval_command(golden_dir=golden_dir, bench_dir=bench_dir, json_out=json_out, worst=worst, baseline=baseline)
    except EvalError as exc:
        raise UserError(str(exc)) from None


def _registry(portals_file: Path | None):
    try:
        return load_registry(portals_file)
    except RegistryError as exc:
        raise UserError(str(exc)) from None


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise UserError(f"--scrapy-setting expects NAME=VALUE, got {pair!r}")
        name, value = pair.split("=", 1)
        out[name.strip()] = value
    return out


from etl.cli_schedule import serve

main.add_command(serve)

from etl.cli_analysis import export, report, search

main.add_command(search)
main.add_command(export)
main.add_command(report)

from etl.cli_crawl import backfill

main.add_command(backfill)

from etl.cli_archive import export_warc, import_warc, reprocess, upgrade_storage

main.add_command(import_warc)
main.add_command(export_warc)
main.add_command(reprocess)
main.add_command(upgrade_storage)

__import__("etl.cli_lake").cli_lake.register(main)  # migrate-archive, lake-sql, lake-flush, portal-limits (DuckLake, issue 8)

if __name__ == "__main__":
    main()
