"""Canonical URLs and article ids."""

import re

from etl.normalise.urls import article_id, canonical_url


def test_tracking_parameters_and_fragments_are_dropped() -> None:
    url = "https://www.quangninh.dcs.vn/Trang/ChiTietTinTuc.aspx?utm_source=fb&nid=113139&fbclid=IwAR0#top"
    assert canonical_url(url) == "https://www.quangninh.dcs.vn/Trang/ChiTietTinTuc.aspx?nid=113139"


def test_query_is_kept_and_sorted() -> None:
    assert canonical_url("http://x.vn/a.aspx?b=2&a=1") == canonical_url("http://x.vn/a.aspx?a=1&b=2")


def test_canonical_link_on_the_same_host_wins() -> None:
    assert canonical_url("https://x.vn/tin/123?print=1", "/tin/123") == "https://x.vn/tin/123"
    assert canonical_url("https://x.vn/tin/123", "https://www.x.vn/tin/123") == "https://www.x.vn/tin/123"


def test_canonical_link_to_another_host_is_ignored() -> None:
    assert (
        canonical_url("https://x.vn/tin/123", "https://mirror.example.com/tin/123") == "https://x.vn/tin/123"
    )


def test_article_id_is_16_hex_and_stable_across_url_variants() -> None:
    a = article_id("https://x.vn/tin/123.html?utm_campaign=zalo")
    assert re.fullmatch(r"[0-9a-f]{16}", a)
    assert a == article_id("https://x.vn/tin/123.html#binh-luan")
