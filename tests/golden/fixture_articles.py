"""The articles behind the golden fixtures (authoring data for ``build_fixtures.py``).

Seeds are real texts from /work/shared/seeds (extracted long ago by an older tool, furniture included); the
others are written in the style of provincial Party portal news.  Each entry says which template renders it
and what the clean record must be.
"""

from __future__ import annotations

from pathlib import Path

SEEDS = Path("/work/shared/seeds")

P_LAMDONG = {
    "id": "lamdong",
    "name": "Cổng thông tin điện tử Tỉnh ủy Lâm Đồng",
    "province": "Lâm Đồng",
    "url": "https://lamdong.dcs.vn/",
    "platform": "dnn",
    "article_url_pattern": r"/type/detail/id/\d+",
}
P_KONTUM = {
    "id": "kontum",
    "name": "Trang thông tin điện tử Đảng bộ tỉnh Kon Tum",
    "province": "Kon Tum",
    "url": "https://kontum.dcs.vn/",
    "platform": "nukeviet",
    "article_url_pattern": r"-\d+\.html$",
}
P_HAUGIANG = {
    "id": "haugiang",
    "name": "Trang thông tin điện tử Tỉnh ủy Hậu Giang",
    "province": "Hậu Giang",
    "url": "https://haugiang.dcs.vn/",
    "platform": "detailview",
    "article_url_pattern": r"/DetailView/\d+/\d+/",
}
P_QUANGNINH = {
    "id": "quangninh",
    "name": "Cổng thông tin điện tử Đảng bộ tỉnh Quảng Ninh",
    "province": "Quảng Ninh",
    "url": "https://www.quangninh.dcs.vn/",
    "platform": "sharepoint",
    "article_url_pattern": r"ChiTietTinTuc\.aspx\?nid=\d+",
}
P_DAKLAK = {
    "id": "daklak",
    "name": "Cổng thông tin điện tử Đảng bộ tỉnh Đắk Lắk",
    "province": "Đắk Lắk",
    "url": "https://daklak.dcs.vn/",
    "platform": "generic",
}
P_HAUGIANG_LR = {
    "id": "truongchinhtri-haugiang",
    "name": "Trường Chính trị tỉnh Hậu Giang",
    "province": "Hậu Giang",
    "url": "https://truongchinhtri.haugiang.gov.vn/",
    "platform": "liferay",
    "level": "agency",
    "article_url_pattern": r"/chi-tiet/-/tin-tuc/",
}
P_TUYENQUANG = {
    "id": "tuyenquang",
    "name": "Trang thông tin điện tử Tỉnh ủy Tuyên Quang",
    "province": "Tuyên Quang",
    "url": "https://tuyenquang.dcs.vn/",
    "platform": "detailview",
    "article_url_pattern": r"/DetailView/\d+/\d+/",
}
P_HUNGYEN = {
    "id": "hungyen",
    "name": "Cổng thông tin điện tử Tỉnh ủy Hưng Yên",
    "province": "Hưng Yên",
    "url": "https://hungyen.dcs.vn/",
    "platform": "generic",
}


def _lines(name: str) -> list[str]:
    return [line.rstrip() for line in (SEEDS / name).read_text(encoding="utf-8").split("\n")]


def _paras(lines: list[str]) -> list[str]:
    return [" ".join(line.split()) for line in lines if line.strip()]


