"""Duplicate articles across portals: exact and near-duplicate texts, recorded as ``articles.duplicate_of``.

Party portals re-publish each other's news (a provincial article copied by every district portal, a central
article by every province), usually with another byline, another photo caption or a changed sentence.
Each article is fingerprinted once, when it is merged (and again when its content changes):

* its text is folded (``text_norm``: one tone-mark placement, lower case, words only) into syllables;
* **exact** duplicates share ``text_hash`` = sha1 of those syllables;
* **near** duplicates: the set of 3-syllable shingles gets a 128-permutation MinHash (``datasketch``), cut into
  32 LSH bands of 4 values; each band's hash is a row of ``article_lsh(article_id, band, bucket)``.  Two
  articles sharing a bucket in any band are candidates (probability 0.87 at Jaccard 0.5, 0.99 at 0.6, 0.23 at
  0.3), and a candidate pair is a duplicate when the *exact* Jaccard similarity of their shingle sets is at
  least ``NEAR_THRESHOLD`` (0.5).  Texts under ``MIN_WORDS`` (30) syllables are never matched (one-line photo
  news, "Đang cập nhật" placeholders).

Articles linked by matches form a group; the earliest copy (earliest ``published_at``, then ``first_seen_at``,
then ``article_id``) is the original and keeps ``duplicate_of`` NULL, every other member gets
``duplicate_of`` = the original's ``article_id`` and ``duplicate_score`` = its similarity to the original
(1.0 for the same text).  Unique articles are ``WHERE duplicate_of IS NULL``.

``update_duplicates`` runs inside the loader's merge transaction.  It fingerprints exactly the articles whose
fingerprint is missing or stale (``content_hash`` changed), walks their groups (old and new) through the LSH
table with one SQL join per step, and rewrites ``duplicate_of`` for those groups only: the result equals a
full recomputation, and merging the same data again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb

from etl.normalise.text import normalise_tone_marks

log = logging.getLogger(__name__)

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4
SHINGLE_SIZE = 3  # syllables per shingle (Vietnamese words are one to three syllables)
NEAR_THRESHOLD = 0.5  # exact Jaccard of shingle sets at or above which two texts are one article
MIN_WORDS = 30  # shorter texts are never matched
MINHASH_SEED = 1
_CHUNK = 2000  # articles fingerprinted / pairs verified at a time

_WORD_RE = re.compile(r"\w+")


@dataclass
class DedupeStats:
    fingerprinted: int = 0
    groups: int = 0  # groups (of two or more) touched
    duplicates: int = 0  # articles in those groups marked duplicate_of
    changed: int = 0  # article rows whose duplicate_of/duplicate_score changed
    seconds: float = 0.0


def syllables(text: str) -> list[str]:
    return _WORD_RE.findall(normalise_tone_marks(text or "").lower())


def text_hash(words: list[str]) -> str | None:
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def shingles(words: list[str]) -> set[str]:
    if len(words) < SHINGLE_SIZE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(text_a: str, text_b: str) -> float:
    """Jaccard similarity of two texts' 3-syllable shingles (what ``NEAR_THRESHOLD`` is compared with)."""
    return jaccard(shingles(syllables(text_a)), shingles(syllables(text_b)))


def band_buckets(shingle_sets: list[set[str]]) -> list[list[int]]:
    """LSH bucket per band (signed 64-bit) for each shingle set, via datasketch MinHash."""
    if not shingle_sets:
        return []
    from datasketch import MinHash

    minhashes = MinHash.bulk(
        ([s.encode("utf-8") for s in sorted(sh)] for sh in shingle_sets),
        num_perm=NUM_PERM, seed=MINHASH_SEED, scheme="affine32",  # datasketch >= 2.0: stored buckets depend on it
    )
    out = []
    for mh in minhashes:
        values = mh.hashvalues.astype("<u8").reshape(BANDS, ROWS)
        out.append([
            int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=8).digest(), "little", signed=True)
            for row in values
        ])
    return out


def temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: Iterable[tuple]) -> None:
    """``CREATE OR REPLACE TEMP TABLE name`` holding ``rows``, loaded through a CSV file.

    (DuckDB's Python client converts list parameters element by element, ~0.2 ms each without pandas: a
    file is thousands of times faster for the millions of LSH rows of a large archive.)
    """
    handle = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="")
    try:
        with handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM read_csv('{handle.name}', header = false, "
            f"columns = {spec}, quote = '\"', escape = '\"', nullstr = '', auto_detect = false)"
        )
    finally:
        os.unlink(handle.name)


def _ids(con: duckdb.DuckDBPyConnection, name: str, ids: Iterable[str]) -> str:
    temp_table(con, name, {"article_id": "VARCHAR"}, ((i,) for i in ids))
    return f"(SELECT article_id FROM {name})"


