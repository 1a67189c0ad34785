"""Fixtures for the scale-out tests: PostgreSQL on 127.0.0.1 (skipped with a clear message without it)."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.scaleout.pgcluster import PgCluster, skip_reason

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster():
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    cluster = PgCluster()
    try:
        cluster.start()
    except Exception as exc:  # noqa: BLE001 - e.g. no shared memory in a sandbox
        cluster.stop()
        pytest.skip(f"PostgreSQL could not be started on 127.0.0.1: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def lake_archive(pg_cluster, tmp_path) -> str:
    """A fresh, empty lake: its own catalog database and data folder."""
    conninfo = pg_cluster.create_db(f"lake{next(_names)}")
    return f"ducklake:postgres:{conninfo};data={tmp_path / 'lake-data'}/"


@pytest.fixture(scope="session")
def staged_template():
    """Staged batches of the four sample portals (two crawls each, the second one later), made once."""
    from tests.scaleout.batches import make_batches

    root = Path(tempfile.mkdtemp(prefix="portal-etl-batches-"))
    make_batches(root)
    yield root
    shutil.rmtree(root, ignore_errors=True)
