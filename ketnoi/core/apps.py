from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ketnoi.core"
    label = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self) -> None:
        from .db import enable_secure_delete

        connection_created.connect(enable_secure_delete, dispatch_uid="ketnoi.core.secure_delete")
