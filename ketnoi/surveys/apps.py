from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ketnoi.surveys"
    label = "surveys"
    verbose_name = _("Khảo sát nhanh")

    def ready(self) -> None:
        import ketnoi.surveys.header_search  # noqa: F401  (registers what the header search finds here)

        from . import metrics, privacy  # noqa: F401  (registers metrics and personal-data handlers)
        from .todo import todo  # noqa: F401  (registers its part of the to-do inbox)
