"""Page templates for golden fixtures, one per CMS family, modelled on real portal markup.

Used only by ``build_fixtures.py`` to author fixture pages consistently: each template wraps an article in the
furniture its platform really prints (menus, breadcrumbs, counters, tools, related lists, visitor statistics,
comment forms, link lists), so the golden tests check that furniture stays out of the record.
"""

from __future__ import annotations

import html
import json

E = html.escape

SIDEBAR_HOT = [
    ("/tin-nong-1.html", "Đại hội đại biểu Đảng bộ tỉnh lần thứ XVI thành công tốt đẹp", "12/10/2020"),
    ("/tin-nong-2.html", "Tăng cường công tác phòng, chống dịch Covid-19 trong tình hình mới", "03/03/2021"),
    (
        "/tin-nong-3.html",
        "Hội nghị trực tuyến toàn quốc quán triệt Nghị quyết Đại hội XIII của Đảng",
        "28/02/2021",
    ),
    ("/tin-nong-4.html", "Kỷ niệm 90 năm Ngày thành lập Đảng Cộng sản Việt Nam", "03/02/2020"),
]
RELATED = [
    ("/tin-1.html", "Ban Thường vụ Tỉnh ủy cho ý kiến vào dự thảo văn kiện đại hội", "20/06/2020"),
    ("/tin-2.html", "Triển khai kế hoạch tuyên truyền kỷ niệm các ngày lễ lớn năm 2020", "18/06/2020"),
    ("/tin-3.html", "Hội nghị sơ kết công tác dân vận 6 tháng đầu năm", "15/06/2020"),
]


def render_blocks(blocks: list[tuple], style: str) -> str:
    """Body blocks -> HTML.  Block kinds: ("p", text), ("p_html", raw), ("img", src, [caption lines], alt),
    ("h", text) subheading, ("raw", html) as is."""
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            out.append(f'<p style="text-align: justify;">{E(block[1])}</p>')
        elif kind == "p_html":
            out.append(block[1])
        elif kind == "h":
            out.append(f"<p><strong>{E(block[1])}</strong></p>")
        elif kind == "raw":
            out.append(block[1])
        elif kind == "img":
            src, captions, alt = block[1], block[2], block[3] if len(block) > 3 else ""
            if style == "table":
                rows = "".join(
                    f'<tr><td style="text-align:center"><em>{E(c)}</em></td></tr>' for c in captions
                )
                out.append(
                    f'<table class="image" align="center" border="0" cellpadding="1" cellspacing="1">'
                    f'<tbody><tr><td><img alt="{E(alt)}" src="{E(src)}" style="width:600px" /></td></tr>'
                    f"{rows}</tbody></table>"
                )
            elif style == "figure":
                cap = "<br/>".join(E(c) for c in captions)
                out.append(
                    f'<figure class="image"><img src="{E(src)}" alt="{E(alt)}" width="680">'
                    f"<figcaption>{cap}</figcaption></figure>"
                )
            else:  # centred paragraphs, CKEditor default
                out.append(
                    f'<p style="text-align: center;"><img alt="{E(alt)}" src="{E(src)}" '
                    f'style="width: 650px; height: 433px;" /></p>'
                )
                for c in captions:
                    out.append(f'<p style="text-align: center;"><em>{E(c)}</em></p>')
    return "\n".join(out)


def _head(a: dict) -> str:
    metas = [f'<meta charset="{a.get("meta_charset", "utf-8")}">' if a.get("meta_charset") != "none" else ""]
    if a.get("og_type"):
        metas.append(f'<meta property="og:type" content="{a["og_type"]}">')
    if a.get("og_title"):
        metas.append(f'<meta property="og:title" content="{E(a["og_title"])}">')
    if a.get("meta_time"):
        metas.append(f'<meta property="article:published_time" content="{a["meta_time"]}">')
    if a.get("meta_author"):
        metas.append(f'<meta name="author" content="{E(a["meta_author"])}">')
    if a.get("canonical"):
        metas.append(f'<link rel="canonical" href="{E(a["canonical"])}">')
    if a.get("jsonld_time"):
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.get("title", ""),
            "datePublished": a["jsonld_time"],
        }
        metas.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    title_tag = a.get("title_tag") or (f"{a.get('title', '')} - {a['site']}" if a.get("title") else a["site"])
    return (
        f"<head>{''.join(metas)}<title>{E(title_tag)}</title>"
        f'<link rel="stylesheet" href="/css/style.css"><script>var _gaq = _gaq || [];</script></head>'
    )


