"""The four CMS families the sample portals imitate, one renderer class each.

* ``DnnSite`` - DotNetNuke, as on the *.lamdong.dcs.vn portals: ``/tin-tuc-su-kien/<cat>/type/detail/id/<id>/task/<n>``.
* ``NukeVietSite`` - NukeViet 4 (Tây Ninh, Kon Tum): ``/news/<cat>/<alias>-<id>.html``, sitemaps and RSS.
* ``DetailViewSite`` - the ASP.NET "DetailView" CMS (Tuyên Quang, Hậu Giang): ``/DetailView/<id>/<cat>/<Slug>.html``.
* ``SharePointSite`` - SharePoint "Trang" pages (Quảng Ninh): ``/Trang/ChiTietTinTuc.aspx?nid=<id>``.

Markup follows what those CMSs emit (nested tables, inline styles, their class names) and deliberately keeps
the furniture real portals put inside or beside the article body; see ``etl.samples.expected`` for what an
extractor should and should not return.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any

from etl.samples.base import (
    EXTERNAL_LINKS,
    LinkItem,
    Response,
    SampleSite,
    dmy,
    esc,
    summary,
)
from etl.samples.content import (
    Category,
    SampleArticle,
    SampleImage,
    load_articles,
    load_site_specs,
    vi_weekday_date,
)


def _iso_vn(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+07:00"


def _meta_times(article: SampleArticle) -> str:
    """article:published_time (and a later modified_time, a trap) for the articles that carry them."""
    if not (article.meta_published_time and article.published_at):
        return ""
    modified = article.published_at + timedelta(days=1, hours=2)
    return (
        f'<meta property="article:published_time" content="{_iso_vn(article.published_at)}" />\n'
        f'<meta property="article:modified_time" content="{_iso_vn(modified)}" />\n'
    )


def _credit_suffix(image: SampleImage, template: str) -> str:
    return template.format(credit=esc(image.credit)) if image.credit else ""


class DnnSite(SampleSite):
    """DotNetNuke 7 skin of the Lâm Đồng portals: one page-wide ASP.NET form, modules in table panes."""

    platform = "dnn"
    contact_path = "/lien-he"
    gallery_path = "/thu-vien-anh"
    schedule_path = "/lich-cong-tac"
    search_path = "/tim-kiem"

    @property
    def section(self) -> str:
        return self.spec["section"]

    @property
    def pdf_path(self) -> str:  # type: ignore[override]
        return f"/Portals/{self.spec['portal_number']}/media/files/ke-hoach-125-kh-tu-2024.pdf"

    def listing_path(self, category: Category, page: int = 1) -> str:
        base = f"/{self.section}/{category.slug}"
        return base if page == 1 else f"{base}?page={page}"

    def _article_path(self, category_slug: str, article_id: int) -> str:
        return f"/{self.section}/{category_slug}/type/detail/id/{article_id}/task/{self.spec['task']}"

    def broken_paths(self) -> dict[str, str]:
        slugs = [c.slug for c in self.categories]
        return {
            "not_found": self._article_path(slugs[0], 30001),
            "server_error": self._article_path(slugs[1], 30555),
            "truncated": self._article_path(slugs[-1], 35120),
            "empty": self.schedule_path,
        }

    def registry_hints(self) -> dict[str, Any]:
        return {
            "listing_urls": [self.url(self.listing_path(c)) for c in self.categories],
            "article_url_pattern": r"/type/detail/id/\d+/task/\d+$",
            "selectors": {
                "content": ".news-detail .ArticleContent",
                "title": ".news-detail h1.news-title",
                "date": ".news-detail .news-date",
                "category": ".breadcrumb a.cat",
            },
        }

    # ---------------------------------------------------------------- layout
    def _module(self, module_id: int, heading: str, inner: str) -> str:
        return (
            f'<div class="DnnModule DnnModule-DNN_News DnnModule-{module_id}"><a name="{module_id}"></a>\n'
            f'<div class="c_container c_head_blue"><div class="c_head"><h2 class="c_title">'
            f'<span id="dnn_ctr{module_id}_dnnTITLE_titleLabel" class="Head">{esc(heading)}</span></h2></div>\n'
            f'<div id="dnn_ctr{module_id}_ContentPane" class="c_content">{inner}</div></div></div>\n'
        )

    def _sidebar(self) -> str:
        def items(links: list[LinkItem]) -> str:
            return "".join(
                f'<li><a href="{esc(self.url(i.href))}">{esc(i.title)}</a> '
                f'<span class="date">({dmy(i.date)})</span></li>'
                for i in links
            )

        today, total, online = self.visitor_stats()
        options = "".join(f'<option value="{esc(u)}">{esc(n)}</option>' for n, u in EXTERNAL_LINKS)
        return (
            self._module(501, "Tin nóng", f'<ul class="hot-news">{items(self.hot_items())}</ul>')
            + self._module(502, "Tin tiêu điểm", f'<ul class="focus-news">{items(self.focus_items())}</ul>')
            + self._module(
                503,
                "Văn bản mới",
                f'<ul class="documents"><li><a href="{self.pdf_path}">'
                f'{esc(self.pdf_title)}</a> <span class="date">({dmy(self.pdf_date)})</span></li></ul>',
            )
            + self._module(
                504,
                "Lịch công tác",
                f'<a href="{self.schedule_path}">Lịch công tác tuần của Thường trực Tỉnh ủy</a>',
            )
            + self._module(
                505,
                "Website liên kết",
                '<select class="weblink" onchange="window.open(this.value)">'
                f'<option value="">-- Website liên kết --</option>{options}</select>',
            )
            + self._module(
                506,
                "Thống kê truy cập",
                f'<table class="box-thongke"><tr><td>Hôm nay:</td><td>{today}</td></tr>'
                f"<tr><td>Đã truy cập:</td><td>{total}</td></tr>"
                f"<tr><td>Đang truy cập:</td><td>{online}</td></tr></table>",
            )
        )

    def _page(self, title: str, path: str, main: str, head_extra: str = "") -> str:
        menu = "".join(
            f'<li><a href="{esc(self.url(self.listing_path(c)))}">{esc(c.name)}</a></li>'
            for c in self.categories
        )
        return f"""<!DOCTYPE html>
