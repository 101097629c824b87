"""What every directory service shares: the editor and steward gates and the rule on legacy provinces."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ketnoi.core.permissions import can_edit_directory

from ..models import Province
from ..stewardship import can_edit_person


def require_editor(actor) -> None:
    if not can_edit_directory(actor):
        raise PermissionDenied(_("Chỉ điều phối viên hoặc quản trị viên mới được sửa danh bạ."))


def require_steward(actor, person) -> None:
    """A person's shared record is changed by the coordinators of the programmes that hold the
    person (anyone who edits the directory while no programme holds them yet) and staff."""
    require_editor(actor)
    if not can_edit_person(actor, person):
        raise PermissionDenied(
            _(
                "Chỉ điều phối viên của chương trình đang có dữ liệu về người này mới được sửa hồ sơ: "
                "hãy nhờ họ, hoặc quản trị viên."
            )
        )


def check_province(province: Province | None, *, kept: Province | None = None) -> None:
    """New data uses the 34 current units; a legacy unit already on the record may stay."""
    if province is None or province.scheme == Province.Scheme.CURRENT:
        return
    if kept is not None and province.pk == kept.pk:
        return
    raise ValidationError(
        {
            "province": _(
                "“%(name)s” là tỉnh/thành cũ (trước 01/7/2025): hãy chọn một trong 34 tỉnh/thành hiện hành, "
                "ví dụ %(successor)s."
            )
            % {"name": province.short_name, "successor": province.current.short_name}
        }
    )
