"""Roles a user may hold on a programme. The assignment itself lives in `programmes`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Điều phối viên")
    LECTURER = "lecturer", _("Giảng viên")
    REVIEWER = "reviewer", _("Chuyên gia góp ý")
    CURATOR = "curator", _("Người tuyển chọn tài liệu")
    VIEWER = "viewer", _("Người xem")


# Roles that may change a programme's plan (objectives, activities, indicators, agreements).
PLANNERS = frozenset({Role.COORDINATOR})
