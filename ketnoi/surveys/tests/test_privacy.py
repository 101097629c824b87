"""What surveys hold about a person: the identified responses of their account, each belonging
to its form's programme; a programme exports and erases only its own."""

import pytest

from ketnoi.surveys import privacy
from ketnoi.surveys.models import Response

from .factories import GOOD_LECTURE, lecture_form, open_collection

pytestmark = pytest.mark.django_db


class Person:
    def __init__(self, user):
        self.user_id = user.pk


def test_responses_are_scoped_to_their_forms_programme(coordinator, other_coordinator, prog, other_prog, learner):
    for actor, programme in ((coordinator, prog), (other_coordinator, other_prog)):
        collection = open_collection(actor, lecture_form(actor, programme))
        Response.objects.create(
            collection=collection, version=collection.form.current_version, answers=GOOD_LECTURE, respondent=learner
        )
    person = Person(learner)
    assert privacy.holders(person) == {prog.pk, other_prog.pk}
    assert len(privacy.export(person, programmes={other_prog.pk})["responses"]) == 1
    privacy.erase(person, programmes={other_prog.pk})
    assert list(Response.objects.filter(respondent=learner).values_list("collection__form__programme", flat=True)) == [
        prog.pk
    ]
