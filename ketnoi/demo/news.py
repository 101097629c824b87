"""Demo news: the association's report on its one-day advocacy training in Ho Chi Minh City
(restated in the project's own words), published the day after, with three approved comments
and one still waiting for moderation. Loading it again changes nothing."""

from datetime import datetime, timedelta

from django.utils import timezone

from ketnoi.news import services
from ketnoi.news.models import Comment, Post

PROGRAMME = "tev-sc"
TITLE = "Hội thảo tập huấn vận động chính sách cho cán bộ Hội và tổ chức thành viên"
SUMMARY = (
    "Một ngày tập huấn tại TP. Hồ Chí Minh: 35 đại biểu cùng bàn vận động chính sách là gì và "
    "các tổ chức xã hội làm việc vì trẻ em tham gia bằng cách nào."
)
BODY = """\
Trong khuôn khổ kế hoạch hợp tác với Save the Children, ngày 28/9/2017 Hội đã tổ chức một ngày \
tập huấn về **vận động chính sách** tại TP. Hồ Chí Minh.

## Ai tham dự

35 đại biểu: lãnh đạo và cán bộ Hội ở các tỉnh phía Nam, các tổ chức trong dự án của đối tác, \
các tổ chức xã hội làm việc vì trẻ em trên địa bàn thành phố, cùng đại diện Hội Liên hiệp Phụ nữ \
và Đoàn Thanh niên thành phố.

## Bốn câu hỏi thảo luận

1. Vận động chính sách là gì?
2. Dựa vào đâu để tổ chức xã hội tham gia vận động chính sách?
3. Tổ chức xã hội có thể tham gia dưới những hình thức nào?
4. Những phương pháp vận động nào hiệu quả?

## Điều đọng lại

Các đại biểu thống nhất rằng vận động chính sách là tác động có chủ đích tới việc xây dựng và thực \
hiện chính sách, qua những người và cơ quan có vai trò quyết định. Đây là việc cốt lõi của Hội và \
các tổ chức vì trẻ em, dù ở cơ sở còn làm chưa nhiều. Các hình thức được bàn nhiều nhất: góp ý dự \
thảo văn bản pháp luật và kế hoạch, phản biện, tư vấn, và truyền thông vận động.

Buổi chiều, các nhóm thực hành kỹ năng trên những **tình huống thực tế**. Lãnh đạo Hội góp thêm \
nhiều phân tích và gợi ý hướng hoạt động tiếp theo.
"""
SIGNATURE = "Một Uỷ viên Thường vụ Hội"
TAGS = ["vận động chính sách", "trẻ em", "tập huấn"]
PUBLISHED_AT = datetime(2017, 9, 29, 9, 0)
# (name, e-mail, text, approved?) — made-up people on example addresses.
COMMENTS = [
    (
        "Trần Minh Tâm",
        "minhtam@example.org",
        "Cảm ơn Hội! Phần thực hành tình huống rất hữu ích cho tổ chức tôi.",
        True,
    ),
    (
        "Lê Thị Hương",
        "huong.le@example.org",
        "Mong Hội chia sẻ tài liệu tập huấn để chúng tôi dùng lại ở tỉnh.\nXin cảm ơn.",
        True,
    ),
    ("Phạm Quốc Bảo", "quocbao@example.org", "Nên tổ chức thêm một buổi như vậy ở Cần Thơ.", True),
    ("Đỗ Ngọc Anh", "ngocanh@example.org", "Cho hỏi khi nào có lớp tiếp theo ạ?", False),
]


def load_news(programmes: dict, users: dict) -> Post | None:
    programme = programmes.get(PROGRAMME)
    if programme is None:
        return None
    existing = Post.objects.filter(programme=programme, title=TITLE).first()
    if existing is not None:
        return existing
    coordinator = users["hoi-tev"]
    post = services.post_create(
        actor=coordinator, programme=programme, title=TITLE, summary=SUMMARY, body=BODY, signature=SIGNATURE, tags=TAGS
    )
    post = services.post_publish(actor=coordinator, post=post)
    published_at = timezone.make_aware(PUBLISHED_AT)
    Post.objects.filter(pk=post.pk).update(published_at=published_at)
    for number, (name, email, text, approved) in enumerate(COMMENTS):
        # Each from its own documentation address (RFC 5737), so the rate limit never refuses them.
        comment = services.comment_submit(post=post, name=name, email=email, body=text, ip=f"192.0.2.{number + 1}")
        if approved:
            services.comment_moderate(actor=coordinator, comment=comment, status=Comment.Status.APPROVED)
        Comment.objects.filter(pk=comment.pk).update(created_at=published_at + timedelta(hours=3 + number * 5))
    return post
