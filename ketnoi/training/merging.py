"""When two directory people are merged and both were marked at the same session, the mark
that says more about their presence stays (see core.registry.register_merge_preference)."""

from ketnoi.core.registry import register_merge_preference

from .models import Attendance

ATTENDANCE_RANK = {
    Attendance.Status.PRESENT: 3,
    Attendance.Status.LATE: 2,
    Attendance.Status.EXCUSED: 1,
    Attendance.Status.ABSENT: 0,
}

register_merge_preference("training.attendance", lambda row: ATTENDANCE_RANK.get(row.status, -1))
