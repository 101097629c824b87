from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "ketnoi.programmes"
    label = "programmes"
    verbose_name = _("Chương trình")

    def ready(self) -> None:
        from . import metrics  # noqa: F401  (registers the programme's own metrics)
