from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "ketnoi.training"
    label = "training"
    verbose_name = _("Đào tạo")

    def ready(self) -> None:
        import ketnoi.training.header_search  # noqa: F401  (registers what the header search finds here)

        from . import feeds, merging, metrics, metrics_review, picking, privacy  # noqa: F401  (calendar feeds, metrics, personal data, merging, pickers)
        from .todo import todo  # noqa: F401  (registers its part of the to-do inbox)
