from django.contrib import admin
from django.urls import include, path

from ketnoi.api import api
from ketnoi.home import views as home
from ketnoi.home import views_todo

urlpatterns = [
    path("", home.home, name="home"),
    path("reviews/", home.my_reviews, name="my_reviews"),
    path("todo/", views_todo.todo, name="todo"),
    path("todo/count/", views_todo.todo_count_fragment, name="todo_count"),
    path("", include("ketnoi.core.urls")),
    path("directory/", include("ketnoi.directory.urls")),
    path("programmes/", include("ketnoi.programmes.urls")),
    path("programmes/<slug:code>/surveys/", include("ketnoi.surveys.urls")),
    path("s/", include(("ketnoi.surveys.urls_respond", "respond"))),
    path("programmes/<slug:code>/events/", include("ketnoi.events.urls")),
    path("programmes/<slug:code>/training/", include("ketnoi.training.urls")),
    path("programmes/<slug:code>/library/", include("ketnoi.library.urls")),
    path("library/", include("ketnoi.library.urls_public")),
    path("news/", include("ketnoi.news.urls")),
    path("e/", include("ketnoi.events.urls_public")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# The pages of a refusal or a failure, in the reader's language with the site's header
# (core/views_errors.py); the 500 page reads nothing from the database.
handler400 = "ketnoi.core.views_errors.bad_request"
handler403 = "ketnoi.core.views_errors.permission_denied"
handler404 = "ketnoi.core.views_errors.page_not_found"
handler500 = "ketnoi.core.views_errors.server_error"
