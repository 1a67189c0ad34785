"""Measure body extraction on the golden fixtures: bare ``trafilatura.extract`` vs ``parse_page``.

Scoring follows the article-extraction-benchmark (see /work/shared/bench/README.md) plus plain token F1:
tokens are ``\\w+`` words; precision/recall are per document and averaged, F1 = 2PR/(P+R).  Shingle F1 uses
4-token shingles.  Run: ``python tests/golden/measure.py``.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).parent))

from golden import load_fixtures

from etl.extract import parse_page
from etl.extract.decode import DecodedPage, decode_page
from etl.portals.registry import Portal
from etl.records import RawPage

log = logging.getLogger("measure")
_TOKEN_RE = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


def shingles(words: list[str], size: int = 4) -> Counter:
    if len(words) < size:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def precision_recall(predicted: Counter, truth: Counter) -> tuple[float, float]:
    if not predicted and not truth:
        return 1.0, 1.0
    matched = sum((predicted & truth).values())
    precision = matched / sum(predicted.values()) if predicted else 0.0
    recall = matched / sum(truth.values()) if truth else 0.0
    return precision, recall


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _score(rows: list[tuple[float, float, float, float, str]]) -> str:
    n = len(rows)
    tp, tr, sp, sr = (sum(v[i] for v in rows) / n for i in range(4))
    return (
        f"n={n}  token P={tp:.3f} R={tr:.3f} F1={f1(tp, tr):.3f} | "
        f"shingle P={sp:.3f} R={sr:.3f} F1={f1(sp, sr):.3f}"
    )


def _row(text: str, truth_text: str, name: str) -> tuple[float, float, float, float, str]:
    tok_p, tok_r = precision_recall(Counter(tokens(text)), Counter(tokens(truth_text)))
    sh_p, sh_r = precision_recall(shingles(tokens(text)), shingles(tokens(truth_text)))
    return tok_p, tok_r, sh_p, sh_r, name


def _cases() -> list[tuple[str, RawPage, Portal | None, str]]:
    """(name, raw page, portal, gold text): golden fixtures, plus the sample portals' articles if present."""
    cases = []
    for fixture in load_fixtures():
        if fixture.data["kind"] == "article":
            cases.append(
                (
                    f"fixture:{fixture.id}",
                    fixture.raw_page(),
                    fixture.portal(),
                    "\n".join(fixture.data["paragraphs"]),
                )
            )
    try:
        from etl.samples.sites import build_sites
    except ImportError:  # the sample portals are another package's; measure without them
        return cases
    fetched = datetime(2025, 5, 22, 3, 0, tzinfo=UTC)
    for site_id, site in build_sites().items():
        portal = Portal(
            id=site_id,
            name=site.name,
            province="-",
            url="http://127.0.0.1/",
            level="sample",
            platform=site.platform,
        )
        for article in site.articles:
            response = site.handle(article.path)
            raw = RawPage(
                url="http://127.0.0.1" + article.path,
                portal=site_id,
                fetched_at=fetched,
                status=response.status,
                content_type=response.content_type,
                body=response.body,
            )
            cases.append((f"sample:{site_id}{article.path}", raw, portal, article.text))
    return cases


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for group in ("fixture", "sample"):
        cases = [c for c in _cases() if c[0].startswith(group)]
        if not cases:
            continue
        rows: dict[str, list] = {
            "trafilatura.extract": [],
            "parse_page generic": [],
            "parse_page platform": [],
        }
        timings = dict.fromkeys(rows, 0.0)
        for name, raw, portal, truth_text in cases:
            decoded = decode_page(raw)
            html = decoded.html if isinstance(decoded, DecodedPage) else ""
            for label, scored in rows.items():
                start = time.perf_counter()
                text = _run(label, html, raw, portal)
                timings[label] += time.perf_counter() - start
                scored.append(_row(text, truth_text, name))
        for label, values in rows.items():
            log.info(
                "%-8s %-20s %s | %.1f ms/page",
                group,
                label,
                _score(values),
                1000 * timings[label] / len(values),
            )
        for label in ("parse_page platform",):
            for tp, tr, _, _, name in sorted(rows[label], key=lambda v: f1(v[0], v[1]))[:3]:
                log.info("   lowest %s: %s P=%.3f R=%.3f", label, name[:90], tp, tr)


def _run(label: str, html: str, raw: RawPage, portal: Portal | None) -> str:
    if label == "trafilatura.extract":
        return trafilatura.extract(html, deduplicate=False) or ""
    return _text(parse_page(raw, None if label == "parse_page generic" else portal))


def _text(result) -> str:
    return result.article.text if result.article else ""


if __name__ == "__main__":
    main()