def _menu(a: dict) -> str:
    items = "".join(
        f'<li><a href="/{i}">{E(n)}</a></li>'
        for i, n in enumerate(
            [
                "Trang chủ",
                "Giới thiệu",
                "Tin tức - Sự kiện",
                "Xây dựng Đảng",
                "Văn bản",
                "Thư viện ảnh",
                "Liên hệ",
            ]
        )
    )
    return f'<div id="menu-top" class="menu"><ul>{items}</ul></div>'


def _stats() -> str:
    return (
        '<div class="box"><div class="box-title">Thống kê truy cập</div><div class="box-body">'
        "<p>Đang truy cập: 45</p><p>Hôm nay: 1911</p><p>Đã truy cập: 6556406</p></div></div>"
    )


def _links() -> str:
    return (
        '<div class="box"><h3>Website liên kết</h3><select onchange="window.open(this.value)">'
        '<option>-- Chọn website --</option><option value="https://dangcongsan.vn">Báo Điện tử Đảng Cộng sản'
        "</option></select></div>"
    )


def _hot_list(title: str = "Tin Nóng", with_dates: bool = True) -> str:
    items = "".join(
        f'<li><a href="{h}">{E(t)}</a>'
        + (f' <span class="date">({d})</span>' if with_dates else "")
        + "</li>"
        for h, t, d in SIDEBAR_HOT
    )
    return f'<div class="box"><h3>{title}</h3><ul>{items}</ul></div>'


def _related_ul(items=RELATED, dates: bool = True) -> str:
    return (
        "<ul>"
        + "".join(
            f'<li><a href="{h}">{E(t)}</a>' + (f" ({d})" if dates else "") + "</li>" for h, t, d in items
        )
        + "</ul>"
    )


def _footer(a: dict) -> str:
    return (
        f'<div id="footer"><p>{E(a.get("copyright") or "Bản quyền thuộc về " + a["site"])}</p><p>Địa chỉ: Số 1 đường Trần Hưng Đạo'
        f" - Điện thoại: 0263.3822.333</p><p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></div>"
    )


def page_generic(a: dict) -> str:
    """A WordPress-like custom CMS: <article> with header, entry-content, share bar and related posts."""
    crumbs = (
        f'<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/cat">{E(a["category"])}</a></div>'
        if a.get("category")
        else ""
    )
    date = (
        f'<div class="entry-meta"><span class="posted-on">{E(a["date_text"])}</span></div>'
        if a.get("date_text")
        else ""
    )
    return f"""<!DOCTYPE html><html lang="vi">{_head(a)}<body class="single has-sidebar">
<header id="masthead"><div class="site-branding"><h1 class="site-title"><a href="/">{E(a["site"])}</a></h1></div>
{_menu(a)}</header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main">
{crumbs}
<article class="post type-post"><header class="entry-header"><h1 class="entry-title">{E(a["title"])}</h1>{date}</header>
<div class="entry-content">
{render_blocks(a["blocks"], a.get("img_style", "figure"))}
</div>
<div class="share-buttons">{a.get("tools_html") or '<a href="#">Chia sẻ</a> <a href="#">In bài viết</a> <a href="#">Gửi email</a>'}</div>
<div class="related-posts"><h3>{E(a.get("related_title") or "Tin liên quan")}</h3>{_related_ul()}</div>
</article>
<div id="comments" class="comments-area"><h3>Bình luận</h3><form><textarea name="c"></textarea>
<input type="submit" value="Gửi bình luận"></form></div>
</main></div>
<aside id="secondary" class="widget-area">{_hot_list("Tin mới")}{_stats()}</aside></div>
<footer id="colophon">{_footer(a)}</footer></body></html>"""


