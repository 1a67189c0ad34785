"""Shared helpers for golden fixtures: load a fixture, run extraction, and turn the result into the same
shape as the expected JSON (used by the parametrised test, ``regenerate.py`` and ``measure.py``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from etl.extract import parse_page
from etl.portals.registry import Portal
from etl.records import PageResult, RawPage

GOLDEN_DIR = Path(__file__).parent
EXPECTED_KEYS = (
    "kind",
    "title",
    "published_at",
    "date_source",
    "author",
    "category",
    "dateline",
    "paragraphs",
    "images",
)


@dataclass
class Fixture:
    name: str
    html_path: Path
    json_path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.html_path.parent.name}/{self.name}"

    def raw_page(self) -> RawPage:
        spec = self.data["input"]
        return RawPage(
            url=spec["url"],
            portal=spec["portal"]["id"],
            fetched_at=datetime.fromisoformat(spec["fetched_at"]),
            status=200,
            content_type=spec.get("content_type") or "text/html",
            body=self.html_path.read_bytes(),
            category_hint=spec.get("category_hint"),
        )

    def portal(self) -> Portal:
        spec = self.data["input"]["portal"]
        return Portal(
            id=spec["id"],
            name=spec["name"],
            province=spec["province"],
            url=spec["url"],
            level=spec.get("level", "province"),
            platform=spec.get("platform", "generic"),
            article_url_pattern=spec.get("article_url_pattern"),
            selectors=spec.get("selectors", {}),
        )

    def run(self) -> PageResult:
        return parse_page(self.raw_page(), self.portal())


def load_fixtures() -> list[Fixture]:
    fixtures = []
    for html_path in sorted(GOLDEN_DIR.glob("*/*.html")):
        json_path = html_path.with_suffix(".json")
        if json_path.exists():
            data = json.loads(json_path.read_text(encoding="utf-8"))
            fixtures.append(Fixture(html_path.stem, html_path, json_path, data))
    return fixtures


def record_of(result: PageResult) -> dict[str, Any]:
    """The comparable part of a PageResult, shaped like the expected JSON."""
    record: dict[str, Any] = {"kind": result.kind}
    article = result.article
    if article is None:
        return record
    record.update(
        {
            "title": article.title,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "date_source": article.date_source,
            "author": article.author,
            "category": article.category,
            "dateline": article.dateline,
            "paragraphs": article.text.split("\n") if article.text else [],
            "images": [{"caption": image.caption, "credit": image.credit} for image in article.images],
        }
    )
    return record
