"""Demo library: the centre (MSD) selects documents about civil society for the institute's
(ViLEAP) knowledge corner — research, the draft Law on Associations, training material, case
studies — and records what it delivered and when. Texts are short, written for the demo.

Files go through the real upload service, so their text is extracted by the task worker that
`make run` starts (at once in tests). Loading again changes nothing.
"""

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ketnoi.directory.models import Organisation
from ketnoi.events.documents import FONTS_DIR
from ketnoi.library import services as library_services
from ketnoi.library.models import Collection, CollectionItem, Document

PROGRAMME = "msd-vileap"
CORNER = "Góc kiến thức về tổ chức xã hội — ViLEAP"

# (key, title, type, year, access, creators, subjects, publisher, abstract, pages, file kind)
DOCUMENTS = [
    (
        "khai-niem",
        "Tổ chức xã hội ở Việt Nam: khái niệm, phân loại và vai trò",
        "research",
        2016,
        "public",
        ["Tổ chức: Trung tâm Nghiên cứu Quản lý và Phát triển bền vững"],
        ["Tổ chức xã hội", "Xã hội dân sự"],
        "MSD",
        "Tổng quan các cách hiểu về tổ chức xã hội, cách phân loại theo hình thức pháp lý và lĩnh vực, "
        "và vai trò của các tổ chức trong cung cấp dịch vụ và tham gia chính sách.",
        [
            "Chương 1. Khái niệm\n\nTổ chức xã hội là tập hợp tự nguyện của người dân hoặc tổ chức, hoạt động "
            "không vì lợi nhuận, vì mục tiêu chung của các thành viên hoặc của cộng đồng. Trong văn bản pháp "
            "luật có nhiều tên gọi: hội, quỹ xã hội, quỹ từ thiện, tổ chức khoa học và công nghệ.",
            "Chương 2. Phân loại\n\nCó thể phân loại theo hình thức pháp lý (hội, quỹ, tổ chức khoa học), theo "
            "phạm vi hoạt động (toàn quốc, tỉnh, cơ sở) hoặc theo lĩnh vực: giáo dục, y tế, môi trường, bình "
            "đẳng giới, hỗ trợ người khuyết tật.",
            "Chương 3. Vai trò\n\nTổ chức xã hội cung cấp dịch vụ cho nhóm yếu thế, phản ánh tiếng nói của người "
            "dân, tham gia góp ý dự thảo chính sách và giám sát việc thực hiện. Đào tạo cán bộ nhà nước về tổ "
            "chức xã hội giúp hai bên hiểu nhau và hợp tác tốt hơn.",
        ],
        "pdf",
    ),
    (
        "du-thao-luat",
        "Dự thảo Luật về hội (bản lấy ý kiến nhân dân)",
        "legal",
        2016,
        "public",
        ["Tổ chức: Bộ Nội vụ"],
        ["Luật về hội", "Pháp luật"],
        "Bộ Nội vụ",
        "Bản dự thảo đưa ra lấy ý kiến: quyền lập hội, điều kiện thành lập, đăng ký, tổ chức và hoạt động của "
        "hội, quản lý nhà nước về hội.",
        [
            "Chương I. Những quy định chung\n\nLuật này quy định về quyền lập hội của công dân; thành lập, tổ chức, "
            "hoạt động và quản lý nhà nước về hội.\n\nHội là tổ chức tự nguyện của công dân, tổ chức Việt Nam "
            "cùng ngành nghề, sở thích hoặc giới.",
            "Chương II. Thành lập hội\n\nHồ sơ đăng ký thành lập hội gồm đơn, dự thảo điều lệ, danh sách sáng lập "
            "viên. Cơ quan có thẩm quyền trả lời trong thời hạn luật định; nếu từ chối phải nêu rõ lý do.",
        ],
        "txt",
    ),
    (
        "tai-lieu-boi-duong",
        "Tài liệu bồi dưỡng: Tổ chức xã hội và quản lý nhà nước đối với tổ chức xã hội",
        "training",
        2017,
        "partners",
        ["Nguyễn Thu Hà", "Trần Đức Minh"],
        ["Đào tạo cán bộ", "Quản lý nhà nước"],
        "MSD và ViLEAP",
        "Học phần 10 tiết cho lớp bồi dưỡng cán bộ: khái niệm, khung pháp lý, kinh nghiệm quốc tế và tình huống.",
        [
            "Bài 1. Tổ chức xã hội là gì\n\nMục tiêu: học viên nắm được khái niệm và các loại hình tổ chức xã hội "
            "đang hoạt động ở Việt Nam.",
            "Bài 2. Khung pháp lý\n\nCác văn bản về hội, quỹ xã hội và quỹ từ thiện; thủ tục đăng ký; trách nhiệm "
            "của cơ quan quản lý nhà nước ở trung ương và địa phương.",
            "Bài 3. Tình huống\n\nThảo luận nhóm: một hội nghề nghiệp cấp tỉnh đề nghị tham gia góp ý quy hoạch; "
            "cơ quan nhà nước nên trả lời và phối hợp thế nào.",
        ],
        "pdf",
    ),
    (
        "giam-sat-ngan-sach",
        "Nghiên cứu điển hình: Tổ chức xã hội tham gia giám sát ngân sách cấp xã",
        "case_study",
        2015,
        "public",
        ["Lê Minh Châu"],
        ["Minh bạch ngân sách", "Giám sát cộng đồng"],
        "MSD",
        "Một nhóm cộng đồng cùng hội phụ nữ xã theo dõi chi tiêu cho công trình nước sạch và công khai kết quả.",
        [
            "Bối cảnh\n\nXã có dự án nước sạch do ngân sách tỉnh hỗ trợ. Người dân muốn biết tiền được chi vào đâu.",
            "Cách làm\n\nNhóm giám sát cộng đồng đọc dự toán công khai, đối chiếu khối lượng thi công và báo cáo tại "
            "họp thôn. Minh bạch ngân sách giúp công trình xong đúng hạn.",
        ],
        "html",
    ),
    (
        "van-dong",
        "Vận động chính sách: hướng dẫn thực hành cho tổ chức xã hội",
        "training",
        2017,
        "public",
        ["Phạm Quỳnh Anh"],
        ["Vận động chính sách"],
        "MSD",
        "Các bước vận động chính sách: xác định vấn đề, tìm người ra quyết định, xây dựng thông điệp, liên minh.",
        [
            "Vận động chính sách là hoạt động có chủ đích nhằm tác động đến việc xây dựng và thực hiện chính sách.\n\n"
            "Bước 1: xác định vấn đề và bằng chứng. Bước 2: tìm hiểu ai ra quyết định. Bước 3: xây dựng thông điệp.",
        ],
        "txt",
    ),
    (
        "nhu-cau-dao-tao",
        "Báo cáo đánh giá nhu cầu đào tạo về tổ chức xã hội cho cán bộ học viện",
        "research",
        2017,
        "staff",
        ["Tổ chức: Trung tâm Nghiên cứu Quản lý và Phát triển bền vững"],
        ["Đào tạo cán bộ"],
        "MSD",
        "Kết quả phỏng vấn giảng viên và học viên về nội dung cần bổ sung; tài liệu nội bộ của hai bên.",
        [
            "Phần lớn học viên chưa được học về tổ chức xã hội. Nhu cầu lớn nhất: khung pháp lý và kỹ năng phối hợp "
            "với tổ chức xã hội ở địa phương."
        ],
        "txt",
    ),
    (
        "hoi-thao-ket-noi",
        "Tổ chức hội thảo kết nối cơ quan nhà nước và tổ chức xã hội: kinh nghiệm từ ba thành phố",
        "training",
        2018,
        "public",
        ["Tổ chức: Trung tâm Nghiên cứu Quản lý và Phát triển bền vững"],
        ["Hội thảo", "Kết nối"],
        "MSD",
        "Ghi chép từ các hội thảo ở Hà Nội, Cần Thơ và TP. Hồ Chí Minh: cách mời đại biểu, điều phối thảo luận.",
        [
            "Mời đại biểu\n\nMời cân đối giữa cơ quan nhà nước và tổ chức xã hội; gửi câu hỏi thảo luận trước.",
            "Điều phối\n\nChia nhóm hỗn hợp; mỗi nhóm có một người ghi kết luận; cuối buổi thống nhất việc tiếp theo.",
        ],
        "txt",
    ),
    (
        "tong-quan-en",
        "Civil society in Vietnam: an overview",
        "article",
        2015,
        "public",
        ["Mai Lan Hương"],
        ["Xã hội dân sự"],
        "",
        "A short overview of associations, foundations and non-governmental organisations in Vietnam.",
        [],
        None,
    ),
]
# key: (status, delivered on, note)
CURATION = {
    "khai-niem": ("delivered", date(2017, 3, 15), "Bản in và bản điện tử."),
    "du-thao-luat": ("delivered", date(2017, 3, 15), "Kèm bảng tổng hợp ý kiến góp ý."),
    "tai-lieu-boi-duong": ("delivered", date(2017, 9, 20), ""),
    "giam-sat-ngan-sach": ("delivered", date(2018, 2, 10), ""),
    "van-dong": ("selected", None, ""),
    "hoi-thao-ket-noi": ("proposed", None, ""),
    "tong-quan-en": ("declined", None, "Góc kiến thức ưu tiên tài liệu tiếng Việt."),
}
MEDIA = {"pdf": "application/pdf", "txt": "text/plain", "html": "text/html"}


