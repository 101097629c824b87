"""The review metrics: versions with a decision in the period, and the mean days from a request
to its decisions; registered in the core registry when the module is imported."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.core.registry import get_metric
from ketnoi.training import metrics_review
from ketnoi.training.models import ReviewAssignment, ReviewRequest
from ketnoi.training.services import review

from .factories import ask, make_material, pdf

pytestmark = pytest.mark.django_db


def test_registered():
    assert get_metric("training.materials_reviewed").compute is metrics_review.materials_reviewed
    assert get_metric("training.review_turnaround_days").compute is metrics_review.review_turnaround_days


def test_counts_and_turnaround(lecturer, prog, other_prog, make_user):
    a, b = make_user("a"), make_user("b")
    now = timezone.now()
    today = timezone.localdate()
    one = make_material(lecturer, prog, title="Một")
    first = ask(lecturer, one, [a, b])
    for assignment in first.assignments.all():
        review.review_decide(actor=assignment.reviewer, assignment=assignment, decision="approved")
    two = make_material(lecturer, prog, title="Hai")
    second = ask(lecturer, two, [a])  # pending: not counted
    review.version_add(actor=lecturer, material=one, file=pdf(), note="")
    third = ask(lecturer, one, [a])
    review.review_decide(actor=a, assignment=third.assignments.get(), decision="changes", comment="Sửa")
    # the first request was made 4 days before its decisions, the third 1 day before
    ReviewRequest.objects.filter(pk=first.pk).update(requested_at=now - timedelta(days=4))
    ReviewRequest.objects.filter(pk=third.pk).update(requested_at=now - timedelta(days=1))
    ReviewRequest.objects.filter(pk=second.pk).update(requested_at=now - timedelta(days=30))

    metric = get_metric("training.materials_reviewed")
    assert metric.value(programme=prog, start=None, end=None) == 2  # version 1 once, version 2 of "Một"
    assert metric.value(programme=prog, start=today, end=today) == 2
    assert metric.value(programme=prog, start=today + timedelta(days=1), end=None) == 0
    assert metric.value(programme=other_prog, start=None, end=None) == 0
    turnaround = get_metric("training.review_turnaround_days")
    assert turnaround.value(programme=prog, start=None, end=None) == 3.0  # (4 + 4 + 1) / 3
    assert turnaround.value(programme=prog, start=None, end=today - timedelta(days=1)) == 0
    # a decision outside the period is left out
    ReviewAssignment.objects.filter(request=third).update(decided_at=now - timedelta(days=40))
    assert metric.value(programme=prog, start=today, end=today) == 1
    assert turnaround.value(programme=prog, start=today, end=today) == 4.0
