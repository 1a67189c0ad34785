"""Officials named with their positions: "đồng chí Bùi Văn Cường – Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy".

Annotation guideline (also of the labelled sample): a mention is a person introduced by "đồng chí" / "đ/c" /
"ông" / "bà" *and* given at least one position in the same breath.  Recognised shapes:

* name first: "đồng chí <Name> – <position>, <position>" (separator "–", "-", "," or "("), also
  "đồng chí <Name> giữ chức / tái đắc cử / được bầu giữ chức <position>";
* position first: "đồng chí Bí thư Tỉnh ủy [Lâm Đồng] <Name>";
* lists: "các đồng chí: <Name> – <positions>; <Name> – <positions>; ...".

Precision first: a name is 1–5 capitalised syllables ("A Pớt", "KRing Ba", "Nguyễn Thị Hòa"; one syllable only
when it carries an inner capital, "APớt") with no organisation word ("Tỉnh", "Ban", "UBND", ...); a position
starts with a known title ("Bí thư", "Phó Chủ tịch", "Ủy viên", "Trưởng đoàn", ...) and continues over
capitalised words and the lower-case syllables that belong to titles ("Hội đồng nhân dân", "Ban Chấp hành",
"tỉnh"), so it stops at the verb that follows ("chủ trì", "phát biểu", "nhấn mạnh").  Names and positions are
returned with unified tone marks ("uỷ" → "ủy"); ``span`` is the text exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, compress, count

from etl.normalise.text import normalise_tone_marks


@dataclass(frozen=True)
class PersonMention:
    name: str
    positions: tuple[str, ...]
    span: str  # exactly as in the input
    offset: int  # character offset of ``span``

    def key(self) -> tuple:
        return (self.name, self.positions)


_TOKEN = re.compile(r"\n|[^\W_](?:[\w'’]*[^\W_])?|[^\w\s]", re.UNICODE)
# The same tokens, captured: ``split`` returns [gap, token, gap, token, ..., gap] in one pass of the tokenizer.
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})", re.UNICODE)

# Titles a position starts with (lower-cased token sequences; longest wins).
_HEADS = [
    h.split()
    for h in (
        "bí thư", "phó bí thư", "ủy viên", "tỉnh ủy viên", "huyện ủy viên", "thành ủy viên", "thị ủy viên",
        "đảng ủy viên", "chủ tịch", "phó chủ tịch", "chủ nhiệm", "phó chủ nhiệm", "trưởng ban", "phó trưởng ban",
        "trưởng đoàn", "phó trưởng đoàn", "trưởng phòng", "phó trưởng phòng", "giám đốc", "phó giám đốc",
        "tổng giám đốc", "tổng bí thư", "thủ tướng", "phó thủ tướng", "bộ trưởng", "thứ trưởng",
        "chánh văn phòng", "phó chánh văn phòng", "chánh án", "phó chánh án", "viện trưởng", "phó viện trưởng",
        "chỉ huy trưởng", "phó chỉ huy trưởng", "chính ủy", "phó chính ủy", "tư lệnh", "phó tư lệnh",
        "đại biểu quốc hội", "hiệu trưởng", "phó hiệu trưởng", "tổng thư ký", "phó ban", "chủ tịch nước",
        "phó chủ tịch nước", "chủ tịch quốc hội", "phó chủ tịch quốc hội", "trưởng", "phó trưởng",
        "ủy viên thường trực", "chánh thanh tra", "phó chánh thanh tra", "trưởng công an",
        "phó trưởng công an", "bí thư thường trực",
    )
]
_HEADS_BY_FIRST: dict[str, list[list[str]]] = {}
for _head in _HEADS:
    _HEADS_BY_FIRST.setdefault(_head[0], []).append(_head)
_HEAD_PREFIXES = {"nguyên", "quyền", "tân"}  # "nguyên Bí thư Tỉnh ủy", "quyền Giám đốc"

# Lower-case syllables that continue a title after the given previous syllable ("Hội đồng", "Ủy ban"...).
_PAIRS = {
    tuple(p.split())
    for p in (
        "hội đồng", "đồng nhân", "nhân dân", "ủy ban", "ban nhân", "ban thường", "thường vụ", "thường trực",
        "chấp hành", "trung ương", "bí thư", "chủ tịch", "ủy viên", "giám đốc", "tổ chức", "tuyên giáo",
        "dân vận", "kiểm tra", "đại biểu", "quốc hội", "chính trị", "chính phủ", "trưởng đoàn", "trưởng ban",
        "trưởng phòng", "phó trưởng", "chỉ huy", "huy trưởng", "tư lệnh", "chính ủy", "văn phòng", "nội chính",
        "mặt trận", "tổ quốc", "công an", "quân sự", "biên phòng", "thủ tướng", "bộ trưởng", "thứ trưởng",
        "chánh án", "viện trưởng", "kiểm sát", "hiệu trưởng", "thư ký", "liên đoàn", "lao động", "phụ nữ",
        "cựu chiến", "chiến binh", "nông dân", "thanh niên", "cán sự", "ban cán", "đảng ủy", "đảng đoàn",
        "đảng bộ", "tỉnh ủy", "huyện ủy", "thành ủy", "thị ủy", "quận ủy", "đoàn đại", "chi bộ", "sự đảng",
        "công đoàn", "thanh tra", "kinh tế", "tài chính", "nội vụ", "y tế", "giáo dục", "đào tạo", "tư pháp",
        "ngoại vụ", "xây dựng", "dân tộc", "tôn giáo", "khối cơ", "cơ quan", "doanh nghiệp", "nhân sự",
        "tuyên truyền", "thi đua", "khen thưởng", "văn hóa", "thể thao", "du lịch", "giao thông", "vận tải",
        "kế hoạch", "đầu tư", "tài nguyên", "môi trường", "nông nghiệp", "phát triển", "nông thôn", "công thương",
        "khoa học", "công nghệ", "thông tin", "truyền thông", "ban dân", "ban tuyên", "ban tổ", "ban kinh",
        "ban nội", "ban pháp", "pháp chế", "ban văn", "ban quản", "quản lý", "hội nông", "hội phụ", "hội cựu",
        "đoàn thanh", "niên cộng", "cộng sản", "sản hồ", "phòng chống", "chỉ đạo", "ban chỉ",
    )
}
_LOCALITY = {"tỉnh", "huyện", "xã", "phường", "quận"}
_LOCALITY_PAIRS = {("thành", "phố"), ("thị", "xã"), ("thị", "trấn")}
_ROMAN = re.compile(r"^[IVXLC]+$")

# Words that are never part of a personal name (organisations, titles, places' heads).
_NOT_NAME = {
    "tỉnh", "huyện", "xã", "phường", "ủy", "ban", "đảng", "sở", "phòng", "ubnd", "hđnd", "mttq", "ương", "tw",
    "tịch", "bí", "thư", "phó", "trưởng", "giám", "đốc", "thường", "trực", "vụ", "ảnh", "phủ", "trị",
    "các", "cùng", "viên", "tổng", "thủ", "tướng", "nguyên", "ông", "bà", "chí", "tp", "tx", "mặt", "trận",
    "cục", "trường", "báo", "viện", "khối", "sư", "tiểu", "nhà", "tòa", "kho", "bạc", "ngân", "hàng", "hợp",
    "tác", "xí", "nghiệp", "thôn", "bản", "buôn", "làng", "ấp", "khu", "vực", "đoàn", "chủ", "hội",
}
# Words that can sit inside a name ("Nguyễn Thị Hòa", "Phạm Minh Chính") but never start one.
_NOT_NAME_FIRST = {
    "thị", "thành", "trung", "chính", "quốc", "đại", "bộ", "chi", "công", "đồng", "quận", "việt", "tổ", "quân",
    "tân", "văn",
}
# Family names (for telling a name from a place in "Bí thư Tỉnh ủy Lâm Đồng Trần Đức Quận"); rank order.
_SURNAMES = (  # noqa: SIM905 - one long line of names reads better than a list literal
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Lữ Lưu Đinh Đoàn Trịnh Mai Cao "
        "Tô Hà Tạ Châu Thái Quách Đào Chu Lương Kiều Triệu Trương Tống Văn Lâm Lại Giang Khổng Mạc Nông Bế Lục Hứa "
        "La Đàm Vi Hầu Lò Lường Cầm Quàng Vàng Giàng Sùng Mùa Thào Hà Âu Diệp Phùng Thân Tăng Từ Viên Ninh Doãn "
        "Kim Thạch Danh Sơn Điểu Ksor Siu Nay Rơ Rah Y H A K Đinh Nìm Hoàng Tòng Sầm Ma Lã Bạch Cù Khúc Khương "
        "Quan Tôn Trình Văng Bàn Chẩu Hờ Chảo Vừ Lầu Pờ Tẩn Phàn Chìu Hạng Liêu Ông Biện Mẫn Nghiêm Hàn Đồng Lò "
        "Âu Thiều Yên Trà Trầm Tiêu Uông Vương Xa Huyền"
).split()
_SURNAME_RANK = {s: i for i, s in reversed(list(enumerate(_SURNAMES)))}

PLACES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bà Rịa – Vũng Tàu", "Bình Dương", "Bình Phước", "Bình Thuận", "Bình Định",
    "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Cao Bằng", "Cà Mau", "Cần Thơ", "Gia Lai", "Huế",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hòa Bình", "Hưng Yên", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Long An", "Lào Cai", "Lâm Đồng", "Lạng Sơn", "Nam Định",
    "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Hồ Chí Minh", "Thanh Hóa", "Thái Bình", "Thái Nguyên",
    "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Tây Ninh", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
    "Điện Biên", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Đồng Nai", "Đồng Tháp",
)
_PLACE_TOKENS = sorted((tuple(p.split()) for p in PLACES if "-" not in p and "–" not in p), key=len, reverse=True)

_RANKS = [tuple(r.split()) for r in (
    "đại tướng", "thượng tướng", "trung tướng", "thiếu tướng", "đại tá", "thượng tá", "trung tá", "thiếu tá",
    "đại úy", "thượng úy", "trung úy", "thiếu úy", "giáo sư", "phó giáo sư", "tiến sĩ", "thạc sĩ", "bác sĩ",
    "gs", "pgs", "ts", "ths", "nhà báo", "luật sư", "kỹ sư",
)]
_TRIGGER_WORDS = {("đồng", "chí"), ("đ", "/", "c")}
_TRIGGER_FIRST = frozenset({"đồng", "đ", "ông", "bà"})  # first tokens of the triggers of _Parser.run
_DASHES = {"-", "–", "—", "−"}
_ELECT = [("giữ", "chức"), ("tái", "đắc", "cử"), ("được", "bầu", "giữ", "chức"), ("được", "bầu", "làm"),
          ("được", "bầu", "là"), ("đắc", "cử"), ("được", "bổ", "nhiệm", "giữ", "chức"), ("được", "bổ", "nhiệm", "làm")]


class _Tok:
    __slots__ = ("end", "low", "start", "text")

    def __init__(self, text: str, low: str, start: int, end: int) -> None:
        self.text = text
        self.low = low
        self.start = start
        self.end = end

    @property
    def word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def cap(self) -> bool:
        return self.text[0].isupper()


class _Toks:
    """The tokens of a text as a read-only list, each built on first access: the parser looks at few of them
    (those around a trigger), so building thousands of token objects per article is wasted work.  One pass of
    the tokenizer gives the tokens and the gaps between them; a token's offsets are summed up from the lengths
    of what precedes it (in C, once, when the first token object is built)."""

    __slots__ = ("_ends", "_parts", "_texts", "_toks", "gaps", "lows")

    def __init__(self, t: str) -> None:
        parts = _TOKEN_SPLIT.split(t)
        self._parts = parts
        self._texts = parts[1::2]
        self.gaps = parts[::2]  # gaps[k]: the text between tokens k - 1 and k (gaps[0]: before the first token)
        self.lows = list(map(str.lower, self._texts))
        self._ends: list[int] | None = None  # _ends[p]: where parts[p] ends in the text
        self._toks: list[_Tok | None] = [None] * len(self.lows)

    def __len__(self) -> int:
        return len(self.lows)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.lows)))]
        tok = self._toks[i]
        if tok is None:
            if self._ends is None:
                self._ends = list(accumulate(map(len, self._parts)))
            if i < 0:
                i += len(self.lows)
            text = self._texts[i]
            end = self._ends[2 * i + 1]
            tok = self._toks[i] = _Tok(text, self.lows[i], end - len(text), end)
        return tok


def _tokens(t: str) -> list[_Tok]:
    return [_Tok(m.group(0), m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(t)]


class _Parser:
    def __init__(self, text: str):
        self.text = text
        t = normalise_tone_marks(text)
        self.t = t if len(t) == len(text) else text
        self.toks = _Toks(self.t)
        self._lows = self.toks.lows

    # -- helpers ---------------------------------------------------------------------------------------
    def lows(self, i: int, n: int) -> list[str]:
        return self._lows[i:i + n]

    def match_seq(self, i: int, seq) -> bool:
        n = len(seq)
        lows = self._lows
        if i < 0 or i + n > len(lows):
            return self.lows(i, n) == list(seq) and self.contiguous(i, i + n)
        for k in range(n):
            if lows[i + k] != seq[k]:
                return False
        return self.contiguous(i, i + n)

    def contiguous(self, i: int, j: int) -> bool:
        """Tokens i..j-1 separated by plain spaces only (no newline)."""
        gaps = self.toks.gaps
        for k in range(i + 1, min(j, len(self.toks))):
            gap = gaps[k] if k > 0 else self.t[self.toks[k - 1].end:self.toks[k].start]
            if "\n" in gap or len(gap) > 3:
                return False
        return True

    def head_len(self, i: int) -> int:
        """Length in tokens of the title starting at token i (0 when none)."""
        j = i
        lows = self._lows
        if j < len(lows) and lows[j] in _HEAD_PREFIXES:
            j += 1
        best = 0
        # Only titles starting with token j's word can match there (all of them when j is out of the plain range).
        heads = _HEADS_BY_FIRST.get(lows[j], ()) if 0 <= j < len(lows) else _HEADS
        for head in heads:
            if self.match_seq(j, head):
                best = max(best, len(head))
        if not best:
            return 0
        tok = self.toks[j]
        if not tok.cap and tok.low not in ("bí", "phó", "ủy", "chủ", "trưởng", "giám"):
            return 0
        return (j - i) + best

    def name_like(self, tok: _Tok) -> bool:
        if not tok.word or not tok.cap or tok.low in _NOT_NAME or any(ch.isdigit() for ch in tok.text):
            return False
        letters = [c for c in tok.text if c.isalpha()]
        return not (len(letters) >= 2 and all(c.isupper() for c in letters))  # not UBND, HĐND, MTTQ

    # -- positions ---------------------------------------------------------------------------------------
    def parse_position(self, i: int) -> int:
        """End token index (exclusive) of the position phrase starting at i, or i when there is none."""
        n = self.head_len(i)
        if not n:
            return i
        j = i + n
        while j < len(self.toks) and self.contiguous(j - 1, j + 1):
            tok, prev = self.toks[j], self.toks[j - 1]
            if tok.word and (tok.cap or (prev.low, tok.low) in _PAIRS or tok.low in _LOCALITY):
                j += 1
            elif j + 1 < len(self.toks) and (
                (tok.word and (tok.low, self.toks[j + 1].low) in _LOCALITY_PAIRS)
                or (tok.low in ("khóa", "khoá") and _ROMAN.match(self.toks[j + 1].text))
            ):
                j += 2
            elif tok.text.isdigit() and prev.low in ("khu", "vực", "đoàn", "quân"):
                j += 1
            else:
                break
        return j

    def parse_positions(self, i: int, allow_semicolon: bool = False) -> tuple[list[tuple[int, int]], int]:
        """Comma/dash-separated positions starting at token i: ([(start, end)], end)."""
        spans: list[tuple[int, int]] = []
        j = i
        while True:
            k = self.parse_position(j)
            if k == j:
                break
            spans.append((j, k))
            j = k
            if j < len(self.toks) and self.toks[j].text in {",", *_DASHES} and self.head_len(j + 1):
                j += 1
                continue
            break
        return spans, j

    # -- names -------------------------------------------------------------------------------------------
    def parse_name(self, i: int) -> int:
        """End (exclusive) of a name starting at token i, or i."""
        j = i
        if i >= len(self.toks) or self.toks[i].low in _NOT_NAME_FIRST:
            return i
        while j < len(self.toks) and j - i < 5 and self.name_like(self.toks[j]) and not self.head_len(j):
            if j > i and not self.contiguous(j - 1, j + 1):
                break
            j += 1
        if j == i:
            return i
        if j - i == 1:
            tok = self.toks[i].text
            if not any(c.isupper() for c in tok[1:]):  # one syllable only as "APớt"
                return i
        return j

    def split_trailing_name(self, start: int, end: int) -> int | None:
        """In a position phrase toks[start:end] ending with a name ("Bí thư Tỉnh ủy Lâm Đồng Trần Đức Quận"),
        the token index where the name starts, or None."""
        run = end
        while run > start and self.name_like(self.toks[run - 1]):
            run -= 1
        # skip a known place right after the organisation ("Tỉnh ủy Lâm Đồng")
        for place in _PLACE_TOKENS:
            n = len(place)
            if run + n < end and tuple(tok.text for tok in self.toks[run:run + n]) == place:
                run += n
                break
        best: tuple[int, int] | None = None
        for k in range(run, end - 1):
            length = end - k
            if not 2 <= length <= 5:
                continue
            if k > start and self.head_len(k):
                continue
            rank = _SURNAME_RANK.get(self.toks[k].text)
            if rank is None:
                continue
            if best is None or rank < best[0]:
                best = (rank, k)
        if best is None:
            return None
        k = best[1]
        if k - start < 2 or self.head_len(k):  # the position must keep more than its title's first word
            return None
        return k

    # -- mentions ----------------------------------------------------------------------------------------
    def mention(self, name_s: int, name_e: int, pos_spans: list[tuple[int, int]], span_s: int, span_e: int):
        name = " ".join(tok.text for tok in self.toks[name_s:name_e])
        positions = tuple(
            " ".join(tok.text for tok in self.toks[s:e]).replace(" ,", ",") for s, e in pos_spans
        )
        start, end = self.toks[span_s].start, self.toks[span_e - 1].end
        return PersonMention(name, positions, self.text[start:end], start)

    def name_first(self, i: int) -> tuple[PersonMention | None, int]:
        ne = self.parse_name(i)
        if ne == i or ne >= len(self.toks):
            return None, i
        j = ne
        sep = self.toks[j]
        close_paren = False
        if sep.text in _DASHES or sep.text == ",":
            j += 1
        elif sep.text == "(":
            j += 1
            close_paren = True
        else:
            for seq in _ELECT:
                if self.match_seq(j, seq):
                    j += len(seq)
                    break
            else:
                return None, i
        if not self.contiguous(ne - 1, j + 1):
            return None, i
        spans, end = self.parse_positions(j)
        if not spans:
            return None, i
        if close_paren and end < len(self.toks) and self.toks[end].text == ")":
            end += 1
        return self.mention(i, ne, spans, i, end), end

    def position_first(self, i: int) -> tuple[PersonMention | None, int]:
        spans, _ = self.parse_positions(i)
        if not spans:
            return None, i
        s, e = spans[-1]
        k = self.split_trailing_name(s, e)
        if k is None:
            return None, i
        # the name must be followed by something that is not a name (a verb, punctuation)
        spans[-1] = (s, k)
        return self.mention(k, e, spans, i, e), e

    def run(self) -> list[PersonMention]:
        out: list[PersonMention] = []
        toks = self.toks
        lows = self._lows
        # Only tokens that can open a trigger (below) are looked at; the rest of the text is skipped over.
        starts = list(compress(count(), map(_TRIGGER_FIRST.__contains__, lows)))  # (in C: no Python loop)
        next_start = 0
        i = 0
        while i < len(toks):
            while next_start < len(starts) and starts[next_start] < i:
                next_start += 1
            if next_start == len(starts):
                break
            i = starts[next_start]
            trig = 0
            if self.match_seq(i, ("đồng", "chí")):
                trig = 2
            elif self.match_seq(i, ("đ", "/", "c")):
                trig = 3
            elif toks[i].low in ("ông", "bà") and i + 1 < len(toks) and toks[i + 1].text in _SURNAME_RANK:
                trig = 1
            if not trig:
                i += 1
                continue
            j = i + trig
            while self.match_seq(j, ("đồng", "chí")):  # "đồng chí đồng chí Trần Đức Quận"
                j += 2
            if j < len(toks) and toks[j].text == ":":
                j += 1
            for rank in _RANKS:  # "đồng chí Đại tá Nguyễn Văn Long, ...": the rank is neither name nor position
                if self.match_seq(j, rank):
                    j += len(rank)
                    break
            if j >= len(toks) or not self.contiguous(j - 1, j + 1):
                i = j
                continue
            if trig == 1 and self.head_len(j):
                i = j
                continue
            m, end = (self.position_first(j) if self.head_len(j) else self.name_first(j))
            if m is None:
                i = j
                continue
            start = toks[i].start  # the span opens with "đồng chí"
            m = PersonMention(m.name, m.positions, self.text[start:m.offset + len(m.span)], start)
            out.append(m)
            # a list: "...; Trần Văn Hiệp – Phó Bí thư Tỉnh ủy, ...; các đồng chí ..."
            while end + 1 < len(toks) and toks[end].text == ";" and self.contiguous(end, end + 2):
                nxt, nend = self.name_first(end + 1)
                if nxt is None:
                    break
                out.append(nxt)
                end = nend
            i = end
        return out


def extract_people(text: str) -> list[PersonMention]:
    """Every official named with at least one position in ``text``, in order of appearance."""
    if not text:
        return []
    return _Parser(text).run()