def seed_articles() -> list[dict]:
    out: list[dict] = []
    # 000: Đắk Lắk, generic CMS; the byline "Vy thủy" is the last line.
    lines = _lines("000_a7149111087a9ccb.txt")
    paras = _paras(lines[1:])
    out.append(
        {
            "name": "seed000_daklak_giao_ban",
            "platform": "generic",
            "template": "generic",
            "portal": P_DAKLAK,
            "url": "https://daklak.dcs.vn/tin-tuc/hoi-nghi-giao-ban-quy-i-2020-giua-thuong-truc-tinh-uy.html?utm_source=fb&fbclid=IwAR0x",
            "canonical": "https://daklak.dcs.vn/tin-tuc/hoi-nghi-giao-ban-quy-i-2020-giua-thuong-truc-tinh-uy.html",
            "fetched_at": "2024-03-02T04:00:00+00:00",
            "site": P_DAKLAK["name"],
            "title": lines[0].strip(),
            "og_type": "article",
            "meta_time": "2020-04-17T03:30:00Z",
            "date_text": "Thứ Sáu, 17/04/2020 10:30",
            "expected_published_at": "2020-04-17T10:30:00",
            "expected_date_source": "meta",
            "category": "Hoạt động của Tỉnh ủy",
            "blocks": [("p", p) for p in paras[:-1]],
            "byline": paras[-1],
            "expected_author": "Vy thủy",
        }
    )
    # 001: Hậu Giang, DetailView CMS; file-name captions, counter line, byline glued to the comment heading.
    lines = _lines("001_3eb7a4d6a1da6739.txt")
    body = lines[4:]
    blocks: list[tuple] = []
    i = 0
    while i < len(body):
        line = body[i].strip()
        if line.endswith(".png"):
            caption = []
            i += 1
            while i < len(body) and body[i].strip():
                caption.append(body[i].strip())
                i += 1
            blocks.append(("img", f"/Upload/Images/2020/7/{line}", [line, " ".join(caption)], line))
            continue
        if line.startswith("Cũng tại Hội nghị"):
            blocks.append(("p_html", f"<p>{line}<br /><b>Thanh Tâm</b><b>Các ý kiến của bạn đọc</b></p>"))
            last = line
            break
        if line:
            blocks.append(("p", line))
        i += 1
    out.append(
        {
            "name": "seed001_haugiang_hoi_nghi_bch",
            "platform": "detailview",
            "template": "detailview",
            "portal": P_HAUGIANG,
            "url": "https://haugiang.dcs.vn/DetailView/6931/38/Hoi-nghi-Ban-Chap-hanh-Dang-bo-tinh-lan-thu-21.html",
            "fetched_at": "2023-11-20T02:00:00+00:00",
            "site": P_HAUGIANG["name"],
            "title": lines[1].strip(),
            "date_text": "[ Cập nhật vào ngày (01/07/2020) ] - [ Số lần xem: 626 ]",
            "expected_published_at": "2020-07-01T00:00:00",
            "expected_date_source": "visible",
            "category": "Chính trị",
            "blocks": blocks,
            "expected_author": "Thanh Tâm",
            "expected_paragraphs": [b[1] for b in blocks if b[0] == "p"] + [last],
            "expected_images": [
                {"caption": "Quang cảnh Hội nghị điểm cầu tỉnh", "credit": None},
                {
                    "caption": "Các tập thể nhận Bằng khen có thành tích xuất sắc trong thực hiện 03 Nghị quyết của Tỉnh ủy về phát triển nâng loại đô thị",
                    "credit": None,
                },
            ],
            "must_not_contain": ["01.7.2020 a.png", "Quang cảnh Hội nghị điểm cầu tỉnh"],
        }
    )
    # 002: Kon Tum, NukeViet; "Ảnh: MT" captions, byline, "Chuyên mục khác" inside the body container.
    lines = _lines("002_cf033cd48a51a094.txt")
    blocks = []
    for line in lines[3:]:
        text = " ".join(line.split())
        if not text or text in ("Mai Trâm", "Chuyên mục khác"):
            continue
        if text.endswith("Ảnh: MT"):
            blocks.append(("img", f"/uploads/news/2020_06/{len(blocks)}.jpg", [text]))
        else:
            blocks.append(("p", text))
    out.append(
        {
            "name": "seed002_kontum_giao_ban_khoi_dang",
            "platform": "nukeviet",
            "template": "nukeviet",
            "portal": P_KONTUM,
            "url": "https://kontum.dcs.vn/news/tin-trong-tinh/giao-ban-khoi-dang-quy-ii-2020-3651.html",
            "fetched_at": "2022-05-10T01:00:00+00:00",
            "site": P_KONTUM["name"],
            "title": lines[0].strip(),
            "date_text": "25/06/2020 15:18",
            "expected_published_at": "2020-06-25T15:18:00",
            "expected_date_source": "visible",
            "category": "Tin trong tỉnh",
            "blocks": blocks,
            "byline": "Mai Trâm",
            "after_blocks": [
                (
                    "raw",
                    '<p><strong>Chuyên mục khác</strong></p><ul><li><a href="/news/a-1.html">Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 20</a></li><li><a href="/news/a-2.html">Tổng kết công tác xây dựng Đảng năm 2019</a></li></ul>',
                )
            ],
            "expected_author": "Mai Trâm",
            "expected_images": [
                {"caption": "Các đại biểu tham dự Hội nghị.", "credit": "MT"},
                {
                    "caption": "Đồng chí Lê Ngọc Tuấn - Phó Bí thư Tỉnh ủy, Phó Chủ tịch Thường trực UBND tỉnh phát biểu tại Hội nghị.",
                    "credit": "MT",
                },
                {
                    "caption": "Đồng chí A Pớt - Phó Bí thư Thường trực Tỉnh ủy, Trưởng đoàn ĐBQH tỉnh phát biểu kết luận Hội ghị.",
                    "credit": "MT",
                },
            ],
            "must_not_contain": ["Chuyên mục khác", "Ảnh: MT", "Tổng kết công tác xây dựng Đảng năm 2019"],
        }
    )
    # 003: Ba Chẽ (Quảng Ninh), SharePoint; photo caption repeats the lead's sentence; sidebar furniture.
    lines = _lines("003_54cfcfa90d9b3310.txt")
    paras = _paras(lines[2:])
    end = paras.index("Bình Minh/Trung tâm TT&VH Ba Chẽ")
    blocks = [("p", paras[1]), ("img", "/SiteAssets/bache/hoinghi-t4.jpg", [paras[2]])] + [
        ("p", p) for p in paras[3:end]
    ]
    out.append(
        {
            "name": "seed003_quangninh_bache_btv",
            "platform": "sharepoint",
            "template": "sharepoint",
            "portal": P_QUANGNINH,
            "url": "https://www.quangninh.dcs.vn/Trang/ChiTietTinTuc.aspx?nid=113139",
            "fetched_at": "2020-05-06T03:00:00+00:00",
            "site": P_QUANGNINH["name"],
            "title": lines[0].strip(),
            "date_text": paras[0],
            "expected_published_at": "2020-05-05T09:00:00",
            "expected_date_source": "visible",
            "category": "Huyện, thị xã, thành phố",
            "blocks": blocks,
            "byline": paras[end],
            "expected_author": "Bình Minh/Trung tâm TT&VH Ba Chẽ",
            "expected_images": [{"caption": paras[2], "credit": None}],
        }
    )
    # 004: Lâm Đồng, DNN; the dateline "(LĐ online) - " and a date known only as "Chiều 15/6".
    lines = _lines("004_afb5db100ee68e7f.txt")
    paras = _paras(lines)
    first = paras[0].replace("date 2021-06 (LĐ online) - ", "")
    out.append(
        {
            "name": "seed004_lamdong_ban_can_su",
            "platform": "dnn",
            "template": "dnn",
            "portal": P_LAMDONG,
            "url": "https://lamdong.dcs.vn/tin-tuc-su-kien/hoat-dong-cua-tinh-uy/type/detail/id/31089/task/1710",
            "fetched_at": "2021-06-20T09:00:00+00:00",
            "site": P_LAMDONG["name"],
            "title": "Thường trực Tỉnh ủy làm việc với Ban cán sự Đảng UBND tỉnh",
            "expected_published_at": "2021-06-15T00:00:00",
            "expected_date_source": "visible",
            "category": "Hoạt động của Tỉnh ủy",
            "blocks": [("p", first)] + [("p", p) for p in paras[1:]],
            "dateline_prefix": "(LĐ online) - ",
            "expected_dateline": "LĐ online",
            "expected_author": None,
        }
    )
    return out


