"""A demo load that fails midway leaves nothing behind. Apart from test_demo_load.py, whose tests
share one loaded demo: this one needs an empty database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ketnoi.demo import loader

from .demo_rows import row_counts, run

pytestmark = pytest.mark.django_db


def test_a_failure_midway_leaves_nothing(monkeypatch):
    real = loader.indicator_period_create

    def fail_on_second_programme(**kwargs):
        if kwargs["indicator"].programme.code == "tev-sc":
            raise ValidationError("boom")
        return real(**kwargs)

    monkeypatch.setattr(loader, "indicator_period_create", fail_on_second_programme)
    with pytest.raises(ValidationError):
        run()
    counts = row_counts()
    assert counts[get_user_model()._meta.db_table] == 0
    assert {table: n for table, n in counts.items() if n and table != "directory_province"} == {}
