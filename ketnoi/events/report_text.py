"""The text of a held workshop's report, composed from its records: (title, summary, Markdown
body) for the draft news post that `services.report_draft` makes, with the participant figures.

The body is Markdown that a coordinator then edits. Everything in it that people typed — the
description, the questions, the conclusions, names — is written as text: HTML and Markdown
characters are escaped, so a conclusion such as `<script>` or `# heading` reads as typed on the
public page and never becomes markup.
"""

import html
import re
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ketnoi.core.figures import percent_text
from ketnoi.directory.models import OrganisationType, Sex
from ketnoi.news.services import SUMMARY_MAX, TITLE_MAX

from .models import Registration, Workshop, WorkshopOrganisation, organisation_type_of

# Characters Python-Markdown (with "extra") reads as markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_{}\[\]|])")
# What makes a line a heading, list, quote, definition or setext underline when it starts it.
_LINE_START = re.compile(r"^(\s*)([#+\-=:]|\d+[.)])")
_BULLET = re.compile(r"^\s*[-*•+]\s+")


# Markdown as text ---------------------------------------------------------------------------


def md_inline(text: str) -> str:
    """One line of typed text, safe inside Markdown: shown exactly as typed."""
    text = " ".join((text or "").split())
    text = html.escape(text, quote=False).replace("~", "&#126;")
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + _start_escape(m.group(2)), text)


def _start_escape(start: str) -> str:
    if start[0].isdigit():
        return start[:-1] + "\\" + start[-1]
    # ":" and "=" have no backslash escape in Python-Markdown: a character reference reads the same.
    return {":": "&#58;", "=": "&#61;"}.get(start, "\\" + start)


def md_paragraphs(text: str) -> str:
    """Typed text of several lines as Markdown paragraphs; lines that start with a bullet
    ("- ", "• ") become list items, so a list of conclusions stays a list."""
    blocks: list[str] = []
    items: list[str] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        if _BULLET.match(line):
            items.append("- " + md_inline(_BULLET.sub("", line)))
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        blocks.append(md_inline(line))
    if items:
        blocks.append("\n".join(items))
    return "\n\n".join(blocks)


# The report ---------------------------------------------------------------------------------


