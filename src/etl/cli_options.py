"""Command-line options shared by several ``portal-etl`` commands (one definition, one help text)."""

from __future__ import annotations

from pathlib import Path

import click

from etl.config import DEFAULT_DB

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB, show_default=True,
    help="DuckDB archive file.",
)
portals_option = click.option(
    "--portals-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Use this registry (TOML) instead of the shipped one.",
)
staging_option = click.option(
    "--staging-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where batches are staged (default: <db folder>/staging).",
)
