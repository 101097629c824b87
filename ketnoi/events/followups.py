"""What the directory's confirming task does with the people of an invitations list: invite them."""

from django.utils.translation import gettext_lazy as _

from ketnoi.core.registry import register_import_followup

from .services.workshops import INVITE_FROM_LIST, invitations_create_listed

register_import_followup(INVITE_FROM_LIST, label=_("Tạo thư mời"), apply=invitations_create_listed)
