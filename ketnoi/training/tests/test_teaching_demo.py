"""The demo co-teaching: four classes, one behind, attendance recorded; loading again changes
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from ketnoi.programmes.models import Programme
from ketnoi.programmes.progress import programme_progress
from ketnoi.training.models import Attendance, TeachingSession
from ketnoi.training.queries import compliance

pytestmark = pytest.mark.django_db


def test_demo_training():
    call_command("demo_load", stdout=StringIO())
    programme = Programme.objects.get(code="msd-vileap")
    rows = compliance(programme)
    assert len(rows) == 4
    assert rows[0].training_class.code == "HCM-K24" and rows[0].behind
    assert (rows[0].delivered, rows[0].planned, rows[0].remaining) == (6, 2, 4)
    assert [r.colour for r in rows[1:]] == ["green", "green", "green"]
    assert Attendance.objects.filter(session__training_class__course__programme=programme).count() > 100
    indicator = programme.indicators.get(code="CT9")
    progress = programme_progress(programme)
    found = [i for o in progress.objectives for a in o.activities for i in a.indicators if i.indicator == indicator]
    assert found and found[0].actual == 36  # 20 in the first semester, 10 + 6 in the second
    sessions = TeachingSession.objects.count()
    call_command("demo_load", stdout=StringIO())
    assert TeachingSession.objects.count() == sessions
