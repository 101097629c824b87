"""The public news site: the list of published posts, a post with its approved comments and
the comment form, the cover image. Anyone may read these, signed in or not; a draft is a 404
except for those who manage its programme (they see a preview)."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ketnoi.core.requests import client_ip
from ketnoi.core.web import apply_errors
from ketnoi.programmes.models import Programme

from . import access, services
from .forms import CommentForm, PostFilterForm
from .models import Comment, Post, Tag
from .rendering import render_markdown

POSTS_PER_PAGE = 10
COMMENTS_PER_PAGE = 50
COVER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}


def _page_params(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    filters = PostFilterForm(request.GET or None)
    posts = access.published_posts().select_related("programme").prefetch_related("tags")
    tag = programme = None
    if filters.is_valid():
        if filters.cleaned_data["tag"]:
            tag = get_object_or_404(Tag, slug=filters.cleaned_data["tag"])
            posts = posts.filter(tags=tag)
        if filters.cleaned_data["programme"]:
            programme = get_object_or_404(Programme, code=filters.cleaned_data["programme"])
            posts = posts.filter(programme=programme)
    page = Paginator(posts.order_by("-published_at", "-id"), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query_string": _page_params(request), "tag": tag, "filter_programme": programme}
    return render(request, "news/post_list.html", context)


def _visible_post(request: HttpRequest, slug: str) -> Post:
    post = get_object_or_404(Post.objects.select_related("programme"), slug=slug)
    if not access.may_see_post(request.user, post):
        raise Http404
    return post


def _detail(request: HttpRequest, post: Post, form: CommentForm, *, status: int = 200) -> HttpResponse:
    # Two queries for the comments whatever their number: the count and the page.
    comments = Comment.objects.filter(post=post, status=Comment.Status.APPROVED).only("name", "body", "created_at")
    page = Paginator(comments.order_by("created_at", "id"), COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "post": post,
        "body_html": render_markdown(post.body),
        "tags": list(post.tags.all()),
        "comments": page,
        "query_string": "",
        "form": form,
        "can_manage": access.can_manage(request.user, post.programme),
    }
    return render(request, "news/post_detail.html", context, status=status)


@require_GET
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _detail(request, _visible_post(request, slug), CommentForm())


@require_POST
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    post = get_object_or_404(access.published_posts().select_related("programme"), slug=slug)
    form = CommentForm(request.POST)
    form.is_valid()  # every field is optional here: the service judges and names what is wrong
    data = form.cleaned_data
    try:
        services.comment_submit(
            post=post,
            name=data.get("name", ""),
            email=data.get("email", ""),
            body=data.get("body", ""),
            ip=client_ip(request),
            honeypot=data.get("website", ""),
        )
    except ValidationError as error:
        apply_errors(form, error)
        return _detail(request, post, form, status=400)
    messages.success(
        request, _("Cảm ơn bạn đã góp ý! Bình luận của bạn đang chờ kiểm duyệt và sẽ hiện sau khi được duyệt.")
    )
    return redirect(reverse("news:post_detail", args=[post.slug]) + "#binh-luan")


@require_GET
def post_cover(request: HttpRequest, slug: str) -> FileResponse:
    post = _visible_post(request, slug)
    if not post.cover:
        raise Http404
    suffix = Path(post.cover.name).suffix.lower()
    if suffix not in COVER_TYPES:
        raise Http404
    try:
        handle = post.cover.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=COVER_TYPES[suffix])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=600" if post.is_published else "private, no-store"
    return response
