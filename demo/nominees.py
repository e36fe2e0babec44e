"""This year's forty nominees for `flask seed-demo`, each with the workflow path its dossier takes (see PLANS).

All people, e-mail addresses and phone numbers are fictitious.
"""
from dataclasses import dataclass
from datetime import date

from .data import EMAIL_DOMAIN, F, M


@dataclass
class Nominee:
    org: str
    field: str
    plan: str
    full_name: str
    gender: str
    dob: date
    ethnicity: str
    hometown: str
    workplace: str
    position: str
    title: str
    degree: str
    summary: str
    achievements: list
    uploads: tuple = ("cv", "endorsement")
    reason: str = ""  # the secretariat's reason (return or ineligible)
    supplement: tuple = ()  # attachment kinds the nominator adds after a return
    supplement_achievement: tuple | None = None  # an achievement added after a return
    overseas: bool = False
    email: str = ""


NOMINEES = [
    Nominee("A1", "YD", "eligible", "Nguyễn Thị Minh Nguyệt", F, date(1968, 4, 12), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Bệnh viện Đa khoa tỉnh Bắc Ninh", "Phó Giám đốc, Trưởng khoa Tim mạch",
            "PGS", "TS",
            "Hơn 30 năm công tác trong lĩnh vực tim mạch. Chủ nhiệm 2 đề tài cấp tỉnh về can thiệp mạch vành; "
            "triển khai thành công kỹ thuật đặt stent động mạch vành tại tuyến tỉnh, giúp hàng nghìn người bệnh "
            "không phải chuyển tuyến trung ương. Hướng dẫn 12 học viên cao học, bác sĩ chuyên khoa II.",
            [("project", 2019, "Nghiên cứu ứng dụng kỹ thuật can thiệp động mạch vành qua da tại Bệnh viện Đa khoa tỉnh Bắc Ninh",
              "Đề tài cấp tỉnh, chủ nhiệm; nghiệm thu xếp loại Xuất sắc năm 2021."),
             ("publication", 2022, "Kết quả can thiệp mạch vành qua đường động mạch quay ở bệnh nhân nhồi máu cơ tim cấp",
              "Tạp chí Tim mạch học Việt Nam, tác giả chính."),
             ("award", 2023, "Danh hiệu Thầy thuốc ưu tú", "Chủ tịch nước phong tặng.")],
            uploads=("cv", "endorsement", "evidence"), email="nguyet.ntm@" + EMAIL_DOMAIN),
    Nominee("A1", "YD", "submitted", "Hoàng Văn Thắng", M, date(1972, 9, 3), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Bệnh viện Sản - Nhi tỉnh Bắc Ninh", "Trưởng khoa Hồi sức sơ sinh", "", "TS",
            "Người dân tộc Tày đầu tiên của huyện Sơn Động (cũ) bảo vệ luận án tiến sĩ y học. Xây dựng đơn vị hồi "
            "sức sơ sinh tuyến tỉnh, góp phần giảm tỷ lệ tử vong trẻ sinh non; thường xuyên khám chữa bệnh "
            "miễn phí cho trẻ em vùng đồng bào dân tộc thiểu số.",
            [("project", 2020, "Ứng dụng thở áp lực dương liên tục (CPAP) trong điều trị suy hô hấp sơ sinh",
              "Đề tài cấp cơ sở, chủ nhiệm."),
             ("publication", 2023, "Đặc điểm lâm sàng và kết quả điều trị trẻ sinh non dưới 32 tuần tuổi thai",
              "Tạp chí Nhi khoa."),
             ("award", 2024, "Bằng khen của Bộ trưởng Bộ Y tế", "")],
            email="thang.hv@" + EMAIL_DOMAIN),
    # The same person, nominated a second time by the Department of Health: a duplicate for the secretariat.
    Nominee("D1", "YD", "submitted", "Hoàng Văn Thắng", M, date(1972, 9, 3), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Bệnh viện Sản - Nhi tỉnh Bắc Ninh", "Trưởng khoa Hồi sức sơ sinh", "", "TS",
            "Bác sĩ tiêu biểu ngành Y tế tỉnh; có nhiều đóng góp trong chăm sóc sức khỏe bà mẹ, trẻ em, đặc biệt "
            "ở các xã miền núi.",
            [("project", 2020, "Ứng dụng thở áp lực dương liên tục (CPAP) trong điều trị suy hô hấp sơ sinh",
              "Đề tài cấp cơ sở."),
             ("award", 2024, "Bằng khen của Bộ trưởng Bộ Y tế", "")],
            email="thang.hv@" + EMAIL_DOMAIN),
    Nominee("A1", "YD", "returned", "Lê Thị Hồng Vân", F, date(1979, 11, 22), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trung tâm Kiểm soát bệnh tật tỉnh Bắc Ninh",
            "Trưởng khoa Phòng chống bệnh truyền nhiễm", "", "TS",
            "Chỉ đạo chuyên môn công tác phòng chống dịch COVID-19, sốt xuất huyết trên địa bàn tỉnh; xây dựng hệ "
            "thống giám sát dịch tễ dựa vào cộng đồng.",
            [("project", 2021, "Xây dựng mô hình giám sát sốt xuất huyết Dengue dựa vào cộng đồng tại Bắc Ninh",
              "Đề tài cấp tỉnh."),
             ("publication", 2022, "Đặc điểm dịch tễ học COVID-19 tại tỉnh Bắc Ninh năm 2021", "Tạp chí Y học dự phòng.")],
            uploads=("cv",),
            reason="Thiếu bản sao bằng Tiến sĩ và xác nhận của cơ quan chủ trì đối với đề tài cấp tỉnh đã kê khai. "
                   "Đề nghị đơn vị bổ sung."),
    Nominee("A2", "VH", "eligible", "Đỗ Thị Thu Hằng", F, date(1970, 2, 15), "Kinh",
            "Phường Võ Cường, tỉnh Bắc Ninh", "Nhà hát Dân ca Quan họ Bắc Ninh", "Nghệ sĩ, Phó Trưởng đoàn Nghệ thuật",
            "", "DH",
            "Nghệ sĩ ưu tú, hơn 30 năm biểu diễn và truyền dạy dân ca Quan họ; trực tiếp truyền dạy cho hơn 200 "
            "học viên tại các làng Quan họ gốc; tham gia biểu diễn quảng bá di sản tại nhiều quốc gia.",
            [("award", 2019, "Danh hiệu Nghệ sĩ ưu tú", "Chủ tịch nước phong tặng."),
             ("work", 2021, "Album \"Quan họ lời cổ\"", "Sưu tầm, phục dựng 24 làn điệu cổ."),
             ("award", 2022, "Huy chương Vàng Liên hoan Dân ca toàn quốc", "")]),
    Nominee("A2", "VH", "draft", "Ngô Quang Vinh", M, date(1958, 6, 30), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Hội Văn học Nghệ thuật tỉnh Bắc Ninh", "Hội viên, nhà văn", "", "DH",
            "Tác giả 6 tiểu thuyết và nhiều tập truyện ngắn về đất và người Kinh Bắc.",
            [("work", 2018, "Tiểu thuyết \"Bến sông Cầu\"", "Nhà xuất bản Hội Nhà văn."),
             ("award", 2020, "Giải A Giải thưởng Văn học Nghệ thuật tỉnh Bắc Ninh", "")],
            uploads=("cv",)),
    Nominee("A2", "VH", "ineligible", "Trần Minh Đức", M, date(1985, 3, 8), "Kinh",
            "Phường Thuận Thành, tỉnh Bắc Ninh", "Xưởng tranh dân gian Đông Hồ", "Họa sĩ", "", "DH",
            "Sáng tác tranh theo phong cách dân gian Đông Hồ, tham gia một số triển lãm nhóm.",
            [("work", 2023, "Bộ tranh \"Sắc màu Kinh Bắc\"", "Triển lãm nhóm tại Bắc Ninh.")],
            reason="Người được đề cử chưa có giải thưởng hoặc thành tích cấp tỉnh trở lên theo tiêu chuẩn của Quy định; "
                   "hồ sơ không đáp ứng tiêu chí đối tượng xét tôn vinh."),
    Nominee("A3", "XH", "eligible", "Phạm Đức Thịnh", M, date(1956, 12, 1), "Kinh",
            "Phường Thuận Thành, tỉnh Bắc Ninh", "Hội Khoa học Lịch sử tỉnh Bắc Ninh", "Phó Chủ tịch Hội", "PGS", "TS",
            "Nhiều năm nghiên cứu lịch sử, văn hóa vùng Kinh Bắc; chủ biên các công trình về trung tâm Luy Lâu; "
            "tham gia xây dựng hồ sơ khoa học xếp hạng nhiều di tích quốc gia đặc biệt của tỉnh.",
            [("publication", 2017, "Luy Lâu - trung tâm chính trị, kinh tế, văn hóa cổ của Việt Nam", "Sách chuyên khảo, chủ biên."),
             ("project", 2020, "Hồ sơ khoa học di tích quốc gia đặc biệt chùa Dâu - Luy Lâu", "Chủ trì biên soạn."),
             ("award", 2022, "Giải Ba Giải thưởng Sách quốc gia", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("A3", "XH", "resubmitted", "Nguyễn Thị Lan Anh", F, date(1983, 7, 19), "Kinh",
            "Phường Bắc Giang, tỉnh Bắc Ninh", "Bảo tàng tỉnh Bắc Ninh", "Phó Giám đốc", "", "TS",
            "Chủ trì số hóa hơn 15.000 hiện vật; xây dựng bảo tàng số về văn hóa Kinh Bắc và Xứ Bắc.",
            [("project", 2022, "Số hóa và xây dựng cơ sở dữ liệu hiện vật Bảo tàng tỉnh", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("publication", 2024, "Bảo tàng số: kinh nghiệm quốc tế và khả năng áp dụng tại địa phương", "Tạp chí Di sản văn hóa.")],
            uploads=("cv",),
            reason="Bản tóm tắt thành tích chưa có xác nhận của thủ trưởng đơn vị. Đề nghị bổ sung công văn đề cử có "
                   "chữ ký, đóng dấu.",
            supplement=("endorsement",)),
    Nominee("I1", "NN", "eligible", "Nông Văn Tuyến", M, date(1966, 5, 20), "Nùng",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Viện trưởng", "PGS", "TS",
            "Chủ trì xây dựng quy trình sản xuất vải thiều Lục Ngạn theo tiêu chuẩn GlobalGAP, góp phần mở rộng "
            "xuất khẩu sang Nhật Bản, Hoa Kỳ, EU; chuyển giao kỹ thuật cho hơn 3.000 hộ nông dân.",
            [("project", 2018, "Nghiên cứu quy trình sản xuất vải thiều Lục Ngạn theo tiêu chuẩn GlobalGAP", "Đề tài cấp tỉnh."),
             ("patent", 2021, "Quy trình xử lý ra hoa vải thiều bằng khoanh vỏ kết hợp dinh dưỡng qua lá",
              "Bằng độc quyền giải pháp hữu ích."),
             ("publication", 2022, "Ảnh hưởng của biện pháp tỉa cành đến năng suất vải thiều", "Tạp chí Nông nghiệp và Phát triển nông thôn."),
             ("award", 2023, "Giải Nhất Hội thi Sáng tạo kỹ thuật tỉnh", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("I1", "NN", "returned", "Lương Thị Mai", F, date(1988, 10, 2), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Trưởng phòng Bảo vệ thực vật", "", "ThS",
            "Nghiên cứu biện pháp phòng trừ sâu bệnh tổng hợp (IPM) trên cây có múi, giảm 30% lượng thuốc bảo vệ thực vật.",
            [("project", 2023, "Ứng dụng IPM trên cây cam, bưởi tại các hợp tác xã vùng Lục Ngạn", "Đề tài cấp cơ sở, chủ nhiệm.")],
            reason="Đề nghị bổ sung minh chứng chuyển giao kết quả nghiên cứu (hợp đồng, biên bản nghiệm thu) cho các "
                   "hợp tác xã đã nêu."),
    Nominee("I1", "NN", "draft", "Chu Văn Sơn", M, date(1990, 1, 25), "Nùng",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Nghiên cứu viên", "", "ThS",
            "",
            [("publication", 2024, "Đánh giá tập đoàn giống nhãn muộn tại Lục Ngạn", "Báo cáo hội thảo.")],
            uploads=()),
    Nominee("I2", "KTCN", "eligible", "Nguyễn Hữu Tùng", M, date(1975, 8, 14), "Kinh",
            "Xã Tiên Du, tỉnh Bắc Ninh", "Viện Công nghệ Vật liệu Kinh Bắc", "Phó Viện trưởng", "PGS", "TS",
            "Chủ trì nghiên cứu và thương mại hóa lớp phủ nano chống ăn mòn cho kết cấu thép, được ứng dụng tại "
            "nhiều nhà máy trong các khu công nghiệp của tỉnh.",
            [("patent", 2019, "Lớp phủ nano chống ăn mòn cho kết cấu thép", "Bằng độc quyền sáng chế."),
             ("publication", 2021, "Nano-silica reinforced epoxy coatings for steel corrosion protection",
              "Tạp chí quốc tế thuộc danh mục SCIE."),
             ("project", 2022, "Hoàn thiện công nghệ sản xuất sơn phủ nano quy mô công nghiệp", "Dự án cấp tỉnh, chủ nhiệm.")]),
    Nominee("I2", "KHTN", "submitted", "Phan Thị Ngọc Ánh", F, date(1986, 12, 9), "Kinh",
            "Xã Tiên Du, tỉnh Bắc Ninh", "Viện Công nghệ Vật liệu Kinh Bắc", "Nghiên cứu viên chính", "", "TS",
            "Nghiên cứu vật liệu quang xúc tác xử lý nước thải làng nghề; 9 bài báo quốc tế, trong đó 5 bài Q1.",
            [("publication", 2023, "Vật liệu quang xúc tác g-C3N4 biến tính xử lý thuốc nhuộm trong nước thải dệt nhuộm",
              "Tạp chí quốc tế Q1, tác giả liên hệ."),
             ("award", 2024, "Giải thưởng Nhà khoa học nữ triển vọng tỉnh Bắc Ninh", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("I3", "XH", "ineligible", "Vũ Đình Lâm", M, date(1962, 4, 4), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Viện Nghiên cứu Văn hóa Kinh Bắc", "Nghiên cứu viên cao cấp", "", "TS",
            "Nghiên cứu tín ngưỡng dân gian và lễ hội truyền thống vùng Kinh Bắc.",
            [("publication", 2019, "Lễ hội truyền thống vùng Kinh Bắc", "Sách chuyên khảo.")],
            reason="Người được đề cử đã được tôn vinh danh hiệu Trí thức Bắc Ninh tiêu biểu năm 2023; theo Quy định "
                   "chưa đủ thời gian để xét lại."),
    Nominee("I3", "VH", "submitted", "Hà Thị Phương", F, date(1980, 6, 11), "Sán Dìu",
            "Xã Lục Nam, tỉnh Bắc Ninh", "Viện Nghiên cứu Văn hóa Kinh Bắc", "Nghiên cứu viên", "", "ThS",
            "Sưu tầm, biên dịch và phục dựng hát soọng cô của người Sán Dìu; mở lớp truyền dạy cho thanh thiếu niên "
            "tại 5 xã vùng đồng bào.",
            [("publication", 2020, "Hát soọng cô của người Sán Dìu ở Bắc Ninh", "Sách sưu tầm, biên dịch."),
             ("project", 2022, "Bảo tồn và phát huy dân ca Sán Dìu trong cộng đồng", "Dự án cấp tỉnh, thư ký khoa học.")]),
    Nominee("U1", "KTCN", "eligible", "Trịnh Quốc Bảo", M, date(1978, 3, 27), "Kinh",
            "Phường Vũ Ninh, tỉnh Bắc Ninh", "Trường Đại học Kinh Bắc", "Trưởng khoa Công nghệ thông tin", "", "TS",
            "Chủ trì xây dựng nền tảng trợ lý ảo hỗ trợ người dân sử dụng dịch vụ công trực tuyến; đào tạo hơn "
            "1.000 kỹ sư công nghệ thông tin cho các doanh nghiệp trong tỉnh.",
            [("project", 2021, "Trợ lý ảo tiếng Việt hỗ trợ dịch vụ công trực tuyến tỉnh Bắc Ninh", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("publication", 2022, "Mô hình ngôn ngữ cho truy vấn hành chính tiếng Việt", "Kỷ yếu hội nghị quốc tế."),
             ("award", 2023, "Bằng khen của Chủ tịch UBND tỉnh", "")]),
    Nominee("U1", "GD", "eligible_after_return", "Nguyễn Thị Hải Yến", F, date(1974, 9, 9), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Trường Đại học Kinh Bắc", "Phó Hiệu trưởng", "PGS", "TS",
            "Chủ trì đổi mới chương trình đào tạo theo chuẩn đầu ra; hướng dẫn 3 nghiên cứu sinh bảo vệ thành công.",
            [("publication", 2020, "Đánh giá năng lực người học trong giáo dục đại học", "Giáo trình, chủ biên."),
             ("project", 2022, "Phát triển chương trình đào tạo gắn với nhu cầu doanh nghiệp khu công nghiệp", "Đề tài cấp bộ, chủ nhiệm.")],
            reason="Lý lịch khoa học chưa cập nhật danh mục công trình giai đoạn 2021-2025. Đề nghị bổ sung.",
            supplement=("cv",),
            supplement_achievement=("publication", 2024, "Chuyển đổi số trong quản trị trường đại học",
                                    "Tạp chí Giáo dục, tác giả chính.")),
    Nominee("U1", "KTCN", "draft", "Đặng Minh Khôi", M, date(1992, 11, 30), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trường Đại học Kinh Bắc", "Giảng viên", "", "ThS",
            "Nghiên cứu thị giác máy tính ứng dụng kiểm tra lỗi sản phẩm điện tử.",
            [("publication", 2024, "Phát hiện lỗi bo mạch bằng học sâu", "Kỷ yếu hội nghị.")],
            uploads=()),
    Nominee("U2", "NN", "eligible", "Hoàng Thị Thu Trang", F, date(1981, 2, 18), "Tày",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Trường Đại học Nông Lâm Bắc Giang", "Trưởng khoa Nông học", "", "TS",
            "Chọn tạo và phục tráng giống lúa nếp cái hoa vàng, giống lúa chịu hạn cho vùng đồi; chủ trì 4 đề tài cấp tỉnh.",
            [("project", 2019, "Phục tráng giống lúa nếp cái hoa vàng đặc sản", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("project", 2022, "Chọn tạo giống lúa chịu hạn cho vùng đồi núi", "Đề tài cấp tỉnh, chủ nhiệm."),
             ("award", 2024, "Giải Nhì Giải thưởng Sáng tạo Khoa học Công nghệ Việt Nam", "")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("U2", "NN", "ineligible", "Dương Văn Hiếu", M, date(1969, 7, 7), "Kinh",
            "Phường Đa Mai, tỉnh Bắc Ninh", "Trường Đại học Nông Lâm Bắc Giang", "Trưởng phòng Hành chính", "", "ThS",
            "Nhiều năm làm công tác quản lý hành chính của nhà trường.",
            [("award", 2021, "Giấy khen của Hiệu trưởng", "")],
            reason="Thành tích chủ yếu về quản lý hành chính, không có công trình khoa học hoặc sáng kiến được công "
                   "nhận; không phù hợp lĩnh vực đề cử."),
    Nominee("U2", "KHTN", "resubmitted", "Triệu Thị Hoa", F, date(1987, 5, 5), "Dao",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Trường Đại học Nông Lâm Bắc Giang", "Giảng viên chính, Bộ môn Sinh học",
            "", "TS",
            "Nghiên cứu đa dạng sinh học và cây thuốc của người Dao tại khu bảo tồn Tây Yên Tử; 6 bài báo quốc tế.",
            [("publication", 2021, "Ethnobotany of medicinal plants used by the Dao people in Tay Yen Tu", "Tạp chí quốc tế SCIE."),
             ("project", 2023, "Bảo tồn nguồn gen cây thuốc quý vùng Tây Yên Tử", "Đề tài cấp tỉnh, thư ký.")],
            reason="Đề nghị bổ sung bản dịch tiếng Việt có xác nhận đối với các bài báo quốc tế đã kê khai.",
            supplement=("evidence",)),
    Nominee("U3", "KTCN", "submitted", "Phạm Quang Huy", M, date(1979, 1, 5), "Kinh",
            "Phường Quế Võ, tỉnh Bắc Ninh",
            "Đại học Quốc gia Seoul (Hàn Quốc); giảng viên thỉnh giảng Trường Đại học Công nghệ Đông Á",
            "Nghiên cứu viên cao cấp", "", "TS",
            "Trí thức người Việt Nam ở nước ngoài, chuyên gia thiết kế vi mạch; phối hợp mở chương trình đào tạo kỹ "
            "sư bán dẫn tại Bắc Ninh, kết nối doanh nghiệp Hàn Quốc đặt hàng nghiên cứu.",
            [("publication", 2022, "Low-power SRAM design for edge AI accelerators", "IEEE Transactions, tác giả chính."),
             ("patent", 2023, "Mạch nhớ tiết kiệm năng lượng", "Bằng sáng chế tại Hàn Quốc, đồng tác giả."),
             ("project", 2024, "Chương trình đào tạo kỹ sư thiết kế vi mạch tỉnh Bắc Ninh", "Chuyên gia tư vấn.")],
            overseas=True, email="huy.pq@" + EMAIL_DOMAIN),
    Nominee("U3", "GD", "returned", "Ngô Thị Bích Ngọc", F, date(1990, 8, 21), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trường Đại học Công nghệ Đông Á", "Trưởng bộ môn Ngoại ngữ", "", "ThS",
            "Xây dựng chương trình tiếng Hàn cho lao động các khu công nghiệp, đào tạo miễn phí cho hơn 800 công nhân.",
            [("project", 2023, "Chương trình tiếng Hàn cho công nhân khu công nghiệp", "Chủ nhiệm."),
             ("award", 2024, "Bằng khen của Liên đoàn Lao động tỉnh", "")],
            reason="Hồ sơ thiếu ảnh chân dung và bản sao các quyết định khen thưởng đã kê khai."),
    Nominee("E1", "YD", "eligible", "Trần Văn Lực", M, date(1965, 1, 17), "Kinh",
            "Phường Vũ Ninh, tỉnh Bắc Ninh", "Công ty CP Dược phẩm Kinh Bắc", "Tổng Giám đốc", "", "TS",
            "Đưa nhà máy đạt chuẩn EU-GMP; phát triển 12 sản phẩm từ dược liệu trồng tại tỉnh, bao tiêu cho hơn "
            "500 hộ trồng dược liệu.",
            [("patent", 2020, "Quy trình bào chế viên nang cứng từ cao chiết đinh lăng", "Bằng độc quyền giải pháp hữu ích."),
             ("award", 2022, "Giải Vàng Giải thưởng Chất lượng quốc gia", "Thủ tướng Chính phủ trao tặng.")]),
    Nominee("E1", "YD", "draft", "Bùi Thị Thanh Tâm", F, date(1991, 4, 28), "Kinh",
            "Xã Tiên Du, tỉnh Bắc Ninh", "Công ty CP Dược phẩm Kinh Bắc", "Trưởng phòng Nghiên cứu và Phát triển", "",
            "ThS",
            "Nghiên cứu bào chế thuốc dạng phóng thích kéo dài.",
            [("project", 2024, "Bào chế viên nén metformin phóng thích kéo dài", "Đề tài cấp cơ sở.")],
            uploads=("cv",)),
    Nominee("E2", "KTCN", "resubmitted", "Vũ Văn Quyết", M, date(1982, 6, 6), "Kinh",
            "Phường Quế Võ, tỉnh Bắc Ninh", "Công ty CP Công nghệ Điện tử Quế Võ", "Giám đốc kỹ thuật", "", "ThS",
            "Chủ trì 5 sáng kiến cải tiến dây chuyền lắp ráp, tiết kiệm hơn 20 tỷ đồng mỗi năm; làm chủ công nghệ "
            "kiểm tra quang học tự động (AOI).",
            [("patent", 2022, "Đồ gá định vị bo mạch cho máy dán linh kiện tự động", "Giải pháp hữu ích."),
             ("award", 2023, "Giải Nhì Hội thi Sáng tạo kỹ thuật tỉnh Bắc Ninh", "")],
            reason="Giải pháp hữu ích kê khai chưa có bản sao văn bằng bảo hộ. Đề nghị bổ sung.",
            supplement=("evidence",)),
    Nominee("E2", "KTCN", "submitted", "Đinh Công Khải", M, date(1989, 9, 15), "Mường",
            "Xã Tân Lạc, tỉnh Phú Thọ", "Công ty CP Công nghệ Điện tử Quế Võ", "Trưởng nhóm tự động hóa dây chuyền SMT",
            "", "DH",
            "Thiết kế và đưa vào vận hành 8 trạm robot cộng tác trên dây chuyền SMT, nâng năng suất 25%.",
            [("project", 2023, "Tự động hóa công đoạn kiểm tra và đóng gói bo mạch", "Dự án cấp doanh nghiệp, chủ nhiệm."),
             ("award", 2024, "Lao động sáng tạo của Tổng Liên đoàn Lao động Việt Nam", "")]),
    Nominee("E3", "NN", "submitted", "Nguyễn Văn Thành", M, date(1961, 11, 11), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Công ty CP Giống cây trồng Bắc Ninh", "Chủ tịch Hội đồng quản trị", "", "TS",
            "Chọn tạo 4 giống lúa thuần chất lượng cao được công nhận giống quốc gia; diện tích gieo cấy hằng năm "
            "trên 30.000 ha tại các tỉnh phía Bắc.",
            [("project", 2017, "Chọn tạo giống lúa thuần chất lượng BN-68", "Giống được công nhận chính thức."),
             ("award", 2020, "Giải thưởng Bông lúa vàng Việt Nam", ""),
             ("publication", 2021, "Kết quả chọn tạo giống lúa thơm chịu mặn", "Tạp chí Khoa học Công nghệ Nông nghiệp Việt Nam.")]),
    Nominee("E3", "NN", "draft", "Ninh Thị Hằng", F, date(1993, 3, 3), "Sán Chay",
            "Xã Yên Thế, tỉnh Bắc Ninh", "Công ty CP Giống cây trồng Bắc Ninh", "Kỹ sư chọn tạo giống", "", "ThS",
            "",
            [("project", 2025, "Khảo nghiệm giống ngô lai chịu hạn", "Thành viên chính.")],
            uploads=()),
    # Last year's honouree Hoàng Văn Sơn (demo.stages), typed without diacritics: a second person record with the
    # same birth date, for the secretariat's duplicates and merge screens (/tri-thuc/duplicates).
    Nominee("E3", "NN", "submitted", "Hoang Van Son", M, date(1968, 9, 3), "Tày",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Viện Nghiên cứu Cây ăn quả Lục Ngạn", "Viện trưởng", "", "TS",
            "Phối hợp với doanh nghiệp chuyển giao giống vải chín sớm cho 1.200 hộ trồng vải, xây dựng chuỗi liên "
            "kết tiêu thụ vải an toàn.",
            [("project", 2024, "Chuyển giao giống vải chín sớm cho vùng vải Lục Ngạn", "Chủ nhiệm.")]),
    Nominee("D1", "YD", "ineligible", "Nguyễn Đức Long", M, date(1957, 2, 2), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Nguyên Giám đốc Trung tâm Y tế huyện Yên Phong (cũ)", "Đã nghỉ hưu",
            "", "ThS",
            "Nhiều năm công tác quản lý y tế tuyến huyện.",
            [("award", 2015, "Huân chương Lao động hạng Ba", "")],
            reason="Không thuộc đối tượng: đã nghỉ hưu nhiều năm và không còn hoạt động chuyên môn; thành tích kê khai "
                   "nằm ngoài thời gian xét (5 năm gần nhất)."),
    Nominee("D2", "GD", "eligible", "Đào Thị Kim Oanh", F, date(1971, 10, 20), "Kinh",
            "Phường Võ Cường, tỉnh Bắc Ninh", "Trường THPT Chuyên Bắc Ninh", "Hiệu trưởng", "", "TS",
            "Trực tiếp bồi dưỡng đội tuyển học sinh giỏi quốc gia môn Hóa học nhiều năm liền; có học sinh đạt Huy "
            "chương Vàng Olympic Hóa học quốc tế.",
            [("award", 2021, "Danh hiệu Nhà giáo ưu tú", "Chủ tịch nước phong tặng."),
             ("award", 2023, "Bằng khen của Thủ tướng Chính phủ", ""),
             ("publication", 2022, "Chuyên đề bồi dưỡng học sinh giỏi Hóa học hữu cơ", "Sách tham khảo, chủ biên.")]),
    Nominee("D2", "GD", "submitted", "Hà Văn Chung", M, date(1976, 12, 12), "Tày",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Trường Phổ thông Dân tộc nội trú tỉnh Bắc Ninh", "Phó Hiệu trưởng", "", "ThS",
            "Xây dựng mô hình giáo dục song ngữ Việt - Tày và ký túc xá kiểu mẫu; tỷ lệ học sinh dân tộc thiểu số "
            "đỗ đại học tăng từ 45% lên 78%.",
            [("project", 2022, "Mô hình trường nội trú gắn với bảo tồn văn hóa dân tộc", "Sáng kiến cấp tỉnh."),
             ("award", 2024, "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo", "")]),
    Nominee("D2", "GD", "returned", "Phùng Thị Thanh Xuân", F, date(1985, 1, 9), "Kinh",
            "Xã Yên Phong, tỉnh Bắc Ninh", "Trường THCS Yên Phong", "Giáo viên Toán", "", "ThS",
            "Bồi dưỡng học sinh giỏi Toán cấp tỉnh, cấp quốc gia; tác giả 3 sáng kiến kinh nghiệm cấp tỉnh.",
            [("award", 2023, "Giáo viên dạy giỏi cấp tỉnh", ""),
             ("work", 2024, "Sáng kiến \"Dạy học Toán gắn với thực tiễn\"", "Công nhận cấp tỉnh.")],
            reason="Đề nghị bổ sung bản sao giấy chứng nhận giải của học sinh và quyết định công nhận sáng kiến kinh "
                   "nghiệm cấp tỉnh."),
    Nominee("D3", "KHTN", "eligible", "Nguyễn Quang Minh", M, date(1963, 5, 25), "Kinh",
            "Xã Gia Bình, tỉnh Bắc Ninh", "Viện Toán học, Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
            "Nghiên cứu viên cao cấp", "GS", "TSKH",
            "Chuyên gia tối ưu hóa và toán ứng dụng; hơn 80 công trình quốc tế; tư vấn xây dựng mô hình dự báo "
            "nhu cầu nhân lực cho các khu công nghiệp của tỉnh; hướng dẫn 10 nghiên cứu sinh.",
            [("publication", 2019, "Sách chuyên khảo về tối ưu hóa không trơn", "Nhà xuất bản quốc tế."),
             ("award", 2021, "Giải thưởng Tạ Quang Bửu", ""),
             ("project", 2023, "Mô hình dự báo nhu cầu nhân lực khu công nghiệp tỉnh Bắc Ninh", "Chủ nhiệm, đặt hàng của Sở KH&CN.")],
            uploads=("cv", "endorsement", "evidence")),
    Nominee("D3", "KTCN", "eligible_after_return", "Lê Thị Thanh Thủy", F, date(1977, 8, 8), "Kinh",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng tỉnh Bắc Ninh",
            "Giám đốc", "", "TS",
            "Xây dựng phòng thử nghiệm đạt chuẩn ISO/IEC 17025; hỗ trợ hơn 200 doanh nghiệp áp dụng hệ thống quản lý "
            "chất lượng tiên tiến.",
            [("project", 2020, "Nâng cao năng suất chất lượng sản phẩm chủ lực tỉnh Bắc Ninh", "Đề tài cấp bộ."),
             ("project", 2023, "Truy xuất nguồn gốc nông sản bằng mã QR", "Đề tài cấp bộ.")],
            reason="Đề nghị làm rõ vai trò (chủ nhiệm hay thành viên) trong 2 đề tài cấp bộ đã kê khai.",
            supplement=("evidence",),
            supplement_achievement=("award", 2024, "Bằng khen của Bộ trưởng Bộ Khoa học và Công nghệ", "")),
    Nominee("D3", "KHTN", "draft", "Thân Đức Trọng", M, date(1994, 2, 14), "Kinh",
            "Phường Bắc Giang, tỉnh Bắc Ninh", "Trung tâm Ứng dụng tiến bộ Khoa học và Công nghệ tỉnh Bắc Ninh",
            "Nghiên cứu viên", "", "ThS",
            "Nghiên cứu chế phẩm vi sinh xử lý phụ phẩm nông nghiệp.",
            [("project", 2025, "Chế phẩm vi sinh xử lý rơm rạ tại ruộng", "Chủ nhiệm đề tài cấp cơ sở.")],
            uploads=("cv",)),
    Nominee("C1", "VH", "resubmitted", "Nguyễn Thị Liên", F, date(1955, 3, 19), "Kinh",
            "Phường Kinh Bắc, tỉnh Bắc Ninh", "Câu lạc bộ Quan họ làng Diềm", "Nghệ nhân, Chủ nhiệm câu lạc bộ", "", "other",
            "Nghệ nhân Nhân dân, hơn 50 năm gìn giữ lối hát Quan họ cổ; truyền dạy hơn 100 làn điệu cho các thế hệ "
            "liền anh, liền chị.",
            [("award", 2019, "Danh hiệu Nghệ nhân Nhân dân", "Chủ tịch nước phong tặng."),
             ("work", 2020, "Tuyển tập 120 làn điệu Quan họ cổ (ghi âm, ký âm)", "")],
            reason="Đề nghị bổ sung ảnh chân dung và bản sao quyết định phong tặng danh hiệu Nghệ nhân Nhân dân.",
            supplement=("photo", "evidence")),
    Nominee("C2", "NN", "submitted", "Triệu Văn Quý", M, date(1970, 7, 27), "Dao",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Hợp tác xã Dược liệu Yên Tử", "Giám đốc", "", "DH",
            "Phát triển vùng trồng ba kích, khôi nhung dưới tán rừng 120 ha; tạo việc làm ổn định cho 150 hộ đồng "
            "bào Dao, Tày, Nùng.",
            [("project", 2021, "Mô hình trồng ba kích tím dưới tán rừng", "Dự án khuyến nông cấp tỉnh, chủ trì."),
             ("award", 2023, "Nông dân Việt Nam xuất sắc", "Trung ương Hội Nông dân Việt Nam.")]),
    Nominee("C3", "NN", "returned", "Nông Thị Duyên", F, date(1984, 12, 24), "Nùng",
            "Xã Lục Ngạn, tỉnh Bắc Ninh", "Hợp tác xã Vải thiều Lục Ngạn", "Phó Chủ nhiệm", "", "DH",
            "Dẫn dắt 60 hộ thành viên sản xuất vải thiều theo VietGAP, xây dựng mã số vùng trồng phục vụ xuất khẩu.",
            [("project", 2022, "Cấp mã số vùng trồng vải thiều xuất khẩu", "Chủ trì thực hiện tại hợp tác xã.")],
            reason="Đề nghị bổ sung số liệu minh chứng hiệu quả kinh tế của mô hình (diện tích, sản lượng, số hộ tham "
                   "gia) có xác nhận của hợp tác xã."),
    # The organisation withdrew this dossier before the secretariat's check (its place in the round came back).
    Nominee("A2", "VH", "withdrawn", "Đỗ Thị Thu Trang", F, date(1983, 5, 17), "Mường",
            "Phường Từ Sơn, tỉnh Bắc Ninh", "Nhà hát Dân ca Quan họ Bắc Ninh", "Diễn viên chính", "", "DH",
            "Diễn viên chính của nhiều vở diễn Quan họ dàn dựng mới; Huy chương Vàng liên hoan sân khấu chuyên "
            "nghiệp toàn quốc.",
            [("award", 2022, "Huy chương Vàng Liên hoan Ca múa nhạc chuyên nghiệp toàn quốc", "")],
            reason="Đơn vị đề cử người khác phù hợp hơn trong đợt này."),
    # Returned for supplements; the supplement deadline passed without a resubmission.
    Nominee("I3", "GD", "returned_overdue", "Lò Văn Hùng", M, date(1976, 8, 30), "Thái",
            "Xã Sơn Động, tỉnh Bắc Ninh", "Trường Phổ thông Dân tộc nội trú tỉnh Bắc Ninh", "Phó Hiệu trưởng", "",
            "ThS",
            "Hơn 20 năm dạy học sinh dân tộc thiểu số; biên soạn tài liệu dạy tiếng Việt cho học sinh đầu cấp.",
            [("work", 2021, "Tài liệu dạy tiếng Việt cho học sinh dân tộc thiểu số đầu cấp", "")],
            reason="Đề nghị bổ sung xác nhận của Sở Giáo dục và Đào tạo về tài liệu đã biên soạn."),
]
