"""Duplicate detection at archive scale: fingerprinting a legacy archive, and the per-merge cost.

    .venv/bin/python benchmarks/dedupe_speed.py [--archive 100000] [--batch 1000] [--db FILE]

Builds a synthetic archive of ``--archive`` articles (~300-syllable texts drawn from the sample portals'
vocabulary, 5 % of them re-published copies with a changed sentence), fingerprints it as the first merge after
migration 4 would, then times ``update_duplicates`` for batches of ``--batch`` new articles (10 % copies of
archived ones) against it, as the loader runs it inside a merge.  Prints the timings.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from etl.dedupe import syllables, update_duplicates  # noqa: E402
from etl.samples.content import load_articles  # noqa: E402
from etl.store.loader import open_archive  # noqa: E402


def vocabulary() -> list[str]:
    words: set[str] = set()
    for item in load_articles():
        words.update(syllables(" ".join(item.paragraphs)))
    return sorted(words)


def make_text(rng: random.Random, vocab: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(12, 20)):
        sentences.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(12, 25))) + ".")
    return "\n".join(sentences)


def variant(rng: random.Random, vocab: list[str], text: str) -> str:
    lines = text.split("\n")
    lines[rng.randrange(len(lines))] = " ".join(rng.choice(vocab) for _ in range(18)) + "."
    return "\n".join(lines + ["Ảnh: Phóng viên"])


def insert(con, rows: list[tuple]) -> None:
    cols = list(zip(*rows))
    con.execute(
        """
        INSERT INTO articles (article_id, portal, url, title, published_at, text, text_norm, word_count, content_hash,
                              first_seen_at, updated_at)
        SELECT id, 'p' || (hash(id) % 60), 'http://x/' || id, 't', pub, txt, txt, 300, id, seen, seen
        FROM (SELECT unnest(?) AS id, unnest(?) AS txt, unnest(?)::TIMESTAMP AS pub, unnest(?)::TIMESTAMPTZ AS seen)
        """,
        [list(cols[0]), list(cols[1]), list(cols[2]), list(cols[3])],
    )


def timed_update(con):
    """``update_duplicates`` in its own transaction, as the loader runs it in a merge: (stats, seconds)."""
    t0 = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    stats = update_duplicates(con)
    con.execute("COMMIT")
    return stats, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archive", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(7)
    vocab = vocabulary()
    db = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"
    con = open_archive(db)
    start = datetime(2015, 1, 1)
    seen = datetime(2024, 1, 1, tzinfo=UTC)
    texts: list[str] = []
    rows = []
    for i in range(args.archive):
        text = variant(rng, vocab, rng.choice(texts)) if texts and rng.random() < 0.05 else make_text(rng, vocab)
        texts.append(text)
        rows.append((f"a{i:07d}", text, start + timedelta(hours=i), seen + timedelta(seconds=i)))
        if len(rows) == 10_000:
            insert(con, rows)
            rows = []
    if rows:
        insert(con, rows)
    stats, full = timed_update(con)
    print(f"legacy archive of {args.archive} articles fingerprinted and grouped in {full:.1f}s "
          f"({full / args.archive * 1000:.2f}s per 1,000): {stats.groups} groups, {stats.duplicates} duplicates")
    for b in range(args.batches):
        rows = []
        for i in range(args.batch):
            text = variant(rng, vocab, rng.choice(texts)) if rng.random() < 0.10 else make_text(rng, vocab)
            rows.append((f"n{b}-{i:05d}", text, start + timedelta(hours=args.archive + i), seen + timedelta(days=30)))
        insert(con, rows)
        stats, took = timed_update(con)
        print(f"batch {b + 1}: {args.batch} new articles against {args.archive + b * args.batch}: {took:.2f}s "
              f"({stats.duplicates} duplicates in {stats.groups} groups)")
    con.close()


if __name__ == "__main__":
    main()
