"""Demo workshops, restated from the two source documents in the project's own words.

MSD–ViLEAP: the three connecting workshops between state agencies and CSOs the agreement plans,
in Hà Nội, Cần Thơ and Ho Chi Minh City. The Hà Nội one is held (November 2017): 40 delegates
registered through their organisations' invitations — state agencies, CSOs, the institute and the
press — and 36 checked in. The Ho Chi Minh City one is upcoming and public, with 20 places and a
waiting list; the Cần Thơ one is upcoming by invitation. Upcoming dates are counted from the day
the demo is loaded, so their registration pages work when someone tries them.

TEV–Save the Children: the one-day training on policy advocacy in Ho Chi Minh City on
28 September 2017 for 35 delegates (association cadres, CSOs working for children, the city's
Women's Union and Youth Union), with its four discussion questions and what the room concluded;
held, everyone checked in. Conclusions beyond what the report says are illustrative.

Everything goes through the events services (invitations, registration, check-in, questions),
so the places rule, consent and audit hold; delegates are people already in the demo directory.
The services stamp the present time: registrations, check-ins and consents of the 2017 workshops
are then moved back to their dates in plain updates, as the survey demo does. Loading again
changes nothing: a workshop already there (same programme and title) is left as it is.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ketnoi.core.audit import audit_record
from ketnoi.directory.models import Consent, Organisation, Person, Province
from ketnoi.events import services
from ketnoi.events.models import Registration, Workshop
from ketnoi.events.services.actions import EventsAction
from ketnoi.surveys.models import Collection

MSD = "msd-vileap"
TEV = "tev-sc"

HANOI = {
    "title": "Hội thảo kết nối chính quyền và tổ chức xã hội tại Hà Nội",
    "description": (
        "Đại diện các cơ quan nhà nước và các tổ chức xã hội ngồi cùng nhau để hiểu cách làm việc của "
        "nhau, chia sẻ những việc đã phối hợp được và bàn cách hợp tác thường xuyên hơn."
    ),
    "province": "Hà Nội",
    "venue": "Hội trường Viện Lãnh đạo học và Chính sách công",
    "day": date(2017, 11, 16),
    "capacity": 50,
    # (organisation key, how many of its people were invited)
    "delegates": [
        ("snv-hn", 4),
        ("snv-ct", 4),
        ("snv-hcm", 4),
        ("ubnd-ct", 3),
        ("cso-moitruong", 3),
        ("cso-mekong", 4),
        ("cso-treem", 4),
        ("tev", 7),
        ("vileap", 5),
        ("media", 2),
    ],
    # Every n-th delegate did not come on the day.
    "absent_every": 10,
    "agenda": [
        (time(8, 0), "Đón đại biểu, đăng ký", ""),
        (time(8, 30), "Khai mạc và giới thiệu mục đích hội thảo", "MSD, ViLEAP"),
        (time(9, 0), "Vai trò của tổ chức xã hội trong quản trị địa phương", "ViLEAP"),
        (time(10, 15), "Thảo luận nhóm: chính quyền và TCXH cần gì ở nhau", ""),
        (time(13, 30), "Chia sẻ kinh nghiệm phối hợp ở Hà Nội và Cần Thơ", "Sở Nội vụ, TCXH"),
        (time(15, 45), "Tổng kết và các bước tiếp theo", "MSD"),
    ],
    "questions": [
        (
            "Chính quyền địa phương và tổ chức xã hội cần gì ở nhau?",
            "- Chính quyền cần thông tin, bằng chứng từ cơ sở và sự tham gia vào các chương trình địa phương.\n"
            "- TCXH cần được biết đầu mối, thủ tục và được mời góp ý sớm.",
        ),
        (
            "Điều gì cản trở việc phối hợp thường xuyên?",
            "Hai bên còn ít dịp gặp nhau; thủ tục đăng ký hoạt động chưa rõ ràng với nhiều tổ chức; "
            "thiếu một đầu mối theo dõi các cam kết sau hội thảo.",
        ),
    ],
}

CAN_THO = {
    "title": "Hội thảo kết nối chính quyền và tổ chức xã hội tại Cần Thơ",
    "description": (
        "Hội thảo thứ hai của chuỗi ba hội thảo kết nối, dành cho các cơ quan nhà nước và tổ chức xã "
        "hội ở Cần Thơ và vùng Đồng bằng sông Cửu Long. Đại biểu tham dự theo thư mời."
    ),
    "province": "Cần Thơ",
    "venue": "Hội trường Uỷ ban nhân dân phường Ninh Kiều",
    "in_days": 45,
    "capacity": 40,
    "invited": ["snv-ct", "ubnd-ct", "cso-mekong"],
    # The first people of the invited organisations who already registered through the link.
    "registered": 5,
}

HO_CHI_MINH = {
    "title": "Hội thảo kết nối chính quyền và tổ chức xã hội tại TP. Hồ Chí Minh",
    "description": (
        "Hội thảo cuối của chuỗi ba hội thảo kết nối. Ai làm việc ở cơ quan nhà nước hay tổ chức xã "
        "hội đều có thể đăng ký; khi hết chỗ, người đăng ký sau vào danh sách chờ."
    ),
    "province": "Hồ Chí Minh",
    "venue": "Hội trường Sở Nội vụ Thành phố Hồ Chí Minh",
    "in_days": 30,
    "capacity": 20,
    # 23 people for 20 places: the last three wait.
    "delegates": [("snv-hcm", 4), ("cso-treem", 4), ("hlhpn-hcm", 4), ("doan-hcm", 4), ("tev", 7)],
}

TEV_TRAINING = {
    "title": "Hội thảo tập huấn vận động chính sách cho cán bộ Hội và tổ chức thành viên",
    "description": (
        "Một ngày làm việc để thống nhất vận động chính sách là gì, vì sao đó là việc trọng tâm của Hội "
        "và các tổ chức xã hội làm việc vì trẻ em, làm quen với các hình thức vận động và thực hành trên "
        "những tình huống thực tế."
    ),
    "province": "Hồ Chí Minh",
    "venue": "Hội trường của Hội tại TP. Hồ Chí Minh",
    "day": date(2017, 9, 28),
    "capacity": 35,
    # 27 delegates of CSOs and 8 of the city's Women's Union and Youth Union: 35.
    "delegates": [
        ("tev", 7),
        ("msd", 9),
        ("cso-treem", 4),
        ("cso-mekong", 4),
        ("cso-moitruong", 3),
        ("hlhpn-hcm", 4),
        ("doan-hcm", 4),
    ],
    "agenda": [
        (time(8, 0), "Đón đại biểu", ""),
        (time(8, 30), "Khai mạc; mục tiêu của buổi tập huấn", "Lãnh đạo Hội"),
        (time(9, 0), "Thảo luận bốn câu hỏi về vận động chính sách", ""),
        (time(13, 30), "Thực hành kỹ năng vận động trên tình huống thực tế", ""),
        (time(16, 30), "Tổng kết, định hướng hoạt động tiếp theo", "Chủ tịch Hội"),
    ],
    "questions": [
        (
            "Vận động chính sách là gì?",
            "Là những việc làm có chủ đích nhằm tác động tới cách chính sách được hoạch định và thực hiện, "
            "thông qua những cá nhân và cơ quan có vai trò quyết định.",
        ),
        (
            "Dựa vào đâu để tổ chức xã hội tham gia vận động chính sách?",
            "Quyền tham gia của tổ chức và người dân vào việc xây dựng chính sách; sứ mệnh bảo vệ quyền "
            "trẻ em của Hội; bằng chứng và kinh nghiệm từ các dự án ở cơ sở. Đại biểu nhấn mạnh đây là "
            "nhiệm vụ sống còn, nhưng ở cơ sở còn làm chưa nhiều.",
        ),
        (
            "Tổ chức xã hội có thể tham gia dưới những hình thức nào?",
            "- Góp ý dự thảo văn bản quy phạm pháp luật và kế hoạch\n"
            "- Phản biện và tư vấn chính sách\n"
            "- Theo dõi quá trình thực hiện chính sách\n"
            "- Truyền thông vận động",
        ),
        (
            "Những phương pháp vận động chính sách nào hiệu quả?",
            "Chọn vấn đề và mục tiêu rõ ràng, có bằng chứng; xác định người có ảnh hưởng; liên kết với các "
            "tổ chức cùng mục tiêu; chọn kênh tiếp cận phù hợp. Buổi chiều các nhóm thực hành trên tình "
            "huống thực tế.",
        ),
    ],
    "feedback_collection": "Tập huấn vận động chính sách – TP. Hồ Chí Minh",
}


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _people(organisations: dict[str, Organisation], wanted: list[tuple[str, int]]) -> list[Person]:
    people: list[Person] = []
    for key, count in wanted:
        found = list(Person.objects.filter(organisation=organisations[key], erased_at__isnull=True).order_by("pk"))
        people += found[:count]
    return people


def _province(short_name: str) -> Province:
    return Province.objects.get(scheme=Province.Scheme.CURRENT, short_name=short_name)


def _programme_of_the_day(actor, workshop: Workshop, spec: dict) -> None:
    for starts_at, title, speakers in spec.get("agenda", []):
        services.agenda_item_add(actor=actor, workshop=workshop, starts_at=starts_at, title=title, speakers=speakers)
    for text, conclusions in spec.get("questions", []):
        question = services.question_add(actor=actor, workshop=workshop, text=text)
        services.question_update(actor=actor, question=question, text=text, conclusions=conclusions)


def _backdate(workshop: Workshop, registered_on: date) -> None:
    """Registrations, check-ins and consents of a past workshop moved to its dates."""
    registered_at = _aware(registered_on, time(9, 0))
    arrivals = workshop.starts_at - timedelta(minutes=30)
    for n, registration in enumerate(workshop.registrations.order_by("id")):
        changes = {"created_at": registered_at + timedelta(minutes=7 * n), "updated_at": workshop.ends_at}
        if registration.checked_in_at:
            changes["checked_in_at"] = arrivals + timedelta(seconds=40 * n)
        Registration.objects.filter(pk=registration.pk).update(**changes)
    Consent.objects.filter(
        person__registrations__workshop=workshop,
        purpose=services.CONSENT_PURPOSE % {"title": workshop.title},
    ).update(given_on=registered_on)


def _held_connecting(actor, programme, organisations) -> Workshop:
    spec = HANOI
    start = _aware(spec["day"], time(8, 0))
    workshop = services.workshop_create(
        actor=actor,
        programme=programme,
        title=spec["title"],
        description=spec["description"],
        kind=Workshop.Kind.CONNECTING,
        activity=programme.activities.filter(number=5).first(),
        province=_province(spec["province"]),
        venue=spec["venue"],
        starts_at=start,
        ends_at=start + timedelta(hours=8, minutes=30),
        capacity=spec["capacity"],
        registration=Workshop.Registration.INVITATION,
        organisers=[organisations["msd"]],
        partners=[organisations["vileap"]],
    )
    _programme_of_the_day(actor, workshop, spec)
    invited = [organisations[key] for key, _count in spec["delegates"]]
    codes = {
        i.organisation_id: i.code
        for i in services.invitations_create(actor=actor, workshop=workshop, organisations=invited)
    }
    for n, person in enumerate(_people(organisations, spec["delegates"]), start=1):
        # Each delegate registered through their organisation's invitation link, on their own.
        registration, _created = services.registration_submit(
            actor=None,
            workshop=workshop,
            full_name=person.full_name,
            email=person.email,
            phone=person.phone,
            consent=True,
            invitation_code=codes[person.organisation_id],
        )
        if n % spec["absent_every"]:
            services.registration_check_in(actor=actor, workshop=workshop, registration=registration)
    workshop = services.workshop_update(
        actor=actor, workshop=workshop, held=True, registration=Workshop.Registration.CLOSED
    )
    _backdate(workshop, spec["day"] - timedelta(days=14))
    return workshop


def _upcoming(actor, programme, organisations, spec: dict, registration: str) -> Workshop:
    start = _aware(timezone.localdate() + timedelta(days=spec["in_days"]), time(8, 0))
    workshop = services.workshop_create(
        actor=actor,
        programme=programme,
        title=spec["title"],
        description=spec["description"],
        kind=Workshop.Kind.CONNECTING,
        activity=programme.activities.filter(number=5).first(),
        province=_province(spec["province"]),
        venue=spec["venue"],
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        capacity=spec["capacity"],
        registration=registration,
        organisers=[organisations["msd"]],
        partners=[organisations["vileap"]],
    )
    if registration == Workshop.Registration.PUBLIC:
        for person in _people(organisations, spec["delegates"]):
            services.registration_submit(
                actor=None,
                workshop=workshop,
                full_name=person.full_name,
                email=person.email,
                phone=person.phone,
                consent=True,
            )
    else:
        invited = [organisations[key] for key in spec["invited"]]
        invitations = services.invitations_create(actor=actor, workshop=workshop, organisations=invited)
        codes = {i.organisation_id: i.code for i in invitations}
        for person in _people(organisations, [(key, 2) for key in spec["invited"]])[: spec["registered"]]:
            services.registration_submit(
                actor=None,
                workshop=workshop,
                full_name=person.full_name,
                email=person.email,
                phone=person.phone,
                consent=True,
                invitation_code=codes[person.organisation_id],
            )
    return workshop


def _training(actor, programme, organisations) -> Workshop:
    spec = TEV_TRAINING
    start = _aware(spec["day"], time(8, 0))
    workshop = services.workshop_create(
        actor=actor,
        programme=programme,
        title=spec["title"],
        description=spec["description"],
        kind=Workshop.Kind.TRAINING,
        activity=programme.activities.filter(number=1).first(),
        province=_province(spec["province"]),
        venue=spec["venue"],
        starts_at=start,
        ends_at=start + timedelta(hours=9),
        capacity=spec["capacity"],
        registration=Workshop.Registration.INVITATION,
        organisers=[organisations["tev"]],
        partners=[organisations["sc"]],
    )
    _programme_of_the_day(actor, workshop, spec)
    people = _people(organisations, spec["delegates"])
    for invitation in services.invitations_create(actor=actor, workshop=workshop, people=people):
        # A personal invitation: the delegate only ticks the consent box.
        registration, _created = services.registration_submit(
            actor=None, workshop=workshop, full_name="", consent=True, invitation_code=invitation.code
        )
        services.registration_check_in(actor=actor, workshop=workshop, registration=registration)
    workshop = services.workshop_update(
        actor=actor, workshop=workshop, held=True, registration=Workshop.Registration.CLOSED
    )
    _backdate(workshop, spec["day"] - timedelta(days=10))
    feedback = Collection.objects.filter(form__programme=programme, title=spec["feedback_collection"]).first()
    if feedback is not None:
        # The survey demo already opened the delegates' feedback: the workshop points at it.
        Workshop.objects.filter(pk=workshop.pk).update(feedback_collection_id=feedback.pk)
        audit_record(
            actor=actor,
            action=EventsAction.WORKSHOP_UPDATE,
            obj=workshop,
            changes={"feedback_collection_id": [None, feedback.pk]},
        )
    return workshop


def load_events(programmes: dict, users: dict, organisations: dict[str, Organisation]) -> list[Workshop]:
    """The demo workshops; those already there (same programme and title) are kept as they are."""
    made: list[Workshop] = []

    def missing(programme, spec: dict) -> bool:
        return programme is not None and not Workshop.objects.filter(programme=programme, title=spec["title"]).exists()

    msd, tev = programmes.get(MSD), programmes.get(TEV)
    if missing(msd, HANOI):
        made.append(_held_connecting(users["dieuphoi"], msd, organisations))
    if missing(msd, CAN_THO):
        made.append(_upcoming(users["dieuphoi"], msd, organisations, CAN_THO, Workshop.Registration.INVITATION))
    if missing(msd, HO_CHI_MINH):
        made.append(_upcoming(users["dieuphoi"], msd, organisations, HO_CHI_MINH, Workshop.Registration.PUBLIC))
    if missing(tev, TEV_TRAINING):
        made.append(_training(users["hoi-tev"], tev, organisations))
    return made
