"""Duplicate articles across portals: exact and near-duplicate texts, recorded as ``articles.duplicate_of``.

Party portals re-publish each other's news (a provincial article copied by every district portal, a central
article by every province), usually with another byline, another photo caption or a changed sentence.
Each article is fingerprinted once, when it is merged (and again when its content changes):

* its text is folded (``text_norm``: one tone-mark placement, lower case, words only) into syllables;
* **exact** duplicates share ``text_hash`` = sha1 of those syllables;
* **near** duplicates: the set of 3-syllable shingles gets a 128-permutation MinHash (datasketch 2's
  ``affine32`` scheme, computed with numpy alone: ``minhash``), cut into
  32 LSH bands of 4 values; each band's hash is a row of ``article_lsh(article_id, band, bucket)``.  Two
  articles sharing a bucket in any band are candidates (probability 0.87 at Jaccard 0.5, 0.99 at 0.6, 0.23 at
  0.3), and a candidate pair is a duplicate when the *exact* Jaccard similarity of their shingle sets is at
  least ``NEAR_THRESHOLD`` (0.5).  Shingles are compared by their 32-bit hashes (the ones MinHash starts
  from, stored as ``article_fingerprint.shingle_hashes``), so verifying a pair never reads article text; two
  different shingles of one article share a hash with probability ~1e-5.  A candidate whose MinHash estimate
  (``article_fingerprint.minhash``, the 128-value signature) is below ``ESTIMATE_FLOOR`` (0.3) is not verified:
  a true pair is lost that way with probability ~3e-6.  Texts under ``MIN_WORDS`` (30) syllables are never matched (one-line photo
  news, "Đang cập nhật" placeholders).

Articles linked by matches form a group; the earliest copy (earliest ``published_at``, then ``first_seen_at``,
then ``article_id``) is the original and keeps ``duplicate_of`` NULL, every other member gets
``duplicate_of`` = the original's ``article_id`` and ``duplicate_score`` = its similarity to the original
(1.0 for the same text).  Unique articles are ``WHERE duplicate_of IS NULL``.

The per-article work (``fingerprint_row``: text hash, shingle hashes, LSH buckets) is done at extraction, in the
worker pool (``etl.transform``), and staged as the batch's ``fingerprints.parquet``.  ``update_duplicates`` runs
inside the loader's merge transaction.  It stores the staged fingerprints of the articles whose fingerprint is
missing or stale (``content_hash`` changed) with set-based SQL, fingerprints from their text only those the
batch did not stage (older batches, other schemes), walks their groups (old and new) through the LSH
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
# Identifies how staged fingerprints were computed (the manifest's "fingerprints"): a batch staged under other
# parameters is fingerprinted again at merge.
FINGERPRINT_SCHEME = (
    f"minhash-affine32-p{NUM_PERM}-b{BANDS}-s{SHINGLE_SIZE}-seed{MINHASH_SEED}-min{MIN_WORDS}-hashes-sig"
)
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


def similarity(text_a: str, text_b: str) -> float:
    """Jaccard similarity of two texts' 3-syllable shingles, compared by hash as the loader does (what
    ``NEAR_THRESHOLD`` is compared with; ``articles.duplicate_score``)."""
    import numpy as np

    return similarity_of(np.unique(shingle_hashes(shingles(syllables(text_a)))),
                         np.unique(shingle_hashes(shingles(syllables(text_b)))))


def _permutations():
    """The affine permutations (a, b) of datasketch's ``MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED,
    scheme="affine32")``, drawn the same way (``numpy.random.RandomState(seed)``; ``a`` odd)."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        import numpy as np

        gen = np.random.RandomState(MINHASH_SEED)
        a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
        _PERMUTATIONS = (a, b)
    return _PERMUTATIONS


_PERMUTATIONS = None
_SHA1 = hashlib.sha1


