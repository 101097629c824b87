"""What the apps' metric functions share (core.metrics)."""

from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from ketnoi.core.metrics import counts_by, in_period
from ketnoi.core.models import User

DAY1, DAY2 = date(2026, 3, 1), date(2026, 3, 31)


def test_in_period_bounds_a_date_field_by_its_days_and_a_moment_by_their_instants():
    assert in_period("signed_on", DAY1, DAY2) == Q(signed_on__gte=DAY1) & Q(signed_on__lte=DAY2)
    assert in_period("signed_on", None, DAY2) == Q(signed_on__lte=DAY2)
    assert in_period("signed_on", None, None) == Q()
    first = timezone.make_aware(datetime.combine(DAY1, time.min))
    last = timezone.make_aware(datetime.combine(DAY2, time.max))
    assert in_period("at", DAY1, DAY2, moment=True) == Q(at__gte=first) & Q(at__lte=last)


def test_counts_by_counts_the_rows_of_each_value_a_blank_one_as_empty(make_user):
    make_user("a", first_name="An")
    make_user("b", first_name="An")
    make_user("c", first_name="")
    assert counts_by(User.objects.all(), "first_name") == {"": 1, "An": 2}