def page_dnn(a: dict) -> str:
    """DotNetNuke: everything inside <form id="Form">, modules in dnn_*Pane, a news module with its own
    title/date/content classes, the "Tin khác" list inside the same module."""
    date = f'<div class="news-date">{E(a["date_text"])}</div>' if a.get("date_text") else ""
    byline = f'<div class="news-author">{E(a["author_block"])}</div>' if a.get("author_block") else ""
    return f"""<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" lang="vi-VN">{_head(a)}
<body id="Body"><form method="post" action="{E(a.get("path", "/default.aspx"))}" id="Form" enctype="multipart/form-data">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgYCAQ8W" /></div>
<div id="dnn_wrapper"><div id="dnn_HeaderPane" class="HeaderPane"><img src="/Portals/4/logo.png" alt="logo" width="60" height="60"/>
<span class="site-name">{E(a["site"])}</span></div>
<div id="dnn_MenuPane">{_menu(a)}</div>
<div id="dnn_BreadcrumbPane"><span id="dnn_dnnBREADCRUMB_lblBreadCrumb"><a href="/" class="Breadcrumb">Trang chủ</a> &gt; <a href="/tin-tuc-su-kien" class="Breadcrumb">Tin tức - Sự kiện</a> &gt; <a href="/cat" class="Breadcrumb">{E(a.get("category") or "")}</a></span></div>
<div class="row"><div id="dnn_LeftPane" class="col-md-3 LeftPane">{_hot_list("Tin tiêu điểm")}</div>
<div id="dnn_ContentPane" class="col-md-9 ContentPane"><div class="DnnModule DnnModule-NewsDetail"><a name="1480"></a>
<div id="dnn_ctr1480_ContentPane"><div class="news-detail">
<h1 class="title">{E(a["title"])}</h1>{date}
<div class="news-tools">{a.get("tools_html") or '<a href="#">In bài viết</a> | <a href="#">Gửi email</a>'} | <span>{E(a.get("counter") or "Lượt xem: " + str(a.get("views", 1234)))}</span></div>
<div class="news-content">
{render_blocks(a["blocks"], a.get("img_style", "center"))}
</div>{byline}
<div class="news-other"><div class="title-other">{E(a.get("related_title") or "Các tin khác")}</div>{_related_ul()}</div>
</div></div></div></div></div>
<div id="dnn_FooterPane">{_footer(a)}{_stats()}</div></div></form></body></html>"""


