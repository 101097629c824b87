"""The demo loaded for the whole-API tests, with a real value for each path parameter."""

from dataclasses import dataclass, field

from ketnoi.core.tests.factories import api_key
from ketnoi.demo import loader
from ketnoi.directory.models import Organisation, Person
from ketnoi.events.models import Workshop
from ketnoi.library.models import Collection as LibraryCollection
from ketnoi.library.models import Document
from ketnoi.programmes.models import IndicatorPeriod, IndicatorValue
from ketnoi.surveys.models import Collection as SurveyCollection
from ketnoi.surveys.models import Form
from ketnoi.training.models import TrainingClass

COORDINATOR = "dieuphoi"  # coordinator of both demo programmes


@dataclass
class ApiDemo:
    key: str
    code: str
    ids: dict[str, object] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def path_parameters(self, path: str) -> dict[str, object]:
        """Real values for the parameters of an OpenAPI path such as /…/{code}/forms/{form_id}."""
        values = {"code": self.code, **self.ids}
        values["pk"] = self.ids["collection_pk"] if "/collections/" in path else self.ids["document_pk"]
        return {name: value for name, value in values.items() if "{" + name + "}" in path}


def load_api_demo() -> ApiDemo:
    result = loader.load()
    programme = result.programmes[0]
    period = IndicatorPeriod.objects.filter(indicator__programme=programme).order_by("pk").first()
    form = Form.objects.filter(programme=programme).order_by("pk").first()
    return ApiDemo(
        key=api_key(result.users[COORDINATOR]),
        code=programme.code,
        ids={
            "organisation_id": Organisation.objects.order_by("pk").first().pk,
            "person_id": Person.objects.order_by("pk").first().pk,
            "component_id": programme.components.order_by("pk").first().pk,
            "agreement_id": programme.agreements.order_by("pk").first().pk,
            "objective_id": programme.objectives.order_by("pk").first().pk,
            "activity_id": programme.activities.order_by("pk").first().pk,
            "indicator_id": period.indicator_id,
            "period_id": period.pk,
            "value_id": IndicatorValue.objects.filter(period__indicator__programme=programme).order_by("pk").first().pk,
            "form_id": form.pk,
            "token": SurveyCollection.objects.filter(form__programme=programme).order_by("pk").first().token,
            "workshop_id": Workshop.objects.filter(programme=programme).order_by("pk").first().pk,
            "class_id": TrainingClass.objects.filter(course__programme=programme).order_by("pk").first().pk,
            "document_pk": Document.objects.order_by("pk").first().pk,
            "collection_pk": LibraryCollection.objects.order_by("pk").first().pk,
        },
    )
