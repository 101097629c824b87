"""The header search among survey forms: folded titles, only the programmes the user may see."""

import pytest

from ketnoi.core.tests.search_helpers import found, hit_urls, search_queries
from ketnoi.surveys import services
from ketnoi.surveys.tests.factories import lecture_form

pytestmark = pytest.mark.django_db


def test_form_found_without_diacritics_by_those_who_see_its_programme(
    coordinator, viewer, other_coordinator, outsider, prog
):
    form = lecture_form(coordinator, prog, title="Đánh giá bài giảng Đà Lạt")
    assert found(coordinator, "danh gia da lat", "surveys.forms") == ["Đánh giá bài giảng Đà Lạt"]
    assert found(viewer, "bai giang", "surveys.forms") == ["Đánh giá bài giảng Đà Lạt"]
    assert hit_urls(coordinator, "da lat", "surveys.forms") == [f"/programmes/{prog.code}/surveys/{form.pk}/"]
    assert found(other_coordinator, "da lat", "surveys.forms") == []
    assert found(outsider, "da lat", "surveys.forms") == []


def test_renamed_form_is_found_by_its_new_title(coordinator, prog):
    form = lecture_form(coordinator, prog, title="Đánh giá bài giảng")
    services.form_update(actor=coordinator, form=form, title="Phiếu khảo sát Huế")
    assert found(coordinator, "hue", "surveys.forms") == ["Phiếu khảo sát Huế"]


def test_query_count_does_not_grow_with_rows(client_for, coordinator, prog):
    client = client_for(coordinator)
    for i in range(3):
        lecture_form(coordinator, prog, title=f"Phiếu Nguyễn {i}", code=f"phieu-{i}")
    few = search_queries(client, "nguyen")
    for i in range(3, 30):
        lecture_form(coordinator, prog, title=f"Phiếu Nguyễn {i}", code=f"phieu-{i}")
    assert search_queries(client, "nguyen") == few
