"""Near-duplicate fixtures: one article, its re-publication elsewhere, and another article on the same meeting."""

ORIGINAL = [
    "Sáng 15/3, Ban Thường vụ Tỉnh ủy Kon Tum tổ chức Hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW "
    "ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Đồng chí Dương Văn Trang, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì hội nghị. Cùng dự có các đồng "
    "chí trong Ban Thường vụ Tỉnh ủy, lãnh đạo các sở, ban, ngành và bí thư các huyện ủy, thành ủy.",
    "Báo cáo tại hội nghị cho biết, sau 5 năm triển khai, các cấp ủy, tổ chức đảng đã cụ thể hóa nội dung học "
    "tập thành những việc làm thiết thực, gắn với nhiệm vụ chính trị của từng địa phương, cơ quan, đơn vị.",
    "Toàn tỉnh đã có hơn 1.200 tập thể và 3.500 cá nhân được các cấp khen thưởng vì có thành tích xuất sắc trong "
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; nhiều mô hình hay, cách làm sáng tạo được "
    "nhân rộng trong đời sống xã hội.",
    "Việc nêu gương của cán bộ, đảng viên, nhất là người đứng đầu có chuyển biến rõ nét; tinh thần trách nhiệm, "
    "ý thức phục vụ Nhân dân của đội ngũ cán bộ, công chức được nâng lên.",
    "Tuy nhiên, hội nghị cũng chỉ ra một số hạn chế: việc xây dựng chuẩn mực đạo đức ở một số nơi còn chung "
    "chung; công tác kiểm tra, giám sát chưa thường xuyên; một số mô hình điển hình chưa được tuyên truyền kịp thời.",
    "Phát biểu kết luận, đồng chí Bí thư Tỉnh ủy đề nghị các cấp ủy tiếp tục quán triệt sâu sắc Chỉ thị số "
    "05-CT/TW, đưa việc học tập và làm theo Bác trở thành việc làm tự giác, thường xuyên của mỗi cán bộ, đảng viên.",
    "Dịp này, Ban Thường vụ Tỉnh ủy đã tặng Bằng khen cho 25 tập thể và 40 cá nhân có thành tích tiêu biểu "
    "trong 5 năm thực hiện Chỉ thị số 05-CT/TW.",
]

# Re-published by another portal: another byline (kept out of the text), a photo caption that leaked into the
# body, and one sentence rewritten.
REPUBLISHED = [
    *ORIGINAL[:4],
    "Quang cảnh hội nghị sơ kết. Ảnh: Hồng Hạnh",
    "Đội ngũ cán bộ, đảng viên, đặc biệt là người đứng đầu đã thực sự gương mẫu; trách nhiệm phục vụ Nhân dân "
    "của cán bộ, công chức, viên chức có nhiều tiến bộ.",
    *ORIGINAL[5:],
]

# The same meeting, reported by another outlet as its own article: same names, numbers and phrases, other text.
SAME_MEETING = [
    "Ngày 15/3, Tỉnh ủy Kon Tum tổ chức Hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị. "
    "Đồng chí Dương Văn Trang, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy dự và chỉ đạo hội nghị.",
    "Tham luận tại hội nghị, Huyện ủy Đăk Hà giới thiệu mô hình dân vận khéo gắn với xây dựng nông thôn mới, "
    "trong đó mỗi chi bộ thôn đăng ký một công trình, phần việc cụ thể làm theo lời Bác.",
    "Đảng ủy Khối các cơ quan tỉnh chia sẻ kinh nghiệm đưa nội dung học tập vào sinh hoạt chi bộ định kỳ, mỗi "
    "tháng chọn một chuyên đề gắn với nhiệm vụ chuyên môn, cải cách hành chính và văn hóa công vụ.",
    "Thành ủy Kon Tum nêu cách làm trong phong trào thi đua xây dựng khu dân cư văn minh, giúp đỡ hộ nghèo "
    "đồng bào dân tộc thiểu số phát triển kinh tế, xóa nhà tạm, giữ gìn vệ sinh môi trường.",
    "Đại diện Đoàn Thanh niên tỉnh trình bày các hoạt động tình nguyện mùa hè xanh, hiến máu nhân đạo, tiếp sức "
    "mùa thi và chương trình thắp sáng đường quê ở các xã vùng sâu, vùng xa.",
    "Theo đồng chí Trưởng Ban Tuyên giáo Tỉnh ủy, thời gian tới cần đổi mới cách tuyên truyền gương người tốt, "
    "việc tốt trên báo chí, mạng xã hội; tăng cường kiểm tra việc thực hiện chuẩn mực đạo đức ở cơ sở.",
    "Hội nghị đã khen thưởng các tập thể, cá nhân tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong "
    "cách Hồ Chí Minh giai đoạn 2016 - 2021.",
]
