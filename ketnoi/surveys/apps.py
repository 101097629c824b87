from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ketnoi.surveys"
    label = "surveys"
    verbose_name = _("Khảo sát nhanh")

    def ready(self) -> None:
        from . import todo  # noqa: F401  (registers its groups of the to-do inbox)
        from . import metrics, privacy  # noqa: F401  (registers metrics and personal-data handlers)