def shingle_hashes(shingle_set: set[str]):
    """The 32-bit hash of each shingle (``datasketch.hashfunc.sha1_hash32``: the first 4 bytes of its UTF-8
    sha1, little-endian), as a numpy ``uint32`` array in the set's order."""
    import numpy as np

    if not shingle_set:
        return np.zeros(0, dtype=np.uint32)
    sha1 = _SHA1
    return np.frombuffer(b"".join([sha1(s.encode("utf-8")).digest()[:4] for s in shingle_set]), dtype="<u4").astype(
        np.uint32
    )


def minhash(shingle_set: set[str], hashes=None):
    """128 MinHash values (uint32) of a shingle set, exactly as datasketch 2's ``MinHash.update_batch`` with
    ``scheme="affine32"`` computes them (``datasketch.hashfunc.sha1_hash32`` of each UTF-8 shingle, the
    MurmurHash3 32-bit finaliser, then ``a * h + b`` mod 2**32, minimum per permutation), in numpy alone:
    no ``import datasketch`` (which pulls in scipy, ~2.5 s) in the extraction workers or the loader.
    ``hashes``: the set's ``shingle_hashes``, when already computed."""
    import numpy as np

    a, b = _permutations()
    if not shingle_set:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    hv = shingle_hashes(shingle_set) if hashes is None else hashes
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    return (hv[:, None] * a + b).min(axis=0)


def buckets_of(values) -> list[int]:
    """LSH bucket per band (signed 64-bit) of one signature: blake2b-64 of the band's 4 values as ``<u8``."""
    rows = values.astype("<u8").reshape(BANDS, ROWS)
    blake2b = hashlib.blake2b
    return [int.from_bytes(blake2b(row.tobytes(), digest_size=8).digest(), "little", signed=True) for row in rows]


def band_buckets(shingle_sets: list[set[str]]) -> list[list[int]]:
    """LSH bucket per band (signed 64-bit) for each shingle set (the values stored in ``article_lsh``)."""
    return [buckets_of(minhash(sh)) for sh in shingle_sets]


def fingerprint_row(article_id: str, content_hash: str, text: str) -> dict:
    """What ``update_duplicates`` would compute for an article when it is merged, computed at extraction
    (``etl.transform``) and staged as the batch's ``fingerprints`` table: the merge then only joins it in SQL.
    ``buckets``, ``shingle_hashes`` (sorted, distinct) and ``minhash`` (the 128-value signature) are NULL for
    texts too short to compare (``text_hash`` NULL)."""
    words = syllables(text)
    digest = text_hash(words)
    shingle_set = shingles(words)
    row = {"article_id": article_id, "content_hash": content_hash, "text_hash": digest,
           "shingles": len(shingle_set), "buckets": None, "shingle_hashes": None, "minhash": None}
    if digest is not None:
        hashes = shingle_hashes(shingle_set)
        signature = minhash(shingle_set, hashes)
        row["buckets"] = buckets_of(signature)
        row["shingle_hashes"] = _distinct_sorted(hashes)
        row["minhash"] = signature.tolist()
    return row


def _distinct_sorted(hashes) -> list[int]:
    import numpy as np

    return np.unique(hashes).tolist()


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


