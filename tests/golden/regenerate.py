"""Rewrite the expected part of every golden JSON from current extractor output, for a person to review.

Usage: ``python tests/golden/regenerate.py [name-substring ...]``.  The input section and the
``must_not_contain`` list are kept (they are written by hand); everything else is replaced, and a summary of
which fixtures changed is logged so the diff can be reviewed before committing.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from golden import EXPECTED_KEYS, load_fixtures, record_of

log = logging.getLogger("regenerate")


def main(patterns: list[str]) -> int:
    changed = 0
    for fixture in load_fixtures():
        if patterns and not any(p in fixture.id for p in patterns):
            continue
        record = record_of(fixture.run())
        data = dict(fixture.data)
        before = {k: data.get(k) for k in EXPECTED_KEYS}
        for key in EXPECTED_KEYS:
            data.pop(key, None)
        data.update({k: record.get(k) for k in EXPECTED_KEYS if k in record})
        data["must_not_contain"] = fixture.data.get("must_not_contain", [])
        after = {k: data.get(k) for k in EXPECTED_KEYS}
        if before != after:
            changed += 1
            diffs = [k for k in EXPECTED_KEYS if before.get(k) != after.get(k)]
            log.info("%s: changed %s", fixture.id, ", ".join(diffs))
        ordered = {"input": data.pop("input"), **data}
        fixture.json_path.write_text(
            json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    log.info("%d fixture(s) changed; review with a diff before committing", changed)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    raise SystemExit(main(sys.argv[1:]))
