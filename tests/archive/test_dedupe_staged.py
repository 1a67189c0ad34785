"""Fingerprints staged at extraction give the same duplicates as fingerprints computed at merge."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from etl import dedupe
from etl.dedupe import band_buckets, fingerprint_row, shingles, syllables
from etl.store.loader import load_ready_batches
from etl.store.staging import new_batch, write_extracted
from tests.archive.helpers import crawl_samples, rows, sample_registry, sample_sites, stage_articles
from tests.archive.test_dedupe import FETCHED, article
from tests.archive.texts import ORIGINAL, REPUBLISHED, SAME_MEETING

RESULT = ("SELECT article_id, duplicate_of, duplicate_score FROM articles ORDER BY 1",
          "SELECT * FROM article_fingerprint ORDER BY 1",
          "SELECT * FROM article_lsh ORDER BY 1, 2")


def merge(db, staging, articles: list[dict], staged: bool) -> None:
    stage_articles(staging, articles, fingerprints=staged)
    load_ready_batches(db, staging)


def scenario(rng: random.Random) -> list[list[dict]]:
    """Batches of originals, exact and near copies, a short text, a changed article and an older capture."""
    day = datetime(2021, 3, 15, 8, 0)
    shuffled = ORIGINAL[:]
    rng.shuffle(shuffled)
    return [
        [article("a", "p1", ORIGINAL, day + timedelta(days=1)), article("s", "p1", ["Ảnh hội nghị."], day)],
        [article("b", "p2", REPUBLISHED, day + timedelta(days=2), author="Hồng Hạnh"),
         article("c", "p3", SAME_MEETING, day + timedelta(days=2)),
         article("d", "p4", ORIGINAL, day + timedelta(days=3)),
         article("e", "p5", shuffled, None)],
        # an earlier copy arrives late; "a" is corrected into another text; an older capture of "c" is ignored
        [article("z", "p6", [p.upper() for p in ORIGINAL], day),
         article("a", "p1", SAME_MEETING, day + timedelta(days=1), fetched=FETCHED + timedelta(days=1)),
         article("c", "p3", ORIGINAL, day + timedelta(days=2), fetched=FETCHED - timedelta(days=1))],
    ]


def test_staged_fingerprints_and_fingerprints_computed_at_merge_give_the_same_duplicates(tmp_path, monkeypatch):
    batches = scenario(random.Random(3))
    results = {}
    for staged in (False, True):
        db, staging = tmp_path / f"{staged}.duckdb", tmp_path / f"staging-{staged}"
        for number, batch in enumerate(batches):
            with monkeypatch.context() as m:
                if staged and number < 2:  # every article is fingerprinted from the batch: nothing computed here
                    m.setattr(dedupe, "band_buckets", lambda sets: pytest.fail(f"computed at merge: {len(sets)}"))
                merge(db, staging, batch, staged)
            results.setdefault(staged, []).append([rows(db, query) for query in RESULT])
    assert results[True] == results[False]
    final = dict((r[0], r[1:]) for r in results[True][-1][0])
    assert final["a"] == (None, None) and final["z"] == (None, None) and final["d"] == ("z", 1.0)
    assert final["b"][0] == "z" and final["c"] == ("a", 1.0) and final["s"] == (None, None)


def test_a_batch_staged_under_another_scheme_is_fingerprinted_at_merge(tmp_path):
    articles = [article("a", "p1", ORIGINAL, datetime(2021, 3, 15)), article("b", "p2", REPUBLISHED, None)]
    wrong = tmp_path / "wrong"
    batch = new_batch(wrong, "p1")
    bad = [{**fingerprint_row(a["article_id"], a["content_hash"], a["text"]), "buckets": [1] * 32} for a in articles]
    write_extracted(batch, {"articles": articles, "fingerprints": bad},
                    {"portal": "p1", "pages": 0, "crawl": {}, "fingerprints": "some-older-scheme"})
    load_ready_batches(tmp_path / "wrong.duckdb", wrong)
    merge(tmp_path / "ok.duckdb", tmp_path / "ok", articles, staged=False)
    for query in RESULT:
        assert rows(tmp_path / "wrong.duckdb", query) == rows(tmp_path / "ok.duckdb", query)


def test_extraction_stages_fingerprints_that_match_the_ones_computed_at_merge(tmp_path):
    sites = sample_sites()
    registry = sample_registry(sites)
    crawl_samples(tmp_path / "a.duckdb", registry, sites)
    stored = rows(tmp_path / "a.duckdb", RESULT[1]), rows(tmp_path / "a.duckdb", RESULT[2])
    assert len(stored[0]) > 10 and len(stored[1]) > 10 * 32
    # Recomputed from the stored texts, as a batch without staged fingerprints would be.
    texts = rows(tmp_path / "a.duckdb", "SELECT article_id, content_hash, text FROM articles ORDER BY 1")
    fresh = [fingerprint_row(*t) for t in texts]
    assert [(f["article_id"], f["content_hash"], f["text_hash"], f["shingles"], f["shingle_hashes"], f["minhash"])
            for f in fresh] == stored[0]
    assert sorted((f["article_id"], band, b) for f in fresh for band, b in enumerate(f["buckets"] or ())) \
        == stored[1]


def test_numpy_minhash_equals_datasketch_affine32():
    datasketch = pytest.importorskip("datasketch")
    import hashlib

    rng = random.Random(5)
    words = syllables(" ".join(ORIGINAL + REPUBLISHED + SAME_MEETING))
    sets = [shingles(words), set(), {"một"}, shingles(words[:40])]
    for _ in range(30):
        rng.shuffle(words)
        sets.append(shingles(words[: rng.randint(30, 400)]))
    expected = []
    for mh in datasketch.MinHash.bulk(([s.encode("utf-8") for s in sorted(sh)] for sh in sets),
                                      num_perm=dedupe.NUM_PERM, seed=dedupe.MINHASH_SEED, scheme="affine32"):
        values = mh.hashvalues.astype("<u8").reshape(dedupe.BANDS, dedupe.ROWS)
        expected.append([int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=8).digest(), "little", signed=True)
                         for row in values])
    assert band_buckets(sets) == expected