<html lang="vi-VN">
<head id="Head"><meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
<title>{esc(title)}</title>
<meta id="MetaDescription" name="DESCRIPTION" content="{esc(self.name)}" />
<meta id="MetaKeywords" name="KEYWORDS" content="Tỉnh ủy, Lâm Đồng, Đảng bộ, tin tức" />
<meta id="MetaGenerator" name="GENERATOR" content="DotNetNuke " />
<meta id="MetaRobots" name="ROBOTS" content="INDEX, FOLLOW" />
{head_extra}<link href="/Portals/_default/Skins/TinhUy/skin.css?cdv=412" type="text/css" rel="stylesheet"/>
</head>
<body id="Body">
<form method="post" action="{esc(path)}" id="Form" enctype="multipart/form-data">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgZmDxYCHgRUZXh0BQ" /></div>
<div id="wrapper"><a name="top"></a>
<div id="header"><div class="banner"><a href="{self.url("/")}"><img src="/Portals/{self.spec["portal_number"]}/banner.png" alt="{esc(self.name)}" /></a></div>
<div class="top-date">{self.today_text}</div></div>
<div id="menu"><ul class="topnav"><li><a href="{self.url("/")}">Trang chủ</a></li>{menu}<li><a href="{self.gallery_path}">Thư viện ảnh</a></li><li><a href="{self.contact_path}">Liên hệ</a></li></ul>
<div class="search"><input name="dnn$dnnSEARCH$txtSearch" type="text" maxlength="255" size="20" class="NormalTextBox" placeholder="Tìm kiếm..." />
<a id="dnn_dnnSEARCH_cmdSearch" class="SkinObject" href="javascript:__doPostBack('dnn$dnnSEARCH$cmdSearch','')">Tìm kiếm</a></div></div>
<table id="main" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td id="dnn_ContentPane" class="contentpane" valign="top">
{main}</td>
<td id="dnn_RightPane" class="rightpane" width="300" valign="top">
{self._sidebar()}</td>
</tr></table>
<div id="footer"><table width="100%"><tr><td class="footer-left">
<p>© Bản quyền thuộc {esc(self.name)}</p>
<p>Cơ quan chủ quản: Ban Thường vụ Tỉnh ủy {esc(self.province)} - Địa chỉ: 02 Trần Hưng Đạo, TP. Đà Lạt</p>
<p>Ghi rõ nguồn “{esc(self.short_name)}” khi phát hành lại thông tin từ website này.</p></td>
<td class="footer-right"><a href="{self.contact_path}">Liên hệ</a> | <a href="{self.disallowed_path}">Quản trị</a></td></tr></table></div>
</div></form>
</body>
</html>
"""

    # ---------------------------------------------------------------- pages
    def _news_list(self, articles: list[SampleArticle]) -> str:
        rows = []
        for a in articles:
            thumb = (
                f'<a href="{esc(self.url(a.path))}" class="news-img"><img src="{esc(a.images[0].src)}" '
                f'width="160" alt="" /></a>'
                if a.images
                else ""
            )
            rows.append(
                f'<div class="news-item">{thumb}<h3 class="news-title"><a href="{esc(self.url(a.path))}">'
                f'{esc(a.title)}</a></h3><span class="news-date">({dmy(a.published_at)})</span>'
                f'<p class="news-sapo">{esc(summary(a.printed_paragraphs[0]))}</p></div>'
            )
        return '<div class="news-list">' + "\n".join(rows) + "</div>"

    def render_home(self) -> str:
        main = self._module(410, "Tin mới", self._news_list(self.latest(5)))
        for index, category in enumerate(self.categories):
            more = f'<a class="more" href="{esc(self.listing_path(category))}">Xem tiếp »</a>'
            main += self._module(
                420 + index, category.name, self._news_list(self.in_category(category)[:2]) + more
            )
        return self._page(self.name, "/", main)

    def render_listing(self, category: Category, page: int) -> str:
        pages = self.page_count(category)
        links = []
        for number in range(1, pages + 1):
            links.append(
                f'<span class="current">{number}</span>'
                if number == page
                else f'<a href="{esc(self.listing_path(category, number))}">{number}</a>'
            )
        if page < pages:
            links.append(
                f'<a class="next" href="{esc(self.listing_path(category, page + 1))}">Trang sau »</a>'
            )
        pager = f'<div class="pager">Trang: {" ".join(links)}</div>'
        inner = self._news_list(self.listing_items(category, page)) + pager
        return self._page(
            f"{category.name} - {self.name}",
            self.listing_path(category, page),
            self._module(430, category.name, inner),
        )

    def _image_box(self, image: SampleImage) -> str:
        credit = _credit_suffix(image, " - Ảnh: {credit}")
        return (
            '<table align="center" border="0" cellpadding="3" cellspacing="0" class="image-box" '
            'style="width: 600px;"><tbody>'
            f'<tr><td><img alt="" src="{esc(image.src)}" style="width: 600px; height: 400px;" /></td></tr>'
            f'<tr><td style="text-align: center;"><em>{esc(image.caption)}{credit}</em></td></tr>'
            "</tbody></table>"
        )

    def render_article(self, article: SampleArticle) -> str:
        category = self.category_named(article.category)
        body = []
        for index, paragraph in enumerate(article.printed_paragraphs):
            text = f"<strong>{esc(paragraph)}</strong>" if index == 0 else esc(paragraph)
            body.append(f'<p style="text-align: justify;">{text}</p>')
            body.extend(self._image_box(img) for img in article.images if img.after_paragraph == index)
        if article.author:
            body.append(f'<p style="text-align: right;"><strong>{esc(article.author)}</strong></p>')
        date = (
            f'<div class="news-date"><span>{vi_weekday_date(article.published_at)}</span></div>'
            if article.published_at
            else ""
        )
        related = "".join(
            f'<li><a href="{esc(self.url(i.href))}">{esc(i.title)}</a> '
            f'<span class="date">({dmy(i.date)})</span></li>'
            for i in self.related(article)
        )
        inner = f"""<div class="breadcrumb"><a href="{self.url("/")}">Trang chủ</a> » <span>Tin tức - Sự kiện</span> » <a class="cat" href="{esc(self.listing_path(category))}">{esc(category.name)}</a></div>
