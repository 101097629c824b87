"""Who may do what with news. Posts belong to a programme, so programme roles decide:

- write, edit, publish and unpublish posts, moderate comments: the programme's coordinators
  (`programmes.access.can_plan`, which also lets staff admins in);
- read a published post and comment on it: anyone, signed in or not;
- a draft, or a management page, is a 404 for everyone else — never a 403 that would say the
  programme or the draft exists.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ketnoi.programmes import access as programme_access
from ketnoi.programmes.models import Programme

from .models import Post


def can_manage(user, programme: Programme) -> bool:
    return programme_access.can_plan(user, programme)


def get_managed_programme(user, code: str) -> Programme:
    """The programme whose news the user manages; a 404 when they may not."""
    programme = programme_access.get_programme_for_user(user, code)
    if not can_manage(user, programme):
        raise Http404
    return programme


def published_posts() -> QuerySet[Post]:
    return Post.objects.filter(status=Post.Status.PUBLISHED, published_at__isnull=False)


def latest_published(limit: int) -> list[Post]:
    """The newest published posts with their programme, for the public home page."""
    return list(published_posts().select_related("programme").order_by("-published_at", "-pk")[:limit])


def get_published_post(slug: str) -> Post:
    return get_object_or_404(published_posts().select_related("programme"), slug=slug)


def get_managed_post(user, programme: Programme, pk: int) -> Post:
    if not can_manage(user, programme):
        raise Http404
    return get_object_or_404(Post.objects.filter(programme=programme).select_related("programme"), pk=pk)


def may_see_post(user, post: Post) -> bool:
    """A published post is public; a draft only for those who manage its programme."""
    return post.is_published or can_manage(user, post.programme)
