"""WARC import and export: captures go through the same extraction and loading as crawls; a round trip keeps
every article."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from etl.warc import PortalMatcher, WarcError, check_warc, export_warc, import_warcs, parse_warc_date
from tests.archive.helpers import (
    ARTICLE_COLUMNS,
    crawl_samples,
    raw_pages,
    rows,
    sample_registry,
    sample_sites,
    write_registry,
)


@pytest.fixture(scope="module")
def samples():
    sites = sample_sites()
    return sites, sample_registry(sites)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, samples):
    sites, registry = samples
    db = tmp_path_factory.mktemp("crawled") / "a.duckdb"
    crawl_samples(db, registry, sites)
    return db


def portal_etl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], capture_output=True, text=True, timeout=120)


def write_capture_warc(path, captures, gz=True):
    """A WARC as the Internet Archive writes one: request + response records, gzip content-encoding."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for url, date, status, content_type, body, encode in captures:
            payload = gzip.compress(body) if encode else body
            headers = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
            if encode:
                headers.append(("Content-Encoding", "gzip"))
            http = StatusAndHeaders(f"{status} OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0,
                                                          warc_headers_dict={"WARC-Date": date}))
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), length=len(payload),
                warc_headers_dict={"WARC-Date": date}, http_headers=http))


def test_round_trip_export_import_keeps_every_article(tmp_path, crawled, samples):
    _, registry = samples
    out = tmp_path / "pages.warc.gz"
    report = export_warc(crawled, out)
    assert report.records > 0 and report.skipped_no_response == 0
    fresh = tmp_path / "fresh.duckdb"
    imported = import_warcs([out], registry, fresh, tmp_path / "staging")
    assert imported.unknown_hosts == {} and imported.pages == report.records
    query = f"SELECT {ARTICLE_COLUMNS}, duplicate_of FROM articles ORDER BY article_id"
    original = rows(crawled, query)
    assert len(original) == 28
    assert rows(fresh, query) == original  # ids, titles, dates, text, hashes, first_seen_at (= WARC-Date)
    assert rows(fresh, "SELECT count(*) FROM images") == rows(crawled, "SELECT count(*) FROM images")
    # Every exported page comes back with the same fetch time, status and verdict, marked as from a WARC.
    page_query = ("SELECT url, portal, fetched_at, status, kind, is_article, article_id, error FROM pages "
                  "WHERE url IN (SELECT url FROM pages WHERE source = 'warc') ORDER BY url")
    back = rows(fresh, page_query)
    assert len(back) == report.records
    urls = [r[0] for r in back]
    stored = rows(crawled, "SELECT url, portal, fetched_at, status, kind, is_article, article_id, error FROM pages "
                           "WHERE url IN (SELECT unnest(?)) ORDER BY url", [urls])
    assert back == stored
    assert rows(fresh, "SELECT DISTINCT source FROM pages") == [("warc",)]
    assert {r[0] for r in rows(fresh, "SELECT finish_reason FROM crawl_runs")} == {"warc-import"}


def test_export_writes_standard_response_records(tmp_path, crawled):
    from warcio.archiveiterator import ArchiveIterator

    out = tmp_path / "kontum.warc.gz"
    report = export_warc(crawled, out, portal_id="sample-kontum")
    assert set(report.per_portal) == {"sample-kontum"}
    records = []
    with out.open("rb") as handle:
        for record in ArchiveIterator(handle):
            records.append((record.rec_type, record.rec_headers, record.http_headers,
                            record.content_stream().read() if record.rec_type == "response" else b""))
    assert records[0][0] == "warcinfo"
    responses = [r for r in records if r[0] == "response"]
    assert len(responses) == report.records
    stored = dict(rows(crawled, "SELECT url, fetched_at FROM pages WHERE portal = 'sample-kontum'"))
    for _, warc, http, body in responses:
        url = warc.get_header("WARC-Target-URI")
        assert parse_warc_date(warc.get_header("WARC-Date")) == stored[url]
        assert warc.get_header("WARC-Portal-ETL-Portal") == "sample-kontum"
        assert http.get_header("Content-Type").endswith("charset=utf-8")
        if http.get_statuscode() == "200":
            body.decode("utf-8")  # the stored html, re-encoded as UTF-8
    article = next(r for r in responses if b"<h1" in r[3] or b"<h2" in r[3])
    assert "tỉnh".encode() in article[3] or "Tỉnh".encode() in article[3]


def test_foreign_warc_capture_date_host_matching_and_unknown_hosts(tmp_path, samples):
    sites, registry = samples
    kontum = sites["sample-kontum"]
    page = next(p for p in raw_pages(kontum) if p.url.endswith(kontum.articles[0].path))
    host = kontum.base_url.split("//")[1]
    captured = "2019-03-01T08:15:30Z"
    warc = tmp_path / "ia.warc.gz"
    write_capture_warc(warc, [
        # www. and https variants of the portal's host, gzip content-encoding
        (f"https://www.{host}{kontum.articles[0].path}", captured, 200, "text/html; charset=utf-8", page.body, True),
        ("http://unknown.example.org/tin/1.html", captured, 200, "text/html", b"<html><body>x</body></html>", False),
    ])
    report = import_warcs([warc], registry, tmp_path / "a.duckdb", tmp_path / "staging")
    assert report.per_portal == {"sample-kontum": 1}
    assert report.unknown_hosts == {"unknown.example.org": 1}
    assert report.skipped_types["request"] == 2
    [(portal, url, title, first_seen)] = rows(tmp_path / "a.duckdb",
                                              "SELECT portal, url, title, first_seen_at FROM articles")
    assert portal == "sample-kontum" and title == kontum.articles[0].title
    assert url == kontum.url(kontum.articles[0].path)  # canonical: the portal's own scheme and host
    assert first_seen == datetime(2019, 3, 1, 8, 15, 30, tzinfo=UTC)
    [(source, fetched, status)] = rows(tmp_path / "a.duckdb", "SELECT source, fetched_at, status FROM pages")
    assert (source, fetched, status) == ("warc", first_seen, 200)


