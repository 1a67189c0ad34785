"""Canonical article URLs and the stable ``article_id`` derived from them.

The same article is reached through many URLs (tracking parameters, fragments, parameter order, http/https
mirrors).  The id must not change between crawls, so it is a hash of the canonical form only.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Tracking and session parameters that never select content.
_DROP_PARAM_RE = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|zarsrc|_ga|mc_[a-z]+|ref_src)$", re.IGNORECASE
)


@lru_cache(maxsize=4096)  # pure; a portal's menus and sidebars link the same URLs from every page
def canonical_url(url: str, canonical_link: str | None = None) -> str:
    """Canonical form of ``url``: tracking parameters dropped, query sorted, fragment removed (w3lib).

    A page's own ``<link rel="canonical">`` wins when it points to the same host (some CMSs put the home page or a
    foreign mirror there, which would merge unrelated articles, so other hosts are ignored).
    """
    chosen = url
    if canonical_link:
        candidate = urljoin(url, canonical_link.strip())
        if _host(candidate) and _host(candidate) == _host(url):
            chosen = candidate
    parts = urlsplit(chosen.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _DROP_PARAM_RE.match(k)]
    rebuilt = urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )
    return canonicalize_url(rebuilt, keep_fragments=False)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def article_id(url: str) -> str:
    """First 16 hex digits of sha1(canonical url): short, stable across crawls, same as the store's key."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


# Print views of an article: ``?print=1``, ``?view=print``, a ``/print/`` path segment (NukeViet, WordPress).
_PRINT_PARAM_RE = re.compile(r"^(print|printable|printview|print_view|inbai)$", re.IGNORECASE)
_PRINT_VALUE_KEYS = {"view", "mode", "layout", "format", "type", "tmpl", "display"}


def portal_article_url(url: str, home_url: str | None = None) -> str:
    """One URL per article within a portal, for the store's ``url`` and ``article_id``.

    ``canonical_url`` plus what portals serve the same article under: print views (``?print=1``,
    ``?view=print``, a ``/print/`` path segment) and a trailing slash are dropped; on the portal's own host
    (``home_url``, with or without ``www.``) scheme and ``www.`` follow the registry's home URL, so
    ``http://www.x.vn/tin/1/`` and ``https://x.vn/tin/1?print=1`` are one article.
    """
    parts = urlsplit(canonical_url(url))
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _PRINT_PARAM_RE.match(k) and not (k.lower() in _PRINT_VALUE_KEYS and v.lower() == "print")
    ]
    query_text = (
        parts.query if len(query) == len(parse_qsl(parts.query, keep_blank_values=True)) else urlencode(query)
    )
    segments = [s for s in parts.path.split("/") if s.lower() != "print"]
    path = "/".join(segments) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    scheme, netloc = parts.scheme, parts.netloc
    if home_url:
        home = urlsplit(home_url)
        if home.hostname and _host(url) == _host(home_url) and (parts.port or None) == (home.port or None):
            scheme, netloc = home.scheme.lower() or scheme, home.netloc.lower()
    return urlunsplit((scheme, netloc, path, query_text, ""))


# An article's own pagination: "?page=2", "?trang=2", "/trang-2", "/page-2" (NukeViet-style suffixes included).
_PAGE_PARAMS = ("page", "trang", "p", "pageindex", "pagenumber", "pg", "paged", "currentpage")
_PAGE_PATH_RE = re.compile(r"(?:/|-)(?:trang|page)-?(?P<n>\d{1,3})(?P<ext>\.html?|\.aspx)?/?$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def article_page(url: str) -> tuple[str, int]:
    """(the URL of the whole article, this page's number): ``/a.html?page=2`` -> (``/a.html``, 2); a URL
    without a page marker is page 1 of itself."""
    parts = urlsplit(url.strip())
    query = parse_qsl(parts.query, keep_blank_values=True)
    number = None
    kept = []
    for key, value in query:
        if key.lower() in _PAGE_PARAMS and value.isdigit() and number is None:
            number = int(value)
        else:
            kept.append((key, value))
    path = parts.path
    if number is None:
        match = _PAGE_PATH_RE.search(path)
        if match:
            number = int(match.group("n"))
            path = path[: match.start()] + (match.group("ext") or "")
    base = canonical_url(urlunsplit((parts.scheme, parts.netloc, path or "/", urlencode(kept), "")))
    return base, (number if number is not None else 1)
