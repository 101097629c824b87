"""Training materials and their review: the author's and coordinators' pages (the list, a
material with its versions and review history, a new version, a review request) and the
reviewer's pages (what I was asked to review, one assignment with the file, comments and the
decision).

The reviewer's pages need no role on the programme (an outside expert may hold none): they
fetch through `assignments_for(request.user)`, and a page out of sight is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketnoi.core.audit import audit_for
from ketnoi.core.web import attachment, submit
from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme
from ketnoi.programmes.web import programme_context, programme_view

from . import review_access
from .forms_review import CommentForm, DecideForm, MaterialForm, ReviewRequestForm, VersionForm
from .models import Material, MaterialVersion, ReviewAssignment, ReviewComment, ReviewRequest
from .services import review


def _programme_for_reader(user, code: str) -> Programme:
    """The programme when the user holds a role on it or reviews something in it; else 404."""
    programme = programme_access.programmes_for(user).filter(code=code).first()
    return programme or review_access.reviews_programme(user, code)


def _context(request: HttpRequest, programme: Programme, **extra) -> dict:
    member = programme_access.can_view(request.user, programme)
    base = programme_context(request, programme) if member else {"programme": programme}
    material = extra.get("material")
    return {
        **base,
        "is_member": member,
        "can_author": review_access.can_author(request.user, programme),
        "can_manage": material is not None and review_access.can_manage(request.user, material),
        **extra,
    }


def _material_url(material: Material) -> str:
    return reverse("training:material_detail", args=[material.programme.code, material.pk])


def _assignment_url(assignment: ReviewAssignment) -> str:
    return reverse(
        "training:review_assignment", args=[assignment.request.version.material.programme.code, assignment.pk]
    )


def _history_prefetch() -> Prefetch:
    comments = Prefetch("comments", queryset=ReviewComment.objects.order_by("created_at", "id"))
    assignments = Prefetch(
        "assignments",
        queryset=ReviewAssignment.objects.select_related("reviewer").prefetch_related(comments).order_by("pk"),
    )
    requests = Prefetch(
        "review_requests",
        queryset=ReviewRequest.objects.select_related("requested_by").prefetch_related(assignments),
    )
    return Prefetch(
        "versions",
        queryset=MaterialVersion.objects.select_related("created_by").prefetch_related(requests).order_by("-number"),
    )


def _with_status(versions) -> list[MaterialVersion]:
    for version in versions:
        version.status = review.version_status([a for r in version.review_requests.all() for a in r.assignments.all()])
    return list(versions)


# Lists --------------------------------------------------------------------------------------


@login_required
def material_list(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    programme = _programme_for_reader(user, code)
    materials = list(
        review_access.materials_for(user, programme).prefetch_related(_history_prefetch())
        if programme_access.can_view(user, programme)
        else []
    )
    for material in materials:
        material.latest = next(iter(_with_status(material.versions.all())), None)
    assignments = list(
        review_access.assignments_for(user).filter(request__version__material__programme=programme)[:200]
    )
    return render(
        request,
        "training/material_list.html",
        _context(request, programme, materials=materials, assignments=assignments),
    )


@login_required
def review_mine(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme_for_reader(request.user, code)
    assignments = list(
        review_access.assignments_for(request.user).filter(request__version__material__programme=programme)
    )
    return render(request, "training/review_mine.html", _context(request, programme, assignments=assignments))


# The author's and coordinators' pages --------------------------------------------------------


def _save(request: HttpRequest, form, save):
    """`submit`, the service called with the form's cleaned data."""
    return submit(request, form, lambda f: save(f.cleaned_data))


def _material_form_page(request: HttpRequest, programme: Programme, form, **context) -> HttpResponse:
    """The form of a new material and of a material's new version."""
    return render(request, "training/material_form.html", _context(request, programme, form=form, **context))


@programme_view()
@require_http_methods(["GET", "POST"])
def material_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    if not review_access.can_author(request.user, programme):
        raise PermissionDenied
    form = MaterialForm(request.POST or None, request.FILES or None, programme=programme)
    material = _save(
        request,
        form,
        lambda data: review.material_create(
            actor=request.user,
            programme=programme,
            title=data["title"],
            kind=data["kind"],
            topic=data["topic"],
            file=data["file"],
            note=data["note"],
        ),
    )
    if material:
        messages.success(request, _("Đã thêm tài liệu “%(title)s” (bản 1).") % {"title": material.title})
        return redirect(_material_url(material))
    return _material_form_page(
        request,
        programme,
        form,
        title=_("Thêm tài liệu đào tạo"),
        cancel_url=reverse("training:material_list", args=[programme.code]),
    )