def _a(**kw) -> dict:
    kw.setdefault("site", kw["portal"]["name"])
    kw.setdefault("platform", kw["portal"]["platform"])
    kw.setdefault("template", kw["platform"])
    return kw


ARTICLES: list[dict] = [
    _a(
        name="lamdong_giao_ban_tuyen_giao",
        portal=P_LAMDONG,
        url="https://lamdong.dcs.vn/tin-tuc-su-kien/hoat-dong-cua-tinh-uy/type/detail/id/28841/task/1710",
        fetched_at="2024-01-10T02:00:00+00:00",
        title="Giao ban công tác Tuyên giáo 6 tháng đầu năm 2019",
        date_text="Thứ Sáu, 12/07/2019 15:00",
        expected_published_at="2019-07-12T15:00:00",
        expected_date_source="visible",
        category="Hoạt động của Tỉnh ủy",
        blocks=[
            (
                "p",
                "Ngày 12/7, Ban Tuyên giáo Tỉnh ủy tổ chức hội nghị giao ban công tác tuyên giáo 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2019.",
            ),
            ("img", "/Portals/4/media/newsimage/1/7/a/17a-09.jpg", ["Quang cảnh hội nghị. Ảnh: Khánh Phúc"]),
            (
                "p",
                "Trong 6 tháng, ngành Tuyên giáo đã tham mưu tổ chức học tập, quán triệt các nghị quyết, chỉ thị của Trung ương và của Tỉnh ủy; nắm bắt tình hình tư tưởng trong cán bộ, đảng viên và Nhân dân; đẩy mạnh tuyên truyền kỷ niệm 50 năm thực hiện Di chúc của Chủ tịch Hồ Chí Minh.",
            ),
            (
                "p",
                "Hội nghị thống nhất trong thời gian tới tập trung tuyên truyền Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng; tăng cường đấu tranh phản bác các quan điểm sai trái, thù địch trên không gian mạng.",
            ),
        ],
        author_block="Khánh Phúc",
        expected_author="Khánh Phúc",
        expected_images=[{"caption": "Quang cảnh hội nghị.", "credit": "Khánh Phúc"}],
    ),
    _a(
        name="lamdong_so_ket_chi_thi_05",
        portal=P_LAMDONG,
        url="https://dalat.lamdong.dcs.vn/tin-tuc-su-kien/xay-dung-dang/type/detail/id/30977/task/1710",
        fetched_at="2021-05-20T02:00:00+00:00",
        title="Sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị",
        date_text="12/05/2021 08:15",
        expected_published_at="2021-05-12T08:15:00",
        expected_date_source="visible",
        category="Xây dựng Đảng",
        views=4521,
        blocks=[
            (
                "p",
                "Sáng 11/5, Ban Thường vụ Thành ủy Đà Lạt tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
            ),
            (
                "p",
                "Qua 5 năm, việc học tập và làm theo Bác đã trở thành việc làm thường xuyên của các cấp ủy, tổ chức đảng; nhiều mô hình hay, cách làm hiệu quả được nhân rộng trong toàn Đảng bộ.",
            ),
            ("h", "Những kết quả nổi bật"),
            (
                "p",
                "Toàn thành phố có 126 tập thể và 342 cá nhân được các cấp khen thưởng vì có thành tích xuất sắc trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh giai đoạn 2016 - 2021.",
            ),
            (
                "p",
                "Phát biểu kết luận, đồng chí Bí thư Thành ủy đề nghị các cấp ủy tiếp tục gắn việc thực hiện Chỉ thị với nhiệm vụ chính trị của từng địa phương, đơn vị./.",
            ),
        ],
        byline="Tin, ảnh: Ngọc Hân",
        expected_author="Ngọc Hân",
    ),
    _a(
        name="kontum_tai_lieu_sinh_hoat_chi_bo",
        portal=P_KONTUM,
        url="https://kontum.dcs.vn/news/tai-lieu-sinh-hoat-chi-bo/ban-tin-thong-bao-noi-bo-thang-7-2023-5772.html",
        fetched_at="2023-07-25T02:00:00+00:00",
        title="Bản tin Thông báo nội bộ phục vụ sinh hoạt chi bộ tháng 7/2023",
        date_text="Thứ hai - 17/07/2023 10:05",
        expected_published_at="2023-07-17T10:05:00",
        expected_date_source="visible",
        category="Tài liệu sinh hoạt chi bộ",
        hometext="Ban Tuyên giáo Tỉnh ủy phát hành Bản tin Thông báo nội bộ tháng 7/2023 phục vụ sinh hoạt chi bộ.",
        blocks=[
            (
                "p",
                "Bản tin gồm các nội dung chính: kết quả Hội nghị Ban Chấp hành Đảng bộ tỉnh 6 tháng đầu năm; tình hình kinh tế - xã hội của tỉnh; định hướng tuyên truyền kỷ niệm 76 năm Ngày Thương binh - Liệt sỹ.",
            ),
            (
                "p",
                "Các chi bộ căn cứ nội dung bản tin để lựa chọn chuyên đề sinh hoạt phù hợp, gắn với việc thực hiện nhiệm vụ chính trị của cơ quan, đơn vị, địa phương.",
            ),
        ],
        expected_paragraphs=[
            "Ban Tuyên giáo Tỉnh ủy phát hành Bản tin Thông báo nội bộ tháng 7/2023 phục vụ sinh hoạt chi bộ.",
            "Bản tin gồm các nội dung chính: kết quả Hội nghị Ban Chấp hành Đảng bộ tỉnh 6 tháng đầu năm; tình hình kinh tế - xã hội của tỉnh; định hướng tuyên truyền kỷ niệm 76 năm Ngày Thương binh - Liệt sỹ.",
            "Các chi bộ căn cứ nội dung bản tin để lựa chọn chuyên đề sinh hoạt phù hợp, gắn với việc thực hiện nhiệm vụ chính trị của cơ quan, đơn vị, địa phương.",
        ],
        author_block="Tác giả bài viết: BTG Tỉnh ủy",
        expected_author="BTG Tỉnh ủy",
        content_type="text/html",
    ),
    _a(
        name="kontum_dan_van_kheo",
        portal=P_KONTUM,
        url="https://kontum.dcs.vn/news/tin-trong-tinh/thi-dua-dan-van-kheo-nam-2024-6120.html",
        fetched_at="2024-08-20T02:00:00+00:00",
        title="Sơ kết phong trào thi đua “Dân vận khéo” năm 2024",
        meta_time="2024-08-12T09:30:00+07:00",
        date_text="Thứ hai - 12/08/2024 09:30",
        expected_published_at="2024-08-12T09:30:00",
        expected_date_source="meta",
        category="Tin trong tỉnh",
        blocks=[
            (
                "p",
                "Ngày 12/8, Ban Dân vận Tỉnh ủy tổ chức hội nghị sơ kết phong trào thi đua “Dân vận khéo” 6 tháng đầu năm 2024.",
            ),
            (
                "p",
                "Báo cáo cho biết, toàn tỉnh đã xây dựng 1.245 mô hình “Dân vận khéo”, trong đó có 312 mô hình trong lĩnh vực kinh tế, 287 mô hình trong lĩnh vực văn hóa - xã hội và 146 mô hình trong lĩnh vực quốc phòng - an ninh.",
            ),
            ("p", "Hội nghị đã biểu dương 25 tập thể và 40 cá nhân tiêu biểu trong phong trào."),
        ],
        byline="Hoàng Yến",
        expected_author="Hoàng Yến",
        meta_author="Trang thông tin điện tử Đảng bộ tỉnh Kon Tum",
    ),
    _a(
        name="haugiang_kinh_te_quy_iii",
        portal=P_HAUGIANG,
        url="https://haugiang.dcs.vn/DetailView/7012/45/Kinh-te-quy-III-tang-truong-kha.html",
        fetched_at="2020-10-15T02:00:00+00:00",
        title="Kinh tế quý III tăng trưởng khá",
        date_text="[ Cập nhật vào ngày (08/10/2020) ] - [ Số lần xem: 1.204 ]",
        expected_published_at="2020-10-08T00:00:00",
        expected_date_source="visible",
        category="Kinh tế",
        blocks=[
            (
                "p",
                "Theo báo cáo của UBND tỉnh, tốc độ tăng trưởng kinh tế quý III năm 2020 ước đạt 3,2%, cao hơn quý II và cao hơn bình quân chung của vùng Đồng bằng sông Cửu Long.",
            ),
            (
                "img",
                "/Upload/Images/2020/10/08.10.2020 kt.jpg",
                ["08.10.2020 kt.jpg", "Sản xuất nông nghiệp tiếp tục là điểm sáng"],
                "08.10.2020 kt.jpg",
            ),
            (
                "p",
                "Sản xuất nông nghiệp giữ ổn định; giá trị sản xuất công nghiệp tăng 5,1%; tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng phục hồi sau dịch Covid-19.",
            ),
            ("p", "Thu ngân sách 9 tháng đạt 72% dự toán; giải ngân vốn đầu tư công đạt 61% kế hoạch."),
        ],
        byline="Kim Ngân",
        expected_author="Kim Ngân",
        expected_images=[{"caption": "Sản xuất nông nghiệp tiếp tục là điểm sáng", "credit": None}],
    ),
    _a(
        name="tuyenquang_dau_tranh_tham_nhung",
        portal=P_TUYENQUANG,
        url="https://tuyenquang.dcs.vn/DetailView/146257/38/Cung-co-niem-tin-cua-Nhan-dan-tu-hieu-qua-cong-tac-dau-tranh-phong-chong-tham-nhung.html",
        fetched_at="2023-07-20T02:00:00+00:00",
        title="Củng cố niềm tin của Nhân dân từ hiệu quả công tác đấu tranh phòng, chống tham nhũng",
        date_text="Thứ Hai, 10/07/2023 10:27",
        expected_published_at="2023-07-10T10:27:00",
        expected_date_source="visible",
        category="Xây dựng Đảng",
        blocks=[
            (
                "p",
                "Những năm qua, công tác phòng, chống tham nhũng, tiêu cực trên địa bàn tỉnh được triển khai quyết liệt, đồng bộ, góp phần củng cố niềm tin của cán bộ, đảng viên và Nhân dân.",
            ),
            (
                "img",
                "/Image/Large/2023710102723_144605.jpg",
                ["Hội nghị triển khai công tác phòng, chống tham nhũng. (Ảnh: Thanh Phúc)"],
            ),
            (
                "p",
                "Các cơ quan chức năng đã phát hiện, xử lý nghiêm nhiều vụ việc vi phạm; việc kê khai, kiểm soát tài sản, thu nhập của người có chức vụ, quyền hạn được thực hiện chặt chẽ.",
            ),
            (
                "p",
                "Thời gian tới, tỉnh tiếp tục hoàn thiện cơ chế để không thể, không dám, không muốn tham nhũng.",
            ),
        ],
        byline="Theo Báo Tuyên Quang",
        expected_author=None,
        expected_images=[
            {"caption": "Hội nghị triển khai công tác phòng, chống tham nhũng.", "credit": "Thanh Phúc"}
        ],
    ),
    _a(
        name="quangninh_hoc_tap_lam_theo_bac",
        portal=P_QUANGNINH,
        url="https://www.quangninh.dcs.vn/Trang/ChiTietTinTuc.aspx?nid=120455&utm_campaign=zalo",
        fetched_at="2024-05-22T02:00:00+00:00",
        title="Lan tỏa những tấm gương bình dị mà cao quý",
        date_text="Thứ Ba, 21/05/2024 16:40",
        expected_published_at="2024-05-21T16:40:00",
        expected_date_source="visible",
        category="Học tập và làm theo Bác",
        blocks=[
            (
                "p",
                "Nhân kỷ niệm 134 năm Ngày sinh Chủ tịch Hồ Chí Minh, Ban Tuyên giáo Tỉnh ủy tổ chức tọa đàm giới thiệu các tấm gương điển hình trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
            ),
            (
                "p",
                "Đó là những người lao động bình dị như chị Nguyễn Thị Hoà ở phường Hồng Hà, 20 năm thu gom rác thải trên vịnh; anh Lê Văn Thuỷ, công nhân mỏ than với hàng chục sáng kiến cải tiến kỹ thuật.",
            ),
            (
                "p",
                "Tọa đàm khẳng định việc nhân rộng các điển hình tiên tiến là cách làm thiết thực để lan tỏa giá trị tốt đẹp trong cộng đồng.",
            ),
        ],
        byline="Thu Hằng",
        expected_author="Thu Hằng",
    ),
    _a(
        name="quangninh_uongbi_dai_hoi_phuong",
        portal=P_QUANGNINH,
        url="https://www.quangninh.dcs.vn/Trang/ChiTietTinTuc.aspx?nid=91821",
        fetched_at="2020-06-12T02:00:00+00:00",
        title="Ngày mai, Đại hội đại biểu Đảng bộ phường Uông Bí lần thứ I chính thức khai mạc",
        date_text="ngày 11 tháng 6 năm 2020",
        expected_published_at="2020-06-11T00:00:00",
        expected_date_source="visible",
        category="Huyện, thị xã, thành phố",
        blocks=[
            (
                "p",
                "Chiều 11/6, Đảng bộ phường Uông Bí tổ chức phiên trù bị Đại hội đại biểu lần thứ I, nhiệm kỳ 2020 - 2025.",
            ),
            (
                "p",
                "Tham dự đại hội có 150 đại biểu đại diện cho hơn 600 đảng viên sinh hoạt tại 24 chi bộ trực thuộc Đảng bộ phường.",
            ),
            (
                "p",
                "Tại phiên trù bị, đại hội đã bầu Đoàn Chủ tịch, Đoàn Thư ký, Ban Thẩm tra tư cách đại biểu và thông qua chương trình, quy chế làm việc của đại hội.",
            ),
        ],
        byline="Phạm Tăng (Trung tâm TT-VH Uông Bí)",
        expected_author="Phạm Tăng (Trung tâm TT-VH Uông Bí)",
    ),
    _a(
        name="truongchinhtri_dai_hoi_dang_vien",
        portal=P_HAUGIANG_LR,
        url="https://truongchinhtri.haugiang.gov.vn/chi-tiet/-/tin-tuc/AI-HOI-ANG-VIEN-TRUONG-CHINH-TRI-TINH-HAU-GIANG-LAN-THU-V-NHIEM-KY-2020---202599494",
        fetched_at="2020-05-30T02:00:00+00:00",
        title="Đại hội Đảng viên Trường Chính trị tỉnh Hậu Giang lần thứ V, nhiệm kỳ 2020 - 2025",
        date_text="28/05/2020 14:20",
        expected_published_at="2020-05-28T14:20:00",
        expected_date_source="visible",
        category="Tin hoạt động",
        blocks=[
            (
                "p",
                "Ngày 27/5, Chi bộ Trường Chính trị tỉnh Hậu Giang tổ chức Đại hội Đảng viên lần thứ V, nhiệm kỳ 2020 - 2025.",
            ),
            ("img", "/documents/20182/0/dai-hoi.jpg", ["Đoàn Chủ tịch điều hành Đại hội"]),
            (
                "p",
                "Nhiệm kỳ qua, Chi bộ đã lãnh đạo nhà trường hoàn thành tốt nhiệm vụ đào tạo, bồi dưỡng lý luận chính trị cho cán bộ, công chức của tỉnh, với hơn 4.000 lượt học viên.",
            ),
            (
                "p",
                "Đại hội đã bầu Chi ủy khóa mới gồm 5 đồng chí và bầu đồng chí Nguyễn Văn Tuấn giữ chức Bí thư Chi bộ.",
            ),
        ],
        byline="Minh Triết",
        expected_author="Minh Triết",
        expected_images=[{"caption": "Đoàn Chủ tịch điều hành Đại hội", "credit": None}],
    ),
    _a(
        name="truongchinhtri_khai_giang",
        portal=P_HAUGIANG_LR,
        url="https://truongchinhtri.haugiang.gov.vn/chi-tiet/-/tin-tuc/KHAI-GIANG-LOP-TRUNG-CAP-LY-LUAN-CHINH-TRI-202310101",
        fetched_at="2023-10-15T02:00:00+00:00",
        title="Khai giảng lớp Trung cấp lý luận chính trị - hành chính khóa 45",
        jsonld_time="2023-10-09T08:00:00+07:00",
        date_text="09/10/2023 08:00",
        expected_published_at="2023-10-09T08:00:00",
        expected_date_source="jsonld",
        category="Đào tạo",
        blocks=[
            (
                "p",
                "(TCT) - Sáng 9/10, Trường Chính trị tỉnh khai giảng lớp Trung cấp lý luận chính trị - hành chính khóa 45 hệ không tập trung.",
            ),
            (
                "p",
                "Lớp học có 96 học viên là cán bộ, công chức, viên chức đang công tác tại các sở, ban, ngành và các huyện, thị xã, thành phố trong tỉnh.",
            ),
            (
                "p",
                "Phát biểu khai giảng, đồng chí Hiệu trưởng yêu cầu học viên chấp hành nghiêm nội quy, quy chế học tập, phát huy tinh thần tự học, tự nghiên cứu.",
            ),
        ],
        expected_paragraphs=[
            "Sáng 9/10, Trường Chính trị tỉnh khai giảng lớp Trung cấp lý luận chính trị - hành chính khóa 45 hệ không tập trung.",
            "Lớp học có 96 học viên là cán bộ, công chức, viên chức đang công tác tại các sở, ban, ngành và các huyện, thị xã, thành phố trong tỉnh.",
            "Phát biểu khai giảng, đồng chí Hiệu trưởng yêu cầu học viên chấp hành nghiêm nội quy, quy chế học tập, phát huy tinh thần tự học, tự nghiên cứu.",
        ],
        expected_dateline="TCT",
        byline="Phòng Đào tạo",
        expected_author="Phòng Đào tạo",
    ),
    _a(
        name="truongchinhtri_boi_duong",
        portal=P_HAUGIANG_LR,
        url="https://truongchinhtri.haugiang.gov.vn/chi-tiet/-/tin-tuc/BOI-DUONG-KIEN-THUC-QUOC-PHONG-202411301",
        fetched_at="2024-12-01T02:00:00+00:00",
        title="Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4",
        date_text="Cập nhật lúc 07h45, ngày 29/11/2024",
        expected_published_at="2024-11-29T07:45:00",
        expected_date_source="visible",
        category="Tin hoạt động",
        blocks=[
            (
                "p",
                "Từ ngày 25 đến 29/11, Trường Chính trị tỉnh phối hợp với Bộ Chỉ huy Quân sự tỉnh tổ chức lớp bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4 năm 2024.",
            ),
            (
                "p",
                "Các học viên được nghiên cứu 12 chuyên đề về quan điểm của Đảng về chiến lược bảo vệ Tổ quốc trong tình hình mới, xây dựng nền quốc phòng toàn dân gắn với thế trận an ninh nhân dân.",
            ),
        ],
        byline="Tin, ảnh: Hữu Phước",
        expected_author="Hữu Phước",
    ),
    _a(
        name="daklak_cp1258_hoi_nghi_dan_van",
        portal=P_DAKLAK,
        url="https://daklak.dcs.vn/tin-tuc/hoi-nghi-cong-tac-dan-van-2019.html",
        fetched_at="2019-12-30T02:00:00+00:00",
        title="Hội nghị tổng kết công tác dân vận năm 2019",
        encoding="cp1258",
        meta_charset="windows-1258",
        decompose=True,
        content_type="text/html",
        date_text="27/12/2019 16:05",
        expected_published_at="2019-12-27T16:05:00",
        expected_date_source="visible",
        category="Dân vận",
        blocks=[
            (
                "p",
                "Chiều 27/12, Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận năm 2019, triển khai nhiệm vụ năm 2020.",
            ),
            (
                "p",
                "Năm 2019, công tác dân vận của hệ thống chính trị có nhiều đổi mới; phong trào thi đua “Dân vận khéo” được triển khai sâu rộng với hàng trăm mô hình hiệu quả ở cơ sở.",
            ),
            (
                "p",
                "Hội nghị đề ra 7 nhiệm vụ trọng tâm năm 2020, trong đó chú trọng công tác dân vận phục vụ đại hội đảng bộ các cấp.",
            ),
        ],
        byline="H’Xuân Niê",
        expected_author="H’Xuân Niê",
    ),
    _a(
        name="daklak_title_only_in_head",
        portal=P_DAKLAK,
        url="https://daklak.dcs.vn/tin-tuc/xay-dung-nong-thon-moi-krong-pac.html",
        fetched_at="2022-09-01T02:00:00+00:00",
        title="Krông Pắc đẩy mạnh xây dựng nông thôn mới nâng cao",
        title_tag="Krông Pắc đẩy mạnh xây dựng nông thôn mới nâng cao | Cổng thông tin điện tử Đảng bộ tỉnh Đắk Lắk",
        og_title="Krông Pắc đẩy mạnh xây dựng nông thôn mới nâng cao",
        template="generic_no_h1",
        date_text="Thứ Hai, 29/08/2022 - 14:10",
        expected_published_at="2022-08-29T14:10:00",
        expected_date_source="visible",
        category="Kinh tế - Xã hội",
        blocks=[
            (
                "p",
                "Đến nay, huyện Krông Pắc có 14/15 xã đạt chuẩn nông thôn mới, 3 xã đạt chuẩn nông thôn mới nâng cao; thu nhập bình quân đầu người đạt 52 triệu đồng/năm.",
            ),
            (
                "p",
                "Huyện tập trung phát triển các sản phẩm OCOP, chuyển đổi cơ cấu cây trồng, hình thành vùng sản xuất sầu riêng, cà phê chất lượng cao gắn với chế biến và tiêu thụ.",
            ),
            ("p", "Mục tiêu đến năm 2025, huyện được công nhận đạt chuẩn nông thôn mới."),
        ],
        byline="Thanh Hương",
        expected_author="Thanh Hương",
    ),
    _a(
        name="hungyen_ngoai_giao_cay_tre",
        portal=P_HUNGYEN,
        url="https://hungyen.dcs.vn/ngoai-giao-cay-tre-voi-boi-canh-hoi-nhap-quoc-te-viet-nam-hien-nay-c219655.html",
        fetched_at="2024-02-01T02:00:00+00:00",
        title="Ngoại giao cây tre với bối cảnh hội nhập quốc tế Việt Nam hiện nay",
        og_type="article",
        jsonld_time="2024-01-25T07:12:00Z",
        expected_published_at="2024-01-25T14:12:00",
        expected_date_source="jsonld",
        category="Nghiên cứu - Trao đổi",
        img_style="center",
        blocks=[
            (
                "p",
                "Trường phái đối ngoại, ngoại giao “cây tre Việt Nam” với đặc trưng “gốc vững, thân chắc, cành uyển chuyển” là sự kế thừa và phát triển tư tưởng ngoại giao Hồ Chí Minh.",
            ),
            ("img", "/ckfinder/userfiles/images/2024/1/25/cay-tre.jpg", ["Ảnh minh họa: Internet"]),
            (
                "p",
                "Trong bối cảnh hội nhập quốc tế sâu rộng, ngoại giao cây tre giúp Việt Nam vừa giữ vững độc lập, tự chủ, vừa linh hoạt mở rộng quan hệ với các đối tác.",
            ),
            (
                "p",
                "Thực tiễn cho thấy, Việt Nam đã thiết lập quan hệ đối tác chiến lược toàn diện với nhiều nước lớn, nâng cao vị thế trên trường quốc tế.",
            ),
        ],
        byline="ThS. Nguyễn Thị Lan - Trường Chính trị Nguyễn Văn Linh",
        expected_author="ThS. Nguyễn Thị Lan - Trường Chính trị Nguyễn Văn Linh",
        expected_images=[{"caption": None, "credit": "Internet"}],
    ),
    _a(
        name="hungyen_glued_byline",
        portal=P_HUNGYEN,
        url="https://hungyen.dcs.vn/hoi-nghi-bch-dang-bo-tinh-lan-thu-10-c220100.html",
        fetched_at="2024-03-01T02:00:00+00:00",
        title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 10",
        date_text="Thứ Năm, 22/02/2024 11:00",
        expected_published_at="2024-02-22T11:00:00",
        expected_date_source="visible",
        category="Tin tức",
        blocks=[
            (
                "p",
                "Sáng 22/2, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 10 để cho ý kiến về một số nội dung quan trọng.",
            ),
            (
                "p",
                "Hội nghị đã thảo luận, thống nhất thông qua kế hoạch tổ chức đại hội đảng bộ các cấp tiến tới Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025 - 2030.",
            ),
        ],
        byline_html="<p>Kết luận hội nghị, đồng chí Bí thư Tỉnh ủy yêu cầu các cấp ủy khẩn trương xây dựng kế hoạch triển khai thực hiện.<strong>Quang Minh</strong></p>",
        expected_paragraphs=[
            "Sáng 22/2, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 10 để cho ý kiến về một số nội dung quan trọng.",
            "Hội nghị đã thảo luận, thống nhất thông qua kế hoạch tổ chức đại hội đảng bộ các cấp tiến tới Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025 - 2030.",
            "Kết luận hội nghị, đồng chí Bí thư Tỉnh ủy yêu cầu các cấp ủy khẩn trương xây dựng kế hoạch triển khai thực hiện.",
        ],
        expected_author="Quang Minh",
    ),
]

