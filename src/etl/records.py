"""The records that travel between stages.

A crawler produces ``RawPage`` records (one per fetched URL, errors included); extraction turns a raw page
into an ``Article`` or says why it is not one; the store loads both.  Every stage boundary is one of these
dataclasses, so each stage can be tested on its own with saved input.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class RawPage:
    """One fetch, as the crawler saw it.  ``body`` is the undecoded response body."""

    url: str
    portal: str
    fetched_at: datetime  # UTC, timezone-aware
    status: int | None  # HTTP status; None when no response arrived (DNS, timeout, refused)
    content_type: str | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # crawler-side error (timeout, 404, truncated, too large, ...)
    referer: str | None = None
    link_text: str | None = None  # anchor text of the link that led here
    category_hint: str | None = None  # name of the menu/listing the page was found through
    source: str = "crawl"  # "crawl" or "warc"

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["fetched_at"] = self.fetched_at.isoformat()
        data["body"] = base64.b64encode(self.body).decode("ascii")
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> RawPage:
        data = json.loads(line)
        data["fetched_at"] = datetime.fromisoformat(data["fetched_at"])
        data["body"] = base64.b64decode(data.get("body") or "")
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Image:
    url: str
    caption: str | None = None
    credit: str | None = None


@dataclass
class Article:
    """A clean article, ready to load.  ``text`` holds paragraphs separated by one newline, NFC."""

    url: str  # canonical URL
    portal: str
    title: str
    text: str
    published_at: datetime | None = None  # naive, Vietnam local time (Asia/Ho_Chi_Minh)
    date_source: str | None = None  # where published_at came from: "meta", "jsonld", "visible", ...
    author: str | None = None
    category: str | None = None
    dateline: str | None = None
    images: list[Image] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass
class PageResult:
    """What extraction made of one raw page.

    ``kind`` is "article", "listing", "other" (a contact page, gallery, attachment...) or "error".
    ``html`` is the decoded page (kept in ``pages.html``), ``charset`` the encoding it was decoded with.
    """

    kind: str
    html: str | None = None
    charset: str | None = None
    article: Article | None = None
    error: str | None = None
