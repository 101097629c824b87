"""The invite page's choice of people and organisations (many of each), read by one form.

The two fields below are the only place these choices are defined: the search-as-you-type picker
replaces each widget in one line. Their querysets are what the user may see in the directory
(so any visible person or organisation posted is accepted), but only the ones the page's search
found are rendered — never the whole directory of twenty thousand names."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.directory.models import Organisation, Person
from ketnoi.directory.queries import organisations_for, people_for

# Names ticked in one POST: under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000) with the form's
# other fields; one organisation may still bring more people (services.INVITE_MAX).
TICKED_MAX = 900


def too_many(data) -> bool:
    """More ticked names than one call invites (a crafted request): refused before any query."""
    return sum(len(data.getlist(name)) for name in ("person", "organisation")) > TICKED_MAX


class InviteManyForm(forms.Form):
    person = forms.ModelMultipleChoiceField(
        label=_("Người"), queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisation = forms.ModelMultipleChoiceField(
        label=_("Tổ chức"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Mời một tổ chức là mời từng người của tổ chức đó có thư điện tử trong danh bạ; tổ chức chưa có ai như vậy "
            "được mời bằng một đường dẫn chung."
        ),
    )

    def __init__(self, *args, user, people=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_for(user)
        self.fields["organisation"].queryset = organisations_for(user)
        # Rendered: only what the search found (`people`, `organisations`).
        self.fields["person"].widget.choices = [
            (p.pk, f"{p.full_name} — {p.organisation.name}" if p.organisation_id else p.full_name) for p in people
        ]
        self.fields["organisation"].widget.choices = [(o.pk, str(o)) for o in organisations]

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
