from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "ketnoi.programmes"
    label = "programmes"
    verbose_name = _("Chương trình")

    def ready(self) -> None:
        from ketnoi.core.registry import register_two_factor_rule

        # Registers the programme's own metrics, what programmes hold about a person, the members' picker.
        from . import metrics, picking, privacy  # noqa: F401
        from .access import coordinates_a_programme_requiring_two_factor
        from .todo import todo  # noqa: F401  (registers its part of the to-do inbox)

        register_two_factor_rule("programmes.coordinators", coordinates_a_programme_requiring_two_factor)
