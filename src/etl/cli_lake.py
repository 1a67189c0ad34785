"""``portal-etl`` commands for the optional DuckLake archive (see ``etl.store.lake`` and README "Scaling out").

* ``migrate-archive --to ducklake:... [--db PATH]``: move a DuckDB archive file into an empty lake;
  ``migrate-archive --from ducklake:... --to PATH``: and back into a new file.  Row counts are checked.
* ``lake-sql "QUERY" --archive ducklake:...``: query the lake read-only (as analysts attach it).
* ``lake-flush --archive ducklake:...``: write rows DuckLake keeps inlined in its catalog to Parquet.
* ``portal-limits --api ...``: one Prefect concurrency limit per portal (tag ``portal:<id>``, limit 1).

Registered by one line at the bottom of ``etl.cli``.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from etl.config import DEFAULT_DB
from etl.store.loader import ArchiveError, ArchiveLocked

ARCHIVE_HELP = "Lake archive: ducklake:postgres:<conninfo or URL>;data=<path> (default: $PORTAL_ETL_ARCHIVE)."


def _user_error(message: str):
    from etl.cli import UserError

    return UserError(message)


def _archive(value: str | None) -> str:
    from etl.store.lake import LakeError, is_lake, parse_archive

    value = value or os.environ.get("PORTAL_ETL_ARCHIVE")
    if not value:
        raise _user_error("no lake given: pass --archive ducklake:postgres:...;data=PATH or set PORTAL_ETL_ARCHIVE")
    if not is_lake(value):
        raise _user_error(f"not a lake archive string (ducklake:postgres:<conninfo>;data=PATH): {value}")
    try:
        parse_archive(value)
    except LakeError as exc:
        raise _user_error(str(exc)) from None
    return value


@click.command("migrate-archive")
@click.option("--from", "source", default=None, metavar="ARCHIVE",
              help="Source: a lake string (ducklake:...) or a DuckDB file (default: --db).")
@click.option("--to", "target", required=True, metavar="ARCHIVE",
              help="Target: a lake string (ducklake:...) or a new DuckDB file path.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB archive file to move into the lake (when --from is not given).")
def migrate_archive(source, target, db_path):
    """Move an archive between a DuckDB file and a DuckLake lake, losing nothing.

    \b
    portal-etl migrate-archive --to 'ducklake:postgres:dbname=lake host=db;data=/srv/lake/' --db data/portals.duckdb
    portal-etl migrate-archive --from 'ducklake:postgres:dbname=lake host=db' --to data/from-lake.duckdb
    """
    from etl.store import lake

    source = source or str(db_path)
    try:
        if lake.is_lake(target) and not lake.is_lake(source):
            report = lake.migrate_file_to_lake(Path(source), _archive(target))
            where = lake.parse_archive(target).describe()
        elif lake.is_lake(source) and not lake.is_lake(target):
            if Path(target).is_dir():
                raise _user_error(f"--to {target} is a directory, not a file")
            report = lake.migrate_lake_to_file(_archive(source), Path(target))
            where = target
        else:
            raise _user_error("one side must be a lake (ducklake:...) and the other a DuckDB file")
    except (ArchiveError, ArchiveLocked) as exc:
        raise _user_error(str(exc)) from None
    for table, count in sorted(report.tables.items()):
        click.echo(f"{table:24} {count:>10} rows")
    click.echo(f"moved {report.total} rows in {len(report.tables)} tables to {where} (row counts checked)")


@click.command("lake-sql")
@click.argument("query")
@click.option("--archive", default=None, help=ARCHIVE_HELP)
@click.option("--max-rows", type=click.IntRange(min=1), default=100, show_default=True)
def lake_sql(query, archive, max_rows):
    """Run QUERY on the lake, attached read-only (the way analysts attach it)."""
    import duckdb

    from etl.cli import print_rows
    from etl.store.lake import open_lake_readonly

    try:
        con = open_lake_readonly(_archive(archive))
    except (ArchiveError, ArchiveLocked) as exc:
        raise _user_error(str(exc)) from None
    try:
        cursor = con.execute(query)
        if cursor.description is None:
            return
        print_rows([d[0] for d in cursor.description], cursor.fetchall(), max_rows)
    except duckdb.Error as exc:
        raise _user_error(str(exc).splitlines()[0]) from None
    finally:
        con.close()


@click.command("lake-flush")
@click.option("--archive", default=None, help=ARCHIVE_HELP)
def lake_flush(archive):
    """Write rows DuckLake keeps inlined in its catalog (small commits) to Parquet files."""
    from etl.store.lake import flush_inlined

    try:
        flush_inlined(_archive(archive))
    except (ArchiveError, ArchiveLocked) as exc:
        raise _user_error(str(exc)) from None
    click.echo("inlined rows written to Parquet")


@click.command("portal-limits")
@click.option("--portals-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Registry (TOML) whose portals get a limit (default: the shipped one).")
@click.option("--limit", type=click.IntRange(min=1), default=1, show_default=True,
              help="Crawls of one portal at once, over all workers.")
def portal_limits(portals_file, limit):
    """Create a Prefect concurrency limit per portal (tag portal:<id>) on the server in PREFECT_API_URL."""
    from etl.cli import quiet_prefect_env
    from etl.portals.registry import RegistryError, load_registry

    try:
        registry = load_registry(portals_file)
    except RegistryError as exc:
        raise _user_error(str(exc)) from None
    quiet_prefect_env()
    from portal_flows.scaleout import create_portal_limits

    tags = create_portal_limits([p.id for p in registry.portals], limit)
    click.echo(f"{len(tags)} portal concurrency limit(s) of {limit}: {', '.join(tags[:5])}{' ...' if len(tags) > 5 else ''}")


COMMANDS = (migrate_archive, lake_sql, lake_flush, portal_limits)


def register(main: click.Group) -> None:
    for command in COMMANDS:
        main.add_command(command)