def test_portal_option_assigns_every_record(tmp_path, samples):
    sites, registry = samples
    page = raw_pages(sites["sample-lamdong"])[1]
    warc = tmp_path / "x.warc"
    write_capture_warc(warc, [("http://mirror.example.net/a", "2020-01-01T00:00:00Z", 200, "text/html",
                               page.body, False)], gz=False)
    report = import_warcs([warc], registry, tmp_path / "a.duckdb", tmp_path / "staging", portal_id="sample-lamdong")
    assert report.per_portal == {"sample-lamdong": 1} and not report.unknown_hosts


def test_an_older_capture_never_replaces_a_newer_version(tmp_path, crawled, samples):
    sites, registry = samples
    db = tmp_path / "a.duckdb"
    db.write_bytes(crawled.read_bytes())
    kontum = sites["sample-kontum"]
    article = kontum.articles[0]
    url = kontum.url(article.path)
    before = rows(db, f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY article_id")
    page_before = rows(db, "SELECT * FROM pages WHERE url = ?", [url])
    old_body = kontum.handle(article.path).body.replace(article.paragraphs[0].encode(), "Bản cũ hơn.".encode())
    warc = tmp_path / "old.warc.gz"
    write_capture_warc(warc, [(url, "2018-06-01T00:00:00Z", 200, "text/html; charset=utf-8", old_body, False)])
    report = import_warcs([warc], registry, db, tmp_path / "staging")
    assert report.articles == 1 and report.articles_updated == 0
    assert rows(db, f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY article_id") == before
    assert rows(db, "SELECT * FROM pages WHERE url = ?", [url]) == page_before


def test_matcher_prefers_host_and_port_then_parent_domain():
    from etl.portals.registry import Portal

    portals = [
        Portal("a", "A", "P", "http://127.0.0.1:8001/"), Portal("b", "B", "P", "http://127.0.0.1:8002/"),
        Portal("kt", "KT", "Kon Tum", "https://kontum.dcs.vn/"),
        Portal("dh", "DH", "Kon Tum", "https://dakha.kontum.dcs.vn/"),
    ]
    matcher = PortalMatcher(portals)
    assert matcher.match("http://127.0.0.1:8002/x") == "b"
    assert matcher.match("http://127.0.0.1/x") is None  # ambiguous without the port
    assert matcher.match("http://www.kontum.dcs.vn/tin/1") == "kt"
    assert matcher.match("https://dakha.kontum.dcs.vn/tin/1") == "dh"
    assert matcher.match("https://m.kontum.dcs.vn/tin/1") == "kt"
    assert matcher.match("https://dcs.vn/") is None


def test_not_a_warc_is_one_clear_error(tmp_path):
    bogus = tmp_path / "page.html"
    bogus.write_text("<html><body>not an archive</body></html>", encoding="utf-8")
    with pytest.raises(WarcError, match="not a readable WARC"):
        check_warc(bogus)
    with pytest.raises(WarcError, match="not found"):
        check_warc(tmp_path / "missing.warc.gz")
    for args in (["import-warc", str(bogus)], ["import-warc", str(tmp_path / "missing.warc")]):
        result = portal_etl(*args, "--db", str(tmp_path / "a.duckdb"))
        assert result.returncode == 2, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in result.stderr
    assert not (tmp_path / "a.duckdb").exists()  # nothing was staged or merged


def test_damaged_warc_imports_what_it_can_and_says_so(tmp_path, samples):
    sites, registry = samples
    pages = raw_pages(sites["sample-haugiang"], kinds=("article",))[:2]
    warc = tmp_path / "cut.warc.gz"
    write_capture_warc(warc, [(p.url, "2021-01-01T00:00:00Z", 200, "text/html; charset=utf-8", p.body, False)
                              for p in pages])
    data = warc.read_bytes()
    warc.write_bytes(data[: len(data) - 200])  # the last record's gzip member is cut
    report = import_warcs([warc], registry, tmp_path / "a.duckdb", tmp_path / "staging")
    assert report.damaged and report.per_portal["sample-haugiang"] >= 1


def test_cli_import_and_export(tmp_path, crawled, samples):
    _, registry = samples
    portals = write_registry(tmp_path / "portals.toml", registry)
    out = tmp_path / "all.warc.gz"
    result = portal_etl("export-warc", str(out), "--db", str(crawled))
    assert result.returncode == 0, result.stderr
    assert "response record(s)" in result.stdout
    fresh = tmp_path / "fresh.duckdb"
    result = portal_etl("import-warc", str(out), "--portals-file", str(portals), "--db", str(fresh))
    assert result.returncode == 0, result.stderr
    assert "28 article(s) (28 new, 0 updated)" in result.stdout
    assert "out.warc.gz" not in result.stderr and "all.warc.gz" in result.stderr  # progress lines
    again = portal_etl("import-warc", str(out), "--portals-file", str(portals), "--db", str(fresh))
    assert "(0 new, 0 updated)" in again.stdout
    unknown = portal_etl("import-warc", str(out), "--portal", "nope", "--portals-file", str(portals),
                         "--db", str(fresh))
    assert unknown.returncode == 2 and unknown.stderr.startswith("error:") and "nope" in unknown.stderr
