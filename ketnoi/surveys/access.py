"""Who may do what with surveys. Forms belong to a programme, so programme roles decide:

- design forms (create, edit, import): coordinators (`access.can_plan`);
- open, change and close a collection (share link): coordinators and those who report on the
  programme — a lecturer opens the evaluation of their own lecture (`access.can_report`);
- read results and export them: anyone with a role on the programme (`access.can_view`);
- answer: anyone with the share link while the collection is open (identified collections
  need an account). A respondent never reads results through answering.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme

from .models import Collection, Form


def forms_for(user, programme: Programme | None = None) -> QuerySet[Form]:
    forms = Form.objects.select_related("programme", "current_version")
    return programme_access.within_sight(forms, user, programme)


def get_form_for_user(user, programme: Programme, pk: int) -> Form:
    return get_object_or_404(forms_for(user, programme), pk=pk)


def collections_for(user, programme: Programme | None = None) -> QuerySet[Collection]:
    collections = Collection.objects.select_related("form", "form__programme")
    return programme_access.within_sight(collections, user, programme, via="form__programme")


def can_design(user, programme: Programme) -> bool:
    return programme_access.can_plan(user, programme)


def can_collect(user, programme: Programme) -> bool:
    return programme_access.can_report(user, programme)


def can_read_results(user, programme: Programme) -> bool:
    return programme_access.can_view(user, programme)
