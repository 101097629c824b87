"""The people list's organisation filter is a search-as-you-type picker, not a <select> of every
organisation: a search in it (its "Tìm" without JavaScript) filters nothing by what was typed, the
organisation chosen filters the list, and `?organisation=<id>` stays a shareable address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_organisation, make_person

pytestmark = pytest.mark.django_db

URL = reverse("directory:person_list")


@pytest.fixture
def people():
    msd = make_organisation("Trung tâm MSD", short_name="MSD")
    vileap = make_organisation("Viện ViLEAP", short_name="ViLEAP")
    make_person("Nguyễn Thị Lan", organisation=msd)
    make_person("Trần Văn Minh", organisation=vileap)
    return msd, vileap


def test_the_filter_is_a_picker_not_a_select_of_every_organisation(client_for, viewer, people):
    content = client_for(viewer).get(URL).content.decode()
    assert 'name="organisation__q"' in content and 'name="_pick_organisation"' in content
    assert "Trung tâm MSD</option>" not in content and "Viện ViLEAP</option>" not in content
    assert "Mọi tổ chức" in content  # the "nothing chosen" radio says what it means in a filter
    assert "<legend>Tổ chức</legend>" in content  # a group of inputs, not one control in a label


def test_the_chosen_organisation_filters_and_the_address_is_shareable(client_for, viewer, people):
    msd, _vileap = people
    response = client_for(viewer).get(URL, {"organisation": msd.pk})
    content = response.content.decode()
    assert "Nguyễn Thị Lan" in content and "Trần Văn Minh" not in content
    assert f'value="{msd.pk}" checked' in content  # shown chosen in the picker
    assert "Bỏ lọc" in content


def test_searching_in_the_picker_applies_no_half_made_filter(client_for, viewer, people):
    msd, _vileap = people
    client = client_for(viewer)
    # the no-JS "Tìm": the matches are offered, the list is not filtered by the typed text
    response = client.get(URL, {"organisation": "", "organisation__q": "msd", "_pick_organisation": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert f'value="{msd.pk}">' in content  # offered, unchecked
    assert "Nguyễn Thị Lan" in content and "Trần Văn Minh" in content
    assert "errorlist" not in content and "Chọn trong các kết quả" not in content
    # a search while one is chosen keeps the chosen filter
    response = client.get(URL, {"organisation": msd.pk, "organisation__q": "vileap", "_pick_organisation": "1"})
    content = response.content.decode()
    assert "Nguyễn Thị Lan" in content and "Trần Văn Minh" not in content


def test_an_organisation_that_does_not_exist_filters_nothing_and_does_not_fail(client_for, viewer, people):
    for value in ("999999", "abc", "1" * 40):
        response = client_for(viewer).get(URL, {"organisation": value})
        assert response.status_code == 200
        content = response.content.decode()
        assert "Nguyễn Thị Lan" in content and "Trần Văn Minh" in content


def test_the_filtered_list_does_not_grow_in_queries_with_rows(client_for, viewer, people, django_assert_num_queries):
    msd, _vileap = people
    client = client_for(viewer)
    params = {"organisation": msd.pk, "organisation__q": "chuc", "_pick_organisation": "1"}
    client.get(URL, params)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, params)
    for i in range(30):
        make_organisation(f"Tổ chức {i:02d}")
        make_person(f"Người {i:02d}", organisation=msd)
    with django_assert_num_queries(len(queries)):
        client.get(URL, params)


def test_outsider_gets_no_picker_and_no_names(client_for, outsider, people):
    response = client_for(outsider).get(URL, {"organisation__q": "msd", "_pick_organisation": "1"})
    assert response.status_code == 403
    assert "Trung tâm MSD" not in response.content.decode()
