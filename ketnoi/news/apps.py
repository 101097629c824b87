from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "ketnoi.news"
    label = "news"
    verbose_name = _("Tin bài")

    def ready(self) -> None:
        import ketnoi.news.header_search  # noqa: F401  (registers what the header search finds here)

        from . import privacy  # noqa: F401  (registers the personal-data handler for comments)
        from .todo import todo  # noqa: F401  (registers its part of the to-do inbox)
