"""Scorer for the labelled sample (``tests/facts/labelled/*.json``): precision and recall of both extractors.

Each labelled file holds one article: ``text``, ``published_at`` and the hand-checked ``doc_refs`` and ``people``
(see ``labelled/README.md`` for the annotation guideline).  Matching is per article, as multisets (an article
citing the same document three times has three references):

* doc_refs, identity: (kind, number without leading zeros, code, level);
* doc_refs, all fields: identity plus year, date and issuer;
* people: (name, positions in order); people, name only: (name,).

Run ``python -m tests.facts.scoring`` for a report with every disagreement.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from etl.facts import extract_doc_refs, extract_people

LABELLED = Path(__file__).parent / "labelled"


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    expected: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0

    def add(self, article: str, predicted: list[tuple], expected: list[tuple]) -> None:
        p, e = Counter(predicted), Counter(expected)
        self.tp += sum((p & e).values())
        self.predicted += sum(p.values())
        self.expected += sum(e.values())
        for key in (p - e).elements():
            self.errors.append(f"{article}: false positive {key}")
        for key in (e - p).elements():
            self.errors.append(f"{article}: missed {key}")

    def __str__(self) -> str:
        return (f"precision {self.precision:.3f} ({self.tp}/{self.predicted}), "
                f"recall {self.recall:.3f} ({self.tp}/{self.expected})")


def load_labelled() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LABELLED.glob("*.json"))]


def _num(number: str) -> str:
    return number.lstrip("0") or "0"


def doc_key(ref: dict, full: bool) -> tuple:
    key = (ref["kind"], _num(ref["number"]), ref.get("code"), ref.get("level"))
    return key + (ref.get("year"), ref.get("date"), ref.get("issuer")) if full else key


def score(articles: list[dict] | None = None) -> dict[str, Score]:
    articles = load_labelled() if articles is None else articles
    scores = {name: Score() for name in ("doc_refs", "doc_refs_all_fields", "people", "people_names")}
    for art in articles:
        published = datetime.fromisoformat(art["published_at"]) if art.get("published_at") else None
        refs = [
            {"kind": r.kind, "number": r.number, "code": r.code, "level": r.level, "year": r.year,
             "date": r.date.isoformat() if r.date else None, "issuer": r.issuer}
            for r in extract_doc_refs(art["text"], published)
        ]
        people = [{"name": m.name, "positions": list(m.positions)} for m in extract_people(art["text"])]
        for full, name in ((False, "doc_refs"), (True, "doc_refs_all_fields")):
            scores[name].add(art["id"], [doc_key(r, full) for r in refs], [doc_key(r, full) for r in art["doc_refs"]])
        scores["people"].add(
            art["id"], [(m["name"], tuple(m["positions"])) for m in people],
            [(m["name"], tuple(m["positions"])) for m in art["people"]],
        )
        scores["people_names"].add(art["id"], [(m["name"],) for m in people], [(m["name"],) for m in art["people"]])
    return scores


def main() -> None:
    articles = load_labelled()
    print(f"{len(articles)} labelled articles, "
          f"{sum(len(a['doc_refs']) for a in articles)} document references, "
          f"{sum(len(a['people']) for a in articles)} people mentions")
    for name, s in score(articles).items():
        print(f"{name:20} {s}")
        for err in s.errors:
            print("    ", err)


if __name__ == "__main__":
    main()
