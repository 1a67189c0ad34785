"""Smoke test of the performance benchmark: `make bench-quick`'s own configuration (benchmarks/run.py --quick,
400 articles), results written to a temporary file instead of benchmarks/results/quick.json.

It checks that every measurement is produced and that the qualitative targets hold; absolute speeds are not
asserted (CI machines vary), except that an incremental re-crawl of the unchanged site fetches no article."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(900)
def test_bench_quick_runs_end_to_end(tmp_path):
    out = tmp_path / "bench.json"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-profile", "--out", str(out)],
        check=True, cwd=ROOT, timeout=600, capture_output=True,
    )
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["site"]["articles"] == 400
    assert results["extract_stage"]["articles"] >= 398  # every article page became an article
    assert results["crawl"]["requests"]["article_requests"] == 400
    assert results["incremental"]["article_requests"] == 0
    assert results["incremental"]["articles_new"] == results["incremental"]["articles_updated"] == 0
    assert results["archive"]["articles"] == results["extract_stage"]["articles"]
    assert results["load"]["articles_per_s"] > 0
    assert results["crawl_extract_load"]["peak_rss_mib"]["total"] > 0
    assert 0 < results["crawl_extract_load"]["peak_rss_mib"]["pss_total"] <= results["crawl_extract_load"]["peak_rss_mib"]["total"]
    assert results["cli_crawl"]["articles"] == results["archive"]["articles"]  # the CLI loaded the same site
    assert results["cli_crawl"]["peak_rss_mib"]["total"] > 0
    assert all(q["rows"] > 0 for q in results["queries"].values())
    assert set(results["targets"]) >= {"peak_rss_lt_1GiB", "incremental_zero_article_requests"}
