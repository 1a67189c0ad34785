"""``portal-etl serve``: run the scheduled crawls (``schedules.toml``) with Prefect's ``serve``.

Registered on the ``portal-etl`` group at the bottom of ``etl.cli``.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from etl.config import DEFAULT_DB, Settings
from etl.portals.registry import RegistryError
from etl.schedules import ScheduleError, default_schedules_file, load_schedules

NO_SERVER = (
    "portal-etl serve needs a Prefect server to keep the schedules: start one with "
    "`prefect server start --host 127.0.0.1` and set PREFECT_API_URL=http://127.0.0.1:4200/api "
    "(the ephemeral in-process API has no scheduler, so cron schedules would never fire)"
)


# Imported lazily from etl.cli inside the command: etl.cli imports this module at its bottom.


@click.command()
@click.option("--schedules-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Use these schedules (TOML) instead of the shipped src/etl/schedules.toml.")
@click.option("--portals-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Use this registry (TOML) instead of the shipped one.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB archive file.")
@click.option("--staging-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where crawl batches are staged (default: <db folder>/staging).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many scheduled runs at once (default: no limit).")
@click.option("--check", is_flag=True, help="Validate the schedules and print them; serve nothing.")
def serve(schedules_file, portals_file, db_path, staging_dir, limit, check):
    """Serve the scheduled crawls (one Prefect deployment per schedule group) until interrupted."""
    from etl.cli import UserError, _registry, check_db_path, console, quiet_prefect_env

    try:
        groups = load_schedules(schedules_file)
    except ScheduleError as exc:
        raise UserError(str(exc)) from None
    registry = _registry(portals_file)
    for group in groups:
        try:
            registry.select(list(group.portals or []))
        except RegistryError as exc:
            raise UserError(f"schedule {group.name!r}: {exc}") from None
    check_db_path(db_path)
    # Absolute paths: runs are subprocesses of this one and must find the same files.
    base = Settings(
        db_path=db_path.resolve(),
        staging_dir=staging_dir.resolve() if staging_dir else None,
        portals_file=portals_file.resolve() if portals_file else None,
    )
    source = schedules_file or default_schedules_file()
    console.print(f"[bold]Schedules[/] from {source}:")
    for group in groups:
        portals = "all" if not group.portals else ", ".join(group.portals)
        state = "" if group.active else " [yellow](paused)[/]"
        console.print(f"  {group.name}: {group.cron} ({group.timezone}), {group.mode}, portals: {portals}{state}")
    console.print(f"Archive: {base.db_path}; staging: {base.staging}")
    if check:
        return

    quiet_prefect_env()
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "etl")  # library log lines reach the Prefect UI
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        raise UserError(NO_SERVER)
    from portal_flows.deployments import serve_schedules

    try:
        serve_schedules(groups, base, limit=limit)
    except ValueError as exc:  # e.g. a cron expression Prefect rejects
        raise UserError(str(exc)) from None
