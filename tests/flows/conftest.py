"""Shared pieces for the flow tests: the sample portals on 127.0.0.1, a Prefect test harness, DB helpers."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from etl.config import Settings
from etl.samples.expected import expected_articles, key_for_url
from etl.samples.server import serve_samples

FAST = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "RETRY_TIMES": "1"}


@pytest.fixture(scope="package")
def samples():
    with serve_samples() as server:
        yield server


@pytest.fixture(scope="package")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture
def portals_file(samples, tmp_path) -> Path:
    path = tmp_path / "portals.toml"
    path.write_text(samples.registry_toml(), encoding="utf-8")
    return path


def settings_for(tmp_path: Path, portals_file: Path, **changes) -> Settings:
    return Settings(
        db_path=tmp_path / "archive.duckdb", portals_file=portals_file, scrapy_settings=dict(FAST),
        portal_concurrency=2, **changes,
    )


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def expected_keys(site_ids: list[str]) -> list[tuple[str, str]]:
    return sorted((a["site"], a["path"]) for a in expected_articles() if a["site"] in site_ids)


def archived_keys(db: Path, samples) -> list[tuple[str, str]]:
    """(site, path) of every archived article; duplicates would show up twice."""
    keys = [key_for_url(url, samples.sites) for (url,) in rows(db, "SELECT url FROM articles")]
    assert all(Counter(keys)[k] == 1 for k in keys), "an article is archived twice"
    return sorted(keys)


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never answers: a portal that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        for conn in self.connections:
            conn.close()
