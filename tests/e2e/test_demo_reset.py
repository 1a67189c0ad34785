"""The demo starts from an empty archive, and never touches an archive of real portals."""

from __future__ import annotations

import duckdb
import pytest

from etl.demo import NotADemoArchive, demo_staging, reset_demo_archive


def make_archive(path, portals):
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE pages (url VARCHAR, portal VARCHAR)")
    for i, portal in enumerate(portals):
        con.execute("INSERT INTO pages VALUES (?, ?)", [f"http://x/{i}", portal])
    con.close()


def test_previous_demo_archive_is_reset(tmp_path):
    db = tmp_path / "demo.duckdb"
    make_archive(db, ["sample-kontum", "sample-lamdong"])
    demo_staging(db).mkdir()
    reset_demo_archive(db)
    assert not db.exists() and not demo_staging(db).exists()


def test_archive_with_real_portals_is_refused(tmp_path):
    db = tmp_path / "portals.duckdb"
    make_archive(db, ["sample-kontum", "kontum"])
    with pytest.raises(NotADemoArchive, match="real portals"):
        reset_demo_archive(db)
    assert db.exists()
