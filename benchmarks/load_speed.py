"""Load rate: ``merge_batch`` alone (articles/s) and ``publish_snapshot`` separately, on staged synthetic batches.

    .venv/bin/python benchmarks/load_speed.py [--articles 20000] [--runs 3] [--json FILE]

Stages two batches of ``--articles`` synthetic articles each, the way extraction stages them
(``etl.store.staging.write_extracted``: pages with ~30 KB of HTML, articles, images, doc_refs/people from
``etl.facts.fact_rows`` and, when this version of the code stages them, the dedupe ``fingerprints``).  Texts are
built from the sentences of ``src/etl/samples/articles.json``: every sentence but a couple per article has its
words shuffled, so articles are not duplicates of each other; 5 % of the articles are near-copies (one sentence
replaced, a photo credit added) and 1 % exact copies of an earlier article (of the same batch or, in the
second batch, of the first).  Staging is not timed.

Each run opens a fresh archive, merges batch 1 (fresh archive), then batch 2 (an archive already holding
``--articles`` articles), timing each ``merge_batch`` and each ``publish_snapshot`` (file copy + FTS index)
separately.  Prints the medians over ``--runs`` and the duplicate counts (identical before and after an
optimisation when the results are).

``--stage-only``/``--batches DIR`` let one staged set be reused by two versions of the code (``PYTHONPATH``
pointing at the other ``src`` wins: this script only *appends* the repository's ``src`` to ``sys.path``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.append(str(REPO / "src"))

import etl  # noqa: E402
from etl.facts import fact_rows  # noqa: E402
from etl.normalise.text import normalise_tone_marks  # noqa: E402
from etl.samples.content import load_articles  # noqa: E402
from etl.store.loader import merge_batch, open_archive  # noqa: E402
from etl.store.snapshot import publish_snapshot  # noqa: E402
from etl.store.staging import CRAWL, Batch, new_batch, write_extracted  # noqa: E402
from etl.transform import article_id_for  # noqa: E402

try:  # staged fingerprints exist from this version on
    from etl.dedupe import FINGERPRINT_SCHEME, fingerprint_row  # noqa: E402
except ImportError:  # older code: batches without fingerprints
    FINGERPRINT_SCHEME = fingerprint_row = None

FETCHED = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
FURNITURE = "<nav>" + "".join(f'<a href="/chuyen-muc/{i}">Chuyên mục {i}</a>' for i in range(400)) + "</nav>"


def sentence_pool() -> tuple[list[str], list[str]]:
    sentences, credits = [], []
    for item in load_articles():
        for paragraph in item.paragraphs:
            for part in paragraph.replace("; ", ". ").split(". "):
                if len(part.split()) >= 6:
                    sentences.append(part.rstrip("."))
        credits.append(item.author or "Phóng viên")
    return sentences, credits


def make_text(rng: random.Random, pool: list[str]) -> str:
    lines = []
    keep = set(rng.sample(range(14), 2))  # two intact sentences (document references, names) per article
    for i in range(rng.randint(12, 18)):
        words = rng.choice(pool).split()
        if i not in keep:
            rng.shuffle(words)
        lines.append(" ".join(words) + ".")
    return "\n".join(lines)


def near_copy(rng: random.Random, pool: list[str], text: str, credit: str) -> str:
    lines = text.split("\n")
    words = rng.choice(pool).split()
    rng.shuffle(words)
    lines[rng.randrange(len(lines))] = " ".join(words) + "."
    return "\n".join(lines + [f"Ảnh: {credit}"])


def build_rows(rng: random.Random, n: int, prefix: str, earlier: list[str], pool: list[str], credits: list[str],
               fetched: datetime, batch_id: str) -> tuple[dict[str, list[dict]], list[str]]:
    tables: dict[str, list[dict]] = {t: [] for t in ("pages", "articles", "images", "doc_refs", "people", "fingerprints")}
    texts: list[str] = []
    published0 = datetime(2020, 1, 1) + timedelta(days=400 if prefix == "b" else 0)
    for i in range(n):
        roll = rng.random()
        source = earlier + texts
        if source and roll < 0.05:
            text = near_copy(rng, pool, rng.choice(source), rng.choice(credits))
        elif source and roll < 0.06:
            text = rng.choice(source)
        else:
            text = make_text(rng, pool)
        texts.append(text)
        portal = f"p{i % 40:02d}"
        url = f"https://{portal}.dcs.vn/tin-tuc/{prefix}-{i:06d}.html"
        article_id = article_id_for(url)
        published = published0 + timedelta(minutes=17 * i)
        content_hash = hashlib.sha1(f"{prefix}{i}\x1f{text}".encode()).hexdigest()
        row = {
            "article_id": article_id, "portal": portal, "province": "Kon Tum", "url": url,
            "title": text.split("\n")[0][:90], "published_at": published, "date_source": "visible",
            "author": rng.choice(credits), "category": "Tin tức", "dateline": None, "text": text,
            "text_norm": normalise_tone_marks(text), "word_count": len(text.split()),
            "content_hash": content_hash, "fetched_at": fetched,
        }
        tables["articles"].append(row)
        for k in range(rng.randint(0, 3)):
            tables["images"].append({"article_id": article_id, "position": k, "url": f"{url}/img{k}.jpg",
                                     "caption": "Quang cảnh hội nghị", "credit": None})
        docs, people = fact_rows(article_id, text, published)
        tables["doc_refs"].extend(docs)
        tables["people"].extend(people)
        if fingerprint_row is not None:
            tables["fingerprints"].append(fingerprint_row(article_id, content_hash, text))
        body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
        tables["pages"].append({
            "url": url, "portal": portal, "fetched_at": fetched, "status": 200, "content_type": "text/html",
            "charset": "utf-8", "html": f"<html><body>{FURNITURE}<article>{body}</article></body></html>",
            "etag": None, "last_modified": None, "error": None, "kind": "article", "is_article": True,
            "article_id": article_id, "batch_id": batch_id, "source": "crawl",
        })
    return tables, texts


def stage(root: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    pool, credits = sentence_pool()
    paths, earlier = [], []
    for number, prefix in enumerate(("a", "b")):
        fetched = FETCHED + timedelta(days=number)
        batch = new_batch(root, "bench", now=fetched)
        tables, texts = build_rows(rng, n, prefix, earlier, pool, credits, fetched, batch.id)
        earlier = texts
        manifest = {"batch_id": batch.id, "portal": "bench", "pages": n, "articles": n, "errors": 0,
                    "crawl": {"portal": "bench", "finish_reason": "finished"}, "facts": True}
        if fingerprint_row is not None:
            manifest["fingerprints"] = FINGERPRINT_SCHEME
        write_extracted(batch, tables, manifest)
        (batch.path / CRAWL).write_text(json.dumps(manifest["crawl"]), encoding="utf-8")
        paths.append(batch.path)
    return paths


def run_once(batches: list[Path], work: Path) -> dict:
    db = work / "bench.duckdb"
    for f in work.glob("bench*"):
        f.unlink()
    con = open_archive(db)
    out = {}
    try:
        for label, path in zip(("fresh", "existing"), batches):
            t0 = time.perf_counter()
            result = merge_batch(con, Batch(path))
            merged = time.perf_counter() - t0
            t0 = time.perf_counter()
            publish_snapshot(con, db)
            published = time.perf_counter() - t0
            out[label] = {"articles": result.articles_found, "merge_s": merged,
                          "articles_per_s": result.articles_found / merged, "publish_s": published}
        dup = con.execute("SELECT count(*) FILTER (WHERE duplicate_of IS NOT NULL), "
                          "count(*) FILTER (WHERE duplicate_score = 1.0), "
                          "hash(string_agg(article_id || ':' || coalesce(duplicate_of, '') || ':' || "
                          "coalesce(duplicate_score::VARCHAR, ''), ',' ORDER BY article_id)) FROM articles").fetchone()
        out["duplicates"] = {"near_or_exact": dup[0], "exact": dup[1], "result_hash": str(dup[2])}
        out["archive_articles"] = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", type=Path, default=None, help="reuse batches staged by --stage-only")
    parser.add_argument("--stage-only", type=Path, default=None, help="stage the two batches into DIR and stop")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="load-speed-"))
    try:
        if args.batches:
            batches = sorted(p for p in args.batches.iterdir() if p.is_dir())
        else:
            t0 = time.perf_counter()
            batches = stage(args.stage_only or work / "staging", args.articles)
            print(f"staged 2 × {args.articles} articles in {time.perf_counter() - t0:.1f}s "
                  f"(fingerprints staged: {fingerprint_row is not None})", flush=True)
            if args.stage_only:
                return
        runs = []
        for r in range(args.runs):
            runs.append(run_once(batches, work))
            print(f"run {r + 1}: " + json.dumps(runs[-1]), flush=True)
        summary = {"code": str(Path(etl.__file__).parent), "articles_per_batch": runs[0]["fresh"]["articles"],
                   "runs": runs}
        for label in ("fresh", "existing"):
            summary[label] = {key: statistics.median(run[label][key] for run in runs)
                              for key in ("merge_s", "articles_per_s", "publish_s")}
            print(f"{label:9s} archive: merge {summary[label]['merge_s']:.2f}s = "
                  f"{summary[label]['articles_per_s']:,.0f} articles/s; publish {summary[label]['publish_s']:.2f}s")
        print("duplicates:", runs[0]["duplicates"])
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
