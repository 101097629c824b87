"""The demo programme: the two source documents restated as records, in our own words.

Document 000: a 2017 cooperation agreement between a CSO-support centre (MSD) and a
public-policy institute (ViLEAP, part of the National Academy of Politics) with 4 objectives
and 6 activities. Document 002: an association for children's rights (TEV) running a one-day
advocacy training for 35 delegates under a cooperation plan with Save the Children.
Figures other than those the documents give (dates within 2017, values reached) are
illustrative and marked as demo data on the programme page.
"""

from datetime import date

PASSWORD = "ketnoi-demo"  # noqa: S105 (a published demo password, never used outside make run)

# (key, name, short name, type, parent key, province short name, website)
ORGANISATIONS = [
    ("npa", "Học viện Chính trị Quốc gia Hồ Chí Minh", "NPA", "academic", None, "Hà Nội", ""),
    ("vileap", "Viện Lãnh đạo học và Chính sách công", "ViLEAP", "academic", "npa", "Hà Nội", ""),
    ("msd", "Trung tâm Nghiên cứu Quản lý và Phát triển bền vững", "MSD", "cso", None, "Hà Nội", ""),
    ("tev", "Hội Bảo vệ quyền trẻ em Việt Nam", "TEV", "cso", None, "Hồ Chí Minh", ""),
    ("sc", "Tổ chức Cứu trợ trẻ em quốc tế", "Save the Children", "ingo", None, "Hà Nội", ""),
    (
        "hlhpn-hcm",
        "Hội Liên hiệp Phụ nữ Thành phố Hồ Chí Minh",
        "Hội LHPN TP.HCM",
        "mass_organisation",
        None,
        "Hồ Chí Minh",
        "",
    ),
    ("doan-hcm", "Thành đoàn Thành phố Hồ Chí Minh", "Đoàn TN TP.HCM", "mass_organisation", None, "Hồ Chí Minh", ""),
    ("snv-hn", "Sở Nội vụ Thành phố Hà Nội", "", "state_agency", None, "Hà Nội", ""),
    ("snv-ct", "Sở Nội vụ Thành phố Cần Thơ", "", "state_agency", None, "Cần Thơ", ""),
    ("snv-hcm", "Sở Nội vụ Thành phố Hồ Chí Minh", "", "state_agency", None, "Hồ Chí Minh", ""),
    ("ubnd-ct", "Uỷ ban nhân dân phường Ninh Kiều", "", "state_agency", None, "Cần Thơ", ""),
    ("cso-mekong", "Trung tâm Phát triển cộng đồng vùng Mê Kông", "", "cso", None, "Cần Thơ", ""),
    ("cso-treem", "Nhóm Hành động vì trẻ em đường phố", "", "cso", None, "Hồ Chí Minh", ""),
    ("cso-moitruong", "Liên minh Sáng kiến xanh", "", "cso", None, "Hà Nội", ""),
    ("media", "Tạp chí Phát triển cộng đồng", "", "media", None, "Hà Nội", ""),
]

# How many generated people work in each organisation (Faker vi_VN, fixed seed).
PEOPLE_PER_ORGANISATION = {
    "vileap": 8,
    "msd": 6,
    "tev": 6,
    "sc": 3,
    "hlhpn-hcm": 4,
    "doan-hcm": 4,
    "snv-hn": 4,
    "snv-ct": 4,
    "snv-hcm": 4,
    "ubnd-ct": 3,
    "cso-mekong": 4,
    "cso-treem": 4,
    "cso-moitruong": 3,
    "media": 2,
    "npa": 2,
}
POSITIONS = ["Giám đốc", "Phó giám đốc", "Cán bộ dự án", "Chuyên viên", "Giảng viên", "Trưởng phòng", "Điều phối viên"]

# Demo accounts: (username, full name, roles per programme key, organisation key, is_staff)
USERS = [
    ("dieuphoi", "Điều phối viên MSD", {"msd-vileap": "coordinator", "tev-sc": "coordinator"}, "msd", False),
    ("giangvien", "Giảng viên MSD", {"msd-vileap": "lecturer"}, "msd", False),
    ("chuyengia", "Chuyên gia ViLEAP", {"msd-vileap": "reviewer"}, "vileap", False),
    ("thuvien", "Thủ thư góc kiến thức", {"msd-vileap": "curator"}, "msd", False),
    ("hoi-tev", "Cán bộ Hội TEV", {"tev-sc": "coordinator"}, "tev", False),
    ("khach", "Khách chưa được phân quyền", {}, None, False),
    ("admin", "Quản trị hệ thống", {}, None, True),
]