def _pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONTS_DIR / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _file(key: str, title: str, pages: list[str], kind: str) -> SimpleUploadedFile:
    if kind == "pdf":
        data = _pdf(pages)
    elif kind == "html":
        body = "".join(f"<p>{p}</p>" for page in pages for p in page.split("\n\n"))
        data = f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>".encode()
    else:
        data = "\f".join(pages).encode()
    return SimpleUploadedFile(f"{key}.{kind}", data, content_type=MEDIA[kind])


def load_library(programmes: dict, users: dict) -> Collection | None:
    programme = programmes.get(PROGRAMME)
    if programme is None or Collection.objects.filter(programme=programme, name=CORNER).exists():
        return None
    curator, coordinator, lecturer = users["thuvien"], users["dieuphoi"], users["giangvien"]
    made: dict[str, Document] = {}
    for key, title, kind, year, access, creators, subjects, publisher, abstract, pages, file_kind in DOCUMENTS:
        document = library_services.document_create(
            actor=curator,
            programme=programme,
            title=title,
            type=kind,
            year=year,
            language="en" if key.endswith("-en") else "vi",
            access=access,
            creators=creators,
            subjects=subjects,
            publisher=publisher,
            abstract=abstract,
        )
        if file_kind:
            library_services.file_add(actor=curator, document=document, uploaded=_file(key, title, pages, file_kind))
        made[key] = document
    library_services.copy_add(
        actor=curator,
        document=made["khai-niem"],
        location="Góc kiến thức ViLEAP",
        shelf="A2",
        call_number="TCXH-01",
        count=3,
    )
    library_services.copy_add(
        actor=curator, document=made["tai-lieu-boi-duong"], location="Thư viện MSD", shelf="B1", count=2
    )
    # A staff-only document under embargo for a few months: its description is listed, its text is not.
    library_services.document_update(
        actor=curator, document=made["nhu-cau-dao-tao"], embargo_until=timezone.localdate() + timedelta(days=120)
    )
    partner = Organisation.objects.filter(short_name="ViLEAP").first()
    corner = library_services.collection_create(
        actor=coordinator,
        programme=programme,
        name=CORNER,
        partner=partner,
        description="Tài liệu MSD tuyển chọn và chuyển cho góc kiến thức của Viện.",
    )
    for key, (status, delivered_on, note) in CURATION.items():
        proposer = lecturer if status == "proposed" else curator
        item = library_services.item_propose(actor=proposer, collection=corner, document=made[key])
        if status == "declined":
            library_services.item_decline(actor=curator, item=item, note=note)
        elif status in ("selected", "delivered"):
            item = library_services.item_select(actor=curator, item=item)
            if delivered_on:
                library_services.item_deliver(actor=coordinator, items=[item], delivered_on=delivered_on, note=note)
                # Selected a week before the delivery, as it happened, not on the day the demo loads.
                chosen = timezone.make_aware(datetime.combine(delivered_on - timedelta(days=7), time(9)))
                CollectionItem.objects.filter(pk=item.pk).update(decided_at=chosen)
    return corner
