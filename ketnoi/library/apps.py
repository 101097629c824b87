from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "ketnoi.library"
    label = "library"
    verbose_name = _("Thư viện")

    def ready(self) -> None:
        import ketnoi.library.header_search  # noqa: F401  (registers what the header search finds here)

        from . import metrics, privacy  # noqa: F401  (register the indicator metrics and personal data)
        from .todo import todo  # noqa: F401  (registers its part of the to-do inbox)