MSD_VILEAP = {
    "code": "msd-vileap",
    "is_public": True,  # presented on the public home page
    "name": "Truyền cảm hứng CSOs – hợp tác MSD và ViLEAP",
    "description": (
        "Dữ liệu mẫu. Chương trình hợp tác giữa một trung tâm hỗ trợ tổ chức xã hội và một viện "
        "đào tạo cán bộ nhà nước, nhằm nâng cao năng lực vận động chính sách của các TCXH và sự "
        "tham gia của họ vào việc xây dựng Luật về Hội cùng khung pháp lý thuận lợi."
    ),
    "start_date": date(2017, 1, 1),
    "end_date": date(2018, 12, 31),
    "component": "Thúc đẩy môi trường phát triển thuận lợi cho các TCXH Việt Nam",
    "agreement": {
        "title": "Thoả thuận hợp tác MSD – ViLEAP năm 2017",
        "parties": ["msd", "vileap"],
        "signed_on": date(2017, 3, 1),
        "start_date": date(2017, 3, 1),
        "end_date": date(2018, 12, 31),
        "purpose": (
            "Tăng năng lực vận động và đóng góp xây dựng chính sách của các TCXH; hỗ trợ TCXH tham "
            "gia hiệu quả vào việc góp ý Luật về Hội và khung pháp lý cho sự phát triển của TCXH."
        ),
    },
    "objectives": [
        (1, "Đưa vai trò, đóng góp và thách thức của TCXH vào các khoá thạc sĩ dành cho cán bộ nhà nước"),
        (2, "Giúp cán bộ chính quyền cơ sở hiểu rõ hơn vai trò của TCXH và gắn kết chính quyền với TCXH"),
        (3, "Tạo cơ hội để chính quyền địa phương và TCXH hiểu nhau, làm nền cho quan hệ hợp tác"),
        (4, "ViLEAP góp ý chuyên môn cho các nội dung tập huấn của MSD"),
    ],
    # (number, objective number, title, responsible key, quantity, unit, basis, places)
    "activities": [
        (
            1,
            1,
            "Lồng ghép kiến thức về TCXH, vận động chính sách và môi trường thuận lợi vào các khoá học của Viện",
            "vileap",
            2,
            "khoá học",
            "mỗi năm",
            ["Hà Nội", "Hồ Chí Minh"],
        ),
        (
            2,
            1,
            "MSD đồng giảng dạy các chủ đề về TCXH trong chương trình Thạc sĩ Chính sách công",
            "msd",
            10,
            "tiết",
            "mỗi học kỳ, mỗi lớp, mỗi cơ sở",
            ["Hà Nội", "Hồ Chí Minh"],
        ),
        (
            3,
            2,
            "Khảo sát nhanh sau bài giảng để đánh giá chất lượng, phiếu đánh giá do hai bên cùng xây dựng",
            "msd",
            1,
            "đợt khảo sát",
            "sau mỗi bài giảng",
            ["Hà Nội", "Hồ Chí Minh"],
        ),
        (
            4,
            4,
            "Tư vấn chuyên môn: mỗi bên góp ý cho nội dung đào tạo của bên kia",
            "vileap",
            4,
            "lượt góp ý",
            "mỗi năm",
            ["Hà Nội"],
        ),
        (
            5,
            3,
            "Hội thảo kết nối giữa đại diện cơ quan nhà nước và TCXH",
            "msd",
            3,
            "hội thảo",
            "cả chương trình: Hà Nội, Cần Thơ, TP. Hồ Chí Minh",
            ["Hà Nội", "Cần Thơ", "Hồ Chí Minh"],
        ),
        (
            6,
            1,
            "Xây dựng thư viện, góc kiến thức về TCXH: MSD tuyển chọn nghiên cứu, tài liệu và chuyển cho ViLEAP",
            "msd",
            50,
            "tài liệu",
            "cả chương trình",
            ["Hà Nội"],
        ),
    ],
    # code, name, unit, objective, activity, frequency, cumulative, disaggregations, source, metric,
    # periods: [(label, start, end, target, approved value or None)]
    "indicators": [
        (
            "CT1",
            "Số tiết MSD đồng giảng dạy (2 lớp × 2 cơ sở × 10 tiết mỗi học kỳ)",
            "tiết",
            1,
            2,
            "semester",
            True,
            [],
            "manual",
            "",
            [
                ("HK1 2017–2018", date(2017, 9, 1), date(2018, 1, 31), 40, 40),
                ("HK2 2017–2018", date(2018, 2, 1), date(2018, 6, 30), 40, 30),
            ],
        ),
        (
            "CT2",
            "Điểm đánh giá trung bình của học viên về bài giảng",
            "điểm /5",
            1,
            3,
            "semester",
            False,
            [],
            "manual",
            "",
            [
                ("HK1 2017–2018", date(2017, 9, 1), date(2018, 1, 31), 4, 4.3),
                ("HK2 2017–2018", date(2018, 2, 1), date(2018, 6, 30), 4, None),
            ],
        ),
        (
            "CT3",
            "Số hội thảo kết nối đã tổ chức",
            "hội thảo",
            3,
            5,
            "annual",
            True,
            [],
            "manual",
            "",
            [
                ("2017", date(2017, 1, 1), date(2017, 12, 31), 1, 1),
                ("2018", date(2018, 1, 1), date(2018, 12, 31), 2, 1),
            ],
        ),
        (
            "CT4",
            "Số đại biểu cơ quan nhà nước và TCXH dự hội thảo kết nối",
            "người",
            3,
            5,
            "annual",
            True,
            ["sex", "organisation_type"],
            "manual",
            "",
            [
                ("2017", date(2017, 1, 1), date(2017, 12, 31), 50, 46),
                ("2018", date(2018, 1, 1), date(2018, 12, 31), 100, 52),
            ],
        ),
        (
            "CT5",
            "Số lượt góp ý chuyên môn cho nội dung đào tạo",
            "lượt",
            4,
            4,
            "annual",
            True,
            [],
            "manual",
            "",
            [
                ("2017", date(2017, 1, 1), date(2017, 12, 31), 4, 3),
                ("2018", date(2018, 1, 1), date(2018, 12, 31), 4, None),
            ],
        ),
        (
            "CT6",
            "Số tài liệu đã chuyển cho góc kiến thức của ViLEAP",
            "tài liệu",
            1,
            6,
            "annual",
            True,
            [],
            "manual",
            "",
            [
                ("2017", date(2017, 1, 1), date(2017, 12, 31), 20, 24),
                ("2018", date(2018, 1, 1), date(2018, 12, 31), 30, 11),
            ],
        ),
        (
            "CT7",
            "Số tổ chức là bên tham gia thoả thuận hợp tác",
            "tổ chức",
            3,
            None,
            "end",
            True,
            ["organisation_type"],
            "metric",
            "programmes.partner_organisations",
            [("Cả chương trình", date(2017, 1, 1), date(2018, 12, 31), 2, None)],
        ),
    ],
    # A value waiting for the coordinator's approval, to show the approval queue.
    "pending_value": ("CT5", "2018", 2, "Biên bản góp ý cho tài liệu tập huấn vận động chính sách (bản nháp)."),
    # CT4 disaggregated by sex for 2017 (approved): female / male.
    "disaggregated_values": [
        ("CT4", "2017", "sex", "female", 25),
        ("CT4", "2017", "sex", "male", 21),
        ("CT4", "2017", "organisation_type", "state_agency", 20),
        ("CT4", "2017", "organisation_type", "cso", 26),
    ],
}