<div class="news-detail">
<h1 class="news-title">{esc(article.title)}</h1>
{date}
<div class="news-tools"><a href="javascript:window.print();" class="print">In bài viết</a> | <a href="mailto:?subject={esc(article.title)}" class="email">Gửi email</a></div>
<div class="ArticleContent">
{chr(10).join(body)}
</div>
<div class="news-bottom"><a href="#top" class="back-top">Về đầu trang</a> <span class="views">Lượt xem: {article.views}</span></div>
<div class="comment-box"><h3>Ý kiến bạn đọc</h3><table><tr><td>Họ tên</td><td><input type="text" name="name" /></td></tr>
<tr><td>Email</td><td><input type="text" name="email" /></td></tr><tr><td>Nội dung</td><td><textarea name="comment" rows="4"></textarea></td></tr>
<tr><td></td><td><input type="button" value="Gửi ý kiến" /></td></tr></table></div>
<div class="tin-lien-quan"><h3>Các tin đã đưa</h3><ul>{related}</ul></div>
</div>"""
        head = (
            f'<meta property="og:title" content="{esc(article.title)}" />\n'
            f'<meta property="og:type" content="article" />\n' + _meta_times(article)
        )
        return self._page(
            f"{article.title} - {self.name}", article.path, self._module(440, category.name, inner), head
        )

    def render_simple(self, heading: str, inner_html: str, path: str) -> str:
        return self._page(f"{heading} - {self.name}", path, self._module(450, heading, inner_html))

    def render_server_error(self) -> str:
        return _aspnet_error_page()


class NukeVietSite(SampleSite):
    """NukeViet 4 with the default theme: Bootstrap grid, ``news`` module, sitemaps and per-category RSS."""

    platform = "nukeviet"
    contact_path = "/contact/"
    gallery_path = "/photos/"
    schedule_path = "/lich-cong-tac/"
    search_path = "/seek/"
    pdf_path = "/uploads/news/2024_07/ban-tin-thong-bao-noi-bo-thang-7-2024.pdf"
    pdf_title = "Bản tin thông báo nội bộ tháng 7/2024"
    pdf_date = datetime(2024, 7, 2, 9, 0)

    @property
    def module(self) -> str:
        return self.spec["module"]

    def listing_path(self, category: Category, page: int = 1) -> str:
        base = f"/{self.module}/{category.slug}/"
        return base if page == 1 else f"{base}page-{page}"

    def broken_paths(self) -> dict[str, str]:
        cats = [c.slug for c in self.categories]
        return {
            "not_found": f"/news/{cats[0]}/thong-bao-ket-qua-ky-hop-thu-9-4100.html",
            "server_error": f"/news/{cats[0]}/hoi-nghi-truc-tuyen-so-ket-4777.html",
            "truncated": f"/news/{cats[1]}/tang-cuong-bao-ve-nen-tang-tu-tuong-5003.html",
            "empty": self.schedule_path,
        }

    def extra_routes(self) -> dict[str, Callable[[], Response]]:
        routes: dict[str, Callable[[], Response]] = {
            "/sitemap.xml": self._sitemap_index,
            f"/sitemap-vi.{self.module}.xml": self._sitemap_news,
            f"/{self.module}/rss/": lambda: self._rss(None),
        }
        for category in self.categories:
            routes[f"/{self.module}/rss/{category.slug}/"] = lambda category=category: self._rss(category)
        return routes

    def extra_inventory(self) -> dict[str, list[str]]:
        return {
            "sitemap": ["/sitemap.xml", f"/sitemap-vi.{self.module}.xml"],
            "feed": [f"/{self.module}/rss/"] + [f"/{self.module}/rss/{c.slug}/" for c in self.categories],
        }

    def robots_extra(self) -> list[str]:
        return ["Disallow: /includes/", "Disallow: /install/", f"Sitemap: {self.url('/sitemap.xml')}"]

    def registry_hints(self) -> dict[str, Any]:
        return {
            "listing_urls": [self.url(self.listing_path(c)) for c in self.categories],
            "feeds": [self.url(f"/{self.module}/rss/")],
            "sitemaps": [self.url("/sitemap.xml")],
            "article_url_pattern": rf"^/{self.module}/[a-z0-9-]+/[a-z0-9-]+-\d+\.html$",
            "selectors": {
                "content": ".news_column div.hometext, .news_column #news-bodyhtml",
                "title": ".news_column h1.title",
                "date": ".news_column .h-date",
                "author": ".news_column .h-author",
            },
        }

    # ---------------------------------------------------------------- feeds
    def _xml(self, text: str, content_type: str, last_modified: datetime | None) -> Response:
        return Response(200, text.encode("utf-8"), content_type, last_modified, validators=True)

    def _sitemap_index(self) -> Response:
        newest = self.articles[0].published_at
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<sitemap><loc>{self.url(f'/sitemap-vi.{self.module}.xml')}</loc>"
            f"<lastmod>{_iso_vn(newest)}</lastmod></sitemap>\n</sitemapindex>\n"
        )
        return self._xml(text, "application/xml; charset=utf-8", newest)

    def _sitemap_news(self) -> Response:
        urls = "".join(
            f"<url><loc>{esc(self.url(a.path))}</loc><lastmod>{_iso_vn(a.published_at)}</lastmod>"
            "<changefreq>daily</changefreq><priority>0.8</priority></url>\n"
            for a in self.articles
            if a.published_at
        )
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
        )
        return self._xml(text, "application/xml; charset=utf-8", self.articles[0].published_at)

    def _rss(self, category: Category | None) -> Response:
        articles = self.in_category(category) if category else self.articles
        items = "".join(
            f"<item><title>{esc(a.title)}</title><link>{esc(self.url(a.path))}</link>"
            f'<guid isPermaLink="false">{self.module}_{a.id}</guid>'
            f"<description><![CDATA[{a.printed_paragraphs[0]}]]></description>"
            f"<pubDate>{format_datetime(a.published_at - timedelta(hours=7)).replace('-0000', 'GMT')}</pubDate>"
            "</item>\n"
            for a in articles
            if a.published_at
        )
        channel = category.name if category else "Tin Tức"
        text = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
            f"<title>{esc(channel)} - {esc(self.name)}</title><link>{esc(self.url('/'))}</link>"
            f"<description>{esc(self.name)}</description><language>vi</language>"
            "<generator>NukeViet v4.5</generator>\n"
            f"{items}</channel>\n</rss>\n"
        )
        return self._xml(
            text, "application/rss+xml; charset=utf-8", articles[0].published_at if articles else None
        )

    # ---------------------------------------------------------------- layout
    def _panel(self, heading: str, inner: str, extra_class: str = "") -> str:
        return (
            f'<div class="panel panel-default {extra_class}"><div class="panel-heading">{esc(heading)}</div>'
            f'<div class="panel-body">{inner}</div></div>\n'
        )

    def _sidebar(self) -> str:
        def items(links: list[LinkItem]) -> str:
            return "".join(
                f'<li class="clearfix"><a title="{esc(i.title)}" href="{esc(i.href)}">{esc(i.title)}</a>'
                f'<div class="text-muted"><em class="fa fa-clock-o"></em> {dmy(i.date)}</div></li>'
                for i in links
            )

        today, total, online = self.visitor_stats()
        links = "".join(
            f'<li><a href="{esc(u)}" target="_blank" rel="noopener">{esc(n)}</a></li>'
            for n, u in EXTERNAL_LINKS
        )
        return (
            self._panel("Tin nóng", f'<ul class="list-none">{items(self.hot_items())}</ul>')
            + self._panel("Tin tiêu điểm", f'<ul class="list-none">{items(self.focus_items())}</ul>')
            + self._panel(
                "Văn bản",
                f'<ul class="list-none"><li><a href="{self.pdf_path}">{esc(self.pdf_title)}</a>'
                f'<div class="text-muted">{dmy(self.pdf_date)}</div></li></ul>',
            )
            + self._panel("Lịch công tác", f'<a href="{self.schedule_path}">Xem lịch công tác tuần</a>')
            + self._panel("Website liên kết", f'<ul class="weblinks">{links}</ul>')
            + self._panel(
                "Thống kê truy cập",
                f'<ul class="counter list-none display-table"><li><span>Đang truy cập</span>'
                f"<span>{online}</span></li><li><span>Hôm nay</span><span>{today}</span></li>"
                f"<li><span>Đã truy cập</span><span>{total}</span></li></ul>",
                "box-thongke",
            )
        )

    def _page(self, title: str, path: str, main: str, head_extra: str = "", breadcrumb: str = "") -> str:
        menu = "".join(
            f'<li><a title="{esc(c.name)}" href="{esc(self.listing_path(c))}">{esc(c.name)}</a></li>'
            for c in self.categories
        )
        return f"""<!DOCTYPE html>
