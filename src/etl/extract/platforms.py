"""Per-CMS rules: the selectors that sharpen the generic extraction path for one platform family.

Many provincial portals run the same software, so rules belong to the platform, not the portal.  A rule set is
data (CSS selectors, tried in order, first match wins); ``generic`` has none and must work alone.  Rule sets
carry a validity window so that a redesign adds a new entry and old saved pages keep their old rules.
A portal's own ``selectors`` (registry) override its platform's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date

from etl.portals.registry import Portal

log = logging.getLogger(__name__)

SELECTOR_KEYS = ("content", "lead", "title", "date", "author", "category", "remove")


@dataclass(frozen=True)
class PlatformRules:
    """CSS selectors for one CMS family.  Each value is a comma-separated selector list, tried as one query;
    ``lead`` is a summary printed outside the content element (part of the text); ``remove`` lists extra
    furniture blocks to drop before extraction."""

    name: str
    content: str = ""
    lead: str = ""
    title: str = ""
    date: str = ""
    author: str = ""
    category: str = ""
    remove: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    notes: str = ""
    extras: dict[str, str] = field(default_factory=dict)

    def with_overrides(self, selectors: dict[str, str]) -> PlatformRules:
        known = {k: v for k, v in selectors.items() if k in SELECTOR_KEYS and v}
        unknown = sorted(set(selectors) - set(SELECTOR_KEYS))
        if unknown:
            log.debug("ignoring unknown selector keys %s", unknown)
        return replace(self, **known)


GENERIC = PlatformRules(name="generic", notes="no selectors: structure and trafilatura alone")

_RULES: dict[str, tuple[PlatformRules, ...]] = {
    "generic": (GENERIC,),
    # DotNetNuke (Lâm Đồng district portals): modules inside dnn_ContentPane; the news module prints
    # title/date/content in its own classes and a "Tin khác" list inside the same module container.
    "dnn": (
        PlatformRules(
            name="dnn",
            content=".news-detail .news-content, .ArticleContent, .edn_article_content, .content-detail",
            title=".news-detail h1, .news-detail .title, h1.edn_articleTitle, .title-detail",
            date=".news-detail .news-date, .news-detail .date, .edn_metadata, .time-detail",
            author=".news-detail .news-author, .edn_author",
            category=".dnnBreadcrumb, .breadcrumb, #dnn_dnnBREADCRUMB_lblBreadCrumb",
            remove=".news-other, .other-news, .DnnModule-Search, .dnnSocialLinks",
        ),
    ),
    # NukeViet 4.x news module (themes/default/modules/news/detail.tpl).
    "nukeviet": (
        PlatformRules(
            name="nukeviet",
            content="#news-bodyhtml, .news_column .bodytext",
            lead=".news_column .hometext",
            title=".news_column h1.title, .news_column h1, h1.title",
            date=".news_column .h5, .news_column span.text-muted, .news-detail-time",
            author=".news_column .h-author, .news_column p.text-right, .news_column .author",
            category=".breadcrumbs, .breadcrumbs-wrap, .breadcrumb",
            remove=".news_column .related, .other-news, #comment, .comment-box, .socialicon, .news-tags",
        ),
    ),
    # ASP.NET "DetailView" CMS (tuyenquang.dcs.vn and kin): ContentPlaceHolder with *-detail classes.
    "detailview": (
        PlatformRules(
            name="detailview",
            content=".content-detail, .detail-content, .NoiDungChiTiet",
            title=".title-detail, .detail-title, h1.TieuDe",
            date=".date-detail, .detail-date, .NgayCapNhat",
            author=".author-detail, .detail-author",
            category=".breadcrumb, .path-detail, .DuongDan",
            remove=".other-news-detail, .tin-khac, .comment-detail",
        ),
    ),
    # SharePoint ("Trang" pages library, quangninh.gov.vn family): publishing page fields.
    "sharepoint": (
        PlatformRules(
            name="sharepoint",
            content=".ChiTietTin .NoiDung, .ChiTietTinTuc .ms-rtestate-field, .news-detail-content, .ms-rtestate-field",
            lead=".ChiTietTinTuc .TomTat, .ChiTietTin .TomTat",
            title=".ChiTietTin .TieuDe, .ChiTietTinTuc .TieuDe, h1.TieuDe, .news-detail-title",
            date=".ChiTietTin .NgayDang, .ChiTietTinTuc .NgayDang, .news-detail-date",
            author=".ChiTietTin .TacGia, .ChiTietTinTuc .TacGia, .news-detail-author",
            category=".ms-breadcrumb, .breadcrumb, .DuongDan",
            remove=".TinKhac, .ms-webpart-zone .TinLienQuan, #s4-ribbonrow",
        ),
    ),
    # Liferay portals (asset publisher / journal content portlets).
    "liferay": (
        PlatformRules(
            name="liferay",
            content=".asset-full-content .asset-content, .journal-content-article",
            title=".asset-full-content .header-title, h3.header-title, .asset-title",
            date=".asset-full-content .metadata-publish-date, .asset-metadata .date, .publish-date",
            author=".asset-full-content .metadata-author, .asset-metadata .author",
            category=".breadcrumb, .portlet-breadcrumb",
            remove=".asset-links, .taglib-ratings, .asset-related-assets, .portlet-asset-categories-navigation",
        ),
    ),
}


def rules_for(portal: Portal | None, on: date | None = None) -> PlatformRules:
    """The rule set for a portal's platform, valid on ``on`` (the page's fetch date), with its overrides."""
    if portal is None:
        return GENERIC
    candidates = _RULES.get(portal.platform.lower())
    if not candidates:
        log.debug("unknown platform %r for portal %s: using generic rules", portal.platform, portal.id)
        candidates = _RULES["generic"]
    chosen = candidates[-1]
    if on is not None:
        for rules in candidates:
            if (rules.valid_from is None or rules.valid_from <= on) and (
                rules.valid_until is None or on < rules.valid_until
            ):
                chosen = rules
                break
    return chosen.with_overrides(portal.selectors) if portal.selectors else chosen


def known_platforms() -> tuple[str, ...]:
    return tuple(_RULES)
