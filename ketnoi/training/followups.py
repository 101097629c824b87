"""What the directory's confirming task does with the people of a class list: enrol them."""

from django.utils.translation import gettext_lazy as _

from ketnoi.core.registry import register_import_followup

from .services.classes import ENROL_FROM_LIST, learners_enrol_listed

register_import_followup(ENROL_FROM_LIST, label=_("Thêm học viên vào lớp"), apply=learners_enrol_listed)
