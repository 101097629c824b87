from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ketnoi.events"
    label = "events"
    verbose_name = _("Hội thảo")

    def ready(self) -> None:
        import ketnoi.events.header_search  # noqa: F401  (registers what the header search finds here)

        from . import feeds, merging, metrics, privacy  # noqa: F401  (registers calendar feeds, metrics, personal data, merging)
        from .todo import todo  # noqa: F401  (registers its part of the to-do inbox)
