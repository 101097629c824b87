"""What the header search finds in training: classes (by course name or class code) and teaching
sessions (by topic), of the programmes the user may see."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import pgettext_lazy

from ketnoi.core.registry import SearchHit, register_search
from ketnoi.core.search import matching, word_start_first

from .access import classes_for, sessions_for


def find_classes(user, terms: list[str], limit: int) -> list[SearchHit]:
    classes = (
        classes_for(user)
        .filter(matching(terms, "course__name_folded", "code_folded"))
        .order_by(word_start_first("course__name_folded", terms), "-semester__starts_on", "course__name", "code", "id")[
            :limit
        ]
    )
    return [
        SearchHit(
            title=f"{training_class.course.name} – {training_class.code}",
            url=reverse(
                "training:class_detail", kwargs={"code": training_class.course.programme.code, "pk": training_class.pk}
            ),
            subtitle=" · ".join([training_class.semester.name, training_class.campus.name]),
        )
        for training_class in classes
    ]


def find_sessions(user, terms: list[str], limit: int) -> list[SearchHit]:
    sessions = (
        sessions_for(user)
        .select_related(None)
        .select_related("training_class__course__programme", "topic")
        .filter(matching(terms, "topic__title_folded"))
        .order_by(word_start_first("topic__title_folded", terms), "-date", "-starts_at", "-id")[:limit]
    )
    return [
        SearchHit(
            title=session.topic.title,
            url=reverse(
                "training:session_detail",
                kwargs={"code": session.training_class.course.programme.code, "pk": session.pk},
            ),
            subtitle=" · ".join(
                [
                    formats.date_format(session.date, "SHORT_DATE_FORMAT"),
                    f"{session.training_class.course.name} – {session.training_class.code}",
                ]
            ),
        )
        for session in sessions
    ]


register_search("training.classes", label=pgettext_lazy("search", "Lớp"), provider=find_classes, order=40)
register_search("training.sessions", label=pgettext_lazy("search", "Buổi giảng"), provider=find_sessions, order=50)
