"""Every write of the training app, one module per entity. Co-teaching: courses.py (courses and
their topics), campuses.py, semesters.py, classes.py (classes and their learners),
commitments.py (the periods an activity promises), sessions.py (teaching sessions and their
lecturers), attendance.py, evaluation.py (the lecture evaluation survey of a session).
review.py: training materials and their expert review. Audited (actions.py).
`pending_review_programmes` is a read: where a reviewer has reviews to give."""

from ..review_access import pending_review_programmes
from .attendance import attendance_record
from .campuses import campus_create, campus_update
from .classes import (
    ENROL_FROM_LIST,
    class_create,
    class_update,
    learner_remove,
    learners_enrol,
    learners_enrol_ids,
    learners_enrol_listed,
    learners_from_import,
)
from .commitments import commitment_set
from .courses import course_create, course_update, topic_create, topic_update
from .evaluation import session_evaluation_open
from .review import (
    DECISIONS,
    MATERIAL_MAX_BYTES,
    MATERIAL_TYPES,
    REMIND_DAYS_BEFORE,
    material_create,
    review_comment,
    review_decide,
    review_reminders_send,
    review_request,
    version_add,
    version_status,
)
from .semesters import semester_create, semester_update
from .sessions import BREAK_ALLOWANCE_MINUTES, MAX_PERIODS, session_record, session_update

__all__ = [
    "BREAK_ALLOWANCE_MINUTES",
    "DECISIONS",
    "MATERIAL_MAX_BYTES",
    "MATERIAL_TYPES",
    "MAX_PERIODS",
    "REMIND_DAYS_BEFORE",
    "attendance_record",
    "campus_create",
    "campus_update",
    "class_create",
    "class_update",
    "commitment_set",
    "course_create",
    "course_update",
    "learner_remove",
    "learners_enrol",
    "learners_enrol_ids",
    "learners_from_import",
    "ENROL_FROM_LIST",
    "learners_enrol_listed",
    "material_create",
    "pending_review_programmes",
    "review_comment",
    "review_decide",
    "review_reminders_send",
    "review_request",
    "semester_create",
    "semester_update",
    "session_evaluation_open",
    "session_record",
    "session_update",
    "topic_create",
    "topic_update",
    "version_add",
    "version_status",
]
