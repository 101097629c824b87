from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ketnoi.events"
    label = "events"
    verbose_name = _("Hội thảo")

    def ready(self) -> None:
        from . import metrics  # noqa: F401  (registers the workshops' indicator metrics)
