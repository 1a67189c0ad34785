"""The portal registry: which portals exist, as data.

A portal is one ``[[portal]]`` table in a TOML file.  Only ``id``, ``name``, ``province`` and ``url`` are
required; everything else is a hint that sharpens discovery or extraction.  The registry shipped with the
package lives beside this module (``portals.toml``); users pass their own with ``--portals-file``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REQUIRED = ("id", "name", "province", "url")
KNOWN_LEVELS = ("province", "district", "agency", "sample")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_HEADER_RE = re.compile(r"^\s*\[\[\s*portal\s*\]\]\s*(?:#.*)?$")
_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    province: str
    url: str
    level: str = "province"
    platform: str = "generic"  # CMS family: generic, nukeviet, dnn, detailview, sharepoint, liferay, ...
    verified: bool = False  # False: structure not checked against the live site
    listing_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    article_url_pattern: str | None = None  # regex matched against the URL path+query
    selectors: dict[str, str] = field(default_factory=dict)  # content, title, date, author, category
    allowed_domains: tuple[str, ...] = ()
    concurrency: int = 2
    delay: float = 0.5
    notes: str = ""

    @property
    def domain(self) -> str:
        return urlsplit(self.url).hostname or ""

    def domains(self) -> tuple[str, ...]:
        return self.allowed_domains or (self.domain,)


@dataclass(frozen=True)
class Registry:
    portals: tuple[Portal, ...]
    source: str

    def get(self, portal_id: str) -> Portal:
        for portal in self.portals:
            if portal.id == portal_id:
                return portal
        known = ", ".join(p.id for p in self.portals[:12])
        more = " ..." if len(self.portals) > 12 else ""
        raise RegistryError(f"unknown portal id {portal_id!r} in {self.source} (known: {known}{more})")

    def select(self, portal_ids: list[str] | tuple[str, ...] | None) -> list[Portal]:
        if not portal_ids:
            return list(self.portals)
        return [self.get(pid) for pid in portal_ids]

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.portals]


def shipped_registry_path() -> Path:
    return Path(str(resources.files("etl.portals").joinpath("portals.toml")))


def load_registry(path: str | Path | None = None) -> Registry:
    """Load and validate a registry file (the shipped one when ``path`` is None)."""
    file = Path(path) if path is not None else shipped_registry_path()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"portals file not found: {file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"cannot read portals file {file}: {exc}") from None
    return parse_registry(text, str(file))


def parse_registry(text: str, source: str = "<string>") -> Registry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: malformed TOML: {exc}") from None
    entries = data.get("portal")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{source}: no [[portal]] entries found")
    header_lines = [i + 1 for i, line in enumerate(text.splitlines()) if _HEADER_RE.match(line)]
    if len(header_lines) != len(entries):
        header_lines = []  # cannot align headers with entries: fall back to "portal #N"
    portals: list[Portal] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = header_lines[index] if index < len(header_lines) else None
        where = f"{source}: line {line}" if line else f"{source}: portal #{index + 1}"
        portal = _portal_from_entry(entry, where)
        if portal.id in seen:
            raise RegistryError(f"{where}: duplicate portal id {portal.id!r}")
        seen[portal.id] = index
        portals.append(portal)
    return Registry(tuple(portals), source)


def _portal_from_entry(entry: dict[str, Any], where: str) -> Portal:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: each [[portal]] must be a table")
    missing = [key for key in REQUIRED if not str(entry.get(key, "")).strip()]
    if missing:
        raise RegistryError(f"{where}: portal is missing required field(s): {', '.join(missing)}")
    portal_id = str(entry["id"])
    if not _ID_RE.match(portal_id):
        raise RegistryError(f"{where}: portal id {portal_id!r} must be lower-case letters, digits, '-' or '_'")
    url = str(entry["url"])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"{where}: portal {portal_id!r} has an invalid url {url!r} (need http(s)://host/)")
    level = str(entry.get("level", "province"))
    if level not in KNOWN_LEVELS:
        raise RegistryError(f"{where}: portal {portal_id!r}: level must be one of {', '.join(KNOWN_LEVELS)}")
    pattern = entry.get("article_url_pattern")
    if pattern is not None and not isinstance(pattern, str):
        raise RegistryError(f"{where}: portal {portal_id!r}: article_url_pattern must be a string")
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RegistryError(f"{where}: portal {portal_id!r}: bad article_url_pattern: {exc}") from None
    selectors = entry.get("selectors", {})
    if not isinstance(selectors, dict):
        raise RegistryError(f"{where}: portal {portal_id!r}: selectors must be a table")
    if not all(isinstance(v, str) for v in selectors.values()):
        raise RegistryError(f"{where}: portal {portal_id!r}: selector values must be strings")
    verified = entry.get("verified", False)
    if not isinstance(verified, bool):
        raise RegistryError(f"{where}: portal {portal_id!r}: verified must be true or false")
    known = {
        "id", "name", "province", "url", "level", "platform", "verified", "listing_urls", "feeds",
        "sitemaps", "article_url_pattern", "selectors", "allowed_domains", "concurrency", "delay", "notes",
    }
    unknown = sorted(set(entry) - known)
    if unknown:
        raise RegistryError(f"{where}: portal {portal_id!r}: unknown field(s): {', '.join(unknown)}")

    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RegistryError(f"{where}: portal {portal_id!r}: {key} must be a list of strings")
        return tuple(value)

    concurrency_value, delay_value = entry.get("concurrency", 2), entry.get("delay", 0.5)
    if isinstance(concurrency_value, bool) or isinstance(delay_value, bool):
        raise RegistryError(f"{where}: portal {portal_id!r}: concurrency/delay must be numbers")
    try:
        concurrency = int(concurrency_value)
        delay = float(delay_value)
    except (TypeError, ValueError):
        raise RegistryError(f"{where}: portal {portal_id!r}: concurrency/delay must be numbers") from None
    return Portal(
        id=portal_id,
        name=str(entry["name"]),
        province=str(entry["province"]),
        url=url,
        level=level,
        platform=str(entry.get("platform", "generic")),
        verified=verified,
        listing_urls=strings("listing_urls"),
        feeds=strings("feeds"),
        sitemaps=strings("sitemaps"),
        article_url_pattern=pattern or None,
        selectors={str(k): str(v) for k, v in selectors.items()},
        allowed_domains=strings("allowed_domains"),
        concurrency=max(1, concurrency),
        delay=max(0.0, delay),
        notes=str(entry.get("notes", "")),
    )


def portals_to_toml(portals: list[Portal]) -> str:
    """Write portals back out as registry TOML (used to hand a registry to the crawler subprocess)."""

    def q(value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        escaped = re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
        return '"' + escaped + '"'

    def key(name: str) -> str:
        return name if _BARE_KEY_RE.match(name) else q(name)

    out: list[str] = []
    for p in portals:
        out.append("[[portal]]")
        out.append(f"id = {q(p.id)}")
        out.append(f"name = {q(p.name)}")
        out.append(f"province = {q(p.province)}")
        out.append(f"url = {q(p.url)}")
        out.append(f"level = {q(p.level)}")
        out.append(f"platform = {q(p.platform)}")
        out.append(f"verified = {'true' if p.verified else 'false'}")
        for field_name in ("listing_urls", "feeds", "sitemaps", "allowed_domains"):
            values = getattr(p, field_name)
            if values:
                out.append(f"{field_name} = [{', '.join(q(v) for v in values)}]")
        if p.article_url_pattern:
            out.append(f"article_url_pattern = {q(p.article_url_pattern)}")
        out.append(f"concurrency = {p.concurrency}")
        out.append(f"delay = {p.delay}")
        if p.notes:
            out.append(f"notes = {q(p.notes)}")
        if p.selectors:
            out.append("[portal.selectors]")
            for name, value in p.selectors.items():
                out.append(f"{key(name)} = {q(value)}")
        out.append("")
    return "\n".join(out)