def _chunks(items: list, size: int = _CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _fingerprint(con: duckdb.DuckDBPyConnection, ids: list[str], keep: dict[str, set[str]] | None = None) -> int:
    """(Re)compute fingerprint and LSH rows of ``ids`` from their current text (shingle sets into ``keep``)."""
    done = 0
    for chunk in _chunks(ids):
        chosen = _ids(con, "dedupe_chunk", chunk)
        rows = con.execute(f"SELECT article_id, content_hash, text FROM articles WHERE article_id IN {chosen}").fetchall()
        words = [syllables(text) for _, _, text in rows]
        hashes = [text_hash(w) for w in words]
        eligible = [i for i, h in enumerate(hashes) if h is not None]
        sets = [shingles(words[i]) for i in range(len(rows))]
        buckets = dict(zip(eligible, band_buckets([sets[i] for i in eligible])))
        if keep is not None:
            keep.update((r[0], sets[i]) for i, r in enumerate(rows))
        con.execute(f"DELETE FROM article_fingerprint WHERE article_id IN {chosen}")
        con.execute(f"DELETE FROM article_lsh WHERE article_id IN {chosen}")
        temp_table(con, "dedupe_fp", {"article_id": "VARCHAR", "content_hash": "VARCHAR", "text_hash": "VARCHAR",
                                      "shingles": "INTEGER"},
                   ((r[0], r[1], hashes[i], len(sets[i])) for i, r in enumerate(rows)))
        con.execute("INSERT INTO article_fingerprint SELECT * FROM dedupe_fp")
        temp_table(con, "dedupe_lsh", {"article_id": "VARCHAR", "band": "SMALLINT", "bucket": "BIGINT"},
                   ((rows[i][0], band, value) for i, values in buckets.items() for band, value in enumerate(values)))
        con.execute("INSERT INTO article_lsh SELECT * FROM dedupe_lsh")
        done += len(rows)
    for table in ("dedupe_chunk", "dedupe_fp", "dedupe_lsh"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return done


def _candidates(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[tuple[str, str, bool]]:
    """(a, b, same_text) for every article b sharing a text hash or an LSH bucket with some a in ``ids``."""
    out: list[tuple[str, str, bool]] = []
    for chunk in _chunks(ids, 20_000):
        chosen = _ids(con, "dedupe_seed", chunk)
        out.extend(con.execute(
            f"""
            WITH seed AS (SELECT article_id FROM dedupe_seed),
            exact AS (
                SELECT s.article_id AS a, f.article_id AS b
                FROM seed JOIN article_fingerprint s USING (article_id)
                JOIN article_fingerprint f ON f.text_hash = s.text_hash AND f.article_id <> s.article_id
            ),
            near AS (
                SELECT DISTINCT s.article_id AS a, l.article_id AS b
                FROM seed JOIN article_lsh s USING (article_id)
                JOIN article_lsh l ON l.band = s.band AND l.bucket = s.bucket AND l.article_id <> s.article_id
            )
            SELECT a, b, bool_or(is_exact) FROM (
                SELECT a, b, true AS is_exact FROM exact UNION ALL SELECT a, b, false FROM near
            ) GROUP BY a, b ORDER BY a, b
            """
        ).fetchall())
        del chosen
    con.execute("DROP TABLE IF EXISTS dedupe_seed")
    return out


class _Texts:
    """Shingle sets read from ``articles`` on demand, a chunk at a time."""

    def __init__(self, con: duckdb.DuckDBPyConnection, pinned: dict[str, set[str]] | None = None) -> None:
        self.con = con
        self.pinned = pinned or {}  # the changed articles' sets, computed while fingerprinting
        self.cache: dict[str, set[str]] = dict(self.pinned)

    def load(self, ids: Iterable[str]) -> None:
        missing = sorted({i for i in ids if i not in self.cache})
        for chunk in _chunks(missing):
            chosen = _ids(self.con, "dedupe_texts", chunk)
            for article_id, text in self.con.execute(
                f"SELECT article_id, text FROM articles WHERE article_id IN {chosen}"
            ).fetchall():
                self.cache[article_id] = shingles(syllables(text))

    def get(self, article_id: str) -> set[str]:
        if article_id not in self.cache:
            self.load([article_id])
        return self.cache.get(article_id, set())

    def forget(self) -> None:
        self.cache = dict(self.pinned)


def _verified_edges(
    con: duckdb.DuckDBPyConnection, ids: list[str], texts: _Texts, near_seen: set[tuple[str, str]]
) -> list[tuple[str, str, float]]:
    edges = []
    near: list[tuple[str, str]] = []
    for a, b, same in _candidates(con, ids):
        if same:
            edges.append((a, b, 1.0))
        elif (b, a) not in near_seen:  # each unordered pair is verified once
            near_seen.add((a, b))
            near.append((a, b))
    for chunk in _chunks(near):
        texts.load(x for pair in chunk for x in pair)
        for a, b in chunk:
            score = jaccard(texts.get(a), texts.get(b))
            if score >= NEAR_THRESHOLD:
                edges.append((a, b, score))
        texts.forget()
    return edges


def _stale(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """
        SELECT a.article_id FROM articles a LEFT JOIN article_fingerprint f USING (article_id)
        WHERE f.article_id IS NULL OR f.content_hash <> a.content_hash
        ORDER BY 1
        """
    ).fetchall()
    return [r[0] for r in rows]


def update_duplicates(con: duckdb.DuckDBPyConnection, article_ids: list[str] | None = None) -> DedupeStats:
    """Fingerprint new and changed articles and rewrite ``duplicate_of`` for every group they were or are in.

    ``article_ids`` (default: every article whose fingerprint is missing or stale) are the changed articles.
    Runs in the caller's transaction; idempotent.
    """
    started = time.perf_counter()
    stats = DedupeStats()
    changed = sorted(set(_stale(con)) | set(article_ids or ()))
    if not changed:
        return stats
    pinned: dict[str, set[str]] | None = {} if len(changed) <= 5000 else None
    stats.fingerprinted = _fingerprint(con, changed, pinned)
    # Seeds: the changed articles and every member of the groups they belonged to.
    seeds = set(changed)
    for chunk in _chunks(changed, 20_000):
        chosen = _ids(con, "dedupe_changed", chunk)
        seeds.update(r[0] for r in con.execute(
            f"""
            WITH c AS (SELECT article_id, duplicate_of FROM articles WHERE article_id IN {chosen}),
            roots AS (SELECT coalesce(duplicate_of, article_id) AS root FROM c)
            SELECT article_id FROM articles WHERE duplicate_of IN (SELECT root FROM roots)
            UNION SELECT root FROM roots
            """
        ).fetchall())
    texts = _Texts(con, pinned)
    near_seen: set[tuple[str, str]] = set()
    visited = set(seeds)
    frontier = sorted(seeds)
    edges: list[tuple[str, str, float]] = []
    while frontier:
        found = _verified_edges(con, frontier, texts, near_seen)
        edges.extend(found)
        fresh = {b for _, b, _ in found if b not in visited}
        visited |= fresh
        frontier = sorted(fresh)

    parent = {node: node for node in visited}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    exact_pairs = set()
    for a, b, score in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        if score == 1.0:
            exact_pairs.add((min(a, b), max(a, b)))
    groups: dict[str, list[str]] = {}
    for node in visited:
        groups.setdefault(find(node), []).append(node)

    order: dict[str, tuple] = {}
    for chunk in _chunks(sorted(visited), 20_000):
        chosen = _ids(con, "dedupe_visited", chunk)
        for article_id, published_at, first_seen_at in con.execute(
            f"SELECT article_id, published_at, first_seen_at FROM articles WHERE article_id IN {chosen}"
        ).fetchall():
            order[article_id] = (published_at is None, published_at or 0, first_seen_at, article_id)

    result_ids: list[str] = []
    result_dup: list[str | None] = []
    result_score: list[float | None] = []
    big = [members for members in groups.values() if len(members) > 1]
    for chunk in _chunks(big, 500):
        texts.load(x for members in chunk for x in members)
        for members in chunk:
            present = [m for m in members if m in order]
            if not present:
                continue
            root = min(present, key=lambda m: order[m])
            stats.groups += 1
            for member in present:
                result_ids.append(member)
                if member == root:
                    result_dup.append(None)
                    result_score.append(None)
                    continue
                stats.duplicates += 1
                if (min(member, root), max(member, root)) in exact_pairs:
                    score = 1.0
                else:
                    score = jaccard(texts.get(member), texts.get(root))
                result_dup.append(root)
                result_score.append(round(score, 4))
        texts.forget()
    for members in groups.values():
        if len(members) == 1 and members[0] in order:
            result_ids.append(members[0])
            result_dup.append(None)
            result_score.append(None)
    if result_ids:
        temp_table(con, "dedupe_result", {"article_id": "VARCHAR", "duplicate_of": "VARCHAR", "score": "DOUBLE"},
                   zip(result_ids, result_dup, result_score))
        stats.changed = con.execute(
            """
            UPDATE articles SET duplicate_of = r.duplicate_of, duplicate_score = r.score
            FROM dedupe_result r
            WHERE articles.article_id = r.article_id
              AND (articles.duplicate_of IS DISTINCT FROM r.duplicate_of
                   OR articles.duplicate_score IS DISTINCT FROM r.score)
            """
        ).fetchone()[0]
        con.execute("DROP TABLE dedupe_result")
    for table in ("dedupe_changed", "dedupe_visited", "dedupe_texts"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    stats.seconds = time.perf_counter() - started
    log.info(
        "duplicates: %d article(s) fingerprinted, %d group(s) with %d duplicate(s), %d row(s) changed in %.2fs",
        stats.fingerprinted, stats.groups, stats.duplicates, stats.changed, stats.seconds,
    )
    return stats