<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">
<head>
<title>{esc(title)}</title>
<meta name="description" content="{esc(self.name)}">
<meta name="author" content="{esc(self.name)}">
<meta name="copyright" content="{esc(self.name)} [webmaster@kontum.dcs.vn]">
<meta name="generator" content="NukeViet v4.5">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta property="og:site_name" content="{esc(self.name)}">
<meta property="og:url" content="{esc(self.url(path))}">
{head_extra}<link rel="canonical" href="{esc(self.url(path))}">
<link rel="alternate" href="/{self.module}/rss/" title="Tin Tức" type="application/rss+xml">
<link rel="StyleSheet" href="/themes/default/css/nukeviet.css">
</head>
<body>
<noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ trợ JavaScript.<br />Website chỉ làm việc khi bạn bật nó trở lại.</div></noscript>
<div class="body-bg"><div class="wraper">
<header><div class="container"><div id="header" class="row"><div class="logo col-xs-24 col-sm-24 col-md-8"><a title="{esc(self.name)}" href="/"><img src="/uploads/logo.png" alt="{esc(self.name)}"></a><span class="site_name">{esc(self.name)}</span><span class="site_description">Đảng Cộng sản Việt Nam quang vinh muôn năm</span></div>
<div class="col-xs-24 col-sm-24 col-md-16"><div class="current-time">{self.today_text}</div></div></div></div></header>
<nav class="second-nav" id="menusite"><div class="container"><div class="row"><div class="bg box-shadow">
<ul class="nav navbar-nav"><li><a title="Trang nhất" href="/"><em class="fa fa-lg fa-home">&nbsp;</em> Trang nhất</a></li>{menu}<li><a href="{self.gallery_path}">Thư viện ảnh</a></li><li><a href="{self.contact_path}">Liên hệ</a></li></ul>
<div class="headerSearch"><form action="{self.search_path}" method="get"><input type="text" name="q" maxlength="60" placeholder="Tìm kiếm..."><button type="submit" class="btn btn-info">Tìm kiếm</button></form></div>
</div></div></div></nav>
<section><div class="container" id="body">{breadcrumb}<div class="row">
<div class="col-sm-16 col-md-18">
{main}</div>
<div class="col-sm-8 col-md-6">
{self._sidebar()}</div>
</div></div></section>
<footer id="footer" class="wraper"><div class="container"><div class="row"><div class="col-md-16">
<div class="copyright"><span>© Bản quyền thuộc về {esc(self.name)}.</span><br />Cơ quan chủ quản: Ban Thường vụ Tỉnh ủy {esc(self.province)}<br />Chịu trách nhiệm chính: Trưởng Ban Tuyên giáo Tỉnh ủy {esc(self.province)}<br />Ghi rõ nguồn “{esc(self.short_name)}” khi phát hành lại thông tin từ website này.</div></div>
<div class="col-md-8"><ul class="footer-links"><li><a href="{self.contact_path}">Liên hệ</a></li><li><a href="{self.disallowed_path}">Quản trị</a></li><li><a href="#">Về đầu trang</a></li></ul></div></div></div></footer>
</div></div>
<div id="timeoutsess" class="chromeframe">Bạn đã không sử dụng Site, <a onclick="timeoutsesscancel();" href="#">Bấm vào đây để duy trì trạng thái đăng nhập</a>. Thời gian chờ: <span id="secField"> 60 </span> giây</div>
</body>
</html>
"""

    # ---------------------------------------------------------------- pages
    def _news_items(self, articles: list[SampleArticle]) -> str:
        rows = []
        for a in articles:
            image = (
                f'<a href="{esc(a.path)}" title="{esc(a.title)}"><img alt="{esc(a.title)}" '
                f'src="{esc(a.images[0].src)}" width="183" class="img-thumbnail pull-left imghome" /></a>'
                if a.images
                else ""
            )
            rows.append(
                f'<div class="news_column panel panel-default"><div class="panel-body">{image}'
                f'<h3><a href="{esc(a.path)}" title="{esc(a.title)}">{esc(a.title)}</a></h3>'
                f'<div class="text-muted"><ul class="list-unstyled list-inline"><li>'
                f'<em class="fa fa-clock-o">&nbsp;</em> {a.published_at:%d/%m/%Y %H:%M}</li>'
                f'<li><em class="fa fa-eye">&nbsp;</em> Đã xem: {a.views}</li></ul></div>'
                f'<div class="text-justify">{esc(summary(a.printed_paragraphs[0]))}</div></div></div>'
            )
        return "\n".join(rows)

    def render_home(self) -> str:
        main = self._panel("Tin mới", self._news_items(self.latest(5)), "tin-moi")
        for category in self.categories:
            more = f'<a class="more pull-right" href="{esc(self.listing_path(category))}">Xem thêm</a>'
            main += self._panel(category.name, self._news_items(self.in_category(category)[:2]) + more)
        return self._page(self.name, "/", main)

    def render_listing(self, category: Category, page: int) -> str:
        pages = self.page_count(category)
        pager = ""
        if pages > 1:
            cells = []
            if page > 1:
                cells.append(f'<li><a href="{esc(self.listing_path(category, page - 1))}">&laquo;</a></li>')
            for number in range(1, pages + 1):
                cells.append(
                    '<li class="active"><a href="#">' + str(number) + "</a></li>"
                    if number == page
                    else f'<li><a href="{esc(self.listing_path(category, number))}">{number}</a></li>'
                )
            if page < pages:
                cells.append(f'<li><a href="{esc(self.listing_path(category, page + 1))}">&raquo;</a></li>')
            pager = f'<div class="text-center"><ul class="pagination">{"".join(cells)}</ul></div>'
        title = category.name if page == 1 else f"{category.name} - Trang {page}"
        crumb = self._breadcrumb(category)
        return self._page(
            f"{title} - {self.name}",
            self.listing_path(category, page),
            self._news_items(self.listing_items(category, page)) + pager,
            breadcrumb=crumb,
        )

    def _breadcrumb(self, category: Category) -> str:
        return (
            f'<ul class="breadcrumbs list-none"><li><a href="/" title="Trang nhất"><span>Trang nhất</span></a></li>'
            f"<li><span>Tin Tức</span></li>"
            f'<li><a href="{esc(self.listing_path(category))}" title="{esc(category.name)}">'
            f"<span>{esc(category.name)}</span></a></li></ul>"
        )

    def _figure(self, image: SampleImage) -> str:
        credit = _credit_suffix(image, " Ảnh: {credit}")
        caption = esc(image.caption) + ("" if not credit or image.caption.endswith((".", "!", "?")) else ".")
        return (
            f'<figure class="image"><img alt="{esc(image.caption)}" height="400" src="{esc(image.src)}" '
            f'width="600" /><figcaption>{caption}{credit}</figcaption></figure>'
        )

    def render_article(self, article: SampleArticle) -> str:
        category = self.category_named(article.category)
        lead_images = "".join(self._figure(i) for i in article.images if i.after_paragraph == 0)
        body = []
        for index, paragraph in enumerate(article.printed_paragraphs[1:], start=1):
            body.append(f'<p style="text-align:justify">{esc(paragraph)}</p>')
            body.extend(self._figure(i) for i in article.images if i.after_paragraph == index)
        byline = ""
        if article.author:
            byline += f'<p class="h-author text-right"><strong>Tác giả: </strong>{esc(article.author)}</p>'
        if article.source_line:
            byline += (
                f'<p class="h-source text-right"><strong>Nguồn tin: </strong>{esc(article.source_line)}</p>'
            )
        attachment = ""
        if article.attachment:
            name = self.pdf_path.rsplit("/", 1)[-1]
            attachment = (
                f'<div class="news-download margin-bottom-lg"><p class="h3"><strong>Tập tin đính kèm'
                f'</strong></p><ul class="list-none"><li><em class="fa fa-file-pdf-o"></em> '
                f'<a href="{self.pdf_path}" title="{esc(name)}">{esc(name)}</a></li></ul></div>'
            )
        related = self.related(article)

        def rel_list(links: list[LinkItem]) -> str:
            return "".join(
                f'<li><em class="fa fa-angle-right">&nbsp;</em><a href="{esc(i.href)}" '
                f'title="{esc(i.title)}">{esc(i.title)}</a> <em>({dmy(i.date)})</em></li>'
                for i in links
            )

        date = (
            f'<span class="h-date">{article.published_at:%d/%m/%Y %H:%M}</span>'
            if article.published_at
            else ""
        )
        main = f"""<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope>
