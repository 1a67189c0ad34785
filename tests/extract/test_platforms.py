"""Platform rule sets and their selection."""

from datetime import date
from pathlib import Path

from etl.extract.platforms import GENERIC, known_platforms, rules_for
from etl.portals.registry import Portal

GOLDEN = Path(__file__).parents[1] / "golden"


def portal(**kw) -> Portal:
    return Portal(id="p", name="P", province="P", url="https://p.vn/", **kw)


def test_no_portal_or_unknown_platform_is_generic() -> None:
    assert rules_for(None) is GENERIC
    assert rules_for(portal(platform="wordpress")).name == "generic"


def test_platform_rules_are_selected_and_overridden() -> None:
    assert rules_for(portal(platform="nukeviet")).content.startswith("#news-bodyhtml")
    rules = rules_for(
        portal(platform="nukeviet", selectors={"content": ".my-body", "bogus": "x"}), date(2024, 1, 1)
    )
    assert rules.content == ".my-body" and rules.name == "nukeviet"


def test_every_platform_has_a_golden_fixture() -> None:
    for name in known_platforms():
        assert list((GOLDEN / name).glob("*.html")), f"no golden fixture for platform {name}"
