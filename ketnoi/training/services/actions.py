"""The audit actions of the training services."""

from ketnoi.core.audit import AuditAction


class TrainingAction(AuditAction):
    COURSE_CREATE = "training.course_create"
    COURSE_UPDATE = "training.course_update"
    CAMPUS_CREATE = "training.campus_create"
    CAMPUS_UPDATE = "training.campus_update"
    SEMESTER_CREATE = "training.semester_create"
    SEMESTER_UPDATE = "training.semester_update"
    TOPIC_CREATE = "training.topic_create"
    TOPIC_UPDATE = "training.topic_update"
    CLASS_CREATE = "training.class_create"
    CLASS_UPDATE = "training.class_update"
    LEARNERS_ENROL = "training.learners_enrol"
    LEARNER_REMOVE = "training.learner_remove"
    COMMITMENT_SET = "training.commitment_set"
    SESSION_RECORD = "training.session_record"
    SESSION_UPDATE = "training.session_update"
    ATTENDANCE_RECORD = "training.attendance_record"
    MATERIAL_CREATE = "training.material_create"
    VERSION_ADD = "training.version_add"
    REVIEW_REQUEST = "training.review_request"
    REVIEW_COMMENT = "training.review_comment"
    REVIEW_DECIDE = "training.review_decide"
    REVIEW_REMIND = "training.review_remind"
