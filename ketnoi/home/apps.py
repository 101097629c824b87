from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The site's front door (composition, like `demo`): the public home page, built from what
    every domain app publishes through its services, and where a signed-in person lands."""

    name = "ketnoi.home"
    label = "home"
    verbose_name = _("Trang chủ")
