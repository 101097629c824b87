"""What table templates share: pairing a row's cells with their column headings, so a cell can
name its column (`data-label`) when a `kn-cards` table shows each row as a card on a phone."""

from django import template

register = template.Library()


@register.filter(name="zip")
def zip_lists(first, second) -> list[tuple]:
    """`{% for heading, cell in headings|zip:cells %}`: the two lists side by side."""
    return list(zip(first or [], second or [], strict=False))
