"""Search index cost and query latency on a synthetic archive (Vietnamese-like syllable text).

    .venv/bin/python benchmarks/search_latency.py [N_ARTICLES] [WORDS_PER_ARTICLE]

Builds an archive of N articles directly (no crawl), publishes the snapshot twice (without and with the
full-text index) and times a few searches, BM25 and the scan fallback.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from etl.analysis import search as search_mod
from etl.analysis.search import search
from etl.normalise.text import normalise_tone_marks
from etl.store.loader import open_archive
from etl.store.snapshot import publish_snapshot, snapshot_path

SYLLABLES = ("phòng chống dịch bệnh tỉnh ủy đảng bộ nghị quyết chỉ thị kết luận hội nghị ban chấp hành "
             "thường vụ công tác cán bộ đồng chí bí thư phó chủ tịch ủy ban nhân dân huyện xã kinh tế xã hội "
             "phát triển an ninh quốc phòng hoà thuỷ quý khánh thanh niên phụ nữ nông dân du lịch giáo dục "
             "y tế môi trường chuyển đổi số cải cách hành chính tham nhũng tiêu cực").split()


def main(n: int = 20000, words: int = 400) -> None:
    rng = random.Random(7)
    tmp = Path(tempfile.mkdtemp(prefix="search-bench-"))
    db = tmp / "bench.duckdb"
    con = open_archive(db)
    rows = []
    for i in range(n):
        text = " ".join(rng.choice(SYLLABLES) for _ in range(words))
        if i % 50 == 0:
            text += " Công tác phòng chống dịch Covid-19 theo Chỉ thị số 35-CT/TW."
        rows.append((f"{i:016x}", f"p{i % 30}", "Lâm Đồng", f"http://x/{i}", f"Tin {i} {rng.choice(SYLLABLES)}",
                     datetime(2015, 1, 1) + timedelta(hours=i * 5), text, normalise_tone_marks(text), words))
    con.execute("CREATE TEMP TABLE b (article_id VARCHAR, portal VARCHAR, province VARCHAR, url VARCHAR,"
                " title VARCHAR, published_at TIMESTAMP, text VARCHAR, text_norm VARCHAR, word_count INTEGER)")
    con.executemany("INSERT INTO b VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("INSERT INTO articles (article_id, portal, province, url, title, published_at, text, text_norm,"
                " word_count, content_hash, first_seen_at, updated_at) SELECT *, 'h', now(), now() FROM b")
    size_db = db.stat().st_size
    saved = search_mod.load_fts
    search_mod.load_fts = lambda c: None
    t = time.perf_counter()
    publish_snapshot(con, db)
    plain = time.perf_counter() - t
    plain_size = snapshot_path(db).stat().st_size
    search_mod.load_fts = saved
    t = time.perf_counter()
    publish_snapshot(con, db)
    indexed = time.perf_counter() - t
    con.close()
    print(f"{n} articles x {words} words: archive {size_db / 1e6:.0f} MB")
    print(f"publish without index {plain:.1f}s ({plain_size / 1e6:.0f} MB); with index {indexed:.1f}s "
          f"({snapshot_path(db).stat().st_size / 1e6:.0f} MB) -> index costs {indexed - plain:.1f}s")
    for query, fold in (("phòng chống dịch", False), ("phong chong dich", True), ("35-CT/TW", False),
                        ("bí thư tỉnh uỷ", False), ("hoa thuy", True)):
        timings = []
        for _ in range(3):
            result = search(db, query, fold=fold, limit=20)
            timings.append(result.seconds)
        print(f"  {result.method:5} {query!r:22} fold={fold!s:5} best {min(timings) * 1000:6.0f} ms, {len(result.hits)} hits")
    result = search(db, "phòng chống dịch", live=True)
    print(f"  scan  'phòng chống dịch' (live archive, no index) {result.seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