def page_nukeviet(a: dict) -> str:
    """NukeViet 4 news module: detail.tpl markup (news_column panels, #news-bodyhtml, "Những tin mới hơn")."""
    date = f'<span class="h5">{E(a["date_text"])}</span>' if a.get("date_text") else ""
    author = (
        f'<div class="margin-bottom-lg"><p class="h5 text-right"><strong>{E(a["author_block"])}</strong></p></div>'
        if a.get("author_block")
        else ""
    )
    hometext = f'<div class="hometext m-bottom">{E(a["hometext"])}</div>' if a.get("hometext") else ""
    return f"""<!DOCTYPE html><html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">{_head(a)}
<body><noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ trợ JavaScript.</div></noscript>
<div class="body-bg"><div class="wraper"><header><div class="container"><div id="header" class="row">
<div class="logo col-xs-24 col-sm-24 col-md-8"><a title="{E(a["site"])}" href="/"><img src="/uploads/logo.png" width="300" height="80" alt="{E(a["site"])}"></a></div></div></div></header>
<nav class="second-nav" id="menusite">{_menu(a)}</nav>
<section><div class="container" id="body"><nav class="third-nav"><div class="row"><div class="bg"><div class="clearfix">
<div class="breadcrumbs-wrap"><div class="display"><ul class="breadcrumbs list-none"></ul></div>
<ul class="temp-breadcrumbs hidden" itemscope itemtype="https://schema.org/BreadcrumbList">
<li itemprop="itemListElement"><a href="/" itemprop="item"><span itemprop="name">Trang nhất</span></a></li>
<li itemprop="itemListElement"><a href="/news/" itemprop="item"><span itemprop="name">Tin tức</span></a></li>
<li itemprop="itemListElement"><a href="/news/cat/" itemprop="item"><span itemprop="name">{E(a.get("category") or "")}</span></a></li>
</ul></div></div></div></div></nav>
<div class="row"><div class="col-md-18">
<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope><div class="panel-body">
<h1 class="title margin-bottom-lg" itemprop="headline">{E(a["title"])}</h1>
<div class="row margin-bottom-lg"><div class="col-md-12">{date}</div><div class="col-md-12">
<ul class="list-inline text-right"><li><a class="dimgray" rel="nofollow" title="Gửi bài viết qua email" href="#"><em class="fa fa-envelope fa-lg">&nbsp;</em></a></li>
<li><a class="dimgray" rel="nofollow" title="In ra" href="#"><em class="fa fa-print fa-lg">&nbsp;</em></a></li></ul></div></div>
{hometext}
<div id="news-bodyhtml" class="bodytext margin-bottom-lg">
{render_blocks(a["blocks"], a.get("img_style", "center"))}
</div>
{author}
</div></div>
<div class="news_column panel panel-default"><div class="panel-body">
<div class="h5"><em class="fa fa-eye">&nbsp;</em> {E(a.get("counter") or "Lượt xem: " + str(a.get("views", 870)))}</div>
<div class="socialicon clearfix margin-bottom-lg"><div class="fb-like"></div><a href="#" class="twitter-share-button">Tweet</a></div>
</div></div>
<div class="news_column panel panel-default"><div class="panel-body other-news">
<p class="h3"><strong>Những tin mới hơn</strong></p><div class="clearfix">{_related_ul()}</div>
<p class="h3"><strong>Những tin cũ hơn</strong></p><div class="clearfix">{_related_ul(RELATED[:2])}</div>
</div></div>
</div><div class="col-md-6">{_hot_list("Tin đọc nhiều")}{_stats()}</div></div></div></section>
<footer id="footer">{_footer(a)}</footer></div></div></body></html>"""


def page_detailview(a: dict) -> str:
    """ASP.NET "DetailView" CMS: ContentPlaceHolder, path/title/date/content with *-detail classes, a counter
    line "[ Cập nhật vào ngày (…) ] - [ Số lần xem: … ]", a reader-comment box and an ad slot inside the column."""
    date = f'<div class="date-detail">{E(a["date_text"])}</div>' if a.get("date_text") else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">{_head(a)}<body>
<form name="aspnetForm" method="post" action="{E(a.get("path", "/default.aspx"))}" id="aspnetForm">
<div><input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwULLTEyMTk4NTk5OTNkZA==" /></div>
<table width="1000" align="center" cellpadding="0" cellspacing="0"><tr><td colspan="3" class="banner-top"><img src="/Images/banner.jpg" alt="{E(a["site"])}"/></td></tr>
<tr><td colspan="3">{_menu(a)}</td></tr>
<tr><td width="220" valign="top" class="left-col">{_hot_list("Tin tiêu điểm")}{_links()}</td>
<td width="560" valign="top"><div id="ctl00_ContentPlaceHolder1_pnDetail" class="detail-news">
<div class="path-detail"><a href="/">Trang chủ</a> &gt; <a href="/cat">{E(a.get("category") or "")}</a></div>
<div class="title-detail">{E(a["title"])}</div>
{date}
<div class="content-detail">
{render_blocks(a["blocks"], a.get("img_style", "table"))}
</div>
<div class="comment-detail"><div class="comment-title">Các ý kiến của bạn đọc</div><div>Chưa có ý kiến nào.</div></div>
<div class="adv-detail">Không có quảng cáo</div>
<div class="other-news-detail"><div class="other-title">{E(a.get("related_title") or "Các tin khác")}</div>{_related_ul()}</div>
</div></td>
<td width="220" valign="top" class="right-col">{_stats()}</td></tr>
<tr><td colspan="3">{_footer(a)}</td></tr></table></form></body></html>"""


def page_sharepoint(a: dict) -> str:
    """SharePoint publishing page ("Trang" library): s4-workspace, web part zones, ChiTietTin field controls,
    then search box, "Tin Nóng", "Tin tiêu điểm", "Lịch công tác", "Website liên kết", visitor statistics."""
    date = f'<div class="NgayDang">{E(a["date_text"])}</div>' if a.get("date_text") else ""
    return f"""<!DOCTYPE html><html dir="ltr" lang="vi-VN">{_head(a)}<body scroll="yes">
