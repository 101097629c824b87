"""/news/: the public site first, then the coordinators' pages under /news/programmes/<code>/.
A post's slug never takes "feed" or "programmes" (services.RESERVED_SLUGS)."""

from django.urls import path

from . import feeds, views_manage, views_public

app_name = "news"

urlpatterns = [
    path("", views_public.post_list, name="post_list"),
    path("feed/rss/", feeds.LatestPostsRss(), name="feed_rss"),
    path("feed/atom/", feeds.LatestPostsAtom(), name="feed_atom"),
    path("programmes/<slug:code>/", views_manage.manage_posts, name="manage_posts"),
    path("programmes/<slug:code>/new/", views_manage.post_create, name="post_create"),
    path("programmes/<slug:code>/<int:pk>/edit/", views_manage.post_edit, name="post_edit"),
    path("programmes/<slug:code>/<int:pk>/publish/", views_manage.post_publish, name="post_publish"),
    path("programmes/<slug:code>/<int:pk>/unpublish/", views_manage.post_unpublish, name="post_unpublish"),
    path("programmes/<slug:code>/comments/", views_manage.comment_queue, name="comment_queue"),
    path("programmes/<slug:code>/comments/<int:pk>/", views_manage.comment_moderate, name="comment_moderate"),
    path("<slug:slug>/", views_public.post_detail, name="post_detail"),
    path("<slug:slug>/comment/", views_public.comment_create, name="comment_create"),
    path("<slug:slug>/cover/", views_public.post_cover, name="post_cover"),
]
