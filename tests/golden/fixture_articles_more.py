"""More golden articles (authoring data for ``build_fixtures.py``): portal-style texts rendered into every CMS
template with furniture in varied wordings, bylines in varied places, captions, datelines, date forms,
legacy encodings (windows-1258 behind a lying charset, decomposed Unicode, TCVN3 and VNI font text) and one
part of a multi-page article.

Each entry is built by :func:`_article` from a text (title + paragraphs, written in the style of provincial
Party portal news) and a *variant*: the knobs are cycled over the texts so that every template meets every
wording, and special cases are set by hand.  Expectations come from the data: the gold paragraphs are the
text's paragraphs (dateline and byline removed), the gold author is what the byline names.
"""

from __future__ import annotations

import html
from datetime import datetime

from fixture_articles import P_DAKLAK, P_HAUGIANG, P_HUNGYEN, P_KONTUM, P_LAMDONG, P_QUANGNINH, P_TUYENQUANG

E = html.escape

P_BINHPHUOC = {"id": "binhphuoc", "name": "Cổng thông tin điện tử Đảng bộ tỉnh Bình Phước", "province": "Bình Phước",
               "url": "https://binhphuoc.dcs.vn/", "platform": "vnportal"}
P_NGHEAN = {"id": "nghean", "name": "Trang thông tin điện tử Đảng bộ tỉnh Nghệ An", "province": "Nghệ An",
            "url": "https://nghean.dcs.vn/", "platform": "nukeviet", "article_url_pattern": r"-\d+\.html$"}
P_CAMAU = {"id": "camau", "name": "Cổng thông tin điện tử Đảng bộ tỉnh Cà Mau", "province": "Cà Mau",
           "url": "https://camau.dcs.vn/", "platform": "generic"}
P_QUANGTRI = {"id": "quangtri", "name": "Cổng thông tin điện tử Tỉnh ủy Quảng Trị", "province": "Quảng Trị",
              "url": "https://quangtri.dcs.vn/", "platform": "sharepoint",
              "article_url_pattern": r"ChiTietTinTuc\.aspx\?nid=\d+"}
P_GIALAI = {"id": "gialai", "name": "Cổng thông tin điện tử Đảng bộ tỉnh Gia Lai", "province": "Gia Lai",
            "url": "https://gialai.dcs.vn/", "platform": "liferay", "article_url_pattern": r"/chi-tiet/-/"}
P_DONGTHAP = {"id": "dongthap", "name": "Trang thông tin điện tử Tỉnh ủy Đồng Tháp", "province": "Đồng Tháp",
              "url": "https://dongthap.dcs.vn/", "platform": "dnn", "article_url_pattern": r"/type/detail/id/\d+"}
P_BACGIANG = {"id": "bacgiang", "name": "Trang thông tin điện tử Tỉnh ủy Bắc Giang", "province": "Bắc Giang",
              "url": "https://bacgiang.dcs.vn/", "platform": "detailview", "article_url_pattern": r"/DetailView/\d+/"}

PORTALS = {
    "vnportal": [P_BINHPHUOC],
    "nukeviet": [P_NGHEAN, P_KONTUM],
    "generic": [P_CAMAU, P_DAKLAK, P_HUNGYEN],
    "sharepoint": [P_QUANGTRI, P_QUANGNINH],
    "liferay": [P_GIALAI],
    "dnn": [P_DONGTHAP, P_LAMDONG],
    "detailview": [P_BACGIANG, P_HAUGIANG, P_TUYENQUANG],
}

