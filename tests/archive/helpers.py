"""Sample archives without a network: the sample portals' pages rendered in-process and staged as a crawl."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import duckdb

from etl.dedupe import FINGERPRINT_SCHEME, fingerprint_row
from etl.portals.registry import Portal, Registry, portals_to_toml
from etl.records import RawPage
from etl.samples.content import load_site_specs
from etl.samples.sites import build_sites
from etl.store.loader import load_ready_batches
from etl.store.staging import CRAWL, new_batch, write_extracted, write_raw_pages
from etl.transform import transform_batch

FETCHED = datetime(2025, 1, 10, 2, 30, 15, 123456, tzinfo=UTC)
ARTICLE_COLUMNS = ("article_id, portal, province, url, title, published_at, date_source, author, category, "
                   "dateline, text, text_norm, word_count, content_hash, first_seen_at, updated_at")


def sample_sites():
    return build_sites({site_id: f"http://{site_id}.sample.test" for site_id in load_site_specs()})


def sample_registry(sites=None) -> Registry:
    sites = sites or sample_sites()
    portals = []
    for site_id, site in sites.items():
        hints = site.registry_hints()
        portals.append(Portal(
            id=site_id, name=site.name, province=site.province, url=site.base_url + "/", level="sample",
            platform=site.platform, verified=True, listing_urls=tuple(hints.get("listing_urls", ())),
            feeds=tuple(hints.get("feeds", ())), sitemaps=tuple(hints.get("sitemaps", ())),
            article_url_pattern=hints.get("article_url_pattern"), selectors=dict(hints.get("selectors", {})),
        ))
    return Registry(tuple(portals), "<samples>")


def write_registry(path: Path, registry: Registry) -> Path:
    path.write_text(portals_to_toml(list(registry.portals)), encoding="utf-8")
    return path


def raw_pages(site, fetched: datetime = FETCHED, kinds: tuple[str, ...] | None = None) -> list[RawPage]:
    out = []
    step = 0
    for kind, paths in site.inventory().items():
        if kinds and kind not in kinds:
            continue
        for path in paths:
            response = site.handle(path)
            step += 1
            last_modified = response.last_modified_utc
            out.append(RawPage(
                url=site.url(path), portal=site.id, fetched_at=fetched + timedelta(seconds=step),
                status=response.status, content_type=response.content_type, body=response.body,
                etag=response.etag if response.validators else None,
                last_modified=format_datetime(last_modified.replace(tzinfo=UTC), usegmt=True)
                if last_modified and response.validators else None,
            ))
    return out


def stage_pages(staging: Path, portal: str, pages: list[RawPage], registry: Registry):
    batch = new_batch(staging, portal)
    write_raw_pages(batch, pages)
    (batch.path / CRAWL).write_text(f'{{"portal": "{portal}", "finish_reason": "finished"}}', encoding="utf-8")
    transform_batch(batch, registry)
    return batch


def crawl_samples(db: Path, registry: Registry, sites, fetched: datetime = FETCHED) -> None:
    """What a crawl of every sample portal would store, without a server."""
    staging = db.parent / "staging"
    for site_id, site in sites.items():
        stage_pages(staging, site_id, raw_pages(site, fetched), registry)
    load_ready_batches(db, staging)


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def stage_articles(staging: Path, articles: list[dict], fingerprints: bool = False) -> None:
    """Stage extracted ``articles`` (rows of ``etl.store.staging.ARTICLE_COLUMNS``) as one READY batch, each
    with a stub raw page; with ``fingerprints``, also the dedupe fingerprints extraction would stage."""
    portal = articles[0]["portal"]
    batch = new_batch(staging, portal)
    pages = [{
        "url": a["url"], "portal": a["portal"], "fetched_at": a["fetched_at"], "status": 200,
        "content_type": "text/html", "charset": "utf-8", "html": "<html></html>", "etag": None,
        "last_modified": None, "error": None, "kind": "article", "is_article": True,
        "article_id": a["article_id"], "batch_id": batch.id, "source": "crawl",
    } for a in articles]
    tables = {"pages": pages, "articles": articles, "images": []}
    manifest = {"portal": portal, "pages": len(pages), "articles": len(articles), "errors": 0,
                "crawl": {"portal": portal, "finish_reason": "finished"}}
    if fingerprints:
        tables["fingerprints"] = [fingerprint_row(a["article_id"], a["content_hash"], a["text"]) for a in articles]
        manifest["fingerprints"] = FINGERPRINT_SCHEME
    write_extracted(batch, tables, manifest)