_LIST_ITEMS = [
    (
        "/tin-tuc/a-{n}.html",
        "Hội nghị Ban Thường vụ Tỉnh ủy tháng {n} năm 2024",
        "{n:02d}/05/2024",
        "Ban Thường vụ Tỉnh ủy họp cho ý kiến về các nội dung quan trọng thuộc thẩm quyền, trong đó có kế hoạch chuẩn bị đại hội đảng bộ các cấp.",
    ),
]


def _items(count: int) -> list[tuple[str, str, str, str]]:
    h, t, d, s = _LIST_ITEMS[0]
    return [(h.format(n=n), t.format(n=n), d.format(n=n), s) for n in range(1, count + 1)]


LISTINGS: list[dict] = [
    {
        "name": f"listing_{p['platform']}",
        "platform": p["platform"],
        "template": "listing",
        "portal": p,
        "kind": "listing",
        "url": url,
        "fetched_at": "2024-05-30T02:00:00+00:00",
        "site": p["name"],
        "category": cat,
        "items": _items(n),
    }
    for p, url, cat, n in [
        (
            P_LAMDONG,
            "https://lamdong.dcs.vn/tin-tuc-su-kien/hoat-dong-cua-tinh-uy",
            "Hoạt động của Tỉnh ủy",
            12,
        ),
        (P_KONTUM, "https://kontum.dcs.vn/news/tin-trong-tinh/page-3", "Tin trong tỉnh", 10),
        (P_QUANGNINH, "https://www.quangninh.dcs.vn/Trang/tin-tuc-su-kien.aspx", "Tin tức - Sự kiện", 8),
        (P_DAKLAK, "https://daklak.dcs.vn/chuyen-muc/xay-dung-dang.html?page=2", "Xây dựng Đảng", 15),
    ]
]

