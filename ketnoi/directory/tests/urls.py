"""The project's URLs for directory tests. While `programmes` is still being built in parallel
its pages may not exist yet; base.html links to `programmes:list`, so a placeholder stands in
until the real one does (then this module is the project's URLconf unchanged)."""

from django.http import HttpResponse
from django.urls import include, path

from ketnoi import urls as project_urls
from ketnoi.programmes import urls as programmes_urls

urlpatterns = list(project_urls.urlpatterns)
if "list" not in {getattr(pattern, "name", None) for pattern in programmes_urls.urlpatterns}:
    placeholder = ([path("", lambda request: HttpResponse(""), name="list")], "programmes")
    urlpatterns.insert(0, path("programmes-placeholder/", include(placeholder)))
