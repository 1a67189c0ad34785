"""``portal-etl demo``: the whole pipeline on the bundled sample portals, offline."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
from rich.console import Console

from etl.config import Settings
from etl.store.query import run_query
from etl.store.snapshot import snapshot_path


class NotADemoArchive(RuntimeError):
    """The --db given to the demo holds real portals: the demo will not touch it."""


def reset_demo_archive(db_path: Path) -> None:
    """Start every demo from an empty archive.

    The sample portals are served on new ports each time, so their URLs (and article ids) change from run to
    run; keeping the previous demo's rows would double them.  Only an archive holding nothing but sample
    portals is removed.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return
    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            portals = [row[0] for row in con.execute("SELECT DISTINCT portal FROM pages").fetchall()]
        finally:
            con.close()
    except duckdb.Error:
        raise NotADemoArchive(f"{db_path} is not a demo archive (cannot read its pages); choose another --db") from None
    real = [p for p in portals if not p.startswith("sample-")]
    if real:
        raise NotADemoArchive(f"{db_path} holds real portals ({', '.join(real[:3])}); the demo will not overwrite it")
    db_path.unlink()
    for extra in (snapshot_path(db_path), db_path.with_name(db_path.name + ".wal")):
        extra.unlink(missing_ok=True)
    shutil.rmtree(demo_staging(db_path), ignore_errors=True)


def demo_staging(db_path: Path) -> Path:
    """The demo stages its batches apart, so a real crawl's recovery never merges sample pages."""
    return Path(db_path).parent / f"{Path(db_path).stem}-staging"

EXAMPLE_QUERY = """
SELECT province, count(*) AS articles,
       min(published_at)::DATE AS first, max(published_at)::DATE AS last,
       round(avg(word_count)) AS avg_words
FROM articles GROUP BY province ORDER BY articles DESC
""".strip()


def run_demo(
    db_path: Path,
    *,
    run_flow: Callable[[list[str] | None, Settings], list[dict]],
    print_reports: Callable[[list[dict]], None],
    print_rows: Callable[..., None],
    console: Console,
) -> None:
    from etl.samples.server import serve_samples

    with serve_samples() as server, tempfile.TemporaryDirectory(prefix="portal-etl-demo-") as tmp:
        portals_file = Path(tmp) / "portals.toml"
        portals_file.write_text(server.registry_toml(), encoding="utf-8")
        console.print("[bold]Sample portals served on 127.0.0.1:[/]")
        for site, url in server.sites.items():
            console.print(f"  {site}: {url}")
        settings = Settings(
            db_path=db_path,
            staging_dir=demo_staging(db_path),
            portals_file=portals_file,
            scrapy_settings={"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"},
        )
        reports = run_flow(None, settings)
    print_reports(reports)
    console.print(f"\n[bold]Landed in {db_path}[/]")
    columns, rows = run_query(db_path, "SELECT portal, count(*) AS articles, min(published_at) AS first, "
                                       "max(published_at) AS last FROM articles GROUP BY portal ORDER BY portal")
    print_rows(columns, rows)
    console.print("\n[bold]Example query[/] (portal-etl sql \"...\" --db " + str(db_path) + "):")
    console.print(EXAMPLE_QUERY, highlight=False)
    columns, rows = run_query(db_path, EXAMPLE_QUERY)
    print_rows(columns, rows)