def _fingerprint(con: duckdb.DuckDBPyConnection, ids: list[str]) -> int:
    """(Re)compute the fingerprint and LSH rows of ``ids`` from their current text (articles whose batch did
    not stage them: older batches, another scheme, ``update_duplicates`` called on its own)."""
    done = 0
    for chunk in _chunks(ids):
        chosen = _ids(con, "dedupe_chunk", chunk)
        rows = con.execute(f"SELECT article_id, content_hash, text FROM articles WHERE article_id IN {chosen}").fetchall()
        prints = [fingerprint_row(article_id, content_hash, text) for article_id, content_hash, text in rows]
        con.execute(f"DELETE FROM article_fingerprint WHERE article_id IN {chosen}")
        con.execute(f"DELETE FROM article_lsh WHERE article_id IN {chosen}")
        temp_table(con, "dedupe_fp", {"article_id": "VARCHAR", "content_hash": "VARCHAR", "text_hash": "VARCHAR",
                                      "shingles": "INTEGER", "shingle_hashes": "UINTEGER[]", "minhash": "UINTEGER[]"},
                   ((f["article_id"], f["content_hash"], f["text_hash"], f["shingles"],
                     _list_literal(f["shingle_hashes"]), _list_literal(f["minhash"])) for f in prints))
        con.execute("INSERT INTO article_fingerprint (article_id, content_hash, text_hash, shingles, shingle_hashes, "
                    "minhash) SELECT * FROM dedupe_fp")
        temp_table(con, "dedupe_lsh", {"article_id": "VARCHAR", "band": "SMALLINT", "bucket": "BIGINT"},
                   ((f["article_id"], band, value) for f in prints if f["buckets"] is not None
                    for band, value in enumerate(f["buckets"])))
        con.execute("INSERT INTO article_lsh SELECT * FROM dedupe_lsh")
        done += len(rows)
    for table in ("dedupe_chunk", "dedupe_fp", "dedupe_lsh"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return done


def _list_literal(values: list[int] | None) -> str | None:
    return None if values is None else "[" + ",".join(map(str, values)) + "]"


# Work per new article is bounded: of the articles sharing an LSH bucket with it, only the ones sharing the
# most buckets are verified (an article re-published on every provincial portal has < 100 copies; a corpus of
# templated notices or recombined sentences would otherwise make verification quadratic).
MAX_NEAR_CANDIDATES = 100


def _candidates(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[tuple[str, str, bool, int, int]]:
    """(a, b, same_text, shingles of a, shingles of b) for every article b sharing a text hash with some a in
    ``ids`` (a chunk: ``_verified_edges`` bounds it), and for the ``MAX_NEAR_CANDIDATES`` articles sharing the
    most LSH buckets with it."""
    _ids(con, "dedupe_seed", ids)
    out = con.execute(
        f"""
        WITH seed AS (SELECT article_id FROM dedupe_seed),
        exact AS (
            SELECT s.article_id AS a, f.article_id AS b
            FROM seed JOIN article_fingerprint s USING (article_id)
            JOIN article_fingerprint f ON f.text_hash = s.text_hash AND f.article_id <> s.article_id
        ),
        near AS (
            SELECT s.article_id AS a, l.article_id AS b
            FROM seed JOIN article_lsh s USING (article_id)
            JOIN article_lsh l ON l.band = s.band AND l.bucket = s.bucket AND l.article_id <> s.article_id
            GROUP BY 1, 2
            QUALIFY row_number() OVER (PARTITION BY a ORDER BY count(*) DESC, b) <= {MAX_NEAR_CANDIDATES}
        )
        SELECT p.a, p.b, p.is_exact, fa.shingles, fb.shingles FROM (
            SELECT a, b, bool_or(is_exact) AS is_exact FROM (
                SELECT a, b, true AS is_exact FROM exact UNION ALL SELECT a, b, false FROM near
            ) GROUP BY a, b
        ) p JOIN article_fingerprint fa ON fa.article_id = p.a JOIN article_fingerprint fb ON fb.article_id = p.b
        ORDER BY p.a, p.b
        """
    ).fetchall()
    con.execute("DROP TABLE IF EXISTS dedupe_seed")
    return out


class _Shingles:
    """Shingle hashes and MinHash signatures read from ``article_fingerprint`` on demand (never the text), as
    numpy arrays (``fetchnumpy``: no Python object per value)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.cache: dict = {}  # article_id -> sorted uint32 array of its shingle hashes

    def _read(self, column: str, ids: Iterable[str]) -> dict:
        out: dict = {}
        for chunk in _chunks(sorted(set(ids)), 10 * _CHUNK):
            chosen = _ids(self.con, "dedupe_texts", chunk)
            got = self.con.execute(
                f"SELECT article_id, {column} AS v FROM article_fingerprint WHERE article_id IN {chosen} "
                f"AND {column} IS NOT NULL"
            ).fetchnumpy()
            out.update(zip(got["article_id"].tolist(), got["v"]))
        return out

    def load(self, ids: Iterable[str]) -> None:
        self.cache.update(self._read("shingle_hashes", (i for i in ids if i not in self.cache)))

    def signatures(self, ids: Iterable[str]) -> dict:
        return self._read("minhash", ids)

    def get(self, article_id: str):
        import numpy as np

        if article_id not in self.cache:
            self.load([article_id])
        return self.cache.get(article_id, np.zeros(0, dtype=np.uint32))

    def forget(self) -> None:
        self.cache = {}


def similarity_of(a, b) -> float:
    """Jaccard similarity of two sorted, distinct uint32 arrays of shingle hashes."""
    import numpy as np

    if not len(a) and not len(b):
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    at = np.searchsorted(b, a)
    inter = int(np.count_nonzero(b[np.minimum(at, len(b) - 1)] == a)) if len(b) else 0
    return inter / (len(a) + len(b) - inter)


# A candidate pair whose MinHash estimate of Jaccard similarity is below this is not verified exactly: with 128
# permutations the estimate's standard deviation is at most 0.045, so a pair at the threshold (0.5) falls below
# 0.3 with probability ~3e-6 (less above it), while the many chance candidates of a large archive (shared
# stock phrases, similarity 0.05-0.2) are dropped at the cost of comparing 128 numbers.
ESTIMATE_FLOOR = NEAR_THRESHOLD - 0.2


def _verified_edges(con: duckdb.DuckDBPyConnection, ids: list[str], texts: _Shingles) -> list[tuple[str, str, float]]:
    """The duplicate edges (a, b, similarity) of the articles ``ids``, a chunk of them at a time (memory stays
    bounded by the chunk's candidates, whatever the archive's size)."""
    edges = []
    step = set(ids)
    for chunk in _chunks(ids, _CHUNK):
        near: list[tuple[str, str]] = []
        for a, b, same, size_a, size_b in _candidates(con, chunk):
            if same:
                edges.append((a, b, 1.0))
            elif b in step and b < a:
                continue  # sharing a bucket is symmetric: this pair is also a candidate of b, verified there
            # |A ∩ B| / |A ∪ B| <= min(|A|, |B|) / max(|A|, |B|): a pair of very different lengths cannot reach
            # the threshold, so it need not be read (the result is the same as verifying it).
            elif min(size_a, size_b) / max(size_a, size_b, 1) >= NEAR_THRESHOLD:
                near.append((a, b))
        edges.extend(_verify(near, texts))
    return edges


# Candidate pairs whose MinHash estimate is computed at a time (two 128-value rows per pair: ~6 MB a step).
_ESTIMATE_STEP = 25_000


def _verify(near: list[tuple[str, str]], texts: _Shingles) -> list[tuple[str, str, float]]:
    import numpy as np

    if not near:
        return []
    signatures = texts.signatures(x for pair in near for x in pair)
    ids = list(signatures)
    row = {article_id: i for i, article_id in enumerate(ids)}
    # one row per article (the last row, zeros, for an article without a signature): pairs index into it
    matrix = np.zeros((len(ids) + 1, NUM_PERM), dtype=np.uint32)
    if ids:
        matrix[:-1] = np.stack([signatures[i] for i in ids])
    del signatures
    missing = len(ids)
    left = np.fromiter((row.get(a, missing) for a, _ in near), dtype=np.int64, count=len(near))
    right = np.fromiter((row.get(b, missing) for _, b in near), dtype=np.int64, count=len(near))
    likely_at: list = []
    for start in range(0, len(near), _ESTIMATE_STEP):
        step = slice(start, start + _ESTIMATE_STEP)
        estimate = (matrix[left[step]] == matrix[right[step]]).mean(axis=1)
        likely_at.append(np.flatnonzero(estimate >= ESTIMATE_FLOOR) + start)
    likely = [near[i] for i in np.concatenate(likely_at).tolist()]
    del matrix, left, right
    edges = []
    texts.load(x for pair in likely for x in pair)
    for a, b in likely:
        score = similarity_of(texts.get(a), texts.get(b))
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


def _load_staged(con: duckdb.DuckDBPyConnection, changed: list[str], staged: str) -> set[str]:
    """Store the staged fingerprints (``fingerprint_row``, read from the SQL relation ``staged``) of the changed
    articles whose ``content_hash`` they were computed from is the archived one: set-based, no Python per row.
    Returns their ids; the other changed articles are fingerprinted from their text (``_fingerprint``)."""
    _ids(con, "dedupe_changed_all", changed)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dedupe_staged AS
        SELECT f.article_id, f.content_hash, f.text_hash, f.shingles, f.buckets, f.shingle_hashes, f.minhash
        FROM {staged} f JOIN articles a ON a.article_id = f.article_id AND a.content_hash = f.content_hash
        WHERE f.article_id IN (SELECT article_id FROM dedupe_changed_all)
          AND CASE WHEN f.text_hash IS NULL THEN f.buckets IS NULL
                   ELSE len(f.buckets) = {BANDS} AND f.shingle_hashes IS NOT NULL AND len(f.minhash) = {NUM_PERM} END
        QUALIFY row_number() OVER (PARTITION BY f.article_id) = 1
        """
    )
    con.execute("DELETE FROM article_fingerprint WHERE article_id IN (SELECT article_id FROM dedupe_staged)")
    con.execute("DELETE FROM article_lsh WHERE article_id IN (SELECT article_id FROM dedupe_staged)")
    con.execute("INSERT INTO article_fingerprint (article_id, content_hash, text_hash, shingles, shingle_hashes, minhash) "
                "SELECT article_id, content_hash, text_hash, shingles, shingle_hashes, minhash FROM dedupe_staged")
    con.execute(
        "INSERT INTO article_lsh SELECT article_id, CAST(generate_subscripts(buckets, 1) - 1 AS SMALLINT), "
        "unnest(buckets) FROM dedupe_staged WHERE buckets IS NOT NULL"
    )
    done = {r[0] for r in con.execute("SELECT article_id FROM dedupe_staged").fetchall()}
    for table in ("dedupe_changed_all", "dedupe_staged"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return done


def update_duplicates(
    con: duckdb.DuckDBPyConnection, article_ids: list[str] | None = None, staged: str | None = None
) -> DedupeStats:
    """Fingerprint new and changed articles and rewrite ``duplicate_of`` for every group they were or are in.

    ``article_ids`` (default: every article whose fingerprint is missing or stale) are the changed articles.
    ``staged``: a SQL relation of fingerprint rows computed at extraction (``fingerprint_row``; the loader
    passes the batch's ``fingerprints.parquet``); changed articles without a matching row there are
    fingerprinted from their text here.  Runs in the caller's transaction; idempotent.
    """
    started = time.perf_counter()
    stats = DedupeStats()
    changed = sorted(set(_stale(con)) | set(article_ids or ()))
    if not changed:
        return stats
    from_staged = _load_staged(con, changed, staged) if staged else set()
    rest = [i for i in changed if i not in from_staged]
    stats.fingerprinted = _fingerprint(con, rest) + len(from_staged)
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
    texts = _Shingles(con)
    visited = set(seeds)
    frontier = sorted(seeds)
    edges: list[tuple[str, str, float]] = []
    while frontier:
        found = _verified_edges(con, frontier, texts)
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
                    score = similarity_of(texts.get(member), texts.get(root))
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
