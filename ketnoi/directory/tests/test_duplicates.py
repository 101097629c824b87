from django.utils import timezone

from ketnoi.core.permissions import can_read_directory
from ketnoi.directory.queries import duplicate_pairs
from ketnoi.directory.services import person_find_duplicates

from .factories import make_person


def test_folded_name_and_normalised_phone_match(db):
    lan = make_person("Nguyễn Thị Lan", phone="0912 345 678")
    found = person_find_duplicates(full_name="nguyen thi lan", phone="+84 912 345 678")
    assert list(found) == [lan]


def test_email_matches_whatever_the_case(db):
    lan = make_person("Nguyễn Thị Lan", email="Lan.Nguyen@Example.org")
    assert list(person_find_duplicates(full_name="NGUYỄN THỊ LAN", email="lan.nguyen@example.org ")) == [lan]


def test_same_name_alone_or_same_contact_alone_is_not_a_duplicate(db):
    make_person("Nguyễn Thị Lan", phone="0912345678", email="lan@example.org")
    assert not person_find_duplicates(full_name="Nguyễn Thị Lan").exists()
    assert not person_find_duplicates(full_name="Nguyễn Thị Lan", phone="0987654321").exists()
    assert not person_find_duplicates(full_name="Trần Thị Lan", phone="0912345678").exists()


def test_excluded_and_erased_people_are_not_candidates(db):
    lan = make_person("Nguyễn Thị Lan", phone="0912345678")
    make_person("Nguyễn Thị Lan", phone="0912345678", erased_at=timezone.now())
    assert not person_find_duplicates(full_name="Nguyễn Thị Lan", phone="0912345678", exclude_pk=lan.pk).exists()


def test_pairs_page_query_finds_pairs_with_reasons(coordinator):
    a = make_person("Nguyễn Thị Lan", phone="0912345678", email="lan@example.org")
    b = make_person("nguyen thi lan", phone="+84912345678")
    c = make_person("Nguyễn Thị LAN", email="LAN@example.org")
    make_person("Nguyễn Thị Lan", phone="0900000000")  # same name, other contact
    make_person("Trần Văn Minh", phone="0912345678")  # same phone, other name
    make_person("Nguyễn Thị Lan", phone="0912345678", erased_at=timezone.now())
    pairs = duplicate_pairs(coordinator)
    found = {(p["first"].pk, p["second"].pk): p["reasons"] for p in pairs}
    assert found == {(a.pk, b.pk): ["phone"], (a.pk, c.pk): ["email"]}


def test_pairs_are_found_with_a_constant_number_of_queries(coordinator, django_assert_num_queries):
    for i in range(20):
        make_person(f"Người {i % 5}", phone=f"09000000{i % 5:02d}")
    assert can_read_directory(coordinator)  # the role lookup is memoised on the user
    with django_assert_num_queries(1):
        pairs = duplicate_pairs(coordinator)
    assert len(pairs) == 5 * 6  # five groups of four people: six pairs each


def test_people_without_access_see_no_pairs(outsider):
    make_person("Nguyễn Thị Lan", phone="0912345678")
    make_person("Nguyễn Thị Lan", phone="0912345678")
    assert duplicate_pairs(outsider) == []
