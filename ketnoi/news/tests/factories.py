"""Builders for the news tests: posts through the services, comments straight into the table
(the rate limit would otherwise refuse the fourth)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.news import services
from ketnoi.news.models import Comment, Post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def png(name: str = "bia.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def make_post(actor, programme, *, title="Hội thảo tập huấn", body="Nội dung **bài**.", publish=True, **extra) -> Post:
    post = services.post_create(actor=actor, programme=programme, title=title, body=body, **extra)
    if publish:
        post = services.post_publish(actor=actor, post=post)
    return post


def make_comments(post: Post, n: int, *, status=Comment.Status.APPROVED, start: int = 0) -> None:
    Comment.objects.bulk_create(
        Comment(
            post=post,
            name=f"Người đọc {i}",
            email=f"nguoi{i}@example.org",
            body=f"Bình luận số {i}",
            status=status,
            ip_hash="",
        )
        for i in range(start, start + n)
    )


def buffer(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)
