"""The header search in training: classes by course name or code, sessions by topic, only of the
programmes the user may see."""

from datetime import date, timedelta

import pytest

from ketnoi.core.tests.search_helpers import found, hit_urls, search_queries
from ketnoi.training import services
from ketnoi.training.tests.factories import PLANNED, make_campus, make_class, make_course, make_semester, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(coordinator, prog):
    course = make_course(coordinator, prog, name="Quản lý nhà nước về hội")
    campus, semester = make_campus(coordinator, prog), make_semester(coordinator, prog)
    training_class = make_class(coordinator, course, campus, semester, code="ĐN-01")
    topic = services.topic_create(actor=coordinator, course=course, title="Luật Tiếp cận thông tin")
    session = record(coordinator, training_class, topic=topic, status=PLANNED)
    return course, campus, semester, training_class, topic, session


def test_classes_and_sessions_found_without_diacritics(coordinator, lecturer, staff_admin, prog, setup):
    _course, _campus, _semester, training_class, _topic, session = setup
    for user in (coordinator, lecturer, staff_admin):
        assert found(user, "quan ly hoi", "training.classes") == ["Quản lý nhà nước về hội – ĐN-01"]
        assert found(user, "tiep can", "training.sessions") == ["Luật Tiếp cận thông tin"]
    assert found(coordinator, "đn-01", "training.classes") == ["Quản lý nhà nước về hội – ĐN-01"]
    assert hit_urls(coordinator, "quan ly", "training.classes") == [
        f"/programmes/{prog.code}/training/classes/{training_class.pk}/"
    ]
    assert hit_urls(coordinator, "luat", "training.sessions") == [
        f"/programmes/{prog.code}/training/sessions/{session.pk}/"
    ]


def test_other_programmes_and_outsiders_find_nothing(other_coordinator, outsider, setup):
    for user in (other_coordinator, outsider):
        assert found(user, "quan ly", "training.classes") == []
        assert found(user, "tiep can", "training.sessions") == []


def test_renamed_course_and_topic_are_found_by_their_new_names(coordinator, setup):
    course, _campus, _semester, _class, topic, _session = setup
    services.course_update(actor=coordinator, course=course, name="Kỹ năng vận động chính sách")
    services.topic_update(actor=coordinator, topic=topic, title="Đối thoại chính sách")
    assert found(coordinator, "van dong", "training.classes") == ["Kỹ năng vận động chính sách – ĐN-01"]
    assert found(coordinator, "doi thoai", "training.sessions") == ["Đối thoại chính sách"]
    assert found(coordinator, "tiep can", "training.sessions") == []


def test_query_count_does_not_grow_with_rows(client_for, coordinator, prog, setup):
    course, campus, semester, _class, topic, _session = setup
    client = client_for(coordinator)

    def add(i):
        training_class = make_class(coordinator, course, campus, semester, code=f"NG-{i}")
        record(coordinator, training_class, topic=topic, status=PLANNED, day=date(2026, 3, 2) + timedelta(days=i))

    for i in range(2):
        add(i)
    few = [search_queries(client, "quan ly"), search_queries(client, "tiep can")]
    for i in range(2, 29):
        add(i)
    assert [search_queries(client, "quan ly"), search_queries(client, "tiep can")] == few