def participant_figures(workshop: Workshop) -> dict:
    """Registered (every registration not cancelled) and present (checked in), the latter by
    sex and by organisation type — the counts the programme's metrics use."""
    counts = workshop.registrations.aggregate(
        registered=Count("pk", filter=~Q(status=Registration.Status.CANCELLED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    present = workshop.registrations.filter(checked_in_at__isnull=False)
    by_sex = {row["person__sex"]: row["n"] for row in present.values("person__sex").annotate(n=Count("pk"))}
    # The registration's own organisation (typed and matched) first; None: not known yet.
    typed = present.annotate(organisation_type=organisation_type_of())
    by_type = {row["organisation_type"]: row["n"] for row in typed.values("organisation_type").annotate(n=Count("pk"))}
    return {**counts, "by_sex": by_sex, "by_type": by_type}


def _breakdown(counts: dict, choices: Iterable, unknown: str) -> str:
    parts = [f"{choice.label} {counts[choice.value]}" for choice in choices if counts.get(choice.value)]
    missing = sum(n for key, n in counts.items() if key not in {c.value for c in choices})
    if missing:
        parts.append(f"{unknown} {missing}")
    return "; ".join(str(p) for p in parts) or "—"


def _percent(part: int, whole: int) -> str:
    return percent_text(100 * part / whole, 0) if whole else "—"


def _heading(level: int, text: str) -> str:
    return "#" * level + " " + text


def _item(label: str, value) -> str:
    return f"- {label}: {value}"


def state_cso_sentence(by_type: dict) -> str:
    """How many came from state agencies and from CSOs, out of everyone present. People whose
    organisation type is not known yet are counted and said, and a zero is written only when
    nobody's type is unknown — "0 đại biểu tổ chức xã hội" must not stand for "not matched"."""
    state = by_type.get(OrganisationType.STATE_AGENCY, 0)
    cso = by_type.get(OrganisationType.CSO, 0)
    unknown = sum(n for key, n in by_type.items() if key not in OrganisationType.values)
    # Shares of state + CSO + unknown: an unmatched delegate might be either.
    whole = state + cso + unknown
    parts = []
    if state or not unknown:
        parts.append(_("%(n)s đại biểu cơ quan nhà nước (%(pct)s)") % {"n": state, "pct": _percent(state, whole)})
    if cso or not unknown:
        parts.append(_("%(n)s đại biểu tổ chức xã hội (%(pct)s)") % {"n": cso, "pct": _percent(cso, whole)})
    if unknown:
        parts.append(_("%(n)s người chưa rõ loại tổ chức (%(pct)s)") % {"n": unknown, "pct": _percent(unknown, whole)})
    return _("Cơ quan nhà nước và tổ chức xã hội: %(figures)s") % {"figures": ", ".join(parts)}


def compose_report(workshop: Workshop) -> tuple[str, str, str]:
    """(title, summary, Markdown body) for the workshop's report."""
    figures = participant_figures(workshop)
    start = timezone.localtime(workshop.starts_at)
    end = timezone.localtime(workshop.ends_at)
    place = ", ".join(p for p in (workshop.venue, workshop.province.name if workshop.province else "") if p)
    roles = workshop.organisations.select_related("organisation").order_by("role", "organisation__name")
    organisers = [str(r.organisation) for r in roles if r.role == WorkshopOrganisation.Role.ORGANISER]
    partners = [str(r.organisation) for r in roles if r.role == WorkshopOrganisation.Role.PARTNER]

    lines: list[str] = []
    if workshop.description.strip():
        lines += [md_paragraphs(workshop.description), ""]
    lines += [_heading(2, _("Thông tin chung")), ""]
    when = (
        date_format(start, "d/m/Y H:i") + "–" + date_format(end, "H:i" if start.date() == end.date() else "d/m/Y H:i")
    )
    lines.append(_item(_("Loại hội thảo"), md_inline(str(workshop.get_kind_display()))))
    lines.append(_item(_("Thời gian"), when))
    if place:
        lines.append(_item(_("Địa điểm"), md_inline(place)))
    if organisers:
        lines.append(_item(_("Đơn vị tổ chức"), md_inline("; ".join(organisers))))
    if partners:
        lines.append(_item(_("Đối tác"), md_inline("; ".join(partners))))
    lines.append("")

    questions = list(workshop.questions.all())
    if questions:
        lines += [_heading(2, _("Câu hỏi thảo luận và kết luận")), ""]
        for number, question in enumerate(questions, start=1):
            lines += [f"### {number}\\. {md_inline(question.text)}", ""]
            if question.conclusions.strip():
                lines += [md_paragraphs(question.conclusions), ""]
            else:
                lines += ["_" + _("Chưa ghi kết luận.") + "_", ""]

    lines += [_heading(2, _("Đại biểu")), ""]
    lines.append(_item(_("Số người đăng ký"), figures["registered"]))
    lines.append(_item(_("Tham dự (đã điểm danh)"), figures["attended"]))
    if figures["attended"]:
        lines.append(_item(_("Theo giới tính"), _breakdown(figures["by_sex"], Sex, str(Sex.UNKNOWN.label))))
        by_type = _breakdown(figures["by_type"], OrganisationType, _("Chưa rõ loại tổ chức"))
        lines.append(_item(_("Theo loại hình cơ quan, tổ chức"), by_type))
        if workshop.kind == Workshop.Kind.CONNECTING:
            lines.append("- " + state_cso_sentence(figures["by_type"]))
    body = "\n".join(lines).strip() + "\n"

    title = workshop.title[:TITLE_MAX]
    summary = _("%(kind)s ngày %(date)s%(place)s: %(n)s đại biểu tham dự.") % {
        "kind": workshop.get_kind_display(),
        "date": date_format(start, "d/m/Y"),
        "place": (" " + _("tại %(place)s") % {"place": workshop.province.name}) if workshop.province else "",
        "n": figures["attended"],
    }
    return title, summary[:SUMMARY_MAX], body
