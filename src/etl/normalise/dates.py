"""Vietnamese publication dates: machine-readable meta values and the visible forms portals print.

Everything returned is a naive ``datetime`` in Vietnam local time (UTC+7, no DST), because that is how the
portals think of their dates and how analysts query them.  Relative and partial dates ("Ngày 04/5") are resolved
against a reference time passed in by the caller (the fetch time), never against the clock.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from etl.normalise.text import clean_text

log = logging.getLogger(__name__)

VIETNAM_TZ = timezone(timedelta(hours=7))
# Portals did not exist before the late 1990s; anything earlier is a misparse (or a historic date in prose).
MIN_YEAR = 1995

_TIME = (
    r"(?P<hour>[01]?\d|2[0-3])\s*(?::|h|giờ)\s*(?P<minute>[0-5]\d)?(?:\s*(?::|phút)\s*(?P<second>[0-5]\d))?"
)
_DMY = r"(?P<day>[0-3]?\d)\s*[/.\-]\s*(?P<month>[01]?\d)\s*[/.\-]\s*(?P<year>(?:19|20)\d\d)"
_ISO = r"(?P<iyear>(?:19|20)\d\d)-(?P<imonth>[01]\d)-(?P<iday>[0-3]\d)(?:[T ](?P<ihour>[0-2]\d):(?P<iminute>[0-5]\d))?"
_WORDS = r"ngày\s+(?P<wday>[0-3]?\d)\s+tháng\s+(?P<wmonth>[01]?\d)\s*(?:,\s*)?năm\s+(?P<wyear>(?:19|20)\d\d)"
_DMY_RE = re.compile(
    rf"(?:{_TIME}\s*(?:,|-|\|)?\s*(?:ngày\s+)?)?\b{_DMY}\b(?:\s*(?:,|-|\||lúc)?\s*{_TIME.replace('?P<', '?P<t2')})?",
    re.IGNORECASE,
)
_ISO_RE = re.compile(_ISO)
_WORDS_RE = re.compile(_WORDS, re.IGNORECASE)
# "Ngày 04/5", "Sáng 25/6", "chiều 15/6": day and month only; the year comes from context.
_PARTIAL_RE = re.compile(
    r"\b(?:ngày|sáng|chiều|tối|trưa|đêm|hôm)\s+(?:nay\s+)?\(?(?P<day>[0-3]?\d)\s*/\s*(?P<month>[01]?\d)\b(?!\s*/\s*\d)",
    re.IGNORECASE,
)


def to_local_naive(value: datetime) -> datetime:
    """Aware -> Vietnam wall-clock time without tzinfo; naive values are taken as already local."""
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM_TZ).replace(tzinfo=None)
    return value.replace(microsecond=0)


def parse_iso_datetime(value: str) -> datetime | None:
    """Meta/JSON-LD values: ISO 8601 with or without offset ("2020-06-25T15:18:00+07:00", "...Z", "2020-06-25")."""
    text = (value or "").strip()
    if not text:
        return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    candidate = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", candidate)  # +0700 -> +07:00
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return parse_vietnamese_date(text)
    return _plausible(to_local_naive(parsed))


def _plausible(value: datetime | None) -> datetime | None:
    if value is None or value.year < MIN_YEAR or value.year > 2100:
        return None
    return value


def _build(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime | None:
    try:
        return _plausible(datetime(year, month, day, hour, minute, second))
    except ValueError:
        return None


def _int(value: str | None) -> int:
    return int(value) if value else 0


def parse_vietnamese_date(text: str, reference: datetime | None = None) -> datetime | None:
    """The first full date in ``text``: "25/06/2020 15:18", "Thứ Ba, 05/05/2020 09:00", "15:18 25/6/2020",
    "[ Cập nhật vào ngày (01/07/2020) ]", "ngày 12 tháng 8 năm 2024", "2020-06-25 15:18".

    Regular expressions cover the forms portals print (fast and predictable); dateparser is the fallback for the
    rest.  ``reference`` is only used by the fallback for relative expressions.
    """
    if not text:
        return None
    text = clean_text(text)
    found: list[tuple[int, datetime]] = []
    for match in _DMY_RE.finditer(text):
        hour, minute, second = 0, 0, 0
        if match.group("hour") is not None:
            hour, minute, second = (
                _int(match.group("hour")),
                _int(match.group("minute")),
                _int(match.group("second")),
            )
        elif match.group("t2hour") is not None:
            hour, minute = _int(match.group("t2hour")), _int(match.group("t2minute"))
            second = _int(match.group("t2second"))
        value = _build(
            int(match.group("year")), int(match.group("month")), int(match.group("day")), hour, minute, second
        )
        if value:
            found.append((match.start("day"), value))
            break
    for match in _WORDS_RE.finditer(text):
        value = _build(int(match.group("wyear")), int(match.group("wmonth")), int(match.group("wday")))
        if value:
            found.append((match.start(), value))
            break
    for match in _ISO_RE.finditer(text):
        value = _build(
            int(match.group("iyear")),
            int(match.group("imonth")),
            int(match.group("iday")),
            _int(match.group("ihour")),
            _int(match.group("iminute")),
        )
        if value:
            found.append((match.start(), value))
            break
    if found:
        return min(found, key=lambda item: item[0])[1]
    return _dateparser_fallback(text, reference)


def parse_partial_date(text: str, reference: datetime) -> datetime | None:
    """ "Ngày 04/5", "Sáng 25/6": a day and month whose year is the reference's (or the year before, when the
    date would otherwise lie after the reference, e.g. "Ngày 28/12" read on 3 January)."""
    match = _PARTIAL_RE.search(clean_text(text))
    if not match:
        return None
    ref = to_local_naive(reference)
    value = _build(ref.year, int(match.group("month")), int(match.group("day")))
    if value and value > ref + timedelta(days=2):
        value = _build(ref.year - 1, int(match.group("month")), int(match.group("day")))
    return value


@lru_cache(maxsize=1)
def _dateparser():  # pragma: no cover - import cost only
    import dateparser

    return dateparser


def _dateparser_fallback(text: str, reference: datetime | None) -> datetime | None:
    # Only short strings that mention a date-ish token: dateparser is slow and happy to read numbers as dates.
    if len(text) > 80 or not re.search(r"\d", text) or not re.search(r"(?i)tháng|năm|ngày|/|-", text):
        return None
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    if reference is not None:
        settings["RELATIVE_BASE"] = to_local_naive(reference)
    try:
        parsed = _dateparser().parse(text, languages=["vi"], settings=settings)
    except Exception as exc:  # noqa: BLE001 - dateparser raises a zoo of errors on odd input; a date is optional
        log.debug("dateparser failed on %r: %s", text, exc)
        return None
    return _plausible(parsed.replace(microsecond=0)) if parsed else None


_URL_YMD_RE = re.compile(r"/((?:19|20)\d\d)[/_-]([01]?\d)[/_-]([0-3]?\d)(?:/|$|[_-])")
# baochinhphu/VCCorp-style ids: -{3 digits}{yyMMddHHmmss}{3+ digits}.htm encode the publication time.
_URL_VCC_RE = re.compile(r"-\d{3}(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\d{3,}\.html?$")


def date_from_url(url: str) -> datetime | None:
    """Dates some CMSs put in article URLs (/2020/06/25/, VCCorp-style ids)."""
    match = _URL_VCC_RE.search(url.split("?")[0])
    if match:
        yy, mm, dd, hh, mi, ss = (int(g) for g in match.groups())
        return _build(2000 + yy, mm, dd, hh, mi, ss)
    match = _URL_YMD_RE.search(url)
    if match:
        return _build(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


def as_date(value: datetime | None) -> date | None:
    return value.date() if value else None