# (title, category, paragraphs) -- portal news in the usual register.
TEXTS: list[tuple[str, str, list[str]]] = [
    ("Ban Thường vụ Tỉnh ủy cho ý kiến về công tác chuẩn bị đại hội đảng bộ cấp cơ sở", "Xây dựng Đảng", [
        "Chiều 8/8, Ban Thường vụ Tỉnh ủy họp cho ý kiến về tiến độ chuẩn bị đại hội đảng bộ cấp cơ sở nhiệm kỳ 2025 - 2030.",
        "Đến nay, 100% tổ chức cơ sở đảng đã xây dựng kế hoạch, thành lập các tiểu ban phục vụ đại hội; 32 đảng bộ được chọn tổ chức đại hội điểm.",
        "Ban Thường vụ yêu cầu các cấp ủy chuẩn bị kỹ văn kiện, phương án nhân sự, bảo đảm đúng nguyên tắc, quy trình."]),
    ("Hội nghị trực tuyến quán triệt Nghị quyết Trung ương 10 khóa XIII", "Tin hoạt động", [
        "Sáng 2/11, Tỉnh ủy tổ chức hội nghị trực tuyến đến 180 điểm cầu quán triệt, triển khai Nghị quyết Hội nghị lần thứ 10 Ban Chấp hành Trung ương Đảng khóa XIII.",
        "Các đại biểu được nghe báo cáo viên Trung ương trình bày những nội dung cơ bản về dự thảo các văn kiện trình Đại hội XIV của Đảng.",
        "Hội nghị yêu cầu các cấp ủy xây dựng chương trình hành động sát với thực tiễn địa phương, đơn vị."]),
    ("Nâng cao chất lượng sinh hoạt chi bộ ở các thôn, buôn đồng bào dân tộc thiểu số", "Xây dựng Đảng", [
        "Những năm qua, chất lượng sinh hoạt chi bộ ở các thôn, buôn vùng đồng bào dân tộc thiểu số từng bước được nâng lên, nội dung sinh hoạt thiết thực hơn.",
        "Nhiều chi bộ đã đổi mới cách thức sinh hoạt, dành thời gian thảo luận các vấn đề bức xúc của người dân như giữ gìn an ninh trật tự, phát triển sản xuất.",
        "Tuy vậy, ở một số nơi sinh hoạt chi bộ còn hình thức, tỷ lệ đảng viên dự sinh hoạt chưa cao.",
        "Thời gian tới, các cấp ủy tiếp tục tăng cường hướng dẫn, kiểm tra, phân công cấp ủy viên dự sinh hoạt với chi bộ."]),
    ("Trao Huy hiệu 50 năm tuổi Đảng cho đảng viên lão thành", "Tin tức", [
        "Ngày 3/2, nhân kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam, Thành ủy tổ chức lễ trao Huy hiệu Đảng đợt 3/2025.",
        "Có 46 đảng viên được nhận Huy hiệu 50, 55, 60 và 65 năm tuổi Đảng; trong đó có 3 đồng chí nhận Huy hiệu 75 năm tuổi Đảng.",
        "Thay mặt các đảng viên, đồng chí Nguyễn Văn Hòa bày tỏ niềm vinh dự, tự hào và hứa tiếp tục giữ gìn phẩm chất người đảng viên."]),
    ("Đẩy mạnh chuyển đổi số trong cơ quan Đảng", "Chuyển đổi số", [
        "Thực hiện Kế hoạch số 25-KH/TU của Ban Thường vụ Tỉnh ủy, các cơ quan Đảng đã triển khai đồng bộ phần mềm quản lý văn bản và hồ sơ công việc.",
        "Đến nay, 98% văn bản đi, đến được xử lý trên môi trường mạng; 100% cấp ủy cấp huyện sử dụng chữ ký số.",
        "Hệ thống hội nghị truyền hình trực tuyến được kết nối đến tất cả các xã, phường, thị trấn, tiết kiệm đáng kể thời gian và chi phí."]),
    ("Huyện ủy sơ kết 3 năm thực hiện Nghị quyết về phát triển nông nghiệp hữu cơ", "Kinh tế", [
        "Sáng 15/3, Huyện ủy tổ chức hội nghị sơ kết 3 năm thực hiện Nghị quyết số 08-NQ/HU về phát triển nông nghiệp hữu cơ giai đoạn 2021 - 2025.",
        "Toàn huyện hiện có 1.250 ha cây trồng được chứng nhận hữu cơ, tăng gấp ba lần so với năm 2021; giá trị sản xuất trên một ha đạt 180 triệu đồng.",
        "Hội nghị đề ra mục tiêu đến năm 2025 có 2.000 ha sản xuất theo tiêu chuẩn hữu cơ, gắn với xây dựng thương hiệu sản phẩm."]),
    ("Tọa đàm khoa học về tư tưởng Hồ Chí Minh về đại đoàn kết dân tộc", "Nghiên cứu - Trao đổi", [
        "Ngày 18/5, Trường Chính trị tỉnh tổ chức tọa đàm khoa học về tư tưởng Hồ Chí Minh về đại đoàn kết toàn dân tộc và giá trị thực tiễn.",
        "Các tham luận làm rõ quan điểm “Đoàn kết, đoàn kết, đại đoàn kết. Thành công, thành công, đại thành công” trong sự nghiệp cách mạng.",
        "Tọa đàm góp phần nâng cao nhận thức của cán bộ, giảng viên về vai trò của khối đại đoàn kết trong giai đoạn hiện nay."]),
    ("Kiểm tra công tác phòng, chống thiên tai tại các huyện ven biển", "Tin tức", [
        "Từ ngày 20 đến 22/9, đoàn công tác của Tỉnh ủy kiểm tra công tác phòng, chống thiên tai và tìm kiếm cứu nạn tại ba huyện ven biển.",
        "Các địa phương đã rà soát phương án sơ tán dân ở vùng trũng thấp, chuẩn bị lực lượng, phương tiện theo phương châm “bốn tại chỗ”.",
        "Đoàn đề nghị kiên quyết không để người dân ở lại trên tàu thuyền, lồng bè khi có bão đổ bộ."]),
    ("Kết nạp 120 đảng viên là đoàn viên ưu tú", "Xây dựng Đảng", [
        "Trong 6 tháng đầu năm, các tổ chức cơ sở đảng trong tỉnh đã kết nạp 120 đảng viên mới là đoàn viên thanh niên ưu tú.",
        "Nhiều chi bộ thôn, bản đã chú trọng phát hiện, bồi dưỡng quần chúng ưu tú là người dân tộc thiểu số, người có uy tín ở cơ sở.",
        "Đảng ủy Khối tiếp tục phấn đấu kết nạp từ 300 đảng viên trở lên trong năm 2024."]),
    ("Ra mắt mô hình “Dân vận khéo” trong xây dựng đường giao thông nông thôn", "Dân vận", [
        "Ngày 26/4, Ban Dân vận Huyện ủy phối hợp với Ủy ban MTTQ xã ra mắt mô hình “Dân vận khéo” trong xây dựng đường giao thông nông thôn.",
        "Nhân dân trong thôn đã hiến hơn 3.000 m2 đất, đóng góp hơn 400 ngày công để mở rộng 2,5 km đường liên thôn.",
        "Mô hình góp phần phát huy vai trò làm chủ của Nhân dân, tăng cường mối quan hệ mật thiết giữa Đảng với Nhân dân."]),
    ("Kỷ niệm 70 năm Chiến thắng Điện Biên Phủ", "Sự kiện", [
        "Tối 6/5, Tỉnh ủy, HĐND, UBND tỉnh tổ chức lễ mít tinh kỷ niệm 70 năm Chiến thắng Điện Biên Phủ (7/5/1954 - 7/5/2024).",
        "Diễn văn kỷ niệm ôn lại những mốc son lịch sử của chiến dịch “lừng lẫy năm châu, chấn động địa cầu”.",
        "Dịp này, tỉnh đã thăm hỏi, tặng quà 85 chiến sĩ Điện Biên, thanh niên xung phong, dân công hỏa tuyến đang sinh sống trên địa bàn."]),
    ("Đảng bộ xã xây dựng nông thôn mới kiểu mẫu", "Cơ sở", [
        "Sau 5 năm thực hiện, xã đã hoàn thành 10/10 tiêu chí xã nông thôn mới kiểu mẫu, thu nhập bình quân đầu người đạt 72 triệu đồng/năm.",
        "Đảng ủy xã xác định phát triển kinh tế là nhiệm vụ trọng tâm, tập trung chỉ đạo chuyển đổi cơ cấu cây trồng, phát triển kinh tế vườn.",
        "Các tuyến đường trong xã đều được trồng hoa, lắp điện chiếu sáng, tạo cảnh quan xanh, sạch, đẹp."]),
    ("Học tập chuyên đề năm 2024 về tư tưởng, đạo đức, phong cách Hồ Chí Minh", "Học tập và làm theo Bác", [
        "Sáng 12/3, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị học tập chuyên đề năm 2024 cho hơn 500 cán bộ, đảng viên.",
        "Chuyên đề tập trung vào xây dựng văn hóa, con người Việt Nam phát triển toàn diện theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        "Sau hội nghị, mỗi chi bộ đăng ký ít nhất một việc làm cụ thể để làm theo Bác."]),
    ("Thường trực Tỉnh ủy tiếp và làm việc với đoàn công tác của Ban Tổ chức Trung ương", "Hoạt động của Tỉnh ủy", [
        "Chiều 9/10, Thường trực Tỉnh ủy tiếp và làm việc với đoàn công tác của Ban Tổ chức Trung ương về công tác nhân sự đại hội.",
        "Báo cáo của Tỉnh ủy cho biết, công tác chuẩn bị nhân sự được thực hiện chặt chẽ, dân chủ, đúng quy trình.",
        "Đoàn công tác ghi nhận kết quả đạt được và đề nghị tỉnh tiếp tục rà soát tiêu chuẩn, điều kiện của nhân sự."]),
    ("Tổng kết 10 năm thực hiện Chỉ thị về công tác bảo vệ chính trị nội bộ", "Xây dựng Đảng", [
        "Ngày 28/8, Ban Thường vụ Tỉnh ủy tổng kết 10 năm thực hiện Chỉ thị số 46-CT/TW của Bộ Chính trị về công tác bảo vệ chính trị nội bộ.",
        "Trong 10 năm, các cấp ủy đã thẩm định, kết luận tiêu chuẩn chính trị cho hơn 15.000 lượt cán bộ, đảng viên.",
        "Hội nghị khen thưởng 20 tập thể và 35 cá nhân có thành tích xuất sắc."]),
    ("Ngày hội Đại đoàn kết toàn dân tộc tại khu dân cư", "Mặt trận", [
        "Sáng 16/11, đồng chí Phó Bí thư Tỉnh ủy dự Ngày hội Đại đoàn kết toàn dân tộc tại khu dân cư số 4, phường Tân Thiện.",
        "Năm qua, khu dân cư có 98% hộ gia đình đạt danh hiệu gia đình văn hóa; không có hộ nghèo; an ninh trật tự được giữ vững.",
        "Nhân dịp này, các đơn vị đã trao 20 suất quà cho hộ cận nghèo và học sinh vượt khó học giỏi."]),
    ("Lễ ký kết phối hợp tuyên truyền giữa Ban Tuyên giáo và Báo tỉnh", "Tuyên giáo", [
        "Ngày 21/6, Ban Tuyên giáo Tỉnh ủy và Báo tỉnh ký kết chương trình phối hợp tuyên truyền giai đoạn 2024 - 2026.",
        "Hai bên thống nhất phối hợp tuyên truyền các chủ trương, nghị quyết của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch.",
        "Dịp này, Ban Tuyên giáo Tỉnh ủy tặng giấy khen cho 12 phóng viên có nhiều tác phẩm chất lượng."]),
    ("Giám sát việc thực hiện quy định về nêu gương của cán bộ, đảng viên", "Kiểm tra - Giám sát", [
        "Đoàn giám sát của Ủy ban Kiểm tra Tỉnh ủy đã làm việc với Ban Thường vụ Huyện ủy về việc thực hiện Quy định số 08-QĐi/TW.",
        "Qua giám sát, đoàn đánh giá cán bộ chủ chốt của huyện cơ bản gương mẫu, giữ gìn phẩm chất đạo đức, lối sống.",
        "Đoàn đề nghị Huyện ủy khắc phục hạn chế trong việc kê khai tài sản, thu nhập và công khai kết quả."]),
    ("Tuyên dương 95 gương điển hình tiên tiến trong phong trào thi đua yêu nước", "Thi đua - Khen thưởng", [
        "Tối 30/8, UBND tỉnh tổ chức lễ tuyên dương 95 gương điển hình tiên tiến giai đoạn 2020 - 2025.",
        "Các điển hình là công nhân, nông dân, trí thức, doanh nhân, chiến sĩ lực lượng vũ trang có nhiều đóng góp cho quê hương.",
        "Phong trào thi đua đã tạo động lực quan trọng để tỉnh hoàn thành các mục tiêu phát triển kinh tế - xã hội."]),
    ("Nghiệm thu công trình chào mừng đại hội Đảng bộ huyện", "Cơ sở", [
        "Ngày 10/7, Huyện ủy tổ chức nghiệm thu và đưa vào sử dụng nhà văn hóa trung tâm huyện, công trình chào mừng đại hội Đảng bộ huyện lần thứ XIV.",
        "Công trình có tổng mức đầu tư 18 tỷ đồng, gồm hội trường 500 chỗ ngồi, sân khấu ngoài trời và khu vui chơi thiếu nhi.",
        "Đây là nơi sinh hoạt văn hóa, văn nghệ, thể dục thể thao của Nhân dân trong huyện."]),
    ("Tập huấn nghiệp vụ công tác văn phòng cấp ủy", "Tin tức", [
        "Từ ngày 14 đến 16/8, Văn phòng Tỉnh ủy tổ chức lớp tập huấn nghiệp vụ công tác văn phòng cấp ủy cho 150 học viên.",
        "Học viên được truyền đạt các chuyên đề về thể thức văn bản của Đảng, công tác lưu trữ, bảo vệ bí mật nhà nước.",
        "Lớp tập huấn giúp cán bộ văn phòng nâng cao kỹ năng tham mưu, phục vụ cấp ủy."]),
    ("Đoàn đại biểu tỉnh dâng hương tưởng niệm các Anh hùng liệt sĩ", "Sự kiện", [
        "Nhân kỷ niệm 77 năm Ngày Thương binh - Liệt sĩ, sáng 26/7, đoàn đại biểu tỉnh đã đến dâng hương, dâng hoa tại Nghĩa trang liệt sĩ tỉnh.",
        "Trong không khí trang nghiêm, đoàn đã dành phút mặc niệm tưởng nhớ công lao to lớn của các Anh hùng liệt sĩ.",
        "Sau lễ dâng hương, đoàn đã thăm hỏi, tặng quà các gia đình chính sách tiêu biểu."]),
    ("Phát triển đảng viên trong doanh nghiệp ngoài khu vực nhà nước", "Xây dựng Đảng", [
        "Toàn tỉnh hiện có 86 tổ chức cơ sở đảng trong doanh nghiệp ngoài khu vực nhà nước với hơn 1.400 đảng viên.",
        "Nhiều chủ doanh nghiệp đã tạo điều kiện về thời gian, kinh phí cho hoạt động của tổ chức đảng và các đoàn thể.",
        "Tuy vậy, việc thành lập tổ chức đảng ở doanh nghiệp tư nhân vẫn còn khó khăn do lực lượng lao động biến động."]),
    ("Bàn giao nhà đại đoàn kết cho hộ nghèo", "Dân vận", [
        "Ngày 5/12, Ủy ban MTTQ huyện tổ chức bàn giao 15 căn nhà đại đoàn kết cho hộ nghèo, hộ có hoàn cảnh khó khăn.",
        "Mỗi căn nhà có tổng trị giá 60 triệu đồng, trong đó Quỹ Vì người nghèo hỗ trợ 50 triệu đồng, phần còn lại do gia đình đối ứng.",
        "Các hộ gia đình bày tỏ xúc động, cảm ơn sự quan tâm của cấp ủy, chính quyền và các nhà hảo tâm."]),
]


def _date_text(when: datetime, style: int, weekday: str) -> tuple[str, str]:
    """(visible date text, expected ISO value) in one of the forms portals print."""
    d, m, y, hh, mm = when.day, when.month, when.year, when.hour, when.minute
    forms = [
        (f"{weekday}, {d}/{m}/{y} - {hh:02d}:{mm:02d}", when.isoformat()),
        (f"{d:02d}-{m:02d}-{y} {hh:02d}:{mm:02d}:00", when.isoformat()),
        (f"ngày {d} tháng {m} năm {y}", when.replace(hour=0, minute=0).isoformat()),
        (f"Cập nhật: {hh:02d}:{mm:02d} {d:02d}/{m:02d}/{y}", when.isoformat()),
        (f"{hh:02d}:{mm:02d} | {d:02d}/{m:02d}/{y}", when.isoformat()),
        (f"Ngày đăng: {d:02d}/{m:02d}/{y}", when.replace(hour=0, minute=0).isoformat()),
        (f"{weekday}, {d:02d}/{m:02d}/{y}, {hh:02d}:{mm:02d} (GMT+7)", when.isoformat()),
        (f"Đăng ngày: {y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}", when.isoformat()),
    ]
    return forms[style % len(forms)]


_WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

# Furniture wordings, cycled independently.
COUNTERS = ["Lượt xem: 1.234", "Lượt đọc: 567", "Đã xem: 89", "Số lượt truy cập: 2.345", "Số lần xem: 12",
            "Lượt xem: 15.021", "Lượt đọc: 3"]
TOOLS = [
    '<a href="#">Bản in</a> | <a href="#">Gửi bài viết</a>',
    '<a href="#">In bài viết</a> | <a href="#">Gửi email</a> | <a href="#">Chia sẻ</a>',
    '<a href="#"><img src="/images/print.png" alt=""> Bản in</a>',
    '<a href="#">Gửi bài viết</a> <a href="#">Về đầu trang</a>',
    '<a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">Bản in</a>',
]
RELATED = ["Tin khác", "Các bài viết khác", "Xem thêm", "Tin cùng chuyên mục", "Các tin khác", "Tin liên quan",
           "Tin đã đưa", "Bài viết liên quan"]
COPYRIGHTS = [
    "© 2024 Bản quyền thuộc về {site}",
    "Copyright © 2023 {site}. All rights reserved.",
    "Ghi rõ nguồn “{site}” khi phát hành lại thông tin từ website này.",
    "Bản quyền thuộc về {site}",
]
# (markup kind, text, expected author)
BYLINES = [
    ("bold", "Minh Anh", "Minh Anh"),
    ("plain", "Tin, ảnh: Minh Anh", "Minh Anh"),
    ("plain", "Theo Báo Lâm Đồng", None),
    ("bold", "PV", "PV"),
    ("plain", "Nguyễn Văn A (Trung tâm TTVH huyện)", "Nguyễn Văn A (Trung tâm TTVH huyện)"),
    ("glued", "Hồng Nhung", "Hồng Nhung"),
    ("bold", "Bài, ảnh: Hoàng Long", "Hoàng Long"),
    ("none", None, None),
    ("italic", "Thu Trang - Văn phòng Huyện ủy", "Thu Trang - Văn phòng Huyện ủy"),
    ("bold", "Lê Hùng (Trung tâm Chính trị huyện)", "Lê Hùng (Trung tâm Chính trị huyện)"),
    ("two", ("Tin, ảnh: Quốc Bảo", "Theo Báo Đắk Lắk"), "Quốc Bảo"),
    ("bold", "Y Phương - H’Linh", "Y Phương - H’Linh"),
]
DATELINES = [None, ("(LĐ online) - ", "LĐ online"), None, ("(ĐCSVN) - ", "ĐCSVN"), None, ("TTXVN - ", "TTXVN"),
             None, ("(BĐT) - ", "BĐT")]
CAPTIONS = [
    lambda n: ["Quang cảnh hội nghị. Ảnh: Minh Anh"],
    lambda n: ["Các đại biểu tham dự buổi lễ. (Ảnh: Văn Long)"],
    lambda n: [f"dsc_0{n}12.jpg", "Đồng chí Bí thư phát biểu tại buổi làm việc"],
    lambda n: [],
    lambda n: ["Ảnh: Thanh Hà"],
    lambda n: [f"IMG_20240{n % 9 + 1}15_0930.jpg"],
]
RELATED_ITEMS = ["Ban Thường vụ Tỉnh ủy cho ý kiến vào dự thảo văn kiện đại hội",
                 "Triển khai kế hoạch tuyên truyền kỷ niệm các ngày lễ lớn năm 2020"]
TEMPLATE_CYCLE = ["vnportal", "nukeviet", "generic", "sharepoint", "liferay", "dnn", "detailview"]


def _slug(title: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFD", title.replace("Đ", "D").replace("đ", "d"))
    ascii_ = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_).split()
    return "-".join(words[:8])


def _url(portal: dict, platform: str, title: str, index: int) -> str:
    """An article URL in the platform's own shape (the registry's article_url_pattern must match it)."""
    slug, base = _slug(title), portal["url"]
    if platform == "detailview":
        return f"{base}DetailView/{4000 + index}/38/{slug.title()}.html"
    if platform == "dnn":
        return f"{base}tin-tuc-su-kien/xay-dung-dang/type/detail/id/{30000 + index}/task/1710"
    if platform == "sharepoint":
        return f"{base}Trang/ChiTietTinTuc.aspx?nid={120000 + index}"
    if platform == "liferay":
        return f"{base}chi-tiet/-/tin-tuc/{slug.upper()}-{index}"
    if platform == "nukeviet":
        return f"{base}news/tin-trong-tinh/{slug}-{4000 + index}.html"
    return f"{base}tin-tuc/{slug}-{4000 + index}.html"


def _article(index: int, text: tuple[str, str, list[str]], **override) -> dict:
    title, category, paragraphs = text
    template = override.pop("template", TEMPLATE_CYCLE[index % len(TEMPLATE_CYCLE)])
    platform = override.pop("platform", template if template != "generic_no_h1" else "generic")
    portals = PORTALS[platform]
    portal = override.pop("portal", portals[index % len(portals)])
    when = datetime(2021 + index % 4, 1 + (index * 5) % 12, 1 + (index * 7) % 27, 7 + index % 10, (index * 13) % 60)
    fetched = when.replace(year=when.year + 1)
    date_text, expected_date = _date_text(when, override.pop("date_style", index), _WEEKDAYS[when.weekday()])
    byline_kind, byline_text, author = override.pop("byline", BYLINES[index % len(BYLINES)])
    dateline = override.pop("dateline", DATELINES[index % len(DATELINES)])
    captions = override.pop("captions", CAPTIONS[index % len(CAPTIONS)](index))
    counter = COUNTERS[index % len(COUNTERS)]
    related_title = RELATED[index % len(RELATED)]
    tools = TOOLS[index % len(TOOLS)]
    copyright_ = COPYRIGHTS[index % len(COPYRIGHTS)].format(site=portal["name"])

    blocks: list[tuple] = [("p", p) for p in paragraphs]
    if dateline:
        blocks[0] = ("p", dateline[0] + paragraphs[0])
    if captions or index % 6 == 3:
        blocks.insert(1, ("img", f"/uploads/news/{when:%Y_%m}/anh-{index}.jpg", captions, captions[0] if captions else ""))
    expected_paragraphs = list(paragraphs)
    after: list[tuple] = []
    if byline_kind == "bold":
        after.append(("raw", f'<p style="text-align: right;"><strong>{E(byline_text)}</strong></p>'))
    elif byline_kind == "italic":
        after.append(("raw", f'<p style="text-align: right;"><em>{E(byline_text)}</em></p>'))
    elif byline_kind == "plain":
        after.append(("raw", f"<p>{E(byline_text)}</p>"))
    elif byline_kind == "two":
        after.append(("raw", (f'<p style="text-align: right;"><strong>{E(byline_text[0])}</strong></p>'
                             f'<p style="text-align: right;"><em>{E(byline_text[1])}</em></p>')))
    elif byline_kind == "glued":
        last = blocks.pop()
        after.append(("raw", f"<p>{E(last[1])}<strong>{E(byline_text)}</strong></p>"))
    # Furniture that portals print inside the article container itself, after the text.
    inside = index % 4
    if inside == 1:
        after.append(("raw", f"<p>{E(counter)}</p>"))
    elif inside == 2:
        after.append(("raw", f'<p><strong>{E(related_title)}:</strong></p><ul>'
                             + "".join(f'<li><a href="/tin-{i}.html">{E(t)}</a></li>' for i, t in enumerate(RELATED_ITEMS))
                             + "</ul>"))
    elif inside == 3:
        after.append(("raw", f"<p>{tools}</p>"))
    must_not = [counter.split(":")[0], related_title, copyright_[:20], *RELATED_ITEMS]
    must_not += [c for c in captions if c]
    if byline_kind == "two":
        must_not.append("Theo Báo Đắk Lắk")
    if byline_kind != "none" and author is None:
        must_not.append(byline_text)
    if "Bản in" in tools:
        must_not.append("Bản in")
    if "Gửi bài viết" in tools:
        must_not.append("Gửi bài viết")
    article = {
        "name": f"{portal['id']}_{index:02d}_{_slug(title)[:40].strip('-').replace('-', '_')}",
        "platform": platform,
        "template": template,
        "portal": portal,
        "site": portal["name"],
        "url": _url(portal, platform, title, index),
        "fetched_at": fetched.isoformat() + "+00:00",
        "title": title,
        "category": category,
        "date_text": date_text,
        "expected_published_at": expected_date,
        "expected_date_source": "visible",
        "blocks": blocks,
        "after_blocks": after,
        "expected_paragraphs": expected_paragraphs,
        "expected_author": author,
        "expected_dateline": dateline[1] if dateline else None,
        "counter": counter,
        "tools_html": tools,
        "related_title": related_title,
        "copyright": copyright_,
        "must_not_contain": must_not,
    }
    article.update(override)
    return article


def more_articles() -> list[dict]:
    out = [_article(i, text) for i, text in enumerate(TEXTS)]
    return out


# --- special cases --------------------------------------------------------------------------------------------

MULTIPAGE_BASE = "https://camau.dcs.vn/tin-tuc/dai-hoi-dai-bieu-dang-bo-tinh-lan-thu-xvii-5001.html"
MULTIPAGE = [
    ["Sáng 12/8, Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII, nhiệm kỳ 2025 - 2030 khai mạc trọng thể với sự tham dự của 350 đại biểu.",
     "Phát biểu khai mạc, đồng chí Bí thư Tỉnh ủy nhấn mạnh đại hội có ý nghĩa đặc biệt quan trọng đối với sự phát triển của tỉnh."],
    ["Nhiệm kỳ qua, tốc độ tăng trưởng kinh tế bình quân của tỉnh đạt 7,2%/năm; thu nhập bình quân đầu người tăng gấp 1,6 lần.",
     "Đại hội đề ra 18 chỉ tiêu chủ yếu và 3 khâu đột phá chiến lược cho nhiệm kỳ 2025 - 2030."],
]


def _pager(current: int, total: int, style: str) -> tuple:
    def url(n: int) -> str:
        if n == 1:
            return MULTIPAGE_BASE
        return f"{MULTIPAGE_BASE}?page={n}" if style == "query" else MULTIPAGE_BASE.replace(".html", f"/trang-{n}.html")

    links = " ".join(f"<span>{n}</span>" if n == current else f'<a href="{url(n)}">{n}</a>' for n in range(1, total + 1))
    nxt = f' <a href="{url(current + 1)}">Trang sau »</a>' if current < total else ""
    return ("raw", f'<div class="article-paging">Trang: {links}{nxt}</div>'), url(current)


def special_articles() -> list[dict]:
    out: list[dict] = []
    # windows-1258 bytes behind a <meta charset="utf-8"> that lies, tone marks decomposed as cp1258 stores them.
    out.append(_article(30, TEXTS[5], template="generic", portal=P_CAMAU, encoding="cp1258", decompose=True,
                        meta_charset="utf-8", content_type="text/html", name="camau_cp1258_declared_utf8"))
    # UTF-8 page in decomposed Unicode (NFD, as pasted from some editors).
    out.append(_article(31, TEXTS[6], template="dnn", portal=P_DONGTHAP, nfd=True, name="dongthap_nfd_utf8"))
    # An old article typed in the TCVN3 (.VnTime) font inside a modern Unicode page.
    out.append(_article(32, TEXTS[7], template="nukeviet", portal=P_NGHEAN, legacy="tcvn3-body",
                        byline=BYLINES[0], expected_legacy_font="tcvn3", name="nghean_tcvn3_vntime_body"))
    # A whole page from a TCVN3-era site, served as ISO-8859-1.
    out.append(_article(33, TEXTS[13], template="detailview", portal=P_BACGIANG, legacy="tcvn3-page",
                        byline=BYLINES[3], captions=[], content_type="text/html; charset=iso-8859-1",
                        meta_charset="iso-8859-1", expected_legacy_font="tcvn3", name="bacgiang_tcvn3_whole_page"))
    # A whole page typed in VNI-Times, served as windows-1252.
    out.append(_article(34, TEXTS[9], template="generic", portal=P_DAKLAK, legacy="vni-page", byline=BYLINES[0],
                        captions=["Ảnh: Thanh Hà"], content_type="text/html; charset=windows-1252",
                        meta_charset="windows-1252", expected_legacy_font="vni", name="daklak_vni_whole_page"))
    # VNI text inside a UTF-8 page.
    out.append(_article(35, TEXTS[16], template="liferay", portal=P_GIALAI, legacy="vni-body", byline=BYLINES[1],
                        expected_legacy_font="vni", name="gialai_vni_body"))
    # "Ngày 04/5": a date without a year; the year comes from the fetch time.
    partial = _article(36, TEXTS[15], template="sharepoint", portal=P_QUANGTRI, name="quangtri_partial_date")
    partial.update(date_text="Ngày 04/5", fetched_at="2024-05-20T02:00:00+00:00",
                   expected_published_at="2024-05-04T00:00:00")
    out.append(partial)
    # Only the machine-readable date (article:published_time), nothing visible.
    meta_only = _article(37, TEXTS[21], template="vnportal", portal=P_BINHPHUOC, name="binhphuoc_meta_date_only")
    meta_only.update(date_text=None, meta_time="2023-07-26T08:30:00+07:00", expected_published_at="2023-07-26T08:30:00",
                     expected_date_source="meta")
    out.append(meta_only)
    # Two parts of one article split over pages (?page=2 and /trang-2 styles).
    for number, style in ((1, "query"), (2, "query"), (2, "path")):
        pager, url = _pager(number, 2, style)
        paragraphs = MULTIPAGE[number - 1]
        part = _article(38 + number, ("Khai mạc Đại hội đại biểu Đảng bộ tỉnh lần thứ XVII", "Tin tức", paragraphs),
                        template="generic", portal=P_CAMAU, byline=BYLINES[0] if number == 2 else BYLINES[7],
                        captions=[], dateline=None, name=f"camau_multipage_{style}_part{number}")
        part["after_blocks"] = part["after_blocks"] + [pager]
        part.update(url=url, expected_part_of=MULTIPAGE_BASE, expected_page_number=number)
        part["must_not_contain"] = part["must_not_contain"] + ["Trang sau", "Trang:"]
        out.append(part)
    return out


def variant_articles() -> list[dict]:
    """The same texts again on other platforms with other wordings (index shifted: every knob changes)."""
    out = []
    for k, i in enumerate((0, 2, 4, 8, 10, 12, 14, 18, 19, 20, 22, 23)):
        article = _article(50 + k * 5, TEXTS[i], template=TEMPLATE_CYCLE[(i + 3) % len(TEMPLATE_CYCLE)])
        out.append(article)
    return out


def more_articles() -> list[dict]:  # noqa: F811 - the full list
    return [_article(i, text) for i, text in enumerate(TEXTS)] + special_articles() + variant_articles()