OTHERS: list[dict] = [
    {
        "name": "other_contact",
        "platform": "generic",
        "template": "other",
        "portal": P_DAKLAK,
        "kind": "other",
        "url": "https://daklak.dcs.vn/lien-he.html",
        "fetched_at": "2024-05-30T02:00:00+00:00",
        "site": P_DAKLAK["name"],
        "title": "Liên hệ",
        "main_html": "<h1>Liên hệ</h1><p>Văn phòng Tỉnh ủy Đắk Lắk</p><p>Địa chỉ: 01 Trần Hưng Đạo, TP. Buôn Ma Thuột</p>"
        "<p>Điện thoại: 0262.3852.xxx</p><form><input name='ten'/><textarea></textarea><input type='submit' value='Gửi'/></form>",
    },
    {
        "name": "other_gallery",
        "platform": "nukeviet",
        "template": "other",
        "portal": P_KONTUM,
        "kind": "other",
        "url": "https://kontum.dcs.vn/albums/hoat-dong-tinh-uy/",
        "fetched_at": "2024-05-30T02:00:00+00:00",
        "site": P_KONTUM["name"],
        "title": "Thư viện ảnh",
        "main_html": "<h1>Thư viện ảnh hoạt động</h1>"
        + "".join(
            f'<div class="album"><a href="/albums/a{n}/"><img src="/uploads/albums/{n}.jpg" width="200" height="150"/></a><p>Album {n}</p></div>'
            for n in range(1, 9)
        ),
    },
    {
        "name": "other_search",
        "platform": "sharepoint",
        "template": "other",
        "portal": P_QUANGNINH,
        "kind": "other",
        "url": "https://www.quangninh.dcs.vn/Trang/searchqnp.aspx?k=%C4%91%E1%BA%A1i%20h%E1%BB%99i",
        "fetched_at": "2024-05-30T02:00:00+00:00",
        "site": P_QUANGNINH["name"],
        "title": "Tìm kiếm",
        "main_html": "<h1>Kết quả tìm kiếm</h1>"
        + "".join(
            f'<div class="result"><a href="/Trang/ChiTietTinTuc.aspx?nid={n}">Đại hội đại biểu Đảng bộ huyện lần thứ {n}, nhiệm kỳ 2020 - 2025</a><p>Đại hội ... nhiệm kỳ 2020 - 2025 ...</p></div>'
            for n in range(1, 11)
        ),
    },
]
