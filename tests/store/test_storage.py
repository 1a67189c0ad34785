"""Storage format: new archives compress long strings (zstd); `portal-etl upgrade-storage` converts old ones."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from etl.store.loader import STORAGE_VERSION, open_archive, storage_version, upgrade_storage
from tests.archive.helpers import crawl_samples, rows, sample_registry, sample_sites

TABLES = ("articles", "pages", "images", "doc_refs", "people", "crawl_runs", "article_fingerprint", "article_lsh",
          "schema_migrations")


def _version(db) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return storage_version(con)
    finally:
        con.close()


def _content(db) -> dict[str, list[tuple]]:
    out = {t: rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}
    out["views"] = rows(db, "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1")
    out["coverage"] = rows(db, "SELECT * FROM coverage ORDER BY ALL")
    return out


def test_a_new_archive_is_created_in_the_current_format_with_zstd_raw_pages(tmp_path):
    db = tmp_path / "a.duckdb"
    sites = sample_sites()
    crawl_samples(db, sample_registry(sites), sites)
    assert _version(db).startswith(STORAGE_VERSION)
    compression = rows(db, "SELECT DISTINCT compression FROM pragma_storage_info('pages') WHERE column_name = 'html'")
    assert ("ZSTD",) in compression


def test_writers_store_article_length_texts_as_zstd_where_duckdb_would_use_dict_fsst(tmp_path):
    """Texts of 1 to 4 KB (most articles) are ZSTD in the archive; DuckDB's default makes them DICT_FSST, slower
    to write and larger (etl.store.loader.compress_for_archive)."""
    texts = ("SELECT 'Đảng bộ tỉnh ' || (i % 977)::VARCHAR || repeat(' hội nghị ban chấp hành ' || (i % 13)::VARCHAR, "
             "100) AS text FROM range(6000) r(i)")

    def stored(con) -> set[str]:
        con.execute(f"CREATE TABLE texts AS {texts}")
        con.execute("CHECKPOINT")
        return {r[0] for r in con.execute("SELECT DISTINCT compression FROM pragma_storage_info('texts') "
                                          "WHERE segment_type = 'VARCHAR'").fetchall()}

    plain = duckdb.connect()
    plain.execute(f"ATTACH '{tmp_path / 'plain.duckdb'}' AS plain (STORAGE_VERSION '{STORAGE_VERSION}')")
    plain.execute("USE plain")
    assert stored(plain) == {"DICT_FSST"}
    plain.close()
    archive = open_archive(tmp_path / "archive.duckdb")
    try:
        assert stored(archive) == {"ZSTD"}
    finally:
        archive.close()


def test_upgrade_storage_rewrites_an_old_archive_without_changing_a_row(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))  # DuckDB's default: the storage format readable by DuckDB 0.10
    con.close()
    sites = sample_sites()
    crawl_samples(db, sample_registry(sites), sites)
    assert not _version(db).startswith(STORAGE_VERSION)
    before = _content(db)
    assert len(before["articles"]) > 20 and before["views"]

    result = subprocess.run([sys.executable, "-m", "etl.cli", "upgrade-storage", "--db", str(db)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "storage format" in result.stdout and "->" in result.stdout
    assert _version(db).startswith(STORAGE_VERSION)
    assert _content(db) == before
    assert not list(tmp_path.glob(".old.duckdb.upgrade-*"))
    # Still a working archive: constraints kept, a second upgrade is a no-op, loads go on.
    con = open_archive(db)
    try:
        url = before["pages"][0][0]
        try:
            con.execute("INSERT INTO pages SELECT * FROM pages WHERE url = ?", [url])
            raise AssertionError("primary key lost")
        except duckdb.ConstraintException:
            pass
    finally:
        con.close()
    assert not upgrade_storage(db).changed


def test_upgrade_storage_of_a_missing_archive_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "etl.cli", "upgrade-storage", "--db", str(tmp_path / "no.duckdb")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no archive at" in result.stderr
    assert not (tmp_path / "no.duckdb").exists()


def test_writers_get_a_memory_limit_and_a_batch_too_big_for_it_still_lands(tmp_path, monkeypatch, caplog):
    con = open_archive(tmp_path / "limits.duckdb")
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("183.1 MiB", "192.0 MiB")  # DEFAULT_MEMORY_LIMIT
    finally:
        con.close()
    sites = sample_sites()
    crawl_samples(tmp_path / "roomy.duckdb", sample_registry(sites), sites)
    monkeypatch.setenv("PORTAL_ETL_DUCKDB_MEMORY", "16MB")  # far too small for any merge
    with caplog.at_level("WARNING", logger="etl.store.loader"):
        crawl_samples(tmp_path / "tight.duckdb", sample_registry(sites), sites)
    assert "merging it without the limit" in caplog.text
    query = "SELECT article_id, title, text, duplicate_of FROM articles ORDER BY 1"
    assert rows(tmp_path / "tight.duckdb", query) == rows(tmp_path / "roomy.duckdb", query)


def test_a_bad_memory_setting_is_a_clear_error(tmp_path, monkeypatch):
    from etl.store.loader import ArchiveError

    monkeypatch.setenv("PORTAL_ETL_DUCKDB_MEMORY", "lots")
    try:
        open_archive(tmp_path / "a.duckdb")
        raise AssertionError("accepted")
    except ArchiveError as exc:
        assert "PORTAL_ETL_DUCKDB_MEMORY='lots'" in str(exc)


def test_raw_pages_merged_in_slices_survive_a_crash_before_the_batch_is_recorded(tmp_path, monkeypatch):
    import etl.store.loader as loader

    sites = sample_sites()
    registry = sample_registry(sites)
    crawl_samples(tmp_path / "whole.duckdb", registry, sites)
    monkeypatch.setattr(loader, "PAGE_SLICE", 7)  # many slices per batch
    real = loader.merge_staged
    calls = []

    def crash_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the second batch: its pages are in, its articles never arrive
            raise RuntimeError("power cut")
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "merge_staged", crash_once)
    try:
        crawl_samples(tmp_path / "sliced.duckdb", registry, sites)
        raise AssertionError("no crash")
    except RuntimeError:
        pass
    from etl.store.loader import load_ready_batches

    load_ready_batches(tmp_path / "sliced.duckdb", tmp_path / "staging")  # the next run merges what is staged
    for query in ("SELECT * FROM articles ORDER BY ALL", "SELECT * EXCLUDE (batch_id) FROM pages ORDER BY ALL",
                  "SELECT * FROM images ORDER BY ALL", "SELECT * FROM doc_refs ORDER BY ALL"):
        assert rows(tmp_path / "sliced.duckdb", query) == rows(tmp_path / "whole.duckdb", query), query
    assert rows(tmp_path / "sliced.duckdb", "SELECT count(*) FROM crawl_runs") == \
        rows(tmp_path / "whole.duckdb", "SELECT count(*) FROM crawl_runs")