@programme_view()
def material_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    material = review_access.get_material_for_manager(request.user, programme, pk)
    prefetch_related_objects([material], _history_prefetch())
    versions = _with_status(material.versions.all())
    return render(
        request,
        "training/material_detail.html",
        _context(
            request,
            programme,
            material=material,
            versions=versions,
            latest=versions[0] if versions else None,
            audit_entries=audit_for(material)[:50] if programme_access.can_plan(request.user, programme) else [],
        ),
    )


@programme_view()
@require_http_methods(["GET", "POST"])
def version_add(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    material = review_access.get_material_for_manager(request.user, programme, pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    version = _save(
        request,
        form,
        lambda data: review.version_add(actor=request.user, material=material, file=data["file"], note=data["note"]),
    )
    if version:
        messages.success(request, _("Đã tải lên bản %(number)s.") % {"number": version.number})
        return redirect(_material_url(material))
    return _material_form_page(
        request,
        programme,
        form,
        material=material,
        title=_("Tải lên bản mới: %(title)s") % {"title": material.title},
        cancel_url=_material_url(material),
    )


@programme_view()
@require_http_methods(["GET", "POST"])
def review_request(request: HttpRequest, programme: Programme, pk: int, number: int) -> HttpResponse:
    material = review_access.get_material_for_manager(request.user, programme, pk)
    version = material.versions.filter(number=number).first()
    if version is None:
        raise Http404
    form = ReviewRequestForm(request.POST or None, author=material.author, programme=programme)
    asked = _save(
        request,
        form,
        lambda data: review.review_request(
            actor=request.user,
            version=version,
            reviewers=list(data["reviewers"]),
            due_on=data["due_on"],
            message=data["message"],
        ),
    )
    if asked:
        messages.success(request, _("Đã gửi lời mời góp ý cho bản %(number)s.") % {"number": version.number})
        return redirect(_material_url(material))
    return render(
        request,
        "training/review_request.html",
        _context(
            request,
            programme,
            material=material,
            version=version,
            form=form,
            title=_("Mời góp ý: %(title)s, bản %(number)s") % {"title": material.title, "number": version.number},
            cancel_url=_material_url(material),
        ),
    )


@login_required
def version_download(request: HttpRequest, code: str, pk: int, number: int) -> FileResponse:
    version = review_access.get_version_for_reader(request.user, code, pk, number)
    return attachment(version.file)


# The reviewer's pages ------------------------------------------------------------------------


def _assignment_page(
    request: HttpRequest, assignment: ReviewAssignment, *, comment_form=None, decide_form=None, status=200
):
    version = assignment.request.version
    material = version.material
    earlier = (
        review_access.assignments_for(request.user)
        .filter(request__version__material=material)
        .exclude(pk=assignment.pk)
        .prefetch_related("comments")
    )
    return render(
        request,
        "training/review_assignment.html",
        _context(
            request,
            material.programme,
            assignment=assignment,
            version=version,
            material=material,
            comments=list(assignment.comments.all()),
            earlier=list(earlier),
            comment_form=comment_form or CommentForm(),
            decide_form=decide_form or DecideForm(),
        ),
        status=status,
    )


@login_required
def review_assignment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _assignment_page(request, review_access.get_assignment_for_reviewer(request.user, code, pk))


@login_required
@require_POST
def review_comment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    assignment = review_access.get_assignment_for_reviewer(request.user, code, pk)
    form = CommentForm(request.POST)
    done = _save(
        request,
        form,
        lambda data: review.review_comment(
            actor=request.user, assignment=assignment, body=data["body"], location=data["location"]
        ),
    )
    if done:
        messages.success(request, _("Đã ghi góp ý."))
        return redirect(_assignment_url(assignment) + "#comments")
    return _assignment_page(request, assignment, comment_form=form, status=400)


@login_required
@require_POST
def review_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    assignment = review_access.get_assignment_for_reviewer(request.user, code, pk)
    form = DecideForm(request.POST)
    done = _save(
        request,
        form,
        lambda data: review.review_decide(
            actor=request.user,
            assignment=assignment,
            decision=request.POST.get("decision", ""),
            comment=data["comment"],
        ),
    )
    if done:
        messages.success(request, _("Đã ghi kết luận: %(decision)s.") % {"decision": done.get_decision_display()})
        return redirect(_assignment_url(assignment))
    return _assignment_page(request, assignment, decide_form=form, status=400)
