"""The data behind the sample portals: articles, site specs and small binary assets.

``articles.json`` is the ground truth (what a perfect extractor returns for each article page);
``sites.json`` describes each sample portal (name, CMS family, categories).  Both ship with the package.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

# Every page shows this as "today" in its header (a date-extraction trap; fixed so output is deterministic).
SITE_TODAY = datetime(2025, 5, 22, 8, 0)


@dataclass(frozen=True)
class SampleImage:
    file: str  # file name as the editor uploaded it
    src: str  # URL path on the site
    caption: str
    credit: str | None
    after_paragraph: int  # the image is rendered after this body paragraph (0-based)


@dataclass(frozen=True)
class SampleArticle:
    site: str
    id: str
    path: str  # path (+ query) on the site: the article's URL-independent key
    title: str
    published_at: datetime | None  # naive, Vietnam local time
    date_precision: str | None  # "minute" or "day" (the page shows a date only)
    meta_published_time: bool  # the page has <meta property="article:published_time">
    author: str | None
    category: str
    dateline: str | None
    paragraphs: tuple[str, ...]
    images: tuple[SampleImage, ...]
    source_line: str | None  # "Nguồn tin: ..." shown on the page (not an author)
    attachment: bool  # the page links the site's PDF attachment
    views: int
    source: str  # "seed:NNN" (from /work/shared/seeds) or "synthetic"

    @property
    def printed_paragraphs(self) -> tuple[str, ...]:
        """The paragraphs as the page prints them: a dateline ("(LĐ online) - ") opens the first one.  The gold
        ``paragraphs``/``text`` are without it, since extraction separates the dateline from the text."""
        if not self.dateline or not self.paragraphs:
            return self.paragraphs
        return (f"({self.dateline}) - {self.paragraphs[0]}", *self.paragraphs[1:])

    @property
    def text(self) -> str:
        """The body as ``Article.text`` holds it: paragraphs joined by one newline."""
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    id: int | None = None


def _read_json(name: str) -> Any:
    return json.loads(resources.files("etl.samples").joinpath(name).read_text(encoding="utf-8"))


@cache
def load_articles() -> tuple[SampleArticle, ...]:
    """All sample articles, in file order (by site, then id)."""
    articles = []
    for raw in _read_json("articles.json"):
        images = tuple(SampleImage(**img) for img in raw.pop("images"))
        published = raw.pop("published_at")
        articles.append(
            SampleArticle(
                **{k: v for k, v in raw.items() if k != "paragraphs"},
                paragraphs=tuple(raw["paragraphs"]),
                images=images,
                published_at=datetime.fromisoformat(published) if published else None,
            )
        )
    return tuple(articles)


@cache
def load_site_specs() -> dict[str, dict[str, Any]]:
    """Site id -> spec (name, province, platform, categories, ...), in a stable order."""
    return _read_json("sites.json")


def vi_weekday_date(moment: datetime, with_time: bool = True) -> str:
    """'Thứ Ba, 05/05/2020 09:00' as DNN portals print it."""
    text = f"{WEEKDAYS_VI[moment.weekday()]}, {moment:%d/%m/%Y}"
    return f"{text} {moment:%H:%M}" if with_time else text


def _png_1x1(rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _jpeg_1x1_grey() -> bytes:
    """A valid baseline JPEG of one grey pixel (one 8x8 block, DC only), built by hand."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb\x00\x43\x00" + b"\x01" * 64
    sof0 = b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # a single 1-bit code for symbol 0
    dht = b"\xff\xc4\x00\x14\x00" + one_code + b"\xff\xc4\x00\x14\x10" + one_code
    sos = b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + dqt + sof0 + dht + sos + b"\x3f" + b"\xff\xd9"


PNG_BYTES = _png_1x1((178, 34, 34))
JPEG_BYTES = _jpeg_1x1_grey()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, ASCII text; the Vietnamese title sits in the Info dict)."""
    stream_lines = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        stream_lines.append(f"({_pdf_escape(line)}) Tj T*")
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("latin-1")
    title_hex = (b"\xfe\xff" + title.encode("utf-16-be")).hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title <" + title_hex.encode() + b"> /Producer (portal-etl samples) "
        b"/CreationDate (D:20240702090000+07'00') >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n".encode()
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)