TEV_SC = {
    "code": "tev-sc",
    "is_public": True,  # presented on the public home page
    "name": "Kế hoạch hợp tác TEV – Save the Children về vận động chính sách vì trẻ em",
    "description": (
        "Dữ liệu mẫu. Hội bảo vệ quyền trẻ em phối hợp với một tổ chức quốc tế để nâng cao năng lực "
        "vận động chính sách cho cán bộ Hội và các tổ chức thành viên ở các tỉnh phía Nam."
    ),
    "start_date": date(2017, 1, 1),
    "end_date": date(2017, 12, 31),
    "component": "Nâng cao năng lực vận động chính sách",
    "agreement": {
        "title": "Kế hoạch hợp tác TEV – Save the Children năm 2017",
        "parties": ["tev", "sc"],
        "signed_on": date(2017, 2, 15),
        "start_date": date(2017, 2, 15),
        "end_date": date(2017, 12, 31),
        "purpose": "Tập huấn vận động chính sách cho cán bộ Hội, tổ chức thành viên và các TCXH làm việc vì trẻ em.",
    },
    "objectives": [
        (1, "Cán bộ Hội và tổ chức thành viên hiểu và biết cách tham gia vận động chính sách vì trẻ em"),
    ],
    "activities": [
        (
            1,
            1,
            "Hội thảo tập huấn một ngày về vận động chính sách tại TP. Hồ Chí Minh, thực hành trên tình huống thực tế",
            "tev",
            1,
            "hội thảo",
            "35 đại biểu",
            ["Hồ Chí Minh"],
        ),
    ],
    "indicators": [
        (
            "TV1",
            "Số đại biểu được tập huấn về vận động chính sách",
            "người",
            1,
            1,
            "end",
            True,
            ["organisation_type"],
            "manual",
            "",
            [("2017", date(2017, 1, 1), date(2017, 12, 31), 35, 35)],
        ),
    ],
    "pending_value": None,
    "disaggregated_values": [
        ("TV1", "2017", "organisation_type", "cso", 27),
        ("TV1", "2017", "organisation_type", "mass_organisation", 8),
    ],
}

PROGRAMMES = [MSD_VILEAP, TEV_SC]

# How the loader fills in what the documents do not say --------------------------------------

# Seed of Faker("vi_VN"): the same names, birth years and phone numbers on every machine.
FAKER_SEED = 2017
# Made-up addresses only: RFC 2606 reserves the .example top-level domain.
EMAIL_DOMAIN = "example"
# Recorded for every generated person.
CONSENT_PURPOSE = "demo"
CONSENT_GIVEN_ON = date(2017, 3, 1)
# The position each demo account's own directory record holds.
USER_POSITIONS = {
    "dieuphoi": "Điều phối viên",
    "giangvien": "Giảng viên",
    "chuyengia": "Chuyên viên",
    "thuvien": "Cán bộ dự án",
    "hoi-tev": "Cán bộ dự án",
}
# Who enters each programme's values, and who approves them: the four-eyes rule wants two people.
VALUE_REPORTERS = {"msd-vileap": "giangvien", "tev-sc": "hoi-tev"}
VALUE_APPROVER = "dieuphoi"
