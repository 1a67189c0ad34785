"""doc_refs / people in the archive: filled at load time, replaced on change, never duplicated, backfilled."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import duckdb

from etl.facts import fact_rows
from etl.facts.store import refresh_facts
from etl.store.loader import connect, load_ready_batches, open_archive
from etl.store.schema import MIGRATIONS, migrate
from etl.store.staging import new_batch, write_extracted

FETCHED = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
TEXT_A = ("Đồng chí Bùi Văn Cường – Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì Hội nghị.\n"
          "Công tác chuẩn bị đại hội theo Chỉ thị số 35-CT/TW, ngày 30/5/2019 của Bộ Chính trị; "
          "Kế hoạch 100-KH/TU của Tỉnh ủy.")
TEXT_B = "Đồng chí Lê Ngọc Tuấn - Phó Bí thư Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh dự."


def _article(article_id: str, text: str, province: str = "Đắk Lắk", fetched: datetime = FETCHED) -> dict:
    return {
        "article_id": article_id, "portal": "daklak", "province": province, "url": f"http://x/{article_id}",
        "title": f"Tiêu đề {article_id}", "published_at": datetime(2020, 4, 17, 16, 5), "date_source": "visible",
        "author": None, "category": None, "dateline": None, "text": text, "text_norm": text,
        "word_count": len(text.split()), "content_hash": hashlib.sha1(text.encode()).hexdigest(), "fetched_at": fetched,
    }


def stage(tmp_path, articles: list[dict], *, staged_facts: bool, fetched: datetime = FETCHED) -> str:
    batch = new_batch(tmp_path / "staging", "daklak")
    pages = [{
        "url": a["url"], "portal": "daklak", "fetched_at": fetched, "status": 200, "content_type": "text/html",
        "charset": "utf-8", "html": "<html></html>", "etag": None, "last_modified": None, "error": None,
        "kind": "article", "is_article": True, "article_id": a["article_id"], "batch_id": batch.id, "source": "crawl",
    } for a in articles]
    tables = {"pages": pages, "articles": articles, "images": []}
    manifest = {"portal": "daklak", "pages": len(pages), "articles": len(articles), "errors": 0,
                "crawl": {"portal": "daklak", "finish_reason": "finished"}}
    if staged_facts:  # as etl.transform writes them
        facts = [fact_rows(a["article_id"], a["text"], a["published_at"]) for a in articles]
        tables["doc_refs"] = [row for docs, _ in facts for row in docs]
        tables["people"] = [row for _, ppl in facts for row in ppl]
        manifest["facts"] = True
    write_extracted(batch, tables, manifest)
    return batch.id


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _check_loaded(db):
    assert rows(db, "SELECT article_id, position, kind, number, code, level, year, doc_date, issuer FROM doc_refs "
                    "ORDER BY article_id, position") == [
        ("a1", 0, "Chỉ thị", "35", "35-CT/TW", "TW", 2019, datetime(2019, 5, 30).date(), "Bộ Chính trị"),
        ("a1", 1, "Kế hoạch", "100", "100-KH/TU", "TU", None, None, "Tỉnh ủy"),
    ]
    assert rows(db, "SELECT article_id, name, positions FROM people ORDER BY article_id, position") == [
        ("a1", "Bùi Văn Cường", ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy"]),
        ("a2", "Lê Ngọc Tuấn", ["Phó Bí thư Tỉnh ủy", "Phó Chủ tịch Thường trực UBND tỉnh"]),
    ]
    [(span, offset)] = rows(db, "SELECT span, char_offset FROM doc_refs WHERE position = 0")
    [(text,)] = rows(db, "SELECT text FROM articles WHERE article_id = 'a1'")
    assert text[offset:offset + len(span)] == span


def test_load_fills_facts_and_unchanged_reload_adds_no_duplicates(tmp_path):
    for staged_facts in (True, False):  # staged Parquet facts, or computed from the staged texts
        db = tmp_path / f"facts-{staged_facts}.duckdb"
        stage(tmp_path, [_article("a1", TEXT_A), _article("a2", TEXT_B)], staged_facts=staged_facts)
        load_ready_batches(db, tmp_path / "staging", publish=False)
        _check_loaded(db)
        later = datetime(2024, 6, 1, tzinfo=UTC)
        stage(tmp_path, [_article("a1", TEXT_A, fetched=later), _article("a2", TEXT_B, fetched=later)],
              staged_facts=staged_facts, fetched=later)
        [result] = load_ready_batches(db, tmp_path / "staging", publish=False)
        assert (result.articles_new, result.articles_updated) == (0, 0)
        _check_loaded(db)  # same rows, no duplicates
        assert rows(db, "SELECT count(*) FROM doc_refs") == [(2,)]
        assert rows(db, "SELECT count(*) FROM people") == [(2,)]


def test_changed_article_gets_its_facts_replaced(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", TEXT_A), _article("a2", TEXT_B)], staged_facts=True)
    load_ready_batches(db, tmp_path / "staging", publish=False)
    later = datetime(2024, 6, 1, tzinfo=UTC)
    changed = "Đồng chí Y Biêr Niê – Phó Bí thư Tỉnh ủy phát biểu. Thực hiện Kết luận số 77-KL/TW của Bộ Chính trị."
    stage(tmp_path, [_article("a1", changed, fetched=later)], staged_facts=True, fetched=later)
    [result] = load_ready_batches(db, tmp_path / "staging", publish=False)
    assert result.articles_updated == 1
    assert rows(db, "SELECT article_id, code FROM doc_refs ORDER BY 1, 2") == [("a1", "77-KL/TW")]
    assert rows(db, "SELECT article_id, name FROM people ORDER BY 1, 2") == [("a1", "Y Biêr Niê"), ("a2", "Lê Ngọc Tuấn")]


def test_people_positions_answers_who_held_a_position(tmp_path):
    db = tmp_path / "a.duckdb"
    stage(tmp_path, [_article("a1", TEXT_A), _article("a2", TEXT_B, province="Kon Tum")], staged_facts=True)
    load_ready_batches(db, tmp_path / "staging", publish=False)
    assert rows(db, """
        SELECT name, count(*) FROM people_positions
        WHERE province = 'Đắk Lắk' AND position = 'Bí thư Tỉnh ủy' AND year(published_at) = 2020
        GROUP BY name""") == [("Bùi Văn Cường", 1)]
    assert rows(db, """
        SELECT a.province, r.code FROM doc_refs r JOIN articles a USING (article_id)
        WHERE r.level = 'TW' AND year(a.published_at) = 2020""") == [("Đắk Lắk", "35-CT/TW")]


def _insert_article(con, article: dict) -> None:
    cols = [c for c in article if c != "fetched_at"]
    con.execute(
        f"INSERT INTO articles ({', '.join(cols)}, first_seen_at, updated_at) "
        f"VALUES ({', '.join('?' for _ in cols)}, ?, ?)",
        [article[c] for c in cols] + [FETCHED, FETCHED],
    )


def test_migration_fills_facts_of_an_existing_archive(tmp_path):
    db = tmp_path / "old.duckdb"
    con = connect(db)
    # an archive written before migration 2: only migration 1 applied, articles already stored
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description VARCHAR,"
                " applied_at TIMESTAMPTZ DEFAULT now())")
    [(_, _, first)] = [m for m in MIGRATIONS if m[0] == 1]
    for statement in first:
        con.execute(statement)
    con.execute("INSERT INTO schema_migrations (version, description) VALUES (1, 'initial')")
    _insert_article(con, _article("a1", TEXT_A))
    _insert_article(con, _article("a2", TEXT_B))
    migrate(con)
    con.close()
    _check_loaded(db)


def test_refresh_facts_recomputes_and_is_idempotent(tmp_path):
    db = tmp_path / "a.duckdb"
    con = open_archive(db)
    _insert_article(con, _article("a1", TEXT_A))
    _insert_article(con, _article("a2", TEXT_B))
    con.execute("INSERT INTO doc_refs VALUES ('a1', 0, 'Chỉ thị', '1', NULL, NULL, NULL, NULL, NULL, 'stale', 0)")
    assert refresh_facts(con) == (2, 2)
    assert refresh_facts(con) == (2, 2)
    assert refresh_facts(con, ["a2"]) == (0, 1)
    con.close()
    _check_loaded(db)