<form method="post" action="./ChiTietTinTuc.aspx" id="aspnetForm"><div id="s4-ribbonrow"><span>Đăng nhập</span></div>
<div id="s4-workspace"><div id="s4-bodyContainer"><div class="header-top">{E(a["site"])}</div>{_menu(a)}
<div class="ms-breadcrumb"><span><a href="/">Trang chủ</a></span> &gt; <span><a href="/Trang/cat.aspx">{E(a.get("category") or "")}</a></span></div>
<div class="row"><div class="col-main"><div class="ms-webpart-zone ms-fullWidth"><div class="ms-webpartzone-cell">
<div class="ChiTietTin"><div class="TieuDe">{E(a["title"])}</div>
{date}
<div class="NoiDung">
{render_blocks(a["blocks"], a.get("img_style", "center"))}
</div>
<div class="CongCu">{a.get("tools_html") or '<a href="#">In bài viết</a> <a href="#">Về đầu trang</a>'}</div></div>
<div class="TinKhac"><h4>{E(a.get("related_title") or "Tin cùng chuyên mục")}</h4>{_related_ul()}</div>
</div></div></div>
<div class="col-right"><div class="box"><div>Tìm kiếm theo chuyên mục - nội dung - ngày tháng</div><input type="text" name="k"/></div>
{_hot_list("Tin Nóng")}{_hot_list("Tin tiêu điểm", with_dates=False)}
<div class="box"><h3>Lịch công tác</h3><p>Lịch công tác trống</p></div>{_links()}{_stats()}</div></div>
{_footer(a)}</div></div></form></body></html>"""


def page_liferay(a: dict) -> str:
    """Liferay asset publisher: portlet sections, asset-full-content with header-title and metadata, then
    ratings, asset links ("Tin liên quan") and a breadcrumb portlet."""
    date = (
        f'<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">{E(a["date_text"])}'
        f'</span><span class="metadata-entry metadata-view-count">{a.get("views", 312)} Lượt xem</span></div>'
        if a.get("date_text")
        else ""
    )
    return f"""<!DOCTYPE html><html class="ltr" dir="ltr" lang="vi-VN">{_head(a)}
<body class="controls-visible yui3-skin-sam signed-out public-page site"><a href="#main-content" id="skip-to-content">Nhảy tới nội dung</a>
<div id="wrapper"><header id="banner" role="banner"><div id="heading"><h1 class="site-title"><a class="logo default-logo" href="/"><img alt="" height="90" src="/image/logo" width="900" /></a></h1></div>
<nav class="sort-pages modify-pages" id="navigation">{_menu(a)}</nav></header>
<div id="content"><div class="portlet-boundary portlet-breadcrumb"><ul class="breadcrumb breadcrumb-horizontal">
<li class="first"><a href="/">Trang chủ</a><span class="divider">/</span></li><li class="current-parent"><a href="/cat">{E(a.get("category") or "")}</a></li></ul></div>
<div class="columns-2" id="main-content" role="main"><div class="portlet-layout row-fluid"><div class="portlet-column span8" id="column-1">
<section class="portlet" id="portlet_101_INSTANCE_abc"><div class="portlet-body"><div class="asset-full-content default-asset-publisher">
<h3 class="header-title"><span>{E(a["title"])}</span></h3>
{date}
<div class="asset-content"><div class="journal-content-article">
{render_blocks(a["blocks"], a.get("img_style", "figure"))}
</div></div>
<div class="asset-ratings"><div class="taglib-ratings stars">Đánh giá</div></div>
<div class="asset-links"><h2 class="asset-links-title">{E(a.get("related_title") or "Tin liên quan")}</h2>{_related_ul()}</div>
</div></div></section></div>
<div class="portlet-column span4" id="column-2">{_hot_list("Tin mới nhất")}{_stats()}</div></div></div></div>
<footer id="footer" role="contentinfo">{_footer(a)}</footer></div></body></html>"""


def page_listing(a: dict) -> str:
    """A category listing: repeated items of headline link + date + teaser, pagination."""
    items = "".join(
        f'<div class="news-item"><a href="{h}"><img src="/img/{i}.jpg" width="160" height="100"/></a>'
        f'<h3><a href="{h}">{E(t)}</a></h3><span class="date">{d}</span><p class="sapo">{E(s)}</p></div>'
        for i, (h, t, d, s) in enumerate(a["items"])
    )
    pages = "".join(f'<a href="?page={n}">{n}</a> ' for n in range(1, 6))
    return f"""<!DOCTYPE html><html lang="vi">{_head(a)}<body><div id="header">{E(a["site"])}</div>{_menu(a)}
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/cat">{E(a["category"])}</a></div>
<div class="main"><h1 class="cat-title">{E(a["category"])}</h1><div class="list-news">{items}</div>
<div class="paging">{pages}</div></div><div class="sidebar">{_hot_list()}{_stats()}</div>{_footer(a)}</body></html>"""


def page_other(a: dict) -> str:
    """Contact page, gallery, search results: the page body is given whole."""
    return f"""<!DOCTYPE html><html lang="vi">{_head(a)}<body><div id="header">{E(a["site"])}</div>{_menu(a)}
