"""References to Party and State documents: "Chỉ thị số 35-CT/TW, ngày 30/5/2019 của Bộ Chính trị".

What counts as a reference (the annotation guideline of the labelled sample, ``tests/facts/labelled``):
a mention of one *identified* document, i.e. one with a number or a code.  "Nghị quyết Đại hội", "Nghị quyết
Trung ương 4 khóa XII" or "Chỉ thị của Bộ Chính trị" name no number and are not references here.

Three shapes are recognised:

* Party codes ``<số>-<loại>/<cấp>``: "35-CT/TW", "100-KH/TU", "08-QĐi/TW", "79-CTr/TU" (level = after "/");
* State codes ``<số>[/<năm>]/<loại>-<cơ quan>``: "245/2020/NQ-HĐND", "42/NQ-CP", "12/2018/QĐ-TTg"
  (level = the issuing body after "-") and laws/resolutions of the National Assembly "30/2021/QH15";
* a document word with a bare number: "Chỉ thị 16 của Thủ tướng Chính phủ", "Chỉ thị số 44, 47, 48".

A code found on its own (in a list "nghị quyết số 03-NQ/TU, 04-NQ/TU, 05-NQ/TU") takes its kind from the code.
Matching runs on the tone-normalised text ("uỷ" → "ủy"), which has the same length as the original, so spans
and offsets index the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from etl.normalise.text import normalise_tone_marks

# Canonical kind -> regex of its spellings (matched case-insensitively).
KIND_WORDS: dict[str, str] = {
    "Nghị quyết": r"nghị\s+quyết(?:\s+liên\s+tịch|\s+chuyên\s+đề)?",
    "Chỉ thị": r"chỉ\s+thị",
    "Kết luận": r"kết\s+luận",
    "Kế hoạch": r"kế\s+hoạch(?:\s+liên\s+tịch)?",
    "Chương trình": r"chương\s+trình(?:\s+hành\s+động|\s+phối\s+hợp)?",
    "Quyết định": r"quyết\s+định",
    "Quy định": r"quy\s+định",
    "Thông báo": r"thông\s+báo(?:\s+kết\s+luận)?",
    "Công điện": r"công\s+điện(?:\s+khẩn)?",
    "Công văn": r"công\s+văn",
    "Hướng dẫn": r"hướng\s+dẫn",
    "Thông tư": r"thông\s+tư(?:\s+liên\s+tịch)?",
    "Thông tri": r"thông\s+tri",
    "Nghị định": r"nghị\s+định",
    "Luật": r"luật",
    "Pháp lệnh": r"pháp\s+lệnh",
    "Đề án": r"đề\s+án",
    "Quy chế": r"quy\s+chế",
    "Báo cáo": r"báo\s+cáo",
    "Tờ trình": r"tờ\s+trình",
}

# Type abbreviation of a code -> kind.  Party codes (``35-CT/TW``) and State codes (``16/CT-TTg``) share most.
_CODE_KINDS: dict[str, str] = {
    "NQ": "Nghị quyết", "NQLT": "Nghị quyết", "CT": "Chỉ thị", "KL": "Kết luận", "KH": "Kế hoạch",
    "CTR": "Chương trình", "QĐ": "Quyết định", "QĐI": "Quy định", "TB": "Thông báo", "CĐ": "Công điện",
    "CV": "Công văn", "HD": "Hướng dẫn", "HDLT": "Hướng dẫn", "NĐ": "Nghị định", "ĐA": "Đề án",
    "QC": "Quy chế", "BC": "Báo cáo", "TTR": "Tờ trình", "PL": "Pháp lệnh", "KHLT": "Kế hoạch",
}
_PARTY_ONLY = {"TT": "Thông tri"}  # "12-TT/TW"
_STATE_ONLY = {"TT": "Thông tư", "TTLT": "Thông tư", "TTR": "Tờ trình"}

_UP = "A-ZĐÂĂÊÔƠƯ"
_LETTERS = "A-Za-zĐđÂĂÊÔƠƯâăêôơư"
_ABBR = rf"[{_UP}][{_LETTERS}]{{0,5}}"
_BODY = rf"[{_UP}][{_UP}a-zđ0-9]{{0,12}}"
_DASH = r"[-–]"
# A number of 1-5 digits not glued to a word, code or figure before it: (?<![\w/.,-])\d{1,5}, written with the
# look-behind after the first digit so that the pattern starts with \d and re skips quickly from digit to digit.
_NUM = r"(?P<num>\d(?<![\w/.,-]\d)\d{0,4})"

PARTY_CODE = re.compile(
    rf"{_NUM}\s?{_DASH}\s?(?P<type>{_ABBR})\s?/\s?(?P<level>{_BODY}(?:{_DASH}{_BODY})?)(?![\w/])"
)
STATE_CODE = re.compile(
    rf"{_NUM}(?:/(?P<year>(?:19|20)\d\d))?/(?P<type>{_ABBR}){_DASH}(?P<level>{_BODY}(?:{_DASH}{_BODY})*)(?![\w/])"
)
LAW_CODE = re.compile(rf"{_NUM}/(?P<year>(?:19|20)\d\d)/(?P<level>(?:UBTV)?QH\d{{1,2}})(?![\w/])")

# (The look-ahead for the kind words' first letters is only a quick test: it lets re give up early where no
# kind word starts, at most places of a text.)
_KIND_FIRST_LETTERS = "".join(sorted({rx[0] for rx in KIND_WORDS.values()}))
assert _KIND_FIRST_LETTERS.isalpha()
_KIND_RE = re.compile(
    rf"(?=[{_KIND_FIRST_LETTERS}])(?<![^\W\d_])(?P<kind>"
    + "|".join(f"(?P<k{i}>{rx})" for i, rx in enumerate(KIND_WORDS.values()))
    + r")"
    r"(?P<link>(?:\s+của)?\s+số\s*|\s+)",
    re.IGNORECASE,
)
_KIND_NAMES = list(KIND_WORDS)
# Just before a code: "<kind word> [của] [số] " (the "của số" is a typo seen on portals).
_KIND_BEFORE = re.compile(
    r"(?<![^\W\d_])(?P<kind>" + "|".join(f"(?P<k{i}>{rx})" for i, rx in enumerate(KIND_WORDS.values())) + r")"
    r"(?:\s+của)?(?:\s+số)?\s*(?:[:.]\s*)?$",
    re.IGNORECASE,
)
# A bare number after a kind word: "Chỉ thị 16", "Chỉ thị số 44" (not "Kế hoạch 5 năm", not a code).
_BARE_NUMBER = re.compile(r"(?P<num>\d{1,5})(?![\d/.,]\d|\s?[-–]\s?[A-Za-zĐđ]|/|[^\W\d_])")
# A bare number without "số" must be followed by one of these (so "Kết luận 3 nội dung" is no reference).
_AFTER_BARE = re.compile(r"\s*(?:$|[,.;:)”\"“]|(?:của|ngày|về|và|do|được|đã|tại)(?![^\W\d_]))", re.IGNORECASE)
_LIST_SEP = re.compile(r"\s*(?:,|và|;)\s*(?:số\s*)?", re.IGNORECASE)

_DATE = re.compile(
    r"\s*,?\s*(?:ban\s+hành\s+)?(?:ngày|ngay)\s+(?P<d>\d{1,2})\s*(?:[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>(?:19|20)\d\d))?"
    r"|\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>(?:19|20)\d\d))?)(?![\d/])",
    re.IGNORECASE,
)

_PLACE = r"(?:\s+(?:tỉnh|huyện|thành\s+phố|thị\s+xã|xã|phường))?(?:\s+[A-ZĐ][^\W\d_]*){0,3}"
_TERM = r"(?:,?\s+khóa\s+[IVXLC]+|\s+lần\s+thứ\s+[^\W\d_]+|\s+\d{1,2}(?=\s+khóa))*(?:,?\s+khóa\s+[IVXLC]+)?"
_ISSUERS = [
    r"Bộ\s+Chính\s+trị",
    r"Ban\s+Bí\s+thư(?:\s+Trung\s+ương(?:\s+Đảng)?)?",
    r"Hội\s+nghị(?:\s+lần\s+thứ\s+[^\W\d_]+)?(?:\s+Ban\s+Chấp\s+hành)?\s+Trung\s+ương(?:\s+Đảng)?(?:\s+\d{1,2}|\s+lần\s+thứ\s+[^\W\d_]+)?",
    r"Ban\s+Chấp\s+hành\s+Trung\s+ương(?:\s+Đảng)?",
    r"(?:Ban\s+Chấp\s+hành|BCH)\s+Đảng\s+bộ" + _PLACE,
    r"Ban\s+Thường\s+vụ\s+(?:Tỉnh|Huyện|Thành|Thị|Quận|Đảng)\s+ủy" + _PLACE,
    r"Thường\s+trực\s+(?:Tỉnh|Huyện|Thành|Thị|Quận|Đảng)\s+ủy" + _PLACE,
    r"(?:Tỉnh|Huyện|Thành|Thị|Quận)\s+ủy" + _PLACE,
    r"Đảng\s+ủy(?:\s+[A-ZĐ][^\W\d_]*|\s+(?:xã|phường|thị\s+trấn|khối|cơ\s+quan|doanh\s+nghiệp)){0,5}",
    r"Ban\s+(?:Tuyên\s+giáo|Tổ\s+chức|Dân\s+vận|Nội\s+chính|Kinh\s+tế|Tuyên\s+giáo\s+và\s+Dân\s+vận)\s+(?:Trung\s+ương|(?:Tỉnh|Huyện|Thành|Thị)\s+ủy)",
    r"Ủy\s+ban\s+Kiểm\s+tra\s+(?:Trung\s+ương|(?:Tỉnh|Huyện|Thành|Thị)\s+ủy)",
    r"Ủy\s+ban\s+Thường\s+vụ\s+Quốc\s+hội",
    r"Quốc\s+hội" + r"(?:\s+khóa\s+[IVXLC]+)?",
    r"Thủ\s+tướng(?:\s+Chính\s+phủ)?",
    r"Chính\s+phủ",
    r"Hội\s+đồng\s+nhân\s+dân" + _PLACE,
    r"Ủy\s+ban\s+nhân\s+dân" + _PLACE,
    r"(?:HĐND|UBND)" + _PLACE,
    r"Ban\s+Chỉ\s+đạo(?:\s+[A-ZĐ0-9][^\s,;.]*){0,4}",
    r"Trung\s+ương(?:\s+Đảng)?",
]
_ISSUER = re.compile(r"\s*,?\s*của\s+(?P<issuer>(?:" + "|".join(_ISSUERS) + r")" + _TERM + r")(?![^\W\d_])")

# Issuer -> level, for references without a code ("Chỉ thị 16 của Thủ tướng Chính phủ" -> TTg).
_ISSUER_LEVELS = [
    (re.compile(r"^(?:Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương|Hội nghị.*Trung ương|Trung ương|Ban .* Trung ương|Ủy ban Kiểm tra Trung ương)"), "TW"),
    (re.compile(r"^(?:Ban Thường vụ |Thường trực )?Tỉnh ủy"), "TU"),
    (re.compile(r"^(?:Ban Thường vụ |Thường trực )?(?:Huyện|Quận) ủy"), "HU"),
    (re.compile(r"^(?:Ban Thường vụ |Thường trực )?(?:Thành|Thị) ủy"), "ThU"),
    (re.compile(r"^(?:Ban Thường vụ |Thường trực )?Đảng ủy"), "ĐU"),
    (re.compile(r"^Thủ tướng"), "TTg"),
    (re.compile(r"^Chính phủ"), "CP"),
    (re.compile(r"^(?:Hội đồng nhân dân|HĐND)"), "HĐND"),
    (re.compile(r"^(?:Ủy ban nhân dân|UBND)"), "UBND"),
    (re.compile(r"^Ủy ban Thường vụ Quốc hội"), "UBTVQH"),
    (re.compile(r"^Quốc hội"), "QH"),
]


@dataclass(frozen=True)
class DocRef:
    kind: str  # "Nghị quyết", "Chỉ thị", ...
    number: str  # as written: "35", "03", "245"
    code: str | None  # "35-CT/TW", "245/2020/NQ-HĐND"; None for a bare number ("Chỉ thị 16")
    level: str | None  # issuing level: TW, TU, HU, ĐU, HĐND, UBND, CP, TTg, QH... (from the code, else the issuer)
    year: int | None  # year encoded in the code, else the year of ``date``
    date: date | None  # "ngày 30/5/2019" (a date without year takes the year of the article)
    issuer: str | None  # "Bộ Chính trị", "Ban Thường vụ Tỉnh ủy" (tone marks normalised)
    span: str  # the matched text, exactly as in the input
    offset: int  # character offset of ``span`` in the input

    def key(self) -> tuple:
        return (self.kind, self.number.lstrip("0") or "0", self.code, self.level)


@dataclass
class _Item:
    start: int  # start of the number/code
    end: int
    kind: str
    number: str
    code: str | None
    level: str | None
    year: int | None
    span_start: int  # where the span starts (the kind word when it leads)
    has_so: bool = False


def _kind_from_match(m: re.Match) -> str:
    for i, name in enumerate(_KIND_NAMES):
        if m.group(f"k{i}") is not None:
            return name
    raise AssertionError("no kind group matched")


def _norm_level(level: str) -> str:
    return level.replace("TƯ", "TW").replace("Tư", "TW")


def _code_kind(type_: str, party: bool) -> str | None:
    key = type_.upper().replace("Đ", "Đ")
    if party and key in _PARTY_ONLY:
        return _PARTY_ONLY[key]
    if not party and key in _STATE_ONLY:
        return _STATE_ONLY[key]
    if type_ == "QĐi" or key == "QĐI":
        return "Quy định"
    return _CODE_KINDS.get(key)


def _find_codes(t: str) -> list[_Item]:
    items: list[_Item] = []
    taken: list[tuple[int, int]] = []
    for rx, party in ((LAW_CODE, None), (STATE_CODE, False), (PARTY_CODE, True)):
        for m in rx.finditer(t):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            code = _norm_level(re.sub(r"\s+", "", m.group(0)).replace("–", "-"))
            if party is None:
                kind, level = "Luật", re.sub(r"\d+$", "", m.group("level"))  # QH14 -> QH
            else:
                kind = _code_kind(m.group("type"), party)
                if kind is None:
                    continue
                level = _norm_level(m.group("level"))
            year = int(m.group("year")) if "year" in m.groupdict() and m.group("year") else None
            items.append(_Item(m.start(), m.end(), kind, m.group("num"), code, level, year, m.start()))
            taken.append((m.start(), m.end()))
    return items


def _resolve_date(d: int, m: int, y: int | None, published: date | None, code_year: int | None) -> date | None:
    if y is None:
        if published is not None:
            y = published.year
            try:
                if date(y, m, d) > published:
                    y -= 1
            except ValueError:
                return None
        elif code_year is not None:
            y = code_year
        else:
            return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def extract_doc_refs(text: str, published_at: datetime | date | None = None) -> list[DocRef]:
    """Every numbered reference to a Party or State document in ``text``, in order of appearance."""
    if not text:
        return []
    t = normalise_tone_marks(text)
    if len(t) != len(text):  # never expected (the normalisation swaps letters in place); stay safe
        t = text
    published = published_at.date() if isinstance(published_at, datetime) else published_at

    items = _find_codes(t)
    # A kind word right before a code gives its kind and opens its span.
    for item in items:
        window = t[max(0, item.start - 40):item.start]
        m = _KIND_BEFORE.search(window)
        if m:
            item.kind = _kind_from_match(m)
            item.span_start = item.start - (len(window) - m.start())
            item.has_so = True
    # Kind word + bare number(s): "Chỉ thị 16", "Chỉ thị số 44, 47, 48".
    covered = [(i.span_start, i.end) for i in items]
    for m in _KIND_RE.finditer(t):
        if any(s <= m.start() < e for s, e in covered):
            continue
        pos = m.end()
        has_so = "số" in m.group("link").lower()
        nm = _BARE_NUMBER.match(t, pos)
        if not nm:
            continue
        if not has_so and not _AFTER_BARE.match(t, nm.end()):
            continue
        kind = _kind_from_match(m)
        group = [_Item(nm.start(), nm.end(), kind, nm.group("num"), None, None, None, m.start(), has_so)]
        pos = nm.end()
        while True:  # list continuation: ", 47, 48" / " và 48"
            sep = _LIST_SEP.match(t, pos)
            if not sep or sep.end() == pos:
                break
            nxt = _BARE_NUMBER.match(t, sep.end())
            if not nxt or not _AFTER_BARE.match(t, nxt.end()):
                break
            group.append(_Item(nxt.start(), nxt.end(), kind, nxt.group("num"), None, None, None, nxt.start(), has_so))
            pos = nxt.end()
        items.extend(group)
        covered.extend((g.span_start, g.end) for g in group)
    items.sort(key=lambda i: i.start)

    # Dates and issuers directly after each item; an issuer after a list applies to the whole list.
    dates: list[date | None] = []
    issuers: list[str | None] = []
    ends: list[int] = []
    for item in items:
        end = item.end
        doc_date = None
        dm = _DATE.match(t, end)
        if dm:
            d = int(dm.group("d"))
            mth = int(dm.group("m") or dm.group("m2"))
            y = dm.group("y") or dm.group("y2")
            doc_date = _resolve_date(d, mth, int(y) if y else None, published, item.year)
            if doc_date is not None:
                end = dm.end()
        issuer = None
        im = _ISSUER.match(t, end)
        if im:
            issuer = re.sub(r"\s+", " ", im.group("issuer")).strip()
            end = im.end()
        dates.append(doc_date)
        issuers.append(issuer)
        ends.append(end)
    for i in range(len(items) - 2, -1, -1):
        if issuers[i] is None and issuers[i + 1] is not None and ends[i] <= items[i + 1].span_start:
            gap = t[ends[i]:items[i + 1].span_start]
            same_list = items[i + 1].span_start == items[i + 1].start or items[i + 1].kind == items[i].kind
            if _LIST_SEP.fullmatch(gap) and same_list:  # "15/CT-TTg ... và Chỉ thị số 16/CT-TTg ... của Thủ tướng"
                issuers[i] = issuers[i + 1]

    refs: list[DocRef] = []
    for item, doc_date, issuer, end in zip(items, dates, issuers, ends):
        level = item.level
        if level is None and issuer:
            level = next((lv for rx, lv in _ISSUER_LEVELS if rx.match(issuer)), None)
        year = item.year or (doc_date.year if doc_date else None)
        span = text[item.span_start:end].rstrip(" ,")
        refs.append(DocRef(item.kind, item.number, item.code, level, year, doc_date, issuer, span, item.span_start))
    return refs
