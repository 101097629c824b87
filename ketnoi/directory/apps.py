from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "ketnoi.directory"
    label = "directory"
    verbose_name = _("Danh bạ")

    def ready(self) -> None:
        from . import privacy  # noqa: F401  (registers the personal-data handlers)
