"""What news holds about a directory person: the comments sent with the person's e-mail.

Erasing keeps the comment row (the moderation history and counts stay) but blanks the name,
the e-mail, the address hash and the text, and takes it off the public page.
"""

from ketnoi.core.registry import in_programmes, programmes_of, register_personal_data

from .models import Comment


def comments_by_email(email: str | None):
    email = (email or "").strip().lower()
    if not email:
        return Comment.objects.none()
    return Comment.objects.filter(email=email).select_related("post")


VIA = "post__programme"


def holders(person) -> set[int]:
    return programmes_of(comments_by_email(getattr(person, "email", "")), via=VIA)


def export(person, *, programmes=None) -> dict:
    return {
        "comments": [
            {
                "post": comment.post.title,
                "name": comment.name,
                "email": comment.email,
                "body": comment.body,
                "status": comment.status,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in in_programmes(comments_by_email(getattr(person, "email", "")), programmes, via=VIA)
        ]
    }


def erase_comments(email: str | None, programmes=None) -> int:
    # The comments' audit entries carry no name or e-mail (see Comment.__str__): they stay.
    comments = in_programmes(comments_by_email(email), programmes, via=VIA)
    return comments.update(name="", email="", ip_hash="", body="", status=Comment.Status.REMOVED)


def erase(person, *, programmes=None) -> None:
    erase_comments(getattr(person, "email", ""), programmes)


register_personal_data("news", export=export, erase=erase, holders=holders)
