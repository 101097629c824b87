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
