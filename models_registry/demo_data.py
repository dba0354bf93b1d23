"""Vocabulary for demo data, taken from models named in published provincial reports.

Each title is (title, field code, category of the body that usually runs it).
"""

from .models import OrganizationCategory as C

STANDARD_FIELD_OF_SUBTHEME = {
    "bao-ve-moi-truong": "van-hoa-xa-hoi",
    "nong-thon-moi": "kinh-te",
    "giam-ngheo": "kinh-te",
    "dong-bao-co-dao": "xay-dung-he-thong-chinh-tri",
    "dong-bao-dan-toc-thieu-so": "xay-dung-he-thong-chinh-tri",
    "an-ninh-trat-tu": "quoc-phong-an-ninh",
    "chuyen-doi-so": "kinh-te",
}

TITLES = [
    ("Móc khóa an ninh", "an-ninh-trat-tu", C.ARMED_FORCES),
    ("Phiên tòa giả định", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("Camera an ninh, trật tự", "an-ninh-trat-tu", C.ARMED_FORCES),
    ("Tổ tự quản về bảo đảm an ninh, trật tự", "an-ninh-trat-tu", C.PARTY_COMMITTEE),
    ("Tổ an ninh liên hoàn", "quoc-phong-an-ninh", C.PARTY_COMMITTEE),
    ("Phòng, chống thanh thiếu niên phạm tội, vi phạm pháp luật", "quoc-phong-an-ninh", C.FRONT_AND_UNIONS),
    ("Tiếng kẻng an ninh - cổng phòng, chống tội phạm", "an-ninh-trat-tu", C.ARMED_FORCES),
    ("Tổ ngư dân đoàn kết sản xuất trên biển, bảo vệ an ninh chủ quyền biển đảo Tổ quốc",
     "quoc-phong-an-ninh", C.PARTY_COMMITTEE),
    ("Công an xã lắng nghe ý kiến Nhân dân", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("Tiếp sức hoàn lương", "an-ninh-trat-tu", C.ARMED_FORCES),
    ("Nhà trọ không có tội phạm ẩn náu", "an-ninh-trat-tu", C.ARMED_FORCES),
    ("Cụm dịch vụ homestay không có tội phạm ẩn náu", "an-ninh-trat-tu", C.ARMED_FORCES),
    ("3 cùng, 4 tại chỗ", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("4 bám, 3 cùng", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("Đoàn kết quân dân", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("An ninh biển đảo gắn với cứu nạn, cứu hộ trên biển", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("Điện thắp sáng đường quê", "nong-thon-moi", C.PARTY_COMMITTEE),
    ("Cựu chiến binh vận động gia đình, người thân không vi phạm tệ nạn xã hội", "an-ninh-trat-tu",
     C.FRONT_AND_UNIONS),
    ("Gia đình hội viên cựu chiến binh không tranh chấp đất đai, không vi phạm luật giao thông",
     "quoc-phong-an-ninh", C.FRONT_AND_UNIONS),
    ("Nồi cơm tình thương", "van-hoa-xa-hoi", C.ARMED_FORCES),
    ("Đội truyền thông phòng, chống xâm hại tình dục trẻ em", "van-hoa-xa-hoi", C.ARMED_FORCES),
    ("Camera an ninh Nhân dân", "an-ninh-trat-tu", C.ARMED_FORCES),
    ("Tủ quần áo “Ai thừa ủng hộ, ai thiếu đến nhận”", "van-hoa-xa-hoi", C.FRONT_AND_UNIONS),
    ("Nuôi heo đất giúp hộ đặc biệt nghèo", "giam-ngheo", C.FRONT_AND_UNIONS),
    ("Hũ gạo tình thương", "van-hoa-xa-hoi", C.FRONT_AND_UNIONS),
    ("Tổ phụ nữ thu gom, phân loại rác thải từ hộ gia đình", "bao-ve-moi-truong", C.FRONT_AND_UNIONS),
    ("Chủ nhật xanh – sạch – đẹp", "bao-ve-moi-truong", C.FRONT_AND_UNIONS),
    ("Đoạn đường “an toàn – văn minh – sạch đẹp”", "van-hoa-xa-hoi", C.FRONT_AND_UNIONS),
    ("Khu dân cư văn hóa biển", "van-hoa-xa-hoi", C.RESIDENTIAL),
    ("Thôn không có tội phạm và tệ nạn xã hội", "an-ninh-trat-tu", C.FRONT_AND_UNIONS),
    ("Phụ nữ nói không với biêu hụi, cờ bạc, số đề", "an-ninh-trat-tu", C.FRONT_AND_UNIONS),
    ("Vườn ươm cây gỗ lớn", "kinh-te", C.GOVERNMENT),
    ("Tổ hợp tác trồng keo liên kết chuỗi giá trị", "kinh-te", C.FRONT_AND_UNIONS),
    ("Nông dân chung sức xây dựng nông thôn mới", "nong-thon-moi", C.FRONT_AND_UNIONS),
    ("Hiến đất mở đường giao thông nông thôn", "nong-thon-moi", C.PARTY_COMMITTEE),
    ("Chi hội nông dân nghề nghiệp trồng rau an toàn", "kinh-te", C.FRONT_AND_UNIONS),
    ("Tiết kiệm vì phụ nữ nghèo", "giam-ngheo", C.FRONT_AND_UNIONS),
    ("Mái ấm tình thương cho hội viên khó khăn", "giam-ngheo", C.FRONT_AND_UNIONS),
    ("Sinh kế bền vững cho đồng bào dân tộc thiểu số", "dong-bao-dan-toc-thieu-so", C.GOVERNMENT),
    ("Già làng, người có uy tín tham gia giữ gìn an ninh buôn làng", "dong-bao-dan-toc-thieu-so",
     C.PARTY_COMMITTEE),
    ("Xứ, họ đạo bình yên", "dong-bao-co-dao", C.FRONT_AND_UNIONS),
    ("Tổ dân vận thôn, tổ dân phố", "xay-dung-he-thong-chinh-tri", C.PARTY_COMMITTEE),
    ("Đảng viên gương mẫu nơi cư trú", "xay-dung-he-thong-chinh-tri", C.PARTY_COMMITTEE),
    ("Chính quyền thân thiện, vì Nhân dân phục vụ", "xay-dung-he-thong-chinh-tri", C.GOVERNMENT),
    ("Dân hỏi – chính quyền trả lời", "xay-dung-he-thong-chinh-tri", C.GOVERNMENT),
    ("Bộ phận một cửa không giấy tờ", "chuyen-doi-so", C.GOVERNMENT),
    ("Tổ công nghệ số cộng đồng", "chuyen-doi-so", C.FRONT_AND_UNIONS),
    ("Chợ 4.0 – thanh toán không dùng tiền mặt", "chuyen-doi-so", C.FRONT_AND_UNIONS),
    ("Thanh niên tình nguyện giúp dân phòng, chống thiên tai", "van-hoa-xa-hoi", C.FRONT_AND_UNIONS),
    ("Ngôi nhà chung cho trẻ em vùng cao", "van-hoa-xa-hoi", C.GOVERNMENT),
    ("Bữa sáng yêu thương cho học sinh nghèo", "van-hoa-xa-hoi", C.FRONT_AND_UNIONS),
    ("Công đoàn đồng hành cùng người lao động", "xay-dung-he-thong-chinh-tri", C.FRONT_AND_UNIONS),
    ("Doanh nghiệp chung tay vì người nghèo", "giam-ngheo", C.ENTERPRISE),
    ("Khu dân cư tự quản về môi trường", "bao-ve-moi-truong", C.RESIDENTIAL),
    ("Dòng sông không rác thải nhựa", "bao-ve-moi-truong", C.FRONT_AND_UNIONS),
    ("Quân y kết hợp khám, chữa bệnh cho Nhân dân", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("Đồn biên phòng với sinh kế cho ngư dân", "quoc-phong-an-ninh", C.ARMED_FORCES),
    ("Tổ hòa giải ở cơ sở giỏi", "xay-dung-he-thong-chinh-tri", C.RESIDENTIAL),
    ("Cựu chiến binh giúp nhau làm kinh tế giỏi", "kinh-te", C.FRONT_AND_UNIONS),
    ("Phụ nữ khởi nghiệp từ sản phẩm OCOP", "kinh-te", C.FRONT_AND_UNIONS),
]

PLACE_SUFFIXES = ["", " ở thôn {n}", " tại tổ dân phố {n}", " khu dân cư số {n}"]

# "{province}" is the province's name with a lower-case first letter ("tỉnh Quảng Ngãi").
PROVINCE_BODIES = [
    ("Đảng ủy các cơ quan Đảng {province}", C.PARTY_COMMITTEE),
    ("Đảng ủy Ủy ban nhân dân {province}", C.PARTY_COMMITTEE),
    ("Sở Nông nghiệp và Môi trường {province}", C.GOVERNMENT),
    ("Sở Y tế {province}", C.GOVERNMENT),
    ("Sở Giáo dục và Đào tạo {province}", C.GOVERNMENT),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam {province}", C.FRONT_AND_UNIONS),
    ("Hội Liên hiệp Phụ nữ {province}", C.FRONT_AND_UNIONS),
    ("Đoàn Thanh niên {province}", C.FRONT_AND_UNIONS),
    ("Hội Nông dân {province}", C.FRONT_AND_UNIONS),
    ("Hội Cựu chiến binh {province}", C.FRONT_AND_UNIONS),
    ("Liên đoàn Lao động {province}", C.FRONT_AND_UNIONS),
    ("Công an {province}", C.ARMED_FORCES),
    ("Bộ Chỉ huy Quân sự {province}", C.ARMED_FORCES),
    ("Bộ Chỉ huy Bộ đội Biên phòng {province}", C.ARMED_FORCES),
    ("Hiệp hội Doanh nghiệp {province}", C.ENTERPRISE),
    ("Ngân hàng Chính sách xã hội chi nhánh {province}", C.OTHER),
]

# "{party}" is the district's Party committee ("Huyện ủy", "Thành ủy", "Thị ủy", "Quận ủy").
DISTRICT_BODIES = [
    ("{party} {short}", C.PARTY_COMMITTEE),
    ("Ủy ban nhân dân {unit}", C.GOVERNMENT),
    ("Ủy ban MTTQ Việt Nam {unit}", C.FRONT_AND_UNIONS),
    ("Hội Liên hiệp Phụ nữ {unit}", C.FRONT_AND_UNIONS),
    ("Đoàn Thanh niên {unit}", C.FRONT_AND_UNIONS),
    ("Hội Cựu chiến binh {unit}", C.FRONT_AND_UNIONS),
    ("Công an {unit}", C.ARMED_FORCES),
    ("Ban Chỉ huy Quân sự {unit}", C.ARMED_FORCES),
]
PARTY_COMMITTEE_OF_DISTRICT = {"huyen": "Huyện ủy", "thanh_pho": "Thành ủy", "thi_xa": "Thị ủy", "quan": "Quận ủy"}

COMMUNE_BODIES = [
    ("Đảng ủy {unit}", C.PARTY_COMMITTEE),
    ("Ủy ban nhân dân {unit}", C.GOVERNMENT),
    ("Ủy ban MTTQ Việt Nam {unit}", C.FRONT_AND_UNIONS),
    ("Hội Liên hiệp Phụ nữ {unit}", C.FRONT_AND_UNIONS),
    ("Đoàn Thanh niên {unit}", C.FRONT_AND_UNIONS),
    ("Hội Nông dân {unit}", C.FRONT_AND_UNIONS),
    ("Hội Cựu chiến binh {unit}", C.FRONT_AND_UNIONS),
    ("Công an {unit}", C.ARMED_FORCES),
    ("Ban Chỉ huy Quân sự {unit}", C.ARMED_FORCES),
    ("Khu dân cư thôn 1, {unit}", C.RESIDENTIAL),
]

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đinh", "Đỗ", "Hồ"]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Đức", "Thu", "Quang", "Kim"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dũng", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Nga", "Phúc", "Sơn",
               "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Xuân", "Yến", "Đào", "Hạnh"]
POSITIONS = ["Bí thư chi bộ thôn", "Trưởng thôn", "Chi hội trưởng phụ nữ", "Bí thư chi đoàn", "Công an viên",
             "Già làng", "Tổ trưởng tổ dân phố", "Hội viên nông dân", "Cựu chiến binh"]
DISCONTINUE_REASONS = [
    "Địa bàn sáp nhập, mô hình được gộp vào mô hình chung của xã mới.",
    "Nguồn lực duy trì không còn; người phụ trách chuyển công tác.",
    "Mục tiêu của mô hình đã hoàn thành.",
]
RETURN_REASONS = [
    "Đề nghị bổ sung kế hoạch triển khai và dự toán kinh phí.",
    "Phần mục tiêu còn chung chung, cần nêu chỉ tiêu cụ thể có thể đo được.",
]
REJECT_REASONS = ["Nội dung trùng với mô hình đã đăng ký năm trước của đơn vị."]
NARRATIVES = [
    "Mô hình duy trì sinh hoạt định kỳ hằng tháng, thu hút đông đảo Nhân dân tham gia.",
    "Đã vận động các hộ dân hiến đất, góp ngày công làm đường bê tông liên thôn.",
    "Hỗ trợ hộ nghèo, hộ cận nghèo vay vốn, con giống để phát triển kinh tế.",
    "Tình hình an ninh, trật tự trên địa bàn được giữ vững, không phát sinh điểm nóng.",
]
