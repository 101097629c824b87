"""Small builders for directory tests: rows written directly, no audit, no rules."""

from ketnoi.directory.models import Organisation, OrganisationType, Person, Province, Sex


def province(short_name: str, *, scheme: str = Province.Scheme.CURRENT) -> Province:
    return Province.objects.get(short_name=short_name, scheme=scheme)


def make_organisation(name: str = "Trung tâm Đào tạo Phát triển", **extra) -> Organisation:
    extra.setdefault("type", OrganisationType.CSO)
    return Organisation.objects.create(name=name, **extra)


def make_person(full_name: str = "Nguyễn Thị Lan", **extra) -> Person:
    extra.setdefault("sex", Sex.FEMALE)
    return Person.objects.create(full_name=full_name, **extra)


def run_tasks():
    """A block after which the tasks it queued have run (the immediate backend runs a task
    after the commit that queued it; a test's transaction never commits)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def read_list(*, actor, uploaded_file):
    """An uploaded list of people, read by its background task."""
    from ketnoi.directory.services import people_import_preview

    with run_tasks():
        person_import = people_import_preview(actor=actor, uploaded_file=uploaded_file)
    person_import.refresh_from_db()
    return person_import


def confirm_list(*, actor, person_import):
    """A list confirmed and its new people added by the writing task."""
    from ketnoi.directory.services import people_import_confirm

    with run_tasks():
        people_import_confirm(actor=actor, person_import=person_import)
    person_import.refresh_from_db()
    return person_import


def people_csv(total: int, *, refused_every: int = 20) -> bytes:
    """A list of `total` people ("Lê Thị Mẫu <i>", mau<i>@example.org, i from 1); every
    `refused_every`-th row is refused (an e-mail without a domain)."""
    lines = ["Họ và tên,Chức vụ,Email"]
    for i in range(1, total + 1):
        email = "khong-hop-le@" if i % refused_every == 0 else f"mau{i}@example.org"
        lines.append(f"Lê Thị Mẫu {i},Cán bộ,{email}")
    return ("\n".join(lines) + "\n").encode()
