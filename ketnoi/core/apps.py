from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ketnoi.core"
    label = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import privacy  # noqa: F401  (registers the e-mail queued to a person)
        from .db import enable_secure_delete
        from .two_factor import on_login

        user_logged_in.connect(on_login, dispatch_uid="ketnoi.core.two_factor.on_login")
        connection_created.connect(enable_secure_delete, dispatch_uid="ketnoi.core.secure_delete")
