"""Forms and their versions: made from a definition (a ready form, an XLSForm, the designer),
changed while nobody answered, versioned once somebody has."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.text import fold, normalise
from ketnoi.core.writes import locked
from ketnoi.programmes.models import Programme

from .. import access
from ..definition import check_definition, label
from ..models import Form, FormVersion
from .actions import SurveysAction
from .common import _design_denied, _require
from .form_attachments import form_attachments_copy, form_attachments_store


def _unique_code(programme: Programme, wanted: str, *, exclude: int | None = None) -> str:
    base = slugify(fold(wanted))[:50] or "bieu-mau"
    taken = set(Form.objects.filter(programme=programme).exclude(pk=exclude).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def form_create(
    *, actor, programme: Programme, definition: dict, title: str = "", description: str = "", code: str = ""
) -> Form:
    _require(access.can_design, actor, programme, _design_denied())
    check_definition(definition)
    title = normalise(title) or label(definition.get("title"), "vi")
    form = Form(
        programme=programme,
        title=title,
        description=(description or "").strip(),
        code=_unique_code(programme, code or title),
        created_by=actor,
        updated_by=actor,
    )
    form.full_clean(exclude=["programme", "current_version", "created_by", "updated_by"])
    form.save()
    version = FormVersion.objects.create(form=form, number=1, definition=definition, created_by=actor)
    form.current_version = version
    form.save(update_fields=["current_version"])
    audit_record(actor=actor, action=SurveysAction.FORM_CREATE, obj=form, changes={"title": title, "version": 1})
    return form


@transaction.atomic
def form_update(
    *, actor, form: Form, definition: dict | None = None, title: str | None = None, description: str | None = None
) -> Form:
    """Change the title, description or questions. New questions replace the current version
    while nobody has answered it; once someone has, they become the next version and the
    answered one stays as it was."""
    _require(access.can_design, actor, form.programme, _design_denied())
    form = locked(form, related=("current_version",))
    before = snapshot(form, ["title", "description"])
    if title is not None:
        form.title = normalise(title)
        if not form.title:
            raise ValidationError({"title": _("Hãy nhập tiêu đề biểu mẫu.")})
    if description is not None:
        form.description = description.strip()
    changes = diff(before, form)
    if definition is not None and definition != form.current_version.definition:
        check_definition(definition)
        current = form.current_version
        if current.responses.exists():
            number = current.number + 1
            form.current_version = FormVersion.objects.create(
                form=form, number=number, definition=definition, created_by=actor
            )
            # The imported form's media and lists go on with it (the storage is shared).
            form_attachments_copy(from_version=current, to_version=form.current_version)
            changes["version"] = [current.number, number]
        else:
            current.definition = definition
            current.save(update_fields=["definition"])
            changes["questions"] = _("đã sửa câu hỏi của phiên bản %(n)s") % {"n": current.number}
    form.updated_by = actor
    form.save()
    if changes:
        audit_record(actor=actor, action=SurveysAction.FORM_UPDATE, obj=form, changes=changes)
    return form


def ready_form_find(programme: Programme, definition: dict) -> Form | None:
    """The programme's form made from a ready form: the first one with the code or the title a
    form made from it gets."""
    title = label(definition.get("title"), "vi")
    code = slugify(fold(title))[:50]
    return Form.objects.filter(programme=programme).filter(Q(code=code) | Q(title=title)).order_by("pk").first()


@transaction.atomic
def form_import(
    *, actor, programme: Programme, uploads: list[tuple[str, Any]], title: str = ""
) -> tuple[Form, list[str]]:
    """A new form from an XLSForm as uploaded (the workbook alone, with its media and list files,
    or one .zip of them all): (the form, what the import skipped, to tell the author). The form,
    its first version and its attachments are written together or not at all."""
    from .. import xlsform

    _require(access.can_design, actor, programme, _design_denied())
    imported = xlsform.import_uploads(uploads)
    definition = imported.definition
    title = normalise(title) or imported.title
    if title and isinstance(definition.get("title"), dict):
        definition["title"]["vi"] = title
    form = form_create(actor=actor, programme=programme, definition=definition, title=title)
    if imported.files:
        form_attachments_store(version=form.current_version, files=imported.files)
    return form, imported.notices
