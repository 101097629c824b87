"""Adding learners to a class: find them in the directory by name, upload the class list
(CSV/XLSX, read by the directory's import — people already in the directory matched, the rest
added after a preview), or type directory numbers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ketnoi.core.imports import progress_response
from ketnoi.core.parsing import whole_number
from ketnoi.core.registry import import_followup
from ketnoi.core.web import REFUSALS, perform, refusal_text, submit
from ketnoi.directory.queries import get_import_for_user
from ketnoi.directory.services import people_import_preview
from ketnoi.programmes.models import Programme

from . import queries, services
from .forms_teaching import LearnersForm
from .services.classes import ENROL_FROM_LIST
from .views_teaching import _context, class_url, class_view

SEARCH_LIMIT = 50


def _enrolled(request: HttpRequest, training_class, call) -> HttpResponse:
    if not perform(
        request, call, lambda created: _("Đã thêm %(n)d học viên.") % {"n": len(created)}, refusals=REFUSALS
    ):
        return redirect(
            reverse("training:class_learners", args=[training_class.course.programme.code, training_class.pk])
        )
    return redirect(class_url(training_class) + "#learners")


@class_view("set_up")
def class_learners(request: HttpRequest, programme: Programme, training_class) -> HttpResponse:
    here = reverse("training:class_learners", args=[programme.code, training_class.pk])
    if request.method == "POST" and "list" in request.FILES:
        try:
            person_import = people_import_preview(actor=request.user, uploaded_file=request.FILES["list"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_text(error))
            return redirect(here)
        return redirect(f"{here}?import={person_import.pk}#import")
    if request.method == "POST" and "import" in request.POST:
        import_id = whole_number(request.POST["import"])
        if import_id is None:
            raise Http404
        person_import = get_import_for_user(request.user, import_id)
        perform(
            request,
            lambda: services.learners_from_import(
                actor=request.user, training_class=training_class, person_import=person_import
            ),
            _("Đang thêm những người trong danh sách vào lớp; trang này cho biết khi xong."),
            refusals=REFUSALS,
        )
        return redirect(f"{here}?import={person_import.pk}#import")
    if request.method == "POST" and "person" in request.POST:
        people = queries.people_to_enrol(request.POST.getlist("person"))
        return _enrolled(
            request,
            training_class,
            lambda: services.learners_enrol(actor=request.user, training_class=training_class, people=list(people)),
        )
    form = LearnersForm(request.POST or None)
    created = submit(
        request,
        form,
        lambda f: services.learners_enrol_ids(
            actor=request.user, training_class=training_class, person_ids=f.cleaned_data["person_ids"]
        ),
        aliases={"people": "person_ids"},
    )
    if created is not None:
        messages.success(request, _("Đã thêm %(n)d học viên.") % {"n": len(created)})
        return redirect(class_url(training_class) + "#learners")
    q = (request.GET.get("q") or "").strip()
    found = queries.learner_candidates(training_class, q, limit=SEARCH_LIMIT)
    person_import = None
    import_id = whole_number(request.GET.get("import"))
    if import_id is not None:
        person_import = get_import_for_user(request.user, import_id)
    context = _context(
        request,
        programme,
        training_class=training_class,
        form=form,
        q=q,
        found=found,
        person_import=person_import,
        import_errors=person_import.error_rows if person_import else [],
        progress_url=_progress_url(training_class, person_import) if person_import else "",
        followup_label=import_followup(ENROL_FROM_LIST).label,
    )
    return render(request, "training/class_learners.html", context)


def _progress_url(training_class, person_import) -> str:
    return reverse(
        "training:class_import_progress",
        args=[training_class.course.programme.code, training_class.pk, person_import.pk],
    )


@class_view("set_up")
def class_import_progress(request: HttpRequest, programme: Programme, training_class, import_pk: int) -> HttpResponse:
    """The progress of a class list on the class's page: read by the directory's task, then its
    people enrolled (polled by htmx; 286 when done)."""
    person_import = get_import_for_user(request.user, import_pk)
    if person_import.followup and (
        person_import.followup != ENROL_FROM_LIST or person_import.followup_target != training_class.pk
    ):
        raise Http404
    return progress_response(
        request,
        person_import,
        progress_url=_progress_url(training_class, person_import),
        followup_label=import_followup(ENROL_FROM_LIST).label,
    )
