"""Full-text search: BM25 through the packaged fts extension, Vietnamese folding and tone placement."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from etl.analysis import search as search_mod
from etl.analysis.search import extension_file, make_snippet, search
from etl.store.snapshot import snapshot_path

needs_fts = pytest.mark.skipif(extension_file() is None, reason="duckdb-extension-fts is not installed")


def titles(result):
    return [h.title for h in result.hits]


@needs_fts
def test_the_packaged_extension_loads_offline():
    con = duckdb.connect()
    assert search_mod.load_fts(con).startswith("duckdb-extension-fts")
    assert extension_file().name == "fts.duckdb_extension"


@needs_fts
def test_bm25_search_ranks_the_exact_phrase_first(archive):
    result = search(archive, "phòng chống dịch")
    assert result.method == "bm25" and result.note is None
    assert all(h.score > 0 for h in result.hits)
    phrase_hits = [h for h in result.hits if h.phrase]
    assert {h.title for h in phrase_hits} == {
        "Tỉnh uỷ Lâm Đồng chỉ đạo phòng chống dịch", "Kon Tum hoà nhịp phát triển",
        "Huế chuẩn bị lên thành phố trực thuộc Trung ương"}
    assert result.hits[: len(phrase_hits)] == phrase_hits  # exact phrase first
    # "phòng, chống tham nhũng ... dịch vụ": every syllable, not the phrase: ranked after.
    assert titles(result)[-1] == "Hội nghị Ban Chấp hành Đảng bộ tỉnh"
    assert not result.hits[-1].phrase


@needs_fts
def test_fold_finds_unaccented_queries_and_maps_d_stroke(archive):
    folded = search(archive, "phong chong dich", fold=True)
    assert set(titles(folded)) == set(titles(search(archive, "phòng chống dịch")))
    assert search(archive, "phong chong dich").hits == []  # without --fold accents count
    assert "Hội nghị Ban Chấp hành Đảng bộ tỉnh" in titles(search(archive, "dang bo tinh", fold=True))
    assert search(archive, "Đang bộ").hits == []  # "Đảng" is not "Đang" when accents count


@needs_fts
@pytest.mark.parametrize("query", ["Tỉnh uỷ", "Tỉnh ủy", "tỉnh ỦY"])
def test_old_and_new_tone_placement_match(archive, query):
    found = titles(search(archive, query))
    assert "Tỉnh uỷ Lâm Đồng chỉ đạo phòng chống dịch" in found  # written "uỷ"
    assert "Quán triệt Kết luận số 77-KL/TW" in found  # written "ủy"


@needs_fts
def test_filters_and_document_codes(archive):
    assert titles(search(archive, "phòng chống dịch", portals=["kontum"])) == ["Kon Tum hoà nhịp phát triển"]
    assert "Tỉnh uỷ Lâm Đồng chỉ đạo phòng chống dịch" not in titles(
        search(archive, "phòng chống dịch", since=date(2021, 1, 1)))
    assert titles(search(archive, "35-CT/TW")) == ["Tỉnh uỷ Lâm Đồng chỉ đạo phòng chống dịch"]
    assert len(search(archive, "phòng", limit=2).hits) == 2


def test_scan_fallback_without_the_extension(archive, monkeypatch):
    monkeypatch.setattr(search_mod, "extension_file", lambda: None)
    monkeypatch.setattr(search_mod, "load_fts", lambda con: None)
    result = search(archive, "phong chong dich", fold=True)
    assert result.method == "scan" and "duckdb-extension-fts" in result.note
    assert {h.title for h in result.hits if h.phrase} == {
        "Tỉnh uỷ Lâm Đồng chỉ đạo phòng chống dịch", "Kon Tum hoà nhịp phát triển",
        "Huế chuẩn bị lên thành phố trực thuộc Trung ương"}
    assert "Tỉnh uỷ Lâm Đồng chỉ đạo phòng chống dịch" in titles(search(archive, "Tỉnh ủy"))


def test_live_archive_has_no_index_and_scans(archive):
    result = search(archive, "hòa hợp", live=True)
    assert result.method == "scan"
    assert titles(result) == ["Hội nghị Ban Chấp hành Đảng bộ tỉnh"]  # text says "hoà hợp"


def test_snippet_highlights_in_original_spelling():
    text = "Mở đầu. " + "x " * 100 + "Công tác Phòng Chống Dịch của Tỉnh uỷ. " + "y " * 100
    snippet, spans = make_snippet(text, ["phong", "chong", "dich"], fold=True)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert [snippet[a:b] for a, b in spans] == ["Phòng", "Chống", "Dịch"]
    snippet, spans = make_snippet("Ban Thường vụ Tỉnh uỷ họp", ["tỉnh", "ủy"])
    assert [snippet[a:b] for a, b in spans] == ["Tỉnh", "uỷ"]


@needs_fts
def test_search_cli_json_and_latency_line(archive):
    out = subprocess.run(
        [sys.executable, "-m", "etl.cli", "search", "phong chong dich", "--fold", "--db", str(archive),
         "--format", "json", "--limit", "2"], capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert len(hits) == 2 and all(h["phrase"] for h in hits)
    assert "BM25" in out.stderr and " ms " in out.stderr
    bad = subprocess.run([sys.executable, "-m", "etl.cli", "search", "--since", "yesterday", "x", "--db", str(archive)],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("error:")


@needs_fts
def test_an_index_build_failure_leaves_a_clean_snapshot(archive, tmp_path, monkeypatch):
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(snapshot_path(archive), copy)
    con = duckdb.connect(str(copy))
    con.execute("DROP SCHEMA fts_main_search_fold CASCADE")
    monkeypatch.setattr(search_mod, "TOKEN_IGNORE", "(")  # an invalid regex makes the build fail
    with pytest.raises(duckdb.Error):
        search_mod.build_search_index(con)
    left = {r[0] for r in con.execute("SELECT DISTINCT schema_name FROM duckdb_tables()").fetchall()}
    assert not any(s.startswith("fts_main_search") for s in left)
    assert not {"search_norm", "search_fold"} & {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    con.close()


@needs_fts
def test_an_unchanged_archive_copies_the_previous_index_and_a_changed_one_rebuilds(archive, tmp_path):
    from etl.store.loader import open_archive
    from etl.store.snapshot import publish_snapshot

    db = tmp_path / "a.duckdb"
    shutil.copyfile(archive, db)

    def published() -> tuple[bool, list, list, list]:
        con = duckdb.connect(str(snapshot_path(db)), read_only=True)
        try:
            reused = con.execute("SELECT reused FROM search_index_info").fetchone()[0]
        finally:
            con.close()
        hits = [(h.article_id, h.score, h.phrase) for h in search(db, "phòng chống dịch").hits]
        folded = [(h.article_id, h.score) for h in search(db, "dang bo", fold=True).hits]
        rare = [h.article_id for h in search(db, "xyzzy").hits]
        return reused, hits, folded, rare

    con = open_archive(db)
    try:
        publish_snapshot(con, db)  # no snapshot beside this copy yet: built
        first = published()
        publish_snapshot(con, db)  # nothing changed: copied, the same index
        second = published()
        changed = con.execute("SELECT min(article_id) FROM articles").fetchone()[0]
        con.execute("UPDATE articles SET text = text || ' xyzzy', text_norm = text_norm || ' xyzzy' "
                    "WHERE article_id = ?", [changed])
        publish_snapshot(con, db)  # one text changed: rebuilt
        third = published()
    finally:
        con.close()
    assert first[0] is False and first[1] and first[2] and first[3] == []
    assert second == (True, *first[1:])
    assert _postings_out_of_term_order(snapshot_path(db)) == dict.fromkeys(search_mod.INDEXES.values(), 0)  # copied
    assert third[0] is False and third[3] == [changed]


@needs_fts
def test_an_index_that_does_not_fit_the_small_limit_is_built_with_the_default(archive, tmp_path, monkeypatch, caplog):
    """The copy's index is built on one DuckDB thread under ``INDEX_LIMIT``; a build that runs out of memory there
    is redone with DuckDB's default limit, not left out of the snapshot."""
    import logging

    from etl.store import snapshot
    from etl.store.loader import open_archive

    db = tmp_path / "a.duckdb"
    shutil.copyfile(archive, db)
    real = search_mod.build_search_index
    seen = []

    def squeezed(con, previous=None):
        seen.append(con.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone())
        if len(seen) == 1:
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB")
        return real(con, previous)

    monkeypatch.setattr(search_mod, "build_search_index", squeezed)
    con = open_archive(db)
    try:
        with caplog.at_level(logging.INFO, logger="etl.store.snapshot"):
            snapshot.publish_snapshot(con, db)
    finally:
        con.close()
    assert len(seen) == 2
    assert seen[0] == ("122.0 MiB", 1)  # INDEX_LIMIT = 128MB (DuckDB reports MiB)
    assert seen[1][0] != seen[0][0]
    assert "does not fit in 128MB" in caplog.text
    assert [h.title for h in search(db, "phòng chống dịch").hits]  # the index is there and answers
    con = duckdb.connect(str(snapshot_path(db)), read_only=True)
    try:
        assert con.execute("SELECT reused FROM search_index_info").fetchone()[0] is False
    finally:
        con.close()


