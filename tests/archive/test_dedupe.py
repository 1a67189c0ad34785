"""Duplicates: URL variants of one article collapse to one row; copies on other portals get duplicate_of."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from etl.dedupe import NEAR_THRESHOLD, similarity, update_duplicates
from etl.normalise.text import normalise_tone_marks
from etl.normalise.urls import portal_article_url
from etl.records import RawPage
from etl.store.loader import load_ready_batches, open_archive
from etl.store.schema import LATEST_VERSION
from tests.archive.helpers import rows, sample_registry, sample_sites, stage_articles, stage_pages
from tests.archive.texts import ORIGINAL, REPUBLISHED, SAME_MEETING

FETCHED = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)


def article(article_id: str, portal: str, paragraphs: list[str], published: datetime | None,
            fetched: datetime = FETCHED, author: str = "Phóng viên") -> dict:
    text = "\n".join(paragraphs)
    return {
        "article_id": article_id, "portal": portal, "province": "Kon Tum", "url": f"http://{portal}.vn/{article_id}",
        "title": "Sơ kết 5 năm thực hiện Chỉ thị 05", "published_at": published, "date_source": "visible",
        "author": author, "category": "Tin tức", "dateline": None, "text": text,
        "text_norm": normalise_tone_marks(text), "word_count": len(text.split()),
        "content_hash": hashlib.sha1((author + text).encode()).hexdigest(), "fetched_at": fetched,
    }


def merge(tmp_path, articles: list[dict]) -> None:
    stage_articles(tmp_path / "staging", articles)
    load_ready_batches(tmp_path / "a.duckdb", tmp_path / "staging")


def dups(tmp_path) -> dict[str, tuple]:
    return {r[0]: (r[1], r[2]) for r in rows(tmp_path / "a.duckdb",
                                             "SELECT article_id, duplicate_of, duplicate_score FROM articles")}


def test_thresholds_separate_a_republication_from_another_report_of_the_same_meeting():
    near = similarity("\n".join(ORIGINAL), "\n".join(REPUBLISHED))
    other = similarity("\n".join(ORIGINAL), "\n".join(SAME_MEETING))
    assert near >= NEAR_THRESHOLD + 0.2 and other <= NEAR_THRESHOLD - 0.3


def test_republished_copy_points_to_the_earliest_and_another_report_stays_unique(tmp_path):
    merge(tmp_path, [article("orig", "kontum", ORIGINAL, datetime(2021, 3, 15, 10, 0))])
    merge(tmp_path, [article("copy", "dakha", REPUBLISHED, datetime(2021, 3, 15, 16, 30), author="Hồng Hạnh"),
                     article("other", "dakha", SAME_MEETING, datetime(2021, 3, 15, 17, 0))])
    found = dups(tmp_path)
    assert found["orig"] == (None, None)
    assert found["copy"][0] == "orig" and 0.75 < found["copy"][1] < 1.0
    assert found["other"] == (None, None)
    assert rows(tmp_path / "a.duckdb", "SELECT count(*) FROM articles WHERE duplicate_of IS NULL") == [(2,)]


def test_exact_copies_on_several_portals_and_an_earlier_copy_arriving_late(tmp_path):
    merge(tmp_path, [article("b", "p2", ORIGINAL, datetime(2021, 3, 16, 8, 0))])
    merge(tmp_path, [article("c", "p3", ORIGINAL, datetime(2021, 3, 17, 8, 0))])
    assert dups(tmp_path) == {"b": (None, None), "c": ("b", 1.0)}
    # A WARC backfill brings the original, published a day earlier: it becomes the one all copies point to.
    merge(tmp_path, [article("a", "p1", [p.upper() for p in ORIGINAL], datetime(2021, 3, 15, 8, 0))])
    assert dups(tmp_path) == {"a": (None, None), "b": ("a", 1.0), "c": ("a", 1.0)}  # case folded: same text


def test_same_publication_time_falls_back_to_first_seen(tmp_path):
    when = datetime(2021, 3, 15, 8, 0)
    merge(tmp_path, [article("z", "p1", ORIGINAL, when)])
    merge(tmp_path, [article("a", "p2", ORIGINAL, when, fetched=FETCHED + timedelta(hours=1))])
    assert dups(tmp_path)["a"] == ("z", 1.0)


def test_a_changed_article_leaves_its_group_and_the_group_is_rebuilt(tmp_path):
    merge(tmp_path, [article("a", "p1", ORIGINAL, datetime(2021, 3, 15)),
                     article("b", "p2", ORIGINAL, datetime(2021, 3, 16)),
                     article("c", "p3", REPUBLISHED, datetime(2021, 3, 17))])
    assert dups(tmp_path)["b"] == ("a", 1.0) and dups(tmp_path)["c"][0] == "a"
    # The original is corrected into another text: the copies now point to the earliest remaining copy.
    later = FETCHED + timedelta(days=1)
    merge(tmp_path, [article("a", "p1", SAME_MEETING, datetime(2021, 3, 15), fetched=later)])
    found = dups(tmp_path)
    assert found["a"] == (None, None)
    assert found["b"] == (None, None) and found["c"][0] == "b"


def test_short_texts_are_never_matched(tmp_path):
    short = ["Một số hình ảnh tại hội nghị."]
    merge(tmp_path, [article("a", "p1", short, datetime(2021, 1, 1)), article("b", "p2", short, datetime(2021, 1, 2))])
    assert dups(tmp_path) == {"a": (None, None), "b": (None, None)}


def test_merging_again_changes_nothing_and_fingerprints_are_not_recomputed(tmp_path):
    merge(tmp_path, [article("a", "p1", ORIGINAL, datetime(2021, 3, 15)),
                     article("b", "p2", REPUBLISHED, datetime(2021, 3, 16))])
    before = rows(tmp_path / "a.duckdb", "SELECT * FROM articles ORDER BY 1")
    merge(tmp_path, [article("a", "p1", ORIGINAL, datetime(2021, 3, 15), fetched=FETCHED + timedelta(days=3))])
    assert rows(tmp_path / "a.duckdb", "SELECT * FROM articles ORDER BY 1") == before
    con = open_archive(tmp_path / "a.duckdb")
    try:
        assert update_duplicates(con).fingerprinted == 0
        # An archive from before migration 4 (no fingerprints) is fingerprinted on the next merge.
        con.execute("DELETE FROM article_fingerprint")
        con.execute("DELETE FROM article_lsh")
        con.execute("UPDATE articles SET duplicate_of = NULL, duplicate_score = NULL")
        stats = update_duplicates(con)
        assert stats.fingerprinted == 2 and stats.duplicates == 1
        assert con.execute("SELECT * FROM articles ORDER BY 1").fetchall() == before
    finally:
        con.close()


def test_migration_4_adds_the_columns_and_tables(tmp_path):
    merge(tmp_path, [article("a", "p1", ORIGINAL, None)])
    con = duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True)
    try:
        columns = {r[0] for r in con.execute("DESCRIBE articles").fetchall()}
        assert {"duplicate_of", "duplicate_score"} <= columns
        assert 4 in {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
        assert con.execute("SELECT count(*) FROM article_lsh").fetchone()[0] == 32
    finally:
        con.close()
    assert LATEST_VERSION >= 4


@pytest.mark.parametrize("variant", [
    "https://www.x.vn/tin-tuc/hoi-nghi-123.html",
    "http://x.vn/tin-tuc/hoi-nghi-123.html/",
    "https://x.vn/tin-tuc/hoi-nghi-123.html?print=1",
    "https://x.vn/print/tin-tuc/hoi-nghi-123.html",
    "https://x.vn/tin-tuc/hoi-nghi-123.html?view=print&utm_source=zalo#top",
    "https://X.VN/tin-tuc/hoi-nghi-123.html?fbclid=abc",
])
def test_url_variants_of_one_article_have_one_canonical_url(variant):
    assert portal_article_url(variant, "https://x.vn/") == "https://x.vn/tin-tuc/hoi-nghi-123.html"


def test_query_that_selects_content_is_kept():
    assert portal_article_url("https://x.vn/Trang/ChiTiet.aspx?nid=5&print=1", "https://x.vn/") == \
        "https://x.vn/Trang/ChiTiet.aspx?nid=5"
    assert portal_article_url("https://x.vn/a?id=1", "https://x.vn/") != portal_article_url("https://x.vn/a?id=2")
    assert portal_article_url("https://other.vn/a/", "https://x.vn/") == "https://other.vn/a"


def test_url_variants_fetched_by_a_crawl_collapse_to_one_article_row(tmp_path):
    sites = sample_sites()
    registry = sample_registry(sites)
    site = sites["sample-kontum"]
    item = site.articles[0]
    body = re.sub(rb'<link rel="canonical"[^>]*>', b"", site.handle(item.path).body)
    host = site.base_url.split("//")[1]
    variants = [
        site.url(item.path), f"https://www.{host}{item.path}", site.url(item.path) + "?print=1",
        site.url(item.path) + "?utm_source=facebook&fbclid=x", site.url(item.path) + "/",
    ]
    pages = [RawPage(url=u, portal=site.id, fetched_at=FETCHED + timedelta(seconds=i), status=200,
                     content_type="text/html; charset=utf-8", body=body) for i, u in enumerate(variants)]
    stage_pages(tmp_path / "staging", site.id, pages, registry)
    load_ready_batches(tmp_path / "a.duckdb", tmp_path / "staging")
    assert rows(tmp_path / "a.duckdb", "SELECT url FROM articles") == [(site.url(item.path),)]
    assert rows(tmp_path / "a.duckdb", "SELECT count(*), count(DISTINCT article_id) FROM pages") == [(5, 1)]


def test_migration_5_recomputes_fingerprints_without_shingle_hashes_at_the_next_merge(tmp_path):
    published = datetime(2024, 4, 1, 8, 0)
    merge(tmp_path, [article("a", "p1", ORIGINAL, published),
                     article("b", "p2", REPUBLISHED, published + timedelta(days=1))])
    before = dups(tmp_path)
    assert before["b"][0] == "a" and before["a"] == (None, None)
    assert before["b"][1] == round(similarity("\n".join(ORIGINAL), "\n".join(REPUBLISHED)), 4)
    # Make the archive look as version 4 left it: fingerprints without shingle hashes, migration 5 not applied.
    con = duckdb.connect(str(tmp_path / "a.duckdb"))
    try:
        con.execute("UPDATE article_fingerprint SET shingle_hashes = NULL, minhash = NULL")
        con.execute("UPDATE articles SET duplicate_of = NULL, duplicate_score = NULL")
        con.execute("DELETE FROM schema_migrations WHERE version = 5")
    finally:
        con.close()
    con = open_archive(tmp_path / "a.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM article_fingerprint").fetchone()[0] == 0
        stats = update_duplicates(con)  # what the next merge runs
        assert stats.fingerprinted == 2
        assert con.execute("SELECT count(*) FROM article_fingerprint WHERE len(shingle_hashes) > 100").fetchone()[0] == 2
    finally:
        con.close()
    assert dups(tmp_path) == before
