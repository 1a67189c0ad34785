"""Extraction stage: a staged batch of raw pages in, READY Parquet tables out.

This is the bridge between ``etl.extract`` (one page → one record) and ``etl.store`` (tables): it walks a
batch, classifies and extracts every page, normalises the records into rows and writes them beside the raw
pages.  It is pure with respect to the archive: nothing here opens the database.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timezone
from typing import Any

from etl.extract import parse_page
from etl.facts import fact_rows
from etl.normalise.text import normalise_tone_marks
from etl.normalise.urls import portal_article_url
from etl.portals.registry import Portal, Registry
from etl.records import Article, PageResult, RawPage
from etl.store.staging import Batch, read_raw_pages, write_extracted

log = logging.getLogger(__name__)

NOT_MODIFIED = "not_modified"  # pages.kind of a 304 that had no stored copy to keep (normally it keeps its kind)


@dataclass
class TransformSummary:
    batch_id: str
    portal: str
    pages: int
    articles: int
    errors: int
    kinds: dict[str, int]


def article_id_for(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def content_hash(article: Article) -> str:
    published = article.published_at.isoformat() if article.published_at else ""
    payload = "\x1f".join([article.title, published, article.author or "", article.category or "", article.text])
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def page_row(raw: RawPage, result: PageResult, batch_id: str, article_id: str | None) -> dict[str, Any]:
    return {
        "url": raw.url,
        "portal": raw.portal,
        "fetched_at": raw.fetched_at.astimezone(timezone.utc),
        "status": raw.status,
        "content_type": raw.content_type,
        "charset": result.charset,
        "html": result.html,
        "etag": raw.etag,
        "last_modified": raw.last_modified,
        "error": result.error if result.kind == "error" else raw.error,
        "kind": result.kind,
        "is_article": result.kind == "article",
        "article_id": article_id,
        "batch_id": batch_id,
        "source": raw.source,
    }


def article_rows(article: Article, portal: Portal | None, raw: RawPage) -> tuple[dict[str, Any], list[dict]]:
    url = portal_article_url(article.url, portal.url if portal else None)  # print views, http/https, www., "/"
    article_id = article_id_for(url)
    row = {
        "article_id": article_id,
        "portal": raw.portal,
        "province": portal.province if portal else None,
        "url": url,
        "title": article.title,
        "published_at": article.published_at,
        "date_source": article.date_source,
        "author": article.author,
        "category": article.category,
        "dateline": article.dateline,
        "text": article.text,
        "text_norm": normalise_tone_marks(article.text),
        "word_count": article.word_count,
        "content_hash": content_hash(article),
        "fetched_at": raw.fetched_at.astimezone(timezone.utc),
    }
    images = [
        {"article_id": article_id, "position": i, "url": img.url, "caption": img.caption, "credit": img.credit}
        for i, img in enumerate(article.images)
    ]
    return row, images


def transform_batch(batch: Batch, registry: Registry | None) -> TransformSummary:
    """Extract every raw page of ``batch`` and write its READY tables.  Idempotent: rerunning rewrites them."""
    crawl = batch.crawl_info()
    portal_id = crawl.get("portal") or ""
    pages: dict[str, dict[str, Any]] = {}
    articles: dict[str, dict[str, Any]] = {}
    images: dict[str, list[dict[str, Any]]] = {}
    facts: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}  # doc_refs, people rows
    kinds: dict[str, int] = {}
    portals: dict[str, Portal | None] = {}
    for raw in read_raw_pages(batch):
        portal_id = portal_id or raw.portal
        if raw.portal not in portals:
            portals[raw.portal] = _lookup(registry, raw.portal)
        portal = portals[raw.portal]
        try:
            # 304: a conditional request found the archive's copy current; the loader keeps that copy.
            result = PageResult(kind=NOT_MODIFIED) if raw.status == 304 else parse_page(raw, portal)
        except Exception as exc:  # extraction must never lose the page: record it as an error
            log.exception("extraction crashed on %s", raw.url)
            result = PageResult(kind="error", error=f"extraction failed: {type(exc).__name__}: {exc}")
        article_id = None
        if result.kind == "article" and result.article is not None:
            row, imgs = article_rows(result.article, portal, raw)
            article_id = row["article_id"]
            articles[article_id] = row
            images[article_id] = imgs
            facts[article_id] = fact_rows(article_id, row["text"], row["published_at"])
        kinds[result.kind] = kinds.get(result.kind, 0) + 1
        pages[raw.url] = page_row(raw, result, batch.id, article_id)
    errors = sum(1 for row in pages.values() if row["kind"] == "error")
    manifest = {
        "batch_id": batch.id,
        "portal": portal_id,
        "crawl": crawl,
        "pages": len(pages),
        "articles": len(articles),
        "errors": errors,
        "kinds": kinds,
        "facts": True,  # doc_refs.parquet / people.parquet hold the facts of the staged articles
    }
    write_extracted(
        batch,
        {
            "pages": list(pages.values()),
            "articles": list(articles.values()),
            "images": [img for imgs in images.values() for img in imgs],
            "doc_refs": [row for docs, _ in facts.values() for row in docs],
            "people": [row for _, people in facts.values() for row in people],
        },
        manifest,
    )
    return TransformSummary(batch.id, portal_id, len(pages), len(articles), errors, kinds)


def _lookup(registry: Registry | None, portal_id: str) -> Portal | None:
    if registry is None:
        return None
    for portal in registry.portals:
        if portal.id == portal_id:
            return portal
    return None
