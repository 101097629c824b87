"""Merging two records of one person: every link moves to the record kept, whatever app or
through model declared it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from ketnoi.core.audit import audit_record, diff, snapshot
from ketnoi.core.registry import merge_preference

from ..models import ErasureRequest, Person, Sex
from ._base import require_editor, require_steward
from .actions import DirectoryAction
from .people import PERSON_FIELDS, refuse_erased


def _reverse_foreign_keys(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every FK and one-to-one pointing at `model`, hidden ones included.

    `_meta.related_objects` names the relations other apps declare; many-to-many links are rows
    in a through table whose (often hidden) foreign key points here, so moving those rows moves
    the link whatever app or through model declared it.
    """
    relations = [rel for rel in model._meta.related_objects if not rel.many_to_many]
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and not rel.many_to_many and rel not in relations:
            relations.append(rel)
    return relations


def _rival(rel: models.ForeignObjectRel, row: models.Model, keep: Person) -> models.Model | None:
    """`keep`'s row that a unique constraint says is equivalent to `row` (same workshop, same
    session…), if any."""
    model = rel.related_model
    field_name = rel.field.name
    unique_sets = [list(fields) for fields in model._meta.unique_together]
    unique_sets += [list(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    for fields in unique_sets:
        if field_name not in fields:
            continue
        others = {model._meta.get_field(f).attname: getattr(row, model._meta.get_field(f).attname) for f in fields}
        others[rel.field.attname] = keep.pk
        rival = model._base_manager.filter(**others).exclude(pk=row.pk).first()
        if rival is not None:
            return rival
    return None


def _move_rows(rel: models.ForeignObjectRel, *, keep: Person, remove: Person) -> tuple[int, int]:
    """Point rows at `keep` instead of `remove`: (moved, dropped as already present on `keep`)."""
    manager = rel.related_model._base_manager
    field_name = rel.field.name
    rows = manager.filter(**{field_name: remove})
    try:
        # A savepoint: the IntegrityError below is caught, and the merge's transaction must
        # still be usable after it.
        with transaction.atomic():
            return rows.update(**{field_name: keep}), 0
    except IntegrityError:
        pass
    # A unique constraint says `keep` already has an equivalent row: one savepoint per row, so
    # every other row still moves. Of the two equivalent rows the one its app prefers stays
    # (core.registry.register_merge_preference), else `keep`'s.
    prefer = merge_preference(rel.related_model._meta.label_lower)
    moved = dropped = 0
    for row in list(rows):
        try:
            with transaction.atomic():
                manager.filter(pk=row.pk).update(**{field_name: keep})
            moved += 1
            continue
        except IntegrityError:
            pass
        rival = _rival(rel, row, keep)
        if prefer is not None and rival is not None and prefer(row) > prefer(rival):
            rival.delete()
            manager.filter(pk=row.pk).update(**{field_name: keep})
            moved += 1
        else:
            row.delete()
        dropped += 1
    return moved, dropped


@transaction.atomic
def person_merge(*, actor, keep: Person, remove: Person) -> Person:
    """Fold `remove` into `keep`: every link moves, blank fields are filled, `remove` is deleted."""
    require_editor(actor)
    if keep.pk == remove.pk:
        raise ValidationError(_("Hãy chọn hai người khác nhau để gộp."))
    both = Person.objects.select_for_update().in_bulk([keep.pk, remove.pk])
    if len(both) != 2:
        raise ValidationError(_("Một trong hai người không còn trong danh bạ: hãy tải lại trang."))
    keep, remove = both[keep.pk], both[remove.pk]
    refuse_erased(keep)
    refuse_erased(remove)
    # Merging rewrites both shared records: only someone who stewards both may (stewardship.py).
    require_steward(actor, keep)
    require_steward(actor, remove)
    if ErasureRequest.objects.filter(person__in=[keep, remove], completed_at__isnull=True).exists():
        raise ValidationError(
            _("Một trong hai người đang có yêu cầu xoá dữ liệu chưa hoàn tất: hãy hoàn tất yêu cầu đó trước khi gộp.")
        )

    before = snapshot(keep, [*PERSON_FIELDS, "user"])
    for name in (*PERSON_FIELDS, "user"):
        field = Person._meta.get_field(name)
        blank = getattr(keep, field.attname) in (None, "") or (name == "sex" and keep.sex == Sex.UNKNOWN)
        donor = getattr(remove, field.attname)
        if blank and donor not in (None, "") and not (name == "sex" and donor == Sex.UNKNOWN):
            setattr(keep, field.attname, donor)
    if remove.user_id is not None:
        # Free the one-to-one account link before `keep` takes it over (or it is dropped).
        Person.objects.filter(pk=remove.pk).update(user=None)

    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for rel in _reverse_foreign_keys(Person):
        count, conflicts = _move_rows(rel, keep=keep, remove=remove)
        label = f"{rel.related_model._meta.label_lower}.{rel.field.name}"
        if count:
            moved[label] = count
        if conflicts:
            dropped[label] = conflicts

    removed = {"id": remove.pk, "full_name": remove.full_name}
    remove.delete()
    keep.updated_by = actor
    keep.save()
    audit_record(
        actor=actor,
        action=DirectoryAction.PERSON_MERGE,
        obj=keep,
        changes={"removed": removed, "filled": diff(before, keep), "moved": moved, "dropped": dropped},
    )
    return keep
