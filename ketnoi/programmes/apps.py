from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "ketnoi.programmes"
    label = "programmes"
    verbose_name = _("Chương trình")

    def ready(self) -> None:
        # Registers the programme's own metrics and what programmes hold about a person.
        from . import metrics, privacy  # noqa: F401
