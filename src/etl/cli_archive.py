"""``portal-etl import-warc``, ``export-warc``, ``reprocess``, ``upgrade-storage``: archives in and out.

Registered on the ``portal-etl`` group at the bottom of ``etl.cli`` (``etl.cli`` is imported lazily inside the
commands, because it imports this module at its bottom).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from etl.cli_options import db_option, portals_option, staging_option


def _say(message: str) -> None:
    click.echo(message, err=True)


def _staging(db_path: Path, staging_dir: Path | None) -> Path:
    return staging_dir if staging_dir is not None else Path(db_path).parent / "staging"


@click.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--portal", "portal_id", default=None, help="Assign every record to this portal (default: by host).")
@portals_option
@db_option
@staging_option
def import_warc(files, portal_id, portals_file, db_path, staging_dir):
    """Load WARC FILES (Internet Archive, Common Crawl, export-warc) through extraction into the archive."""
    from etl.cli import UserError, _registry, check_db_path
    from etl.portals.registry import RegistryError
    from etl.store.loader import ArchiveError
    from etl.warc import WarcError, import_warcs

    registry = _registry(portals_file)
    check_db_path(db_path)
    try:
        report = import_warcs(list(files), registry, db_path, _staging(db_path, staging_dir),
                              portal_id=portal_id, progress=_say)
    except (WarcError, RegistryError, ArchiveError) as exc:
        raise UserError(str(exc)) from None
    click.echo(
        f"{report.files} file(s), {report.records} record(s), {report.responses} response(s): "
        f"{report.pages} page(s) staged, {report.articles} article(s) "
        f"({report.articles_new} new, {report.articles_updated} updated)"
    )
    for portal, count in sorted(report.per_portal.items()):
        click.echo(f"  {portal}: {count} page(s)")
    if report.unknown_hosts:
        hosts = ", ".join(f"{h} ({n})" for h, n in report.unknown_hosts.most_common(10))
        more = f" and {len(report.unknown_hosts) - 10} more" if len(report.unknown_hosts) > 10 else ""
        click.echo(f"skipped {sum(report.unknown_hosts.values())} response(s) of hosts no portal serves: {hosts}{more}"
                   " (use --portal ID or add the host to the registry)")
    if report.skipped_types:
        click.echo("skipped records: " + ", ".join(f"{t} {n}" for t, n in sorted(report.skipped_types.items())))
    status = 0
    for damage in report.damaged:
        _say(f"warning: read only in part: {damage}")
        status = 1
    if report.staged_only:
        _say(f"warning: {report.staged_only}")
        status = 1
    sys.exit(status)


@click.command("export-warc")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--portal", "portal_id", default=None, help="Only this portal's pages.")
@click.option("--live", is_flag=True, help="Read the archive itself, not its published snapshot.")
@db_option
def export_warc(output, portal_id, live, db_path):
    """Write the stored raw pages to OUTPUT (a .warc.gz, or .warc) as WARC response records."""
    from etl.cli import UserError
    from etl.store.loader import ArchiveError, ArchiveLocked
    from etl.warc import export_warc as run

    if output.exists() and output.is_dir():
        raise UserError(f"{output} is a directory")
    try:
        report = run(db_path, output, portal_id=portal_id, live=live, progress=None)
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    if portal_id and not report.records:
        raise UserError(f"no stored pages of portal {portal_id!r} in {report.source}")
    click.echo(f"wrote {report.records} response record(s) to {output} (from {report.source})")
    for portal, count in sorted(report.per_portal.items()):
        click.echo(f"  {portal}: {count}")
    if report.skipped_no_response or report.skipped_no_body:
        click.echo(f"skipped {report.skipped_no_response} fetch(es) without a response and "
                   f"{report.skipped_no_body} page(s) whose body is not stored (attachments)")


@click.command("reprocess")
@click.argument("portal_id", required=False)
@portals_option
@db_option
@staging_option
@click.option("--chunk", type=click.IntRange(min=1), default=500, show_default=True,
              help="Pages read, extracted and merged at a time.")
def reprocess(portal_id, portals_file, db_path, staging_dir, chunk):
    """Re-extract every stored raw page (of PORTAL_ID, or all) with the current code; offline, idempotent."""
    from etl.cli import UserError, _registry
    from etl.portals.registry import RegistryError
    from etl.reprocess import reprocess as run
    from etl.store.loader import ArchiveError, ArchiveLocked

    registry = _registry(portals_file)
    if portal_id:
        try:
            registry.get(portal_id)
        except RegistryError as exc:
            raise UserError(str(exc)) from None
    try:
        report = run(db_path, _staging(db_path, staging_dir), registry, portal_id=portal_id, chunk=chunk,
                     progress=_say)
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None
    click.echo(f"re-extracted {report.pages} page(s): {report.articles} article(s), {report.articles_new} new, "
               f"{report.articles_updated} updated, {report.errors} error page(s)")
    for portal, counts in sorted(report.per_portal.items()):
        click.echo(f"  {portal}: {counts['pages']} page(s), {counts['articles']} article(s), "
                   f"{counts['new']} new, {counts['updated']} updated")


@click.command("upgrade-storage")
@db_option
def upgrade_storage(db_path):
    """Rewrite an archive made by an older portal-etl in DuckDB's current storage format (raw pages ~20x smaller)."""
    from etl.cli import UserError
    from etl.store.loader import ArchiveError, ArchiveLocked
    from etl.store.loader import upgrade_storage as run

    try:
        result = run(db_path)
    except (ArchiveError, ArchiveLocked) as exc:
        raise UserError(str(exc)) from None
    if not result.changed:
        click.echo(f"{db_path} is already in storage format {result.after}; nothing to do")
        return
    click.echo(f"{db_path}: storage format {result.before} -> {result.after}, "
               f"{result.bytes_before / 2**20:,.1f} MiB -> {result.bytes_after / 2**20:,.1f} MiB; "
               "the snapshot is refreshed at the next load")
