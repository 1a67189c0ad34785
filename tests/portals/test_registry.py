"""The portal registry: the shipped portals.toml, the 2025 merger table and the loader's error messages."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from etl.portals.registry import (
    KNOWN_LEVELS,
    Registry,
    RegistryError,
    load_registry,
    parse_registry,
    portals_to_toml,
    shipped_registry_path,
)

# The documented CMS families (docs/registry.md). A `platform` outside this list is a typo or an undocumented
# family; move this constant next to the platform classes once they exist.
KNOWN_PLATFORMS = (
    "generic",
    "nukeviet",
    "dnn",
    "detailview",
    "sharepoint",
    "liferay",
    "websphere",
    "vnportal",
)

PROVINCES_TOML = Path(__file__).resolve().parents[2] / "src" / "etl" / "portals" / "provinces.toml"
CENTRAL = "Trung ương"  # the national level; not a province, so not in provinces.toml

# The five provinces behind our seed articles must always have an entry.
SEED_PORTALS = {
    "daklak": ("Đắk Lắk", "province"),
    "haugiang": ("Hậu Giang", "province"),
    "kontum": ("Kon Tum", "province"),
    "quangninh-bache": ("Quảng Ninh", "district"),
    "lamdong": ("Lâm Đồng", "province"),
}

# Article URLs seen on the live sites (shared/portals/*.tsv; long slugs completed where the source elided them).
# Each must match its portal's article_url_pattern.
ATTESTED_ARTICLES = {
    "tuyenquang": "https://tuyenquang.dcs.vn/DetailView/145545/40/Nghe-thu-cong-truyen-thong-cua-nguoi-Tay-o-Tuyen-Quang.html",
    "lamdong-btgdvtu": "https://btgdvtu.lamdong.dcs.vn/tin-tuc-su-kien/nhip-cau-tuyen-giao-bien-dao-viet-nam/type/detail/id/31089/task/1710",
    "kontum-tuyengiao": "https://www.tuyengiaokontum.org.vn/Tai-lieu-sinh-hoat-chi-bo/ban-tin-thong-bao-noi-bo-phuc-vu-sinh-hoat-chi-bo-thang-7-2023-5772.html",
    "binhdinh": "https://binhdinh.dcs.vn/hoc-tap-lam-theo-tu-tuong-dao-duc-ho-chi-minh/-/asset_publisher/content/tiep-tuc-thuc-hien-chi-thi-05",
    "quangngai": "https://www.quangngai.dcs.vn/-uong-day-nong/-/asset_publisher/hIBc6Tqn9pAH/content/noi-dung-thuc-hien-viec-hoc-tap",
    "gialai": "https://gialai.dcs.vn/an-ninh-quoc-phong/-/view-content/609439/hon-500-nguoi-tham-gia-dap-tat-chay-rung",
    "hungyen": "https://hungyen.dcs.vn/18-nam-viet-nam-gia-nhap-wto-hanh-trinh-hoi-nhap-va-phat-trien-c222429.html",
    "hungyen-tuyengiao": "https://tuyengiao.hungyen.dcs.vn/ngoai-giao-cay-tre-voi-boi-canh-hoi-nhap-quoc-te-viet-nam-hien-nay-c219655.html",
    "hungyen-phucu": "http://huyenuyphucu.vn/gap-mat-nhan-ky-niem-ngay-bao-chi-cach-mang-viet-nam-216-va-ra-mat-trang-thong-tin-dien-tu-doi-ngoai-cua-tinh-c2692.html",
    "nghean": "https://nghean.dcs.vn/vi-vn/tin/tac-pham-doi-song-moi%E2%80%9D-cua-chu-tich-ho-chi-minh/73410-203449-163366",
    "phutho": "https://phutho.dcs.vn/ContentDetail/NewsDetailView?NewsId=2ab9ddc9-74e8-4eba-817b-93ed53980322",
    "tphcm": "https://hcmcpv.org.vn/tin-tuc/gia-nhap-asean-buoc-dot-pha-trong-doi-moitu-duy-doi-ngoai-cua-viet-nam-1491881281",
    "khanhhoa": "https://tinhuykhanhhoa.vn/tin-bai/lich-su-hinh-thanh/chuong-iii--thoi-ky-dau-tranh-chong-phan-cong",
    "cantho": "https://thanhuycantho.vn/tin-tuc-su-kien/ndid/11738/key/default",
    "hanoi": "https://thanhuyhanoi.vn/tin-tuc/huyen-gia-lam/huyen-gia-lam-hoan-tat-sap-xep-don-vi-hanh-chinh",
    "binhthuan-btgtu": "https://btgtu.binhthuan.dcs.vn/Trang-chu/post/1520/xoa-bo-ky-thi-va-phan-biet-doi-xu-voi-nguoi-nhiem-hivaids",
    "haugiang-sotaydangvien": "https://sotaydangvien.haugiang.dcs.vn/danh-muc/hau-giang-tren-duong-phat-trien/hau-giang-tren-duong-pt/huong-dan-cong-tac-tuyen-truyen-quy-hoach-tinh-hau-giang.html",
    "tayninh": "https://tayninh.dcs.vn/news/thoi-su/tinh-uy-tay-ninh-hop-phien-thuong-ky-1234.html",  # NukeViet default scheme
}

# URLs that are not articles (listings, media, static pages) and must not match.
NOT_ARTICLES = {
    "tuyenquang": "https://tuyenquang.dcs.vn/Image/Large/202249155536_85319.jpg",
    "lamdong-dalat": "https://dalat.lamdong.dcs.vn/Portals/4/media/newsimage/h/1/-/h1.jpg",
    "binhphuoc": "https://tinhuybinhphuoc.vn/news/tag/x%C3%A2y-d%E1%BB%B1ng/page-8",
    "hatinh-dukcq": "https://dukcq.hatinh.gov.vn/xay-dung-dang/page-13/",
    "binhdinh": "https://binhdinh.dcs.vn/documents/34037/193476/anh.jpg?t=1676943193842&imagePreview=1",
    "hungyen": "https://hungyen.dcs.vn/ckfinder/userfiles/images/anh.jpg",
    "lamdong-dukcq": "http://www.lamdong.gov.vn/vi-VN/a/dukcq/lich-su/Pages/default.aspx",
    "tayninh": "https://tayninh.dcs.vn/uploads/news/2024_07/105_2024-12031720487807_tranh-bac-ho-ve-nuoc.jpg",
}


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def shipped() -> Registry:
    return load_registry()


# --- the shipped registry ---------------------------------------------------------------------------------


def test_shipped_registry_loads(shipped: Registry) -> None:
    assert shipped.source == str(shipped_registry_path())
    assert len(shipped.portals) >= 50
    assert {p.level for p in shipped.portals} <= set(KNOWN_LEVELS)
    assert {"province", "district", "agency"} <= {p.level for p in shipped.portals}


def test_ids_unique_and_ascii(shipped: Registry) -> None:
    counts = Counter(shipped.ids)
    assert [pid for pid, n in counts.items() if n > 1] == []
    for pid in shipped.ids:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", pid), pid


def test_every_url_is_http(shipped: Registry) -> None:
    for p in shipped.portals:
        for url in (p.url, *p.listing_urls, *p.feeds, *p.sitemaps):
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https") and parts.hostname, (p.id, url)


def test_hint_urls_stay_on_the_portal(shipped: Registry) -> None:
    for p in shipped.portals:
        assert p.domain in p.domains(), p.id
        for url in (*p.listing_urls, *p.feeds, *p.sitemaps):
            assert urlsplit(url).hostname in p.domains(), (p.id, url)


def test_every_article_url_pattern_compiles(shipped: Registry) -> None:
    patterns = [p for p in shipped.portals if p.article_url_pattern]
    assert len(patterns) >= 20
    for p in patterns:
        re.compile(p.article_url_pattern)
        assert p.article_url_pattern.startswith(("^", "(?i)^")), f"{p.id}: anchor the pattern with ^"
        assert p.article_url_pattern.endswith("$"), f"{p.id}: anchor the pattern with $"


@pytest.mark.parametrize("portal_id", sorted(ATTESTED_ARTICLES))
def test_pattern_matches_attested_article(shipped: Registry, portal_id: str) -> None:
    portal = shipped.get(portal_id)
    url = ATTESTED_ARTICLES[portal_id]
    assert urlsplit(url).hostname in portal.domains()
    assert portal.article_url_pattern
    assert re.search(portal.article_url_pattern, path_and_query(url)), (portal_id, url)


@pytest.mark.parametrize("portal_id", sorted(NOT_ARTICLES))
def test_pattern_rejects_non_articles(shipped: Registry, portal_id: str) -> None:
    portal = shipped.get(portal_id)
    if portal.article_url_pattern:
        assert not re.search(portal.article_url_pattern, path_and_query(NOT_ARTICLES[portal_id]))


def test_every_platform_is_documented(shipped: Registry) -> None:
    used = {p.platform for p in shipped.portals}
    assert used <= set(KNOWN_PLATFORMS), sorted(used - set(KNOWN_PLATFORMS))
    docs = Path(__file__).resolve().parents[2] / "docs" / "registry.md"
    if docs.exists():
        text = docs.read_text(encoding="utf-8")
        for platform in KNOWN_PLATFORMS:
            assert f"`{platform}`" in text, f"platform {platform!r} missing from docs/registry.md"


def test_nothing_is_verified_and_everything_is_explained(shipped: Registry) -> None:
    for p in shipped.portals:
        assert p.verified is False, p.id
        assert p.notes.strip(), f"{p.id}: say what was seen and what is guessed"
        assert p.level != "sample", f"{p.id}: sample portals do not belong in the shipped registry"


def test_nukeviet_portals_carry_discovery_hints(shipped: Registry) -> None:
    for p in shipped.portals:
        if p.platform == "nukeviet":
            assert p.sitemaps and p.sitemaps[0].endswith("/sitemap.xml"), p.id
            assert p.article_url_pattern, p.id


@pytest.mark.parametrize("portal_id", sorted(SEED_PORTALS))
def test_seed_provinces_have_entries(shipped: Registry, portal_id: str) -> None:
    portal = shipped.get(portal_id)
    province, level = SEED_PORTALS[portal_id]
    assert (portal.province, portal.level, portal.verified) == (province, level, False)
    assert "GUESSED" in portal.notes and "Attested" in portal.notes


def test_internal_applications_are_excluded(shipped: Registry) -> None:
    hosts = {p.domain for p in shipped.portals}
    for host in (
        "dvc.hanoi.dcs.vn",
        "qlvb.ninhthuan.dcs.vn",
        "qlcvtinhuy.vinhlong.dcs.vn",
        "hopkhonggiay.vinhlong.dcs.vn",
        "xinykien.yenbai.dcs.vn",
    ):
        assert host not in hosts


def test_portals_to_toml_round_trips_the_shipped_registry(shipped: Registry) -> None:
    text = portals_to_toml(list(shipped.portals))
    again = parse_registry(text, "<dumped>")
    assert again.portals == shipped.portals
    assert portals_to_toml(list(again.portals)) == text


# --- provinces.toml (the 2025 merger) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def provinces() -> list[dict]:
    return tomllib.loads(PROVINCES_TOML.read_text(encoding="utf-8"))["province"]


def test_provinces_table_shape(provinces: list[dict]) -> None:
    names = [p["name"] for p in provinces]
    assert len(provinces) == 63 and len(set(names)) == 63
    assert len({p["merged_into"] for p in provinces}) == 34
    for p in provinces:
        assert isinstance(p["effective"], date), p["name"]
        assert p["sources"] and all(s.startswith("http") for s in p["sources"]), p["name"]
    units = {p["merged_into"] for p in provinces}
    # A unit that keeps an old name maps that old province onto itself.
    assert all(p["merged_into"] == p["name"] for p in provinces if p["name"] in units)
    by_name = {p["name"]: p["merged_into"] for p in provinces}
    assert by_name["Hậu Giang"] == "Cần Thơ" and by_name["Kon Tum"] == "Quảng Ngãi"
    assert by_name["Phú Yên"] == "Đắk Lắk" and by_name["Đắk Nông"] == "Lâm Đồng"


def test_every_registry_province_is_a_pre_2025_province(shipped: Registry, provinces: list[dict]) -> None:
    names = {p["name"] for p in provinces}
    unknown = {p.province for p in shipped.portals} - names - {CENTRAL}
    assert not unknown, f"provinces not in provinces.toml (use pre-2025 names): {sorted(unknown)}"


# --- loading user files and error messages ----------------------------------------------------------------


def test_minimal_user_file(tmp_path: Path) -> None:
    file = tmp_path / "mine.toml"
    file.write_text(
        '[[portal]]\nid = "myportal"\nname = "Tỉnh ủy Thử"\nprovince = "Kon Tum"\nurl = "https://example.org/"\n',
        encoding="utf-8",
    )
    registry = load_registry(file)
    assert registry.ids == ["myportal"]
    portal = registry.get("myportal")
    assert (portal.level, portal.platform, portal.verified) == ("province", "generic", False)
    assert portal.domains() == ("example.org",)
    assert portal.article_url_pattern is None and portal.selectors == {}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "nope.toml")


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    file = tmp_path / "broken.toml"
    file.write_text(
        '[[portal]]\nid = "a"\nname = "A"\nprovince = "X"\nurl = "https://a.example/\n', encoding="utf-8"
    )
    with pytest.raises(RegistryError) as err:
        load_registry(file)
    message = str(err.value)
    assert str(file) in message and "line 5" in message


def _entry(pid: str, url: str | None = "https://x.example/") -> str:
    lines = ["[[portal]]", f'id = "{pid}"', f'name = "{pid.title()}"', 'province = "Kon Tum"']
    if url is not None:
        lines.append(f'url = "{url}"')
    return "\n".join(lines) + "\n\n"


def test_missing_url_names_the_header_line(tmp_path: Path) -> None:
    text = (
        "# a user registry\n\n" + _entry("one") + _entry("two") + _entry("three", url=None) + _entry("four")
    )
    header_line = text.splitlines().index("[[portal]]", text.splitlines().index('id = "two"')) + 1
    assert (
        text.splitlines()[header_line - 1] == "[[portal]]"
        and text.splitlines()[header_line] == 'id = "three"'
    )
    file = tmp_path / "missing.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(file)
    message = str(err.value)
    assert f"line {header_line}:" in message, message
    assert "url" in message and str(file) in message


def test_duplicate_id_is_an_error() -> None:
    with pytest.raises(RegistryError, match="duplicate portal id 'one'"):
        parse_registry(_entry("one") + _entry("one"))


@pytest.mark.parametrize(
    ("extra", "complaint"),
    [
        ('level = "village"', "level must be one of"),
        ("article_url_pattern = '(unclosed'", "bad article_url_pattern"),
        ('colour = "red"', "unknown field(s): colour"),
    ],
)
def test_bad_fields_are_named(extra: str, complaint: str) -> None:
    with pytest.raises(RegistryError) as err:
        parse_registry(_entry("one").rstrip("\n") + "\n" + extra + "\n")
    assert complaint in str(err.value) and "line 1" in str(err.value)


@pytest.mark.parametrize("url", ["ftp://x.example/", "x.example", "https://"])
def test_bad_url_is_rejected(url: str) -> None:
    with pytest.raises(RegistryError, match="invalid url"):
        parse_registry(_entry("one", url=url))


def test_bad_id_is_rejected() -> None:
    with pytest.raises(RegistryError, match="lower-case"):
        parse_registry(_entry("Đắk-Lắk"))


def test_empty_file_is_an_error() -> None:
    with pytest.raises(RegistryError, match=r"no \[\[portal\]\] entries"):
        parse_registry("# nothing here\n")


def test_unknown_id_lists_known_ids(shipped: Registry) -> None:
    small = parse_registry(_entry("one") + _entry("two"), "mine.toml")
    with pytest.raises(RegistryError) as err:
        small.get("three")
    assert "'three'" in str(err.value) and "one, two" in str(err.value) and "mine.toml" in str(err.value)
    with pytest.raises(RegistryError) as err:
        shipped.select(["daklak", "no-such-portal"])
    assert "no-such-portal" in str(err.value) and shipped.ids[0] in str(err.value)


def test_select() -> None:
    registry = parse_registry(_entry("one") + _entry("two"))
    assert [p.id for p in registry.select(None)] == ["one", "two"]
    assert [p.id for p in registry.select(["two"])] == ["two"]


def test_docs_examples_parse() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "registry.md"
    blocks = re.findall(r"```toml\n(.*?)```", docs.read_text(encoding="utf-8"), flags=re.DOTALL)
    portal_blocks = [b for b in blocks if b.startswith("[[portal]]")]
    assert len(portal_blocks) == 2
    minimal, hinted = (parse_registry(b, "docs/registry.md").portals[0] for b in portal_blocks)
    assert (minimal.id, minimal.platform, minimal.level) == ("kontum", "generic", "province")
    assert hinted.selectors["content"] and hinted.platform in KNOWN_PLATFORMS
    assert re.search(hinted.article_url_pattern, path_and_query(ATTESTED_ARTICLES["kontum-tuyengiao"]))
    province_blocks = [b for b in blocks if b.startswith("[[province]]")]
    assert tomllib.loads(province_blocks[0])["province"][0]["merged_into"] == "Quảng Ngãi"
