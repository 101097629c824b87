"""The demo's training content under review: the centre's syllabus for the CSO module, written
by the MSD lecturer, reviewed by the institute's expert (the `chuyengia` account). Version 1 came
back with changes requested and comments tied to sections; version 2 waits for the expert, due
in a week — so both the author's history and the reviewer's "Góp ý của tôi" have something."""

from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from fpdf import FPDF

from ketnoi.training.models import Material
from ketnoi.training.services import review

MSD = "msd-vileap"
TITLE = "Đề cương chuyên đề: Tổ chức xã hội và sự tham gia vào chính sách công"
FONT = Path(__file__).resolve().parent.parent / "events" / "fonts" / "DejaVuSans.ttf"
SECTIONS = [
    "1. Khái niệm, cấu trúc và vai trò của tổ chức xã hội",
    "2. Khuôn khổ pháp lý về hội và tổ chức phi chính phủ",
    "3. Tham gia xây dựng và phản biện chính sách",
    "4. Môi trường thuận lợi cho tổ chức xã hội",
]


def _syllabus(version: int, extra: list[str]) -> SimpleUploadedFile:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, f"{TITLE}\nBản {version}\n\n" + "\n".join(SECTIONS + extra))
    return SimpleUploadedFile(f"de-cuong-v{version}.pdf", bytes(pdf.output()), content_type="application/pdf")


def load_training_review(programmes: dict, users: dict) -> Material | None:
    programme = programmes.get(MSD)
    if programme is None or programme.training_materials.filter(title=TITLE).exists():
        return None
    author, expert = users["giangvien"], users["chuyengia"]
    topic = programme.courses.first().topics.first() if programme.courses.exists() else None
    material = review.material_create(
        actor=author, programme=programme, title=TITLE, kind=Material.Kind.SYLLABUS, topic=topic, file=_syllabus(1, [])
    )
    today = timezone.localdate()
    first = review.review_request(
        actor=author,
        version=material.versions.get(),
        reviewers=[expert],
        due_on=today + timedelta(days=3),
        message="Nhờ anh/chị góp ý về cấu trúc và tài liệu tham khảo.",
    )
    assignment = first.assignments.get()
    review.review_comment(
        actor=expert,
        assignment=assignment,
        location="Mục 2",
        body="Nên cập nhật theo dự thảo Luật về Hội mới nhất và nêu rõ điểm khác với Nghị định hiện hành.",
    )
    review.review_decide(
        actor=expert,
        assignment=assignment,
        decision="changes",
        comment="Cần thêm một buổi thực hành phân tích tình huống cho học viên là công chức.",
    )
    second = review.version_add(
        actor=author,
        material=material,
        file=_syllabus(2, ["5. Thực hành: phân tích một tình huống phối hợp giữa cơ quan nhà nước và hội"]),
        note="Cập nhật mục 2 theo dự thảo Luật về Hội; thêm mục 5 thực hành tình huống.",
    )
    review.review_request(actor=author, version=second, reviewers=[expert], due_on=today + timedelta(days=7))
    return material
