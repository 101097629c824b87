from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ketnoi.events"
    label = "events"
    verbose_name = _("Hội thảo")

    def ready(self) -> None:
        from . import feeds, followups, merging, metrics, privacy  # noqa: F401  (registers calendar feeds, import follow-ups, metrics, personal data, merging)
