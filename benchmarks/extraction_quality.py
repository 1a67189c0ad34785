"""Extraction quality, ours vs bare trafilatura: the labelled Party-portal pages and the public benchmark.

    .venv/bin/python benchmarks/extraction_quality.py [--bench-dir DIR] [--golden-dir DIR] [--out FILE] [--worst N]

Prints one table per evaluation and writes everything (summary rows, notes, per-page scores) to
``benchmarks/results/extraction_quality.json``.  The public benchmark (Scrapinghub/Zyte article-extraction
benchmark, 181 pages) is read from ``../shared/bench/article-extraction-benchmark`` beside the repository by
default and skipped with a message when it is not there.  Nothing is fetched.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # runnable from a checkout without installing

from etl.evaluate import EvalError, benchmark_available, default_bench_dir, eval_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench-dir", type=Path, default=default_bench_dir(REPO),
                        help="article-extraction-benchmark folder (html/*.html.gz + ground-truth.json); "
                             "default: %(default)s")
    parser.add_argument("--golden-dir", type=Path, default=REPO / "tests" / "golden",
                        help="golden fixtures (<platform>/<name>.html + .json); default: %(default)s")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "extraction_quality.json",
                        help="JSON results file; default: %(default)s")
    parser.add_argument("--worst", type=int, default=10, help="list the N lowest-scoring pages of ours (10)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # parse_page logs a traceback for every page it cannot extract; the reports carry the message instead.
    logging.getLogger("etl.extract").setLevel(logging.CRITICAL)

    bench_dir: Path | None = args.bench_dir
    if not benchmark_available(bench_dir):
        print(f"public benchmark skipped: no ground-truth.json + html/ in {bench_dir}\n")
        bench_dir = None
    try:
        eval_command(golden_dir=args.golden_dir, bench_dir=bench_dir, json_out=args.out, worst=args.worst)
    except EvalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