<div class="panel-body">
<h1 class="title margin-bottom-lg" itemprop="headline">{esc(article.title)}</h1>
<div class="row margin-bottom-lg"><div class="col-md-12">{date}</div>
<div class="col-md-12"><ul class="list-inline text-right"><li><a class="dimgray" rel="nofollow" title="Gửi bài viết qua email" href="javascript:void(0);" onclick="nv_open_browse('#', 'sendmail', 650, 500)"><em class="fa fa-envelope fa-lg"></em>&nbsp;Gửi email</a></li>
<li><a class="dimgray" rel="nofollow" title="In ra" href="javascript:void(0);" onclick="window.print()"><em class="fa fa-print fa-lg"></em>&nbsp;In bài viết</a></li></ul></div></div>
<div class="clearfix"><div class="hometext m-bottom" itemprop="description">{esc(article.printed_paragraphs[0])}</div>{lead_images}</div>
<div id="news-bodyhtml" class="bodytext margin-bottom-lg">
{chr(10).join(body)}
</div>
<div class="margin-bottom-lg">{byline}</div>
{attachment}<div class="news-related"><p class="h3"><strong>Tin liên quan</strong></p><ul class="related list-none">{rel_list(related[:2])}</ul>
<p class="h3"><strong>Các tin khác</strong></p><ul class="related list-none">{rel_list(related[2:])}</ul></div>
<div class="news-comment"><p class="h3"><strong>Ý kiến bạn đọc</strong></p><form method="post" action="#"><input type="text" name="name" placeholder="Họ tên"><input type="email" name="email" placeholder="Email"><textarea name="content" placeholder="Nội dung"></textarea><input type="text" name="code" placeholder="Mã bảo mật"><button type="button">Gửi bình luận</button></form></div>
</div></div>"""
        head = (
            f'<meta property="og:title" content="{esc(article.title)}">\n<meta property="og:type" content="article">\n'
            f'<meta property="og:description" content="{esc(article.printed_paragraphs[0])}">\n'
            f'<meta property="article:section" content="{esc(category.name)}">\n' + _meta_times(article)
        )
        return self._page(
            f"{article.title} - {self.name}", article.path, main, head, self._breadcrumb(category)
        )

    def render_simple(self, heading: str, inner_html: str, path: str) -> str:
        return self._page(f"{heading} - {self.name}", path, self._panel(heading, inner_html))

    def render_server_error(self) -> str:
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Lỗi hệ thống</title></head><body>'
            '<div style="margin:50px auto;width:500px"><h2>Có lỗi xảy ra</h2><p>Không thể kết nối đến '
            "máy chủ cơ sở dữ liệu. Vui lòng thử lại sau.</p></div></body></html>"
        )


class DetailViewSite(SampleSite):
    """The ASP.NET "DetailView" CMS: XHTML table layout, counter line and comment box inside the article."""

    platform = "detailview"
    contact_path = "/LienHe.aspx"
    gallery_path = "/ThuVienAnh.aspx"
    schedule_path = "/LichCongTac.aspx"
    search_path = "/TimKiem.aspx"
    pdf_path = "/Uploads/files/2024/KH-125-KH-TU.pdf"

    def listing_path(self, category: Category, page: int = 1) -> str:
        base = f"/ChuyenMuc/{category.id}/{category.slug}.html"
        return base if page == 1 else f"{base}?page={page}"

    def broken_paths(self) -> dict[str, str]:
        first, second = self.categories[0], self.categories[1]
        return {
            "not_found": f"/DetailView/130001/{first.id}/Thong-bao-ket-qua-ky-hop-thu-9.html",
            "server_error": f"/DetailView/145110/{first.id}/Hoi-nghi-truc-tuyen-so-ket-cong-tac-dan-van.html",
            "truncated": f"/DetailView/140022/{second.id}/Tang-cuong-bao-ve-nen-tang-tu-tuong-cua-Dang.html",
            "empty": self.schedule_path,
        }

    def registry_hints(self) -> dict[str, Any]:
        return {
            "listing_urls": [self.url(self.listing_path(c)) for c in self.categories],
            "article_url_pattern": r"^/DetailView/\d+/\d+/[A-Za-z0-9-]+\.html$",
            "selectors": {
                "content": "#ctl00_ContentPlaceHolder1_lblContent",
                "title": "h1.tieu-de",
                "date": ".ngay-cap-nhat",
                "category": ".news-detail .cat-name",
            },
        }

    # ---------------------------------------------------------------- layout
    def _box(self, heading: str, inner: str, css: str = "") -> str:
        return (
            f'<table width="100%" cellpadding="0" cellspacing="0" class="box {css}"><tr><td class="box-title">'
            f'{esc(heading)}</td></tr><tr><td class="box-content">{inner}</td></tr></table>\n'
        )

    def _left(self) -> str:
        menu = "".join(
            f'<tr><td class="left-menu-item"><a href="{esc(self.listing_path(c))}">{esc(c.name)}</a>'
            "</td></tr>"
            for c in self.categories
        )
        options = "".join(f'<option value="{esc(u)}">{esc(n)}</option>' for n, u in EXTERNAL_LINKS)
        return (
            self._box("Chuyên mục", f'<table width="100%">{menu}</table>')
            + self._box("Lịch công tác", f'<a href="{self.schedule_path}">Lịch công tác tuần</a>')
            + self._box(
                "Website liên kết",
                f'<select onchange="window.open(this.value)">'
                f"<option>--- Chọn website ---</option>{options}</select>",
            )
        )

    def _right(self) -> str:
        def rows(links: list[LinkItem]) -> str:
            return "".join(
                f'<tr><td class="tin-item"><img src="/images/arrow.gif" alt="" /> <a href="{esc(i.href)}">'
                f'{esc(i.title)}</a> <span class="ngay">({dmy(i.date)})</span></td></tr>'
                for i in links
            )

        today, total, online = self.visitor_stats()
        return (
            self._box("Tin Nóng", f'<table width="100%">{rows(self.hot_items())}</table>')
            + self._box("Tin tiêu điểm", f'<table width="100%">{rows(self.focus_items())}</table>')
            + self._box(
                "Văn bản mới",
                f'<a href="{self.pdf_path}">{esc(self.pdf_title)}</a> '
                f'<span class="ngay">({dmy(self.pdf_date)})</span>',
            )
            + self._box(
                "Thống kê truy cập",
                f'<div class="box-thongke">Hôm nay: {today}<br />Đã truy cập: {total}<br />'
                f"Đang truy cập: {online}</div>",
            )
        )

    def _page(self, title: str, path: str, main: str) -> str:
        menu = "".join(
            f'<td class="menu-item"><a href="{esc(self.listing_path(c))}">{esc(c.name)}</a></td>'
            for c in self.categories
        )
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta charset="utf-8" /><title>
	{esc(title)}
</title><link href="/App_Themes/Default/style.css" rel="stylesheet" type="text/css" /></head>
<body style="margin:0;background:#f3e9d2"><a name="top"></a>
<form name="aspnetForm" method="post" action="{esc(path)}" id="aspnetForm">
<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKLTU2MzE0NjQ5Ng9kFgJmD2QWAgIDD2QWBAIBDw8WAh4E" /></div>
<table width="1000" align="center" cellpadding="0" cellspacing="0" border="0" class="main-table" style="background:#fff">
<tr><td colspan="3" class="banner"><a href="/"><img src="/images/banner.jpg" width="1000" height="150" alt="{esc(self.name)}" border="0" /></a></td></tr>
<tr><td colspan="3" class="menu-bar"><table cellpadding="0" cellspacing="0" border="0"><tr><td class="menu-item"><a href="/">Trang chủ</a></td>{menu}<td class="menu-item"><a href="{self.gallery_path}">Thư viện ảnh</a></td><td class="menu-item"><a href="{self.contact_path}">Liên hệ</a></td></tr></table></td></tr>
<tr><td colspan="3" class="sub-bar"><span class="ngay-thang">{self.today_text}</span>
<span class="tim-kiem"><input name="ctl00$txtSearch" type="text" id="ctl00_txtSearch" class="txtsearch" value="Tìm kiếm..." /><input type="submit" name="ctl00$btnSearch" value="Tìm" id="ctl00_btnSearch" /></span></td></tr>
<tr><td width="210" valign="top" class="left-col">{self._left()}</td>
<td width="580" valign="top" class="center-col">
{main}
</td>
<td width="210" valign="top" class="right-col">{self._right()}</td></tr>
<tr><td colspan="3" class="footer" style="text-align:center;font-size:11px">{esc(self.name).upper()}<br />
Cơ quan chủ quản: Ban Thường vụ Tỉnh ủy {esc(self.province)}. Địa chỉ: Số 03, đường Trần Hưng Đạo, phường V, thành phố Vị Thanh<br />
© Bản quyền thuộc về Tỉnh ủy {esc(self.province)} - Ghi rõ nguồn khi phát hành lại thông tin từ website này.<br />
<a href="{self.contact_path}">Liên hệ</a> | <a href="{self.disallowed_path}">Quản trị</a></td></tr>
</table></form>
</body>
</html>
"""

    # ---------------------------------------------------------------- pages
    def _rows(self, articles: list[SampleArticle]) -> str:
        rows = []
        for a in articles:
            thumb = (
                f'<a href="{esc(a.path)}"><img src="{esc(a.images[0].src)}" width="120" border="0" alt="" '
                f'style="float:left;margin-right:6px" /></a>'
                if a.images
                else ""
            )
            rows.append(
                f'<tr><td class="tin-row">{thumb}<a class="tieu-de-tin" href="{esc(a.path)}">'
                f'{esc(a.title)}</a> <span class="ngay">({dmy(a.published_at)})</span><br />'
                f'<span class="trich-dan">{esc(summary(a.printed_paragraphs[0]))}</span></td></tr>'
            )
        return (
            '<table width="100%" cellpadding="4" cellspacing="0" class="ds-tin">' + "".join(rows) + "</table>"
        )

    def render_home(self) -> str:
        main = self._box("Tin mới", self._rows(self.latest(5)), "tin-moi")
        for category in self.categories:
            more = f'<div style="text-align:right"><a href="{esc(self.listing_path(category))}">Xem thêm ...</a></div>'
            main += self._box(category.name, self._rows(self.in_category(category)[:2]) + more)
        return self._page(f"Trang chủ | {self.name}", "/", main)

    def render_listing(self, category: Category, page: int) -> str:
        pages = self.page_count(category)
        links = " ".join(
            f"<b>[{n}]</b>" if n == page else f'<a href="{esc(self.listing_path(category, n))}">[{n}]</a>'
            for n in range(1, pages + 1)
        )
        if page < pages:
            links += f' <a href="{esc(self.listing_path(category, page + 1))}">Trang sau</a>'
        if page > 1:
            links = f'<a href="{esc(self.listing_path(category, page - 1))}">Trang trước</a> ' + links
        main = self._box(
            category.name,
            self._rows(self.listing_items(category, page))
            + f'<div class="phan-trang" style="text-align:center">{links}</div>',
        )
        return self._page(f"{category.name} | {self.name}", self.listing_path(category, page), main)

    def _image(self, image: SampleImage) -> str:
        credit = _credit_suffix(image, " (Ảnh: {credit})")
        return (
            f'<p style="text-align: center;"><img alt="{esc(image.file)}" src="{esc(image.src)}" '
            f'style="width: 500px; height: 333px;" /><br />{esc(image.file)}</p>'
            f'<p style="text-align: center;"><em>{esc(image.caption)}{credit}</em></p>'
        )

    def render_article(self, article: SampleArticle) -> str:
        category = self.category_named(article.category)
        body = []
        last = len(article.printed_paragraphs) - 1
        for index, paragraph in enumerate(article.printed_paragraphs):
            text = esc(paragraph)
            if index == last and article.author:
                text += f"<br /><strong>{esc(article.author)}</strong>"
            body.append(f'<p style="text-align: justify;">{text}</p>')
            body.extend(self._image(i) for i in article.images if i.after_paragraph == index)
        day = f"({dmy(article.published_at)})" if article.published_at else ""
        others = "".join(
            f'<li><a href="{esc(i.href)}">{esc(i.title)}</a> <span class="ngay">({dmy(i.date)})</span></li>'
            for i in self.related(article)
        )
        # No whitespace between the byline, the comment box and the ad slot: old text dumps glue them together.
        main = (
            f'<div id="ctl00_ContentPlaceHolder1_pnDetail" class="news-detail">'
            f'<div class="duong-dan"><a href="/">Trang chủ</a> &gt; '
            f'<a href="{esc(self.listing_path(category))}">{esc(category.name)}</a></div>\n'
            f'<div class="cat-name">{esc(category.name)}</div>\n'
            f'<h1 class="tieu-de" id="ctl00_ContentPlaceHolder1_lblTitle">{esc(article.title)}</h1>\n'
            f'<div class="ngay-cap-nhat">[ Cập nhật vào ngày {day} ] - [ Số lần xem: {article.views} ]</div>\n'
            f'<div class="noi-dung" id="ctl00_ContentPlaceHolder1_lblContent">\n{chr(10).join(body)}\n</div>'
            f'<div class="y-kien"><span class="title-yk">Các ý kiến của bạn đọc</span>'
            f'<table class="form-yk"><tr><td>Họ và tên:</td><td><input type="text" /></td></tr>'
            f'<tr><td>Email:</td><td><input type="text" /></td></tr><tr><td>Ý kiến:</td><td><textarea rows="4">'
            f'</textarea></td></tr></table></div><div class="quang-cao">Không có quảng cáo</div>\n'
            f'<div class="tool-bar"><a href="javascript:window.print();">In bài viết</a> | '
            f'<a href="mailto:?subject={esc(article.title)}">Gửi email</a> | <a href="#top">Về đầu trang</a></div>\n'
            f'<div class="tin-lien-quan"><div class="tlq-title">Các tin khác</div><ul>{others}</ul></div>'
            f"</div>"
        )
        return self._page(f"{article.title} | {self.name}", article.path, main)

    def render_simple(self, heading: str, inner_html: str, path: str) -> str:
        return self._page(f"{heading} | {self.name}", path, self._box(heading, inner_html))

    def render_server_error(self) -> str:
        return _aspnet_error_page()


