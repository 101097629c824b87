import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from ketnoi.core.models import AuditEntry
from ketnoi.demo import data, loader
from ketnoi.directory.models import Consent, Organisation, Person, Sex
from ketnoi.programmes import access
from ketnoi.programmes.models import IndicatorValue, Programme, ProgrammeRole
from ketnoi.programmes.progress import programme_progress

from .demo_rows import row_counts, run

pytestmark = pytest.mark.django_db


def models_user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def loaded(demo_loaded):
    """The first run's output; the demo is loaded once for this module (conftest's demo_loaded),
    and what a test changes is undone after it."""
    return demo_loaded


def test_first_run_loads_both_programmes(loaded):
    assert "Đã nạp dữ liệu mẫu" in loaded
    assert set(Programme.objects.values_list("code", flat=True)) == {"msd-vileap", "tev-sc"}
    msd_vileap = Programme.objects.get(code="msd-vileap")
    assert msd_vileap.objectives.count() == 4
    assert msd_vileap.activities.count() == 6
    assert msd_vileap.components.count() == 1
    assert msd_vileap.indicators.count() == 9  # CT8 reads the lecture evaluations live, CT9 the periods taught
    syllabus = msd_vileap.training_materials.get()
    assert [v.number for v in syllabus.versions.all()] == [2, 1]
    decisions = sorted(
        a.decision for v in syllabus.versions.all() for r in v.review_requests.all() for a in r.assignments.all()
    )
    assert decisions == ["changes", "pending"]
    assert Programme.objects.get(code="tev-sc").indicators.get().code == "TV1"


def test_surveys_hold_the_lecture_evaluations_and_the_workshop_feedback(loaded):
    from ketnoi.programmes.progress import programme_progress
    from ketnoi.surveys.models import Collection, Response

    msd_vileap = Programme.objects.get(code="msd-vileap")
    lecture = msd_vileap.survey_forms.get()
    assert lecture.collections.count() == 4
    assert Response.objects.filter(collection__form=lecture).count() == 90
    assert not any(c.is_open() for c in Collection.objects.all())
    assert set(Response.objects.dates("submitted_at", "year")) == {date(2017, 1, 1), date(2018, 1, 1)}
    ct8 = next(i for i in programme_progress(msd_vileap).indicators if i.indicator.code == "CT8")
    assert [r.actual for r in ct8.periods] == [45, 45]
    assert Response.objects.filter(collection__form__programme__code="tev-sc").count() == 31 + 12


def test_the_member_survey_from_kobotoolbox_keeps_its_rows_and_the_server_computes_its_sums(loaded):
    from ketnoi.surveys.models import Response

    responses = Response.objects.filter(collection__form__title="Khảo sát năng lực tổ chức thành viên")
    assert responses.count() == 12
    for response in responses:
        answers = response.answers
        assert len(answers["staff"]) == answers["staff_count"]  # as many rows as the count asked
        assert answers["total_years"] == sum(row.get("s_years", 0) for row in answers["staff"])
        assert answers["consent"] == "OK" and len(answers["office"].split()) == 4


def test_agreement_parties_and_the_academy(loaded):
    agreement = Programme.objects.get(code="msd-vileap").agreements.get()
    assert sorted(agreement.parties.values_list("short_name", flat=True)) == ["MSD", "ViLEAP"]
    vileap = Organisation.objects.get(short_name="ViLEAP")
    assert vileap.parent.name == "Học viện Chính trị Quốc gia Hồ Chí Minh"
    assert vileap.province.short_name == "Hà Nội"
    assert agreement.activities.count() == 6 and agreement.objectives.count() == 4


def test_everything_was_written_through_services(loaded):
    admin = get_user_model().objects.get(username="admin")
    assert AuditEntry.objects.filter(action="programmes.programme_create", actor=admin).count() == 2
    assert AuditEntry.objects.filter(action="directory.organisation_create").count() == len(data.ORGANISATIONS)
    assert AuditEntry.objects.filter(action="directory.person_create").count() == Person.objects.count()
    # Four eyes: every approved value was entered by someone else than the coordinator who approved it.
    approved = IndicatorValue.objects.filter(status=IndicatorValue.Status.APPROVED)
    assert approved.exists()
    assert not approved.filter(created_by=models_user("dieuphoi")).exists()
    assert set(approved.values_list("reviewed_by__username", flat=True)) == {"dieuphoi"}


def test_pending_value_waits_for_approval(loaded):
    pending = IndicatorValue.objects.get(status=IndicatorValue.Status.SUBMITTED)
    assert (pending.indicator.code, pending.period.label, pending.value) == ("CT5", "2018", Decimal(2))
    assert pending.created_by.username == "giangvien"
    assert pending.reviewed_by is None


