"""``portal-etl backfill``: deep, resumable crawls of one portal (see ``etl.backfill``).

Registered at the bottom of ``etl.cli``, which this module therefore imports lazily, inside the command.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.config import DEFAULT_DB, Settings
from etl.portals.registry import RegistryError
from etl.store.loader import ArchiveError, ArchiveLocked

DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.command()
@click.argument("portal_id")
@click.option("--since", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Go back until listings show articles older than this date (default: as deep as they go).")
@click.option("--until", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Skip articles the listings date after this day.")
@click.option("--portals-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Use this registry (TOML) instead of the shipped one.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="DuckDB archive file.")
@click.option("--staging-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where crawl batches are staged (default: <db folder>/staging).")
@click.option("--timeout", "crawl_timeout", type=float, default=7 * 24 * 3600.0, show_default=True,
              help="Seconds before the crawl is stopped (rerun the command to continue).")
@click.option("--contact-url", default=None, help="Contact page named in the crawler's User-Agent.")
@click.option("--scrapy-setting", "-s", "scrapy_settings", multiple=True, metavar="NAME=VALUE",
              help="Extra Scrapy setting for the spider (repeatable).")
def backfill(portal_id, since, until, portals_file, db_path, staging_dir, crawl_timeout, contact_url,
             scrapy_settings):
    """Backfill PORTAL_ID: walk its listings, feeds and sitemaps as deep as --since needs.

    Resumable: if it is interrupted (even by kill -9), run the same command again; what was fetched is kept
    and not fetched again.
    """
    from etl import pipeline
    from etl.backfill import run_backfill
    from etl.cli import (
        UserError,
        _parse_settings,
        _registry,
        check_db_path,
        console,
        err_console,
        print_reports,
    )

    registry = _registry(portals_file)
    try:
        registry.get(portal_id)
    except RegistryError as exc:
        raise UserError(str(exc)) from None
    if since and until and since > until:
        raise UserError(f"--since {since:%Y-%m-%d} is after --until {until:%Y-%m-%d}")
    check_db_path(db_path)
    settings = Settings(
        db_path=db_path,
        staging_dir=staging_dir,
        portals_file=portals_file,
        crawl_timeout=crawl_timeout,
        scrapy_settings=_parse_settings(scrapy_settings),
        contact_url=contact_url,
    )
    try:
        recovered = pipeline.recover(settings, registry)
        if recovered:
            err_console.print(f"merged {len(recovered)} batch(es) left by an earlier run", highlight=False)
        report = run_backfill(
            portal_id, settings, since=since.date() if since else None, until=until.date() if until else None
        )
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None
    print_reports([report.as_dict()])
    if report.message and report.status != "ok":
        console.print(f"{report.portal}: {report.message}")
    if report.status == "failed":
        sys.exit(1)