class SharePointSite(SampleSite):
    """SharePoint 2013 publishing pages in a Vietnamese "Trang" library, as on quangninh.gov.vn."""

    platform = "sharepoint"
    contact_path = "/Trang/LienHe.aspx"
    gallery_path = "/Trang/ThuVienAnh.aspx"
    schedule_path = "/Trang/LichCongTac.aspx"
    search_path = "/Trang/searchqnp.aspx"
    pdf_path = "/SiteAssets/VanBan/ke-hoach-125-kh-tu-2024.pdf"

    def listing_path(self, category: Category, page: int = 1) -> str:
        base = f"/Trang/tin-tuc-su-kien.aspx?cid={category.id}"
        return base if page == 1 else f"{base}&Page={page}"

    def broken_paths(self) -> dict[str, str]:
        return {
            "not_found": "/Trang/ChiTietTinTuc.aspx?nid=100000",
            "server_error": "/Trang/ChiTietTinTuc.aspx?nid=104512",
            "truncated": "/Trang/ChiTietTinTuc.aspx?nid=109999",
            "empty": self.schedule_path,
        }

    def registry_hints(self) -> dict[str, Any]:
        return {
            "listing_urls": [self.url(self.listing_path(c)) for c in self.categories],
            "article_url_pattern": r"^/Trang/ChiTietTinTuc\.aspx\?nid=\d+$",
            "selectors": {
                "content": ".ChiTietTinTuc .TomTat, .ChiTietTinTuc .ms-rtestate-field",
                "title": ".ChiTietTinTuc h1.TieuDe",
                "date": ".ChiTietTinTuc .NgayDang",
                "author": ".ChiTietTinTuc .TacGia",
            },
        }

    # ---------------------------------------------------------------- layout
    def _webpart(self, heading: str, inner: str, css: str = "") -> str:
        return (
            f'<div class="ms-webpart-chrome ms-webpart-chrome-fullWidth {css}"><div class="ms-webpart-chrome-title">'
            f'<h2 class="ms-webpart-titleText"><span>{esc(heading)}</span></h2></div>'
            f'<div class="ms-WPBody">{inner}</div></div>\n'
        )

    def _sidebar(self) -> str:
        def items(links: list[LinkItem]) -> str:
            return "".join(
                f'<li><a href="{esc(i.href)}">{esc(i.title)}</a><span class="ngay"> ({dmy(i.date)})</span>'
                "</li>"
                for i in links
            )

        today, total, online = self.visitor_stats()
        links = "".join(
            f'<li><a href="{esc(u)}" target="_blank">{esc(n)}</a></li>' for n, u in EXTERNAL_LINKS
        )
        return (
            self._webpart("Tin Nóng", f"<ul>{items(self.hot_items())}</ul>")
            + self._webpart("Tin tiêu điểm", f"<ul>{items(self.focus_items())}</ul>")
            + self._webpart(
                "Văn bản chỉ đạo",
                f'<ul><li><a href="{self.pdf_path}">{esc(self.pdf_title)}</a>'
                f'<span class="ngay"> ({dmy(self.pdf_date)})</span></li></ul>',
            )
            + self._webpart("Lịch công tác", f'<a href="{self.schedule_path}">Lịch công tác trống</a>')
            + self._webpart("Website liên kết", f'<ul class="lienket">{links}</ul>')
            + self._webpart(
                "Thống kê truy cập",
                f'<div class="box-thongke"><p>Hôm nay: {today}</p>'
                f"<p>Đã truy cập: {total}</p><p>Đang truy cập: {online}</p></div>",
            )
        )

    def _page(self, title: str, path: str, main: str, head_extra: str = "") -> str:
        menu = "".join(
            f'<li class="static"><a class="static menu-item" href="{esc(self.listing_path(c))}">'
            f'<span class="menu-item-text">{esc(c.name)}</span></a></li>'
            for c in self.categories
        )
        return f"""<!DOCTYPE html>
<html dir="ltr" lang="vi-VN">
<head><meta name="GENERATOR" content="Microsoft SharePoint" /><meta http-equiv="Content-type" content="text/html; charset=utf-8" /><meta http-equiv="X-UA-Compatible" content="IE=10" /><title>
	{esc(title)}
</title>
{head_extra}<link rel="shortcut icon" href="/_layouts/15/images/favicon.ico?rev=23" type="image/vnd.microsoft.icon" />
<link rel="stylesheet" type="text/css" href="/_layouts/15/1066/styles/Themable/corev15.css?rev=2bpHeX9U8DH09TB5zpJcsQ%3D%3D"/>
<script type="text/javascript">var _spPageContextInfo={{webServerRelativeUrl:"\\u002f",webAbsoluteUrl:"{self.base_url}",currentLanguage:1066,webLanguage:1066,pageListId:"{{6f3c2ad1-0b4e-4f9e-9a61-3b1f2a7c0d11}}"}};</script>
</head>
<body>
<div id="ms-designer-ribbon"></div>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header"><a href="/"><img src="/SiteAssets/logo.png" alt="{esc(self.name)}" /></a><div class="ngay-hien-tai">{self.today_text}</div></div>
<div class="menu-top"><div class="ms-core-listMenu-horizontalBox"><ul class="root static"><li class="static"><a class="static menu-item" href="/"><span class="menu-item-text">Trang chủ</span></a></li>{menu}<li class="static"><a class="static menu-item" href="{self.gallery_path}"><span class="menu-item-text">Thư viện ảnh</span></a></li><li class="static"><a class="static menu-item" href="{self.contact_path}"><span class="menu-item-text">Liên hệ</span></a></li></ul></div></div>
<div class="search-box"><form action="{self.search_path}" method="get"><span class="search-label">Tìm kiếm theo chuyên mục - nội dung - ngày tháng</span> <input type="text" name="k" title="Tìm kiếm" /> <input type="submit" value="Tìm kiếm" /></form></div>
<form method="post" action="{esc(path)}" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__REQUESTDIGEST" id="__REQUESTDIGEST" value="0x5C2B8E1A7F,22 May 2025 01:00:00 -0000" /></div>
<div class="container"><div class="row">
<div class="col-left" id="DeltaPlaceHolderMain">
{main}</div>
<div class="col-right">
{self._sidebar()}</div>
</div></div>
<div class="footer"><p>{esc(self.name)}</p><p>Cơ quan chủ quản: Ban Thường vụ Tỉnh ủy {esc(self.province)}</p>
<p>Địa chỉ: Phường Hồng Hà, TP Hạ Long, tỉnh Quảng Ninh - Điện thoại: 0203.3835 558</p>
<p>© Bản quyền thuộc về {esc(self.short_name)}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
<p><a href="{self.contact_path}">Liên hệ</a> | <a href="{self.disallowed_path}">Quản trị</a></p></div>
</form>
</div></div>
</body>
</html>
"""

    # ---------------------------------------------------------------- pages
    def _list(self, articles: list[SampleArticle]) -> str:
        rows = []
        for a in articles:
            date = f'<span class="ngay">{a.published_at:%d/%m/%Y %H:%M}</span>' if a.published_at else ""
            thumb = f'<img src="{esc(a.images[0].src)}" class="anh-dai-dien" alt="" />' if a.images else ""
            rows.append(
                f'<div class="item-tin">{thumb}<a class="tieu-de" href="{esc(a.path)}">{esc(a.title)}</a>'
                f'{date}<div class="tom-tat">{esc(summary(a.printed_paragraphs[0]))}</div></div>'
            )
        return '<div class="danh-sach-tin">' + "\n".join(rows) + "</div>"

    def render_home(self) -> str:
        main = self._webpart("Tin mới", self._list(self.latest(5)), "tin-moi")
        for category in self.categories:
            more = f'<a class="xem-them" href="{esc(self.listing_path(category))}">Xem thêm</a>'
            main += self._webpart(category.name, self._list(self.in_category(category)[:2]) + more)
        return self._page(f"Trang chủ - {self.name}", "/", main)

    def render_listing(self, category: Category, page: int) -> str:
        pages = self.page_count(category)
        cells = [
            f'<span class="current">{n}</span>'
            if n == page
            else f'<a href="{esc(self.listing_path(category, n))}">{n}</a>'
            for n in range(1, pages + 1)
        ]
        if page < pages:
            cells.append(f'<a class="next" href="{esc(self.listing_path(category, page + 1))}">Tiếp »</a>')
        pager = f'<div class="phan-trang">{" ".join(cells)}</div>' if pages > 1 else ""
        main = self._webpart(category.name, self._list(self.listing_items(category, page)) + pager)
        return self._page(f"{category.name} - {self.name}", self.listing_path(category, page), main)

    def _image(self, image: SampleImage) -> str:
        credit = _credit_suffix(image, " (Ảnh: {credit})")
        return (
            f'<p style="text-align: center;"><img src="{esc(image.src)}" alt="" style="width:600px;" /></p>'
            f'<p style="text-align: center;"><span style="font-size:9pt;"><em>{esc(image.caption)}{credit}'
            "</em></span></p>"
        )

    def render_article(self, article: SampleArticle) -> str:
        category = self.category_named(article.category)
        body = []
        lead = "".join(self._image(i) for i in article.images if i.after_paragraph == 0)
        for index, paragraph in enumerate(article.printed_paragraphs[1:], start=1):
            body.append(f'<p style="text-align: justify;">{esc(paragraph)}</p>')
            body.extend(self._image(i) for i in article.images if i.after_paragraph == index)
        date = (
            f'<div class="NgayDang">{article.published_at:%d/%m/%Y %H:%M}</div>'
            if article.published_at
            else ""
        )
        author = (
            f'<div class="TacGia" style="text-align:right;font-weight:bold;">{esc(article.author)}</div>'
            if article.author
            else ""
        )
        others = "".join(
            f'<li><a href="{esc(i.href)}">{esc(i.title)}</a>'
            + (f' <span class="ngay">({dmy(i.date)})</span>' if i.date else "")
            + "</li>"
            for i in self.related(article)
        )
        marker = f"{int(article.id) * 2654435761 % 2**32:08X}"
        main = f"""<div class="ChiTietTinTuc">
<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="{esc(self.listing_path(category))}">{esc(category.name)}</a></div>
<h1 class="TieuDe">{esc(article.title)}</h1>
{date}
<div class="TomTat"><strong>{esc(article.printed_paragraphs[0])}</strong></div>
<div class="ms-rtestate-field"><div class="ExternalClass{marker}">{lead}
{chr(10).join(body)}
</div></div>
{author}
<div class="CongCu"><a href="javascript:window.print()">In bài viết</a> | <a href="mailto:?subject={esc(article.title)}">Gửi email</a> | <a href="#s4-workspace">Về đầu trang</a></div>
<div class="BinhLuan"><h4>Ý kiến bạn đọc</h4><textarea rows="4" cols="60"></textarea><br /><input type="button" value="Gửi ý kiến" /></div>
<div class="TinKhac"><h3>Các tin đã đưa</h3><ul>{others}</ul></div>
</div>"""
        head = _meta_times(article)
        return self._page(f"{article.title} - {self.name}", article.path, main, head)

    def render_simple(self, heading: str, inner_html: str, path: str) -> str:
        return self._page(f"{heading} - {self.name}", path, self._webpart(heading, inner_html))

    def render_server_error(self) -> str:
        return (
            '<!DOCTYPE html><html><head><title>Lỗi</title></head><body><div id="ms-error">'
            "<h1>Xin lỗi, đã xảy ra sự cố.</h1><p>Đã xảy ra lỗi không mong muốn.</p>"
            "<p>Mã tương quan: 3f9a6c9e-1b2d-4e07-9d4b-5a1c2e8f7b60</p></div></body></html>"
        )


def _aspnet_error_page() -> str:
    return (
        '<!DOCTYPE html><html><head><title>Runtime Error</title></head><body bgcolor="white">'
        "<span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>"
        "<h2> <i>Runtime Error</i> </h2></span><b> Description: </b>An application error occurred on the "
        "server.</body></html>"
    )


FAMILIES: dict[str, type[SampleSite]] = {
    cls.platform: cls for cls in (DnnSite, NukeVietSite, DetailViewSite, SharePointSite)
}


def build_sites(base_urls: dict[str, str] | None = None) -> dict[str, SampleSite]:
    """One site object per sample portal (site id -> site), rendering links against ``base_urls``."""
    base_urls = base_urls or {}
    articles = load_articles()
    sites: dict[str, SampleSite] = {}
    for site_id, spec in load_site_specs().items():
        family = FAMILIES[spec["platform"]]
        own = [a for a in articles if a.site == site_id]
        sites[site_id] = family(site_id, spec, own, base_urls.get(site_id, "http://127.0.0.1"))
    return sites