def test_progress_figures(loaded):
    progress = programme_progress(Programme.objects.get(code="msd-vileap"))
    by_code = {item.indicator.code: item for item in progress.indicators}
    assert (by_code["CT1"].actual, by_code["CT1"].target) == (Decimal(70), Decimal(80))
    assert by_code["CT1"].percent == Decimal("87.5")
    assert by_code["CT2"].actual == Decimal("4.3")  # a level: the latest approved score
    assert (by_code["CT4"].actual, by_code["CT4"].target) == (Decimal(98), Decimal(150))
    assert {s.category: s.value for s in by_code["CT4"].breakdowns["sex"]} == {"female": 25, "male": 21}
    assert (by_code["CT7"].actual, by_code["CT7"].target) == (Decimal(2), Decimal(2))  # the two parties
    assert by_code["CT5"].pending == 1 and progress.pending == 1
    assert Decimal(0) < progress.percent < Decimal(100)

    tev = programme_progress(Programme.objects.get(code="tev-sc"))
    assert tev.indicators[0].actual == Decimal(35) and tev.percent == Decimal(100)


def test_second_run_writes_nothing(loaded):
    before = row_counts()
    assert before["core_auditentry"] > 0
    output = run()
    assert "Dữ liệu mẫu đã có sẵn" in output
    assert row_counts() == before


def test_demo_users_log_in_with_the_demo_password(loaded):
    for username, *_rest in data.USERS:
        # The login lockout (django-axes) counts per request: authenticate as the login page does.
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=data.PASSWORD) is not None, username
    assert models_user("admin").is_staff


def test_khach_has_no_programme_role(loaded):
    khach = models_user("khach")
    assert not ProgrammeRole.objects.filter(user=khach).exists()
    assert not access.programmes_for(khach).exists()


def test_roles_as_in_the_data(loaded):
    for username, _description, roles, _org, _staff in data.USERS:
        held = set(ProgrammeRole.objects.filter(user__username=username).values_list("programme__code", "role"))
        assert held == set(roles.items()), username


def test_people_per_organisation_with_consent(loaded):
    organisations = {o[0]: o[1] for o in data.ORGANISATIONS}
    account_people = {o for _u, _d, _r, o, _s in data.USERS if o}
    for key, expected in data.PEOPLE_PER_ORGANISATION.items():
        generated = Person.objects.filter(organisation__name=organisations[key], user__isnull=True)
        assert generated.count() == expected, key
        assert generated.filter(position=data.POSITIONS[0]).count() == 1, key
    assert account_people <= set(data.PEOPLE_PER_ORGANISATION)
    people = Person.objects.all()
    assert Consent.objects.filter(purpose=data.CONSENT_PURPOSE).count() == people.count()
    for person in people:
        assert person.position in data.POSITIONS
        assert person.email.endswith(".example"), person.email
        assert re.fullmatch(r"0[35789]\d{2} \d{3} \d{3}", person.phone), person.phone
        assert 1900 < person.birth_year < 2010
        # The middle name says the sex.
        middle = person.full_name.split()[1]
        if middle == "Thị":
            assert person.sex == Sex.FEMALE, person.full_name
        if middle == "Văn":
            assert person.sex == Sex.MALE, person.full_name
        assert person.sex in (Sex.FEMALE, Sex.MALE)


def test_demo_accounts_have_names_and_directory_records(loaded):
    dieuphoi = models_user("dieuphoi")
    assert dieuphoi.person.organisation.short_name == "MSD"
    assert dieuphoi.person.full_name == dieuphoi.first_name == str(dieuphoi)
    assert dieuphoi.email == dieuphoi.person.email
    assert models_user("chuyengia").person.organisation.short_name == "ViLEAP"
    assert not Person.objects.filter(user__username__in=["khach", "admin"]).exists()


def test_login_table_is_printed(loaded):
    for username, description, *_rest in data.USERS:
        assert re.search(rf"^{re.escape(username)}\s+{re.escape(description)}\s+{data.PASSWORD}$", loaded, re.M)
    assert re.search(r"Tên đăng nhập\s+Vai trò\s+Mật khẩu", run())


def test_same_seed_same_people():
    first, second = loader.IdentityMaker(data.FAKER_SEED), loader.IdentityMaker(data.FAKER_SEED)
    assert [first.make("a.example") for _ in range(20)] == [second.make("a.example") for _ in range(20)]


def test_library_corner_is_searchable_and_curated(loaded):
    from django.contrib.auth.models import AnonymousUser

    from ketnoi.library.models import CollectionItem, Document, DocumentFile
    from ketnoi.library.search import ranked_document_ids

    # Tests run tasks at once, so the files' text is already extracted and indexed.
    assert set(DocumentFile.objects.values_list("status", flat=True)) == {DocumentFile.Status.READY}
    draft = Document.objects.get(title__startswith="Dự thảo Luật về hội")
    assert ranked_document_ids(user=AnonymousUser(), query="dang ky thanh lap hoi")[0] == draft.pk
    internal = Document.objects.get(access="staff")
    assert internal.pk not in ranked_document_ids(user=AnonymousUser(), query="nhu cau dao tao")
    statuses = sorted(CollectionItem.objects.values_list("status", flat=True))
    assert statuses == ["declined", "delivered", "delivered", "delivered", "delivered", "proposed", "selected"]
    before = Document.objects.count()
    run()
    assert Document.objects.count() == before
