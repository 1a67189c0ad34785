"""Precision and recall of the extractors on the labelled sample (tests/facts/labelled)."""

from __future__ import annotations

from datetime import datetime

import pytest

from etl.facts import extract_doc_refs, extract_people
from tests.facts.scoring import load_labelled, score


@pytest.fixture(scope="module")
def scores():
    return score()


def test_sample_is_large_enough():
    articles = load_labelled()
    assert len(articles) >= 40
    assert sum(len(a["doc_refs"]) for a in articles) >= 80
    assert sum(len(a["people"]) for a in articles) >= 50


@pytest.mark.parametrize("table", ["doc_refs", "doc_refs_all_fields", "people"])
def test_precision_and_recall(scores, table):
    s = scores[table]
    assert s.precision >= 0.95, f"{table}: {s}\n" + "\n".join(s.errors)
    assert s.recall >= 0.90, f"{table}: {s}\n" + "\n".join(s.errors)


def test_spans_and_offsets_index_the_text():
    for art in load_labelled():
        text = art["text"]
        published = datetime.fromisoformat(art["published_at"]) if art.get("published_at") else None
        for fact in [*extract_doc_refs(text, published), *extract_people(text)]:
            assert text[fact.offset:fact.offset + len(fact.span)] == fact.span, (art["id"], fact)
