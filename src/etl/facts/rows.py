"""Rows of the ``doc_refs`` and ``people`` tables for one article (see ``etl.store.staging`` for the columns)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from etl.facts.docrefs import extract_doc_refs
from etl.facts.people import extract_people

log = logging.getLogger(__name__)


def doc_ref_rows(article_id: str, text: str, published_at: datetime | date | None = None) -> list[dict[str, Any]]:
    return [
        {
            "article_id": article_id,
            "position": i,
            "kind": ref.kind,
            "number": ref.number,
            "code": ref.code,
            "level": ref.level,
            "year": ref.year,
            "doc_date": ref.date.isoformat() if ref.date else None,
            "issuer": ref.issuer,
            "span": ref.span,
            "char_offset": ref.offset,
        }
        for i, ref in enumerate(extract_doc_refs(text or "", published_at))
    ]


def people_rows(article_id: str, text: str) -> list[dict[str, Any]]:
    return [
        {
            "article_id": article_id,
            "position": i,
            "name": person.name,
            "positions": list(person.positions),
            "span": person.span,
            "char_offset": person.offset,
        }
        for i, person in enumerate(extract_people(text or ""))
    ]


def fact_rows(
    article_id: str, text: str, published_at: datetime | date | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(doc_refs rows, people rows) of one article; a crash in the extractors yields no facts, never a lost batch."""
    try:
        return doc_ref_rows(article_id, text, published_at), people_rows(article_id, text)
    except Exception:  # pragma: no cover - defensive: facts are derived data, refresh_facts can redo them
        log.exception("fact extraction failed for article %s", article_id)
        return [], []
