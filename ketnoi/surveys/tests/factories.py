"""Builders for survey tests: a form from a ready template and an open collection, made through
the services so the same rules apply."""

from ketnoi.surveys import services
from ketnoi.surveys.ready_forms import ready_form


def lecture_form(actor, programme, **extra):
    return services.form_create(actor=actor, programme=programme, definition=ready_form("lecture"), **extra)


def open_collection(actor, form, **extra):
    extra.setdefault("title", "Bài giảng thử")
    return services.collection_open(actor=actor, form=form, **extra)


GOOD_LECTURE = {
    "content_relevant": 5,
    "content_new": 4,
    "lecturer_clear": 5,
    "methods_engaging": 3,
    "time_enough": 4,
    "overall": 4,
    "would_recommend": "yes",
}