def _postings_out_of_term_order(db) -> dict[str, int]:
    """For each index: how many rows of its ``terms`` table come after a row of a later term."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: con.execute(
                f"SELECT count(*) FROM (SELECT termid < lag(termid) OVER (ORDER BY rowid) AS back"
                f" FROM fts_main_{table}.terms) WHERE back"
            ).fetchone()[0]
            for table in search_mod.INDEXES.values()
        }
    finally:
        con.close()


@needs_fts
def test_index_postings_are_stored_in_term_order_with_unchanged_hits_and_scores(archive, tmp_path, monkeypatch):
    """The extension writes ``terms`` in document order; ours rewrites it in term order (zone maps then skip the
    row groups of other terms), and a search finds the same articles with the same scores either way."""
    from etl.analysis.search import build_search_index, search_connection

    ours, extensions = tmp_path / "ours.duckdb", tmp_path / "extension.duckdb"
    for db in (ours, extensions):
        shutil.copyfile(snapshot_path(archive), db)
    with monkeypatch.context() as patch:
        patch.setattr(search_mod, "_postings_by_term", lambda con, table: None)
        con = duckdb.connect(str(extensions))
        try:
            build_search_index(con)
        finally:
            con.close()
    con = duckdb.connect(str(ours))
    try:
        build_search_index(con)
    finally:
        con.close()
    assert all(_postings_out_of_term_order(extensions).values())  # the extension's order is another
    assert _postings_out_of_term_order(ours) == dict.fromkeys(search_mod.INDEXES.values(), 0)

    def hits(db):
        con = duckdb.connect(str(db), read_only=True)
        try:
            return [[(h.article_id, round(h.score, 9), h.phrase) for h in search_connection(con, q, fold=fold).hits]
                    for q, fold in (("phòng chống dịch", False), ("Đảng bộ", False), ("dang bo", True),
                                    ("tỉnh ủy", False))]
        finally:
            con.close()

    found = hits(ours)
    assert all(found) and found == hits(extensions)