<div class="main">{a["main_html"]}</div><div class="sidebar">{_hot_list()}{_stats()}</div>{_footer(a)}</body></html>"""


TEMPLATES = {
    "generic": page_generic,
    "dnn": page_dnn,
    "nukeviet": page_nukeviet,
    "detailview": page_detailview,
    "sharepoint": page_sharepoint,
    "liferay": page_liferay,
    "listing": page_listing,
    "other": page_other,
}


def page_generic_no_h1(a: dict) -> str:
    """An older custom CMS whose headline is a bold paragraph: only <title>/og:title name the article."""
    page = page_generic(a)
    return page.replace(
        f'<h1 class="entry-title">{E(a["title"])}</h1>',
        f'<p class="subject"><strong>{E(a["title"])}</strong></p>',
    )


TEMPLATES["generic_no_h1"] = page_generic_no_h1


def page_vnportal(a: dict) -> str:
    """VNPT vnPortal: portlet layout (PageLayout/PortletContainer), ArticleDetail with ArticleHeader, ArticleDate,
    ArticleContent, then a tool bar ("Bản in", "Gửi bài viết"), a view counter and "Các bài viết khác"."""
    date = f'<div class="ArticleDate">{E(a["date_text"])}</div>' if a.get("date_text") else ""
    sapo = f'<div class="ArticleSapo"><strong>{E(a["sapo"])}</strong></div>' if a.get("sapo") else ""
    return f"""<!DOCTYPE html><html lang="vi">{_head(a)}<body class="vnp-body">
<div class="PageLayout"><div class="PageHeader"><div class="SiteTitle">{E(a["site"])}</div>{_menu(a)}</div>
<div class="PortletContainer BreadCrumbPortlet"><a href="/">Trang chủ</a> / <a href="/cat">{E(a.get("category") or "")}</a></div>
<div class="PageContent"><div class="LeftColumn">
<div class="PortletContainer"><div class="ArticleDetail"><div class="ArticleHeader"><h2 class="ArticleTitle">{E(a["title"])}</h2>{date}</div>
{sapo}<div class="ArticleContent">
{render_blocks(a["blocks"], a.get("img_style", "table"))}
</div>
<div class="ArticleToolbar">{a.get("tools_html") or '<a href="#">Bản in</a> <a href="#">Gửi bài viết</a>'}<span class="ViewCount">{E(a.get("counter") or "Số lượt truy cập: 2.345")}</span></div>
</div></div>
<div class="PortletContainer OtherArticles"><div class="PortletTitle">{E(a.get("related_title") or "Các bài viết khác")}</div>{_related_ul()}</div>
</div><div class="RightColumn">{_hot_list("Tin nổi bật")}{_links()}{_stats()}</div></div>
<div class="PageFooter">{_footer(a)}</div></div></body></html>"""


TEMPLATES["vnportal"] = page_vnportal
