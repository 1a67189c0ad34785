"""Unit tests for the tricky cases of etl.facts (document references and officials)."""

from __future__ import annotations

from datetime import date, datetime

from etl.facts import extract_doc_refs, extract_people


def refs(text, published=None):
    return [(r.kind, r.number, r.code, r.level, r.year, r.date, r.issuer) for r in extract_doc_refs(text, published)]


def people(text):
    return [(m.name, list(m.positions)) for m in extract_people(text)]


# -- document references ------------------------------------------------------------------------------------

def test_party_code_with_date_and_issuer():
    text = "theo đúng tinh thần Chỉ thị số 35-CT/TW, ngày 30/5/2019 của Bộ Chính trị về đại hội"
    [ref] = extract_doc_refs(text)
    assert (ref.kind, ref.number, ref.code, ref.level, ref.year, ref.date, ref.issuer) == (
        "Chỉ thị", "35", "35-CT/TW", "TW", 2019, date(2019, 5, 30), "Bộ Chính trị")
    assert ref.span == "Chỉ thị số 35-CT/TW, ngày 30/5/2019 của Bộ Chính trị"
    assert text[ref.offset:].startswith(ref.span)


def test_state_codes_levels_and_years():
    text = ("hỗ trợ theo Nghị quyết của số 245/2020/NQ-HĐND ngày 31/3/2020 của Hội đồng nhân dân tỉnh và "
            "Nghị quyết số 42/NQ-CP ngày 09/4/2020 của Chính phủ; Luật số 47/2019/QH14.")
    assert refs(text) == [
        ("Nghị quyết", "245", "245/2020/NQ-HĐND", "HĐND", 2020, date(2020, 3, 31), "Hội đồng nhân dân tỉnh"),
        ("Nghị quyết", "42", "42/NQ-CP", "CP", 2020, date(2020, 4, 9), "Chính phủ"),
        ("Luật", "47", "47/2019/QH14", "QH", 2019, None, None),
    ]


def test_list_of_codes_shares_the_issuer():
    text = "theo nghị quyết số 03-NQ/TU, 04-NQ/TU, 05-NQ/TU của Tỉnh ủy. Kế hoạch 100-KH/TU của Tỉnh ủy"
    got = refs(text)
    assert [(k, n, c, lv, i) for k, n, c, lv, _, _, i in got] == [
        ("Nghị quyết", "03", "03-NQ/TU", "TU", "Tỉnh ủy"),
        ("Nghị quyết", "04", "04-NQ/TU", "TU", "Tỉnh ủy"),
        ("Nghị quyết", "05", "05-NQ/TU", "TU", "Tỉnh ủy"),
        ("Kế hoạch", "100", "100-KH/TU", "TU", "Tỉnh ủy"),
    ]


def test_bare_numbers_need_a_document_context():
    assert refs("thực hiện tốt Chỉ thị 16 của Thủ tướng Chính phủ") == [
        ("Chỉ thị", "16", None, "TTg", None, None, "Thủ tướng Chính phủ")]
    assert [r[:2] for r in refs("đã ban hành Chỉ thị số 44, 47, 48 và Kết luận số 904 để")] == [
        ("Chỉ thị", "44"), ("Chỉ thị", "47"), ("Chỉ thị", "48"), ("Kết luận", "904")]
    # not references
    assert refs("thực hiện Kế hoạch 5 năm 2021 – 2025 của tỉnh; hội nghị có 3 kết luận quan trọng") == []
    assert refs("Nghị quyết Trung ương 4 khóa XII; Nghị quyết Đại hội XIII của Đảng; nhiệm kỳ 2020-2025") == []
    assert refs("đạt 31/31 tổ chức cơ sở đảng; Covid-19; QP-AN; 16,71% KH") == []


def test_date_without_year_takes_the_article_year():
    text = "thực hiện nghiêm Chỉ thị số 36-CT/TU ngày 28/4 của Ban Thường vụ Tỉnh ủy"
    assert refs(text, datetime(2020, 5, 5))[0][5] == date(2020, 4, 28)
    # a December document cited in January is from the year before
    assert refs(text.replace("28/4", "28/12"), datetime(2021, 1, 10))[0][5] == date(2020, 12, 28)
    assert refs(text)[0][5] is None  # no year anywhere


def test_spelling_variants():
    got = refs("Quy định số 41 - QĐ/TƯ ngày 03 tháng 11 năm 2021 của Ban Thường vụ Tỉnh uỷ; Hướng dẫn số 12–HD/BTGTU")
    assert got[0] == ("Quy định", "41", "41-QĐ/TW", "TW", 2021, date(2021, 11, 3), "Ban Thường vụ Tỉnh ủy")
    assert got[1][:4] == ("Hướng dẫn", "12", "12-HD/BTGTU", "BTGTU")
    assert refs("Quy định số 08-QĐi/TW")[0][0] == "Quy định"
    assert refs("Thông tri số 05-TT/TW và Thông tư số 32/2020/TT-BYT")[0][0] == "Thông tri"
    assert refs("Thông tri số 05-TT/TW và Thông tư số 32/2020/TT-BYT")[1][0] == "Thông tư"


