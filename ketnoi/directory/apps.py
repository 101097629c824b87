from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "ketnoi.directory"
    label = "directory"
    verbose_name = _("Danh bạ")

    def ready(self) -> None:
        import ketnoi.directory.header_search  # noqa: F401  (registers what the header search finds here)

        from . import privacy  # noqa: F401  (registers the personal-data handlers)
