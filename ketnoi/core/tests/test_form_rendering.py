"""core/_form.html: what a screen reader is told about a field, and where a failed submit leads.

Django 5.2 sets aria-describedby="<auto_id>_helptext <auto_id>_error" on an input; the template
must give those ids. A group (radios, a date and a time) is a fieldset described the same way."""

import re
from html.parser import HTMLParser

from django import forms
from django.template.loader import render_to_string

from ketnoi.core.forms import datetime_field


class Sample(forms.Form):
    name = forms.CharField(label="Họ và tên", help_text="Như trên giấy tờ.")
    sex = forms.ChoiceField(
        label="Giới tính", choices=[("f", "Nữ"), ("m", "Nam")], widget=forms.RadioSelect, help_text="Tuỳ chọn."
    )
    agree = forms.BooleanField(label="Đồng ý")
    starts_at = datetime_field("Bắt đầu", "dd/mm/yyyy HH:MM", required=True)
    note = forms.CharField(label="Ghi chú", required=False)

    def clean(self):
        raise forms.ValidationError("Chưa lưu được.")


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def ids(self):
        return {a["id"] for _, a in self.elements if a.get("id")}

    def find(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def render(form) -> str:
    return render_to_string("core/_form.html", {"form": form})


def test_every_described_by_id_exists_and_the_summary_links_to_each_field():
    form = Sample(data={"sex": "robot", "starts_at_0": "32/13/2025"})
    assert not form.is_valid()
    page = Elements(render(form))
    ids = page.ids()

    name = page.find("input", name="name")[0]
    assert name["aria-describedby"] == "id_name_helptext id_name_error" and name["aria-invalid"] == "true"
    agree = page.find("input", name="agree")[0]
    assert agree["aria-describedby"] == "id_agree_error"
    for _, attrs in page.elements:
        for target in attrs.get("aria-describedby", "").split():
            assert target in ids, f"aria-describedby names #{target}, absent"

    # A radio group and a date-and-time pair: the fieldset carries the description.
    fieldsets = page.find("fieldset")
    described = {f.get("aria-describedby") for f in fieldsets}
    assert "id_sex_helptext id_sex_error" in described and "id_starts_at_helptext id_starts_at_error" in described
    assert all(r.get("aria-invalid") == "true" for r in page.find("input", type="radio"))

    summary = next(a for t, a in page.elements if "data-error-summary" in a)
    assert summary["tabindex"] == "-1" and summary["role"] == "alert"
    links = [a["href"] for a in page.find("a")]
    assert links == ["#id_name", "#id_sex_0", "#id_agree", "#id_starts_at_0"]
    assert all(link[1:] in ids for link in links)


def test_the_summary_says_the_form_wide_error_and_the_field_messages():
    html = render(
        Sample(data={"name": "Mai", "sex": "f", "agree": "on", "starts_at_0": "01/02/2030", "starts_at_1": "8:00"})
    )
    summary = html[html.index("data-error-summary") : html.index("</div>")]
    assert "Hãy sửa các lỗi sau" in summary and "Chưa lưu được." in summary
    assert "<a " not in summary  # nothing wrong with a field: nothing to link to


def test_an_unsent_form_has_no_summary_and_no_error_ids():
    html = render(Sample())
    assert "data-error-summary" not in html and "_error" not in html
    assert 'id="id_name_helptext"' in html
    assert re.search(r'aria-describedby="id_name_helptext"', html)
