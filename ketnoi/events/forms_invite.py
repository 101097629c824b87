"""The invite page's choice of people and organisations (many of each), read by one form.

Both are search-as-you-type pickers (directory/picking.py): only the chosen and the matches of
what was typed are rendered, never the whole directory of twenty thousand names; what they accept
is what the user may see in the directory."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.directory.picking import OrganisationPickerField, PersonPickerField
from ketnoi.directory.queries import organisations_for, people_for

# Names ticked in one POST: under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) with the form's
# other fields; one organisation may still bring more people (services.INVITE_MAX).
TICKED_MAX = 900


def too_many(data) -> bool:
    """More ticked names than one call invites (a crafted request): refused before any query."""
    return sum(len(data.getlist(name)) for name in ("person", "organisation")) > TICKED_MAX


class InviteManyForm(forms.Form):
    person = PersonPickerField(purpose="directory.people", multiple=True, label=_("Người"), required=False)
    organisation = OrganisationPickerField(
        purpose="directory.organisations",
        multiple=True,
        label=_("Tổ chức"),
        required=False,
        help_text=_(
            "Mời một tổ chức là mời từng người của tổ chức đó có thư điện tử trong danh bạ; tổ chức chưa có ai như vậy "
            "được mời bằng một đường dẫn chung."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # the pickers search the directory as one types; what they accept is what the user may see
        for name, scoped in (("person", people_for(user)), ("organisation", organisations_for(user))):
            self.fields[name].scope(user=user)
            self.fields[name].queryset = scoped

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("person") and not data.get("organisation"):
            raise forms.ValidationError(_("Hãy chọn ít nhất một người hoặc một tổ chức để mời."))
        return data

    def error_text(self) -> str:
        parts = [" ".join(self.non_field_errors())]
        parts += [
            f"{self[name].label}: {' '.join(errors)}" for name, errors in self.errors.items() if name != "__all__"
        ]
        return " ".join(p for p in parts if p)
