"""The coordinators' news pages of a programme (/news/programmes/<code>/…): its posts, drafts
and published, the post form, publish and unpublish, and the comment moderation queue.

Anonymous visitors go to the login page; anyone who may not manage the programme's news gets a
404, whatever role they hold, so neither the programme nor its drafts leak.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketnoi.core.audit import audit_for
from ketnoi.core.web import perform, submit
from ketnoi.programmes.models import Programme

from . import access, services
from .forms import ModerationFilterForm, PostForm
from .models import Comment, Post

POSTS_PER_PAGE = 25
COMMENTS_PER_PAGE = 50
MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "remove": Comment.Status.REMOVED,
    "pending": Comment.Status.PENDING,
}


def news_manager(view: Callable) -> Callable:
    """Log in, fetch the programme whose news the user manages (404 otherwise), and call the
    view with the programme instead of its code."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
        programme = access.get_managed_programme(request.user, code)
        return view(request, programme, *args, **kwargs)

    return wrapper


def _context(programme: Programme, **extra) -> dict:
    pending = Comment.objects.filter(post__programme=programme, status=Comment.Status.PENDING).count()
    return {"programme": programme, "pending_count": pending, **extra}


@news_manager
@require_GET
def manage_posts(request: HttpRequest, programme: Programme) -> HttpResponse:
    posts = (
        Post.objects.filter(programme=programme)
        .annotate(
            approved_count=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED)),
            pending_comments=Count("comments", filter=Q(comments__status=Comment.Status.PENDING)),
        )
        .order_by("status", "-published_at", "-updated_at", "-id")
    )
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "news/manage/post_list.html", _context(programme, page=page, query_string=""))


def _initial(post: Post) -> dict:
    return {
        "title": post.title,
        "summary": post.summary,
        "body": post.body,
        "signature": post.signature,
        "tags": ", ".join(t.name for t in post.tags.all()),
    }


@news_manager
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = PostForm(request.POST or None, request.FILES or None)
    post = submit(
        request, form, lambda f: services.post_create(actor=request.user, programme=programme, **f.service_values())
    )
    if post is not None:
        messages.success(request, _("Đã lưu bản nháp “%(title)s”.") % {"title": post.title})
        return redirect("news:post_edit", programme.code, post.pk)
    context = _context(programme, form=form, title=_("Viết tin bài mới"), post=None)
    return render(request, "news/manage/post_form.html", context, status=400 if form.errors else 200)


@news_manager
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    post = access.get_managed_post(request.user, programme, pk)
    form = PostForm(request.POST or None, request.FILES or None, initial=_initial(post))
    saved = submit(
        request,
        form,
        lambda f: services.post_update(
            actor=request.user, post=post, remove_cover=f.cleaned_data.get("cover") is False, **f.service_values()
        ),
    )
    if saved is not None:
        messages.success(request, _("Đã lưu tin bài “%(title)s”.") % {"title": saved.title})
        return redirect("news:post_edit", programme.code, saved.pk)
    context = _context(
        programme, form=form, title=_("Sửa tin bài"), post=post, audit_entries=list(audit_for(post)[:50])
    )
    return render(request, "news/manage/post_form.html", context, status=400 if form.errors else 200)


def _status_change(request: HttpRequest, programme: Programme, pk: int, service, done: str) -> HttpResponse:
    post = access.get_managed_post(request.user, programme, pk)
    perform(request, lambda: service(actor=request.user, post=post), lambda post: done % {"title": post.title})
    return redirect("news:manage_posts", programme.code)


@news_manager
@require_POST
def post_publish(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    return _status_change(request, programme, pk, services.post_publish, _("Đã đăng tin bài “%(title)s”."))


@news_manager
@require_POST
def post_unpublish(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    return _status_change(
        request, programme, pk, services.post_unpublish, _("Đã gỡ tin bài “%(title)s” khỏi trang công khai.")
    )


@news_manager
@require_GET
def comment_queue(request: HttpRequest, programme: Programme) -> HttpResponse:
    filters = ModerationFilterForm(request.GET or {"status": Comment.Status.PENDING})
    status = filters.cleaned_data["status"] if filters.is_valid() else Comment.Status.PENDING
    comments = Comment.objects.filter(post__programme=programme).select_related("post", "moderated_by")
    if status:
        comments = comments.filter(status=status)
    page = Paginator(comments.order_by("-created_at", "-id"), COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = _context(
        programme,
        page=page,
        query_string=f"status={status}",
        status=status,
        filters=[("", _("Tất cả")), *Comment.Status.choices],
        statuses=Comment.Status,
    )
    return render(request, "news/manage/comment_queue.html", context)


@news_manager
@require_POST
def comment_moderate(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.filter(post__programme=programme), pk=pk)
    status = MODERATION_ACTIONS.get(request.POST.get("action", ""))
    perform(
        request,
        lambda: services.comment_moderate(actor=request.user, comment=comment, status=status or ""),
        lambda _done: (
            _("Bình luận của %(name)s: %(status)s.") % {"name": comment.name, "status": Comment.Status(status).label}
        ),
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("news:comment_queue", programme.code)
