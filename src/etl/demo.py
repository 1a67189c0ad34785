"""``portal-etl demo``: the whole pipeline on the bundled sample portals, offline."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from etl.config import Settings
from etl.store.query import run_query

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