def test_code_without_document_word_takes_kind_from_code():
    assert refs("căn cứ 35-CT/TW và 12/2018/QĐ-TTg")[:2] == [
        ("Chỉ thị", "35", "35-CT/TW", "TW", None, None, None),
        ("Quyết định", "12", "12/2018/QĐ-TTg", "TTg", 2018, None, None),
    ]


# -- people ----------------------------------------------------------------------------------------------------

def test_name_then_positions_with_dashes_and_commas():
    assert people("Đồng chí Bùi Văn Cường – Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì Hội nghị.") == [
        ("Bùi Văn Cường", ["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy"])]
    assert people("đồng chí Lê Ngọc Tuấn - Phó Bí thư Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh cùng chủ trì") == [
        ("Lê Ngọc Tuấn", ["Phó Bí thư Tỉnh ủy", "Phó Chủ tịch Thường trực UBND tỉnh"])]
    assert people("có đồng chí Lữ Văn Hùng, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy chủ trì") == [
        ("Lữ Văn Hùng", ["Ủy viên Ban Chấp hành Trung ương Đảng", "Bí thư Tỉnh ủy"])]


def test_position_then_name_with_a_place_in_between():
    assert people("đồng chí Bí thư Tỉnh ủy Lữ Văn Hùng đánh giá cao") == [("Lữ Văn Hùng", ["Bí thư Tỉnh ủy"])]
    assert people("đồng chí Bí thư Tỉnh ủy Lâm Đồng Trần Đức Quận đã thay mặt") == [
        ("Trần Đức Quận", ["Bí thư Tỉnh ủy Lâm Đồng"])]
    assert people("đồng chí Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Nguyễn Thái Học đề nghị") == [
        ("Nguyễn Thái Học", ["Phó Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh"])]


def test_list_of_people():
    text = ("Tham dự có các đồng chí: Trần Đình Văn – Phó Bí thư Thường trực Tỉnh ủy; Trần Văn Hiệp – Phó Bí thư "
            "Tỉnh ủy, Bí thư Ban Cán sự Đảng UBND tỉnh, Chủ tịch UBND tỉnh; các đồng chí trong Ban Thường vụ Tỉnh ủy.")
    assert people(text) == [
        ("Trần Đình Văn", ["Phó Bí thư Thường trực Tỉnh ủy"]),
        ("Trần Văn Hiệp", ["Phó Bí thư Tỉnh ủy", "Bí thư Ban Cán sự Đảng UBND tỉnh", "Chủ tịch UBND tỉnh"]),
    ]


def test_ethnic_minority_names():
    assert people("Đồng chí A Pớt - Phó Bí thư Thường trực Tỉnh ủy chủ trì")[0][0] == "A Pớt"
    assert people("Kết luận, đồng chí APớt - Phó Bí thư Thường trực Tỉnh ủy nhấn mạnh")[0][0] == "APớt"
    assert people("có đồng chí KRing Ba - Ủy viên Ban Thường vụ Tỉnh ủy; ")[0][0] == "KRing Ba"
    assert people("đồng chí H’Yăm Knul, Huyện ủy viên, Trưởng Ban Tuyên giáo Huyện ủy.") == [
        ("H’Yăm Knul", ["Huyện ủy viên", "Trưởng Ban Tuyên giáo Huyện ủy"])]


def test_no_place_or_organisation_becomes_a_person():
    assert people("dâng hương tưởng niệm Chủ tịch Hồ Chí Minh; học tập Bác") == []
    assert people("Tỉnh Bà Rịa - Vũng Tàu triển khai; thăm gia đình ông Ama Hiếu ở buôn Ea Kly") == []
    assert people("các đồng chí Ủy viên Ban Thường vụ, Ban Chấp hành Đảng bộ tỉnh; lãnh đạo các sở") == []
    assert people("Đồng chí Bí thư Huyện ủy - Chủ tịch HĐND huyện nhấn mạnh") == []  # no name
    assert people("Phát biểu chỉ đạo Hội nghị, đồng chí Lê Ngọc Tuấn yêu cầu") == []  # no position
    assert people("toàn Đảng bộ có 1.250 đồng chí được trao Huy hiệu Đảng; gồm 15 đồng chí; đồng chí Ủy ban") == []


def test_elected_to_and_ranks():
    assert people("Đại hội đã bầu đồng chí Nguyễn Thị Hòa giữ chức Bí thư Chi bộ nhiệm kỳ 2025 – 2027") == [
        ("Nguyễn Thị Hòa", ["Bí thư Chi bộ"])]
    assert people("đồng chí Lữ Văn Hùng tái đắc cử Bí thư Tỉnh ủy nhiệm kỳ 2020 - 2025") == [
        ("Lữ Văn Hùng", ["Bí thư Tỉnh ủy"])]
    assert people("có đồng chí Đại tá Nguyễn Văn Long, Giám đốc Công an tỉnh; ") == [
        ("Nguyễn Văn Long", ["Giám đốc Công an tỉnh"])]


def test_names_and_positions_get_one_tone_placement():
    [m] = extract_people("đồng chí Nguyễn Thị Hoà – Bí thư Tỉnh uỷ phát biểu")
    assert (m.name, m.positions) == ("Nguyễn Thị Hòa", ("Bí thư Tỉnh ủy",))
    assert m.span == "đồng chí Nguyễn Thị Hoà – Bí thư Tỉnh uỷ"  # as written
