"""One parametrised test over every golden fixture: the saved page must extract to the reviewed record."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from golden import load_fixtures, record_of

FIXTURES = load_fixtures()


def test_there_are_enough_fixtures() -> None:
    articles = [f for f in FIXTURES if f.data["kind"] == "article"]
    platforms = {f.html_path.parent.name for f in FIXTURES}
    assert len(articles) >= 60
    assert {"generic", "dnn", "nukeviet", "detailview", "sharepoint", "liferay", "vnportal"} <= platforms
    legacy = {f.data.get("extras", {}).get("legacy_font") for f in articles}
    assert {"tcvn3", "vni"} <= legacy
    assert any(f.data.get("extras", {}).get("page_number") == 2 for f in articles)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.id for f in FIXTURES])
def test_golden(fixture) -> None:
    result = fixture.run()
    got = record_of(result)
    expected = fixture.data
    assert got["kind"] == expected["kind"], result.error
    if expected["kind"] != "article":
        return
    for key in ("title", "published_at", "author", "category", "dateline"):
        assert got[key] == expected.get(key), key
    if expected.get("date_source"):
        assert got["date_source"] == expected["date_source"]
    assert got["paragraphs"] == expected["paragraphs"]
    if expected.get("images") is not None:
        assert got["images"] == expected["images"]
    text = "\n".join([got["title"] or "", got["author"] or "", *got["paragraphs"]])
    leaked = [s for s in expected["must_not_contain"] if s in text]
    assert not leaked, f"furniture in the record: {leaked}"
    assert result.article is not None and result.article.text == result.article.text.strip()
    for key, value in (expected.get("extras") or {}).items():  # legacy_font, part_of, page_number
        assert result.article.extras.get(key) == value, key
    assert "\n\n" not in result.article.text
