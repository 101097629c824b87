"""The review pages: who sees what (author, coordinator, asked reviewer with or without a role,
a reviewer not asked, a programme viewer, an outsider: 404), the forms and their errors, the
reviewer's comment and decision, the history after a new version, downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketnoi.core.roles import Role
from ketnoi.programmes.models import ProgrammeRole
from ketnoi.training.models import Material, ReviewAssignment, ReviewComment, ReviewRequest
from ketnoi.training.services import review

from .factories import PDF, ask, make_material, pdf

pytestmark = pytest.mark.django_db

BASE = "/programmes/thu-nghiem/training/materials/"


@pytest.fixture
def material(lecturer, prog):
    return make_material(lecturer, prog)


@pytest.fixture
def assignment(material, lecturer, expert):
    return ask(lecturer, material, [expert]).assignments.get()


def test_list_for_coordinator_author_and_reviewer(
    client_for, material, assignment, coordinator, lecturer, expert, reviewer
):
    html = client_for(coordinator).get(BASE).content.decode()
    assert material.title in html and "Đang chờ góp ý" in html and "Thêm tài liệu" in html
    html = client_for(lecturer).get(BASE).content.decode()
    assert material.title in html
    # an outside expert: only "my reviews", no programme navigation
    page = client_for(expert).get(BASE)
    html = page.content.decode()
    assert page.status_code == 200 and "Việc góp ý của tôi" in html and f"review/{assignment.pk}/" in html
    assert f"{BASE}{material.pk}/" not in html and "Thêm tài liệu" not in html
    # a programme reviewer not asked sees neither the material nor an assignment
    html = client_for(reviewer).get(BASE).content.decode()
    assert material.title not in html


def test_list_empty_guides_and_outsider_gets_404(client_for, prog, lecturer, outsider, expert):
    assert "Chưa có tài liệu đào tạo nào." in client_for(lecturer).get(BASE).content.decode()
    for user in (outsider, expert):
        assert client_for(user).get(BASE).status_code == 404
        assert client_for(user).get(BASE + "mine/").status_code == 404


def test_list_query_count_does_not_grow(client_for, coordinator, lecturer, prog, expert):
    client = client_for(coordinator)
    ask(lecturer, make_material(lecturer, prog, title="Một"), [expert])
    client.get(BASE)
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for i in range(5):
        m = make_material(lecturer, prog, title=f"Tài liệu {i}")
        ask(lecturer, m, [expert])
    with CaptureQueriesContext(connection) as many:
        client.get(BASE)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_anonymous_goes_to_login(client, material, assignment):
    for path in (BASE, f"{BASE}{material.pk}/", f"{BASE}review/{assignment.pk}/", f"{BASE}mine/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_who_sees_material_page_and_download(
    client_for, material, assignment, coordinator, lecturer, expert, reviewer, viewer, outsider
):
    detail, download = f"{BASE}{material.pk}/", f"{BASE}{material.pk}/versions/1/download/"
    for user in (lecturer, coordinator):
        assert client_for(user).get(detail).status_code == 200
        response = client_for(user).get(download)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Cache-Control"] == "private, no-store"
    for user in (expert, reviewer, viewer, outsider):
        assert client_for(user).get(detail).status_code == 404
        assert client_for(user).get(f"{BASE}{material.pk}/versions/new/").status_code == 404
        assert client_for(user).get(f"{BASE}{material.pk}/versions/1/review/").status_code == 404
    assert client_for(expert).get(download).status_code == 200  # asked to review it
    for user in (reviewer, viewer, outsider):
        assert client_for(user).get(download).status_code == 404


def test_another_programme_s_coordinator_gets_404(client_for, material, assignment, other_coordinator):
    client = client_for(other_coordinator)
    for path in (
        BASE,
        f"{BASE}{material.pk}/",
        f"{BASE}{material.pk}/versions/1/download/",
        f"{BASE}{material.pk}/versions/new/",
        f"{BASE}review/{assignment.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{BASE}review/{assignment.pk}/comment/", {"body": "x"}).status_code == 404
    assert not ReviewComment.objects.exists()


def test_reviewer_page_only_for_the_asked_reviewer(
    client_for, assignment, coordinator, lecturer, expert, reviewer, viewer, outsider
):
    page = f"{BASE}review/{assignment.pk}/"
    response = client_for(expert).get(page)
    assert response.status_code == 200 and "Duyệt tài liệu" in response.content.decode()
    for user in (coordinator, lecturer, reviewer, viewer, outsider):
        assert client_for(user).get(page).status_code == 404
        assert client_for(user).post(page + "comment/", {"body": "x"}).status_code == 404
        assert client_for(user).post(page + "decide/", {"decision": "approved"}).status_code == 404
    assert client_for(expert).get(f"/programmes/khac/training/materials/review/{assignment.pk}/").status_code == 404
    assert not ReviewComment.objects.exists()
    assert ReviewAssignment.objects.get().decision == "pending"


def test_reviewer_with_a_role_not_asked_does_not_see_comments(client_for, material, lecturer, expert, reviewer, viewer):
    a = ask(lecturer, material, [expert]).assignments.get()
    review.review_comment(actor=expert, assignment=a, body="Bình luận riêng của chuyên gia")
    for user in (reviewer, viewer):
        for path in (BASE, BASE + "mine/"):
            assert "Bình luận riêng" not in client_for(user).get(path).content.decode()


def test_reviewer_comments_and_approves(client_for, assignment, expert, lecturer):
    client = client_for(expert)
    page = f"{BASE}review/{assignment.pk}/"
    response = client.post(page + "comment/", {"location": "Slide 5", "body": "Thêm nguồn số liệu."})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Slide 5" in html and "Thêm nguồn số liệu." in html
    response = client.post(page + "decide/", {"decision": "approved", "comment": ""})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Đã duyệt" in html and "Duyệt tài liệu" not in html
    html = client_for(lecturer).get(f"{BASE}{assignment.request.version.material_id}/").content.decode()
    assert "Slide 5" in html and "Thêm nguồn số liệu." in html and "Đã duyệt" in html


def test_reviewer_bad_input_shows_errors_and_writes_nothing(client_for, assignment, expert):
    client = client_for(expert)
    page = f"{BASE}review/{assignment.pk}/"
    response = client.post(page + "comment/", {"location": "Slide 2", "body": "  "})
    assert response.status_code == 400 and "Hãy viết nội dung góp ý." in response.content.decode()
    response = client.post(page + "decide/", {"decision": "changes", "comment": ""})
    assert response.status_code == 400 and "Hãy ghi ít nhất một góp ý" in response.content.decode()
    response = client.post(page + "decide/", {"decision": "maybe"})
    assert response.status_code == 400
    assert not ReviewComment.objects.exists() and ReviewAssignment.objects.get().decision == "pending"


def test_mine_lists_assignments(client_for, assignment, expert):
    html = client_for(expert).get(BASE + "mine/").content.decode()
    assert "Góp ý của tôi" in html and f"review/{assignment.pk}/" in html


def test_create_material_and_bad_file(client_for, lecturer, viewer, prog):
    client = client_for(lecturer)
    response = client.post(
        BASE + "new/", {"title": "Đề cương", "kind": "syllabus", "file": SimpleUploadedFile("de-cuong.pdf", b"MZ fake")}
    )
    assert response.status_code == 200 and "không phải PDF hay Word (DOCX)" in response.content.decode()
    assert not Material.objects.exists()
    response = client.post(
        BASE + "new/", {"title": "Đề cương", "kind": "syllabus", "file": SimpleUploadedFile("de-cuong.pdf", PDF)}
    )
    material = Material.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{material.pk}/"
    assert client_for(viewer).get(BASE + "new/").status_code == 403


def test_request_form_errors_and_success(client_for, material, lecturer, expert, prog):
    ProgrammeRole.objects.create(programme=prog, user=expert, role=Role.REVIEWER)  # only reviewers are offered
    client = client_for(lecturer)
    url = f"{BASE}{material.pk}/versions/1/review/"
    html = client.get(url).content.decode()
    assert 'name="reviewers__q"' in html  # searched as one types (training/tests/test_picker.py)
    response = client.post(url, {"reviewers": [], "due_on": "01/01/2020"})
    html = response.content.decode()
    assert "Hãy chọn ít nhất một chuyên gia góp ý." in html
    response = client.post(url, {"reviewers": [expert.pk], "due_on": "01/01/2020"})
    assert "Hạn góp ý đã qua" in response.content.decode()
    response = client.post(url, {"reviewers": [expert.pk], "due_on": "31/02/2099"})
    assert "dd/mm/yyyy" in response.content.decode()
    assert not ReviewRequest.objects.exists()
    response = client.post(url, {"reviewers": [expert.pk], "due_on": "31/12/2099", "message": "Nhờ anh xem giúp"})
    assert response.status_code == 302 and ReviewAssignment.objects.get().reviewer == expert


def test_history_readable_after_new_version(client_for, material, assignment, lecturer, expert):
    review.review_decide(actor=expert, assignment=assignment, decision="changes", comment="Sửa slide 5")
    response = client_for(lecturer).post(
        f"{BASE}{material.pk}/versions/new/", {"file": pdf("ban-2.pdf"), "note": "Đã sửa slide 5"}
    )
    assert response.status_code == 302
    second = ask(lecturer, material, [expert]).assignments.get()
    html = client_for(lecturer).get(f"{BASE}{material.pk}/").content.decode()
    assert 'id="version-2"' in html and 'id="version-1"' in html and "Sửa slide 5" in html and "Cần chỉnh sửa" in html
    # the reviewer sees their earlier review of the same material next to the new one
    html = client_for(expert).get(f"{BASE}review/{second.pk}/").content.decode()
    assert "Sửa slide 5" in html and "Các lần góp ý trước" in html


def test_request_on_an_older_version_says_why(client_for, material, lecturer, expert, prog):
    ProgrammeRole.objects.create(programme=prog, user=expert, role=Role.REVIEWER)
    review.version_add(actor=lecturer, material=material, file=pdf(), note="")
    response = client_for(lecturer).post(
        f"{BASE}{material.pk}/versions/1/review/", {"reviewers": [expert.pk], "due_on": "31/12/2099"}
    )
    assert "Đã có bản mới hơn" in response.content.decode() and not ReviewRequest.objects.exists()


def test_reviewer_reads_only_the_versions_asked(client_for, material, assignment, lecturer, expert):
    review.version_add(actor=lecturer, material=material, file=pdf(), note="bản 2, chưa mời góp ý")
    client = client_for(expert)
    assert client.get(f"{BASE}{material.pk}/versions/1/download/").status_code == 200
    assert client.get(f"{BASE}{material.pk}/versions/2/download/").status_code == 404
    assert "bản 2, chưa mời góp ý" not in client.get(f"{BASE}review/{assignment.pk}/").content.decode()
