"""The news pages. Every post is fetched through ``Post.objects.visible_to`` (a post the user may
not see is a 404), within the schools where the module is usable for the user."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schoolpoort.core import staging
from schoolpoort.core.access import cached_for_user, cached_part, request_modules, request_reach, roles_of
from schoolpoort.core.consent import tagged_image_ids
from schoolpoort.core.image_tags import audience_groups, tag_page
from schoolpoort.core.models import Enrollment, Group, Guardianship
from schoolpoort.lib import dates

from . import actions
from .audience import families, read_stats
from .authoring import authoring_options, can_edit
from .forms import PostForm
from .images import audience_groups as post_audience_groups
from .listing import (
    feed_page,
    feed_posts,
    mark,
    next_publish_moment,
    page_number,
    readable_post_or_404,
    send_attachment,
)
from .models import Post
from .reactions import reaction_context
from .rendering import body_for
from .scope import NewsScope, news_scope, scope_of
from .uploads import IMAGE_DRAFT_KIND, POLICY, check_image

PER_PAGE = 20


def _scope_or_404(user, request=None) -> NewsScope:
    # The request's module states are the app shell's too (read once, kept in the reach cache).
    scope = scope_of(request_modules(request)[1]) if request is not None else news_scope(user)
    if not scope:
        raise Http404
    return scope


def _post_or_404(request, post_id: int, scope: NewsScope | None = None) -> Post:
    return readable_post_or_404(request.user, post_id, scope or _scope_or_404(request.user, request))


def _editable_post_or_404(request, post_id: int) -> Post:
    post = _post_or_404(request, post_id)
    if not can_edit(request.user, post):
        raise Http404
    return post


def _can_post(user) -> bool:
    """Whether the feed offers "write": from the user's roles, groups and module switches only, so
    kept across requests in the reach cache."""
    if not roles_of(user).is_staff:
        return False
    return cached_for_user(user, "news-can-post", lambda: authoring_options(user).can_post)


def _children(user) -> list[Guardianship]:
    """The user's children (their guardianships), kept across requests in the reach cache."""
    return cached_for_user(
        user,
        "news-children",
        lambda: list(
            Guardianship.objects.filter(user=user, student__archived_at__isnull=True)
            .select_related("student__school")
            .order_by("student__first_name", "student__pk")
        ),
    )


def _child_q(slot: Guardianship) -> Q:
    """Posts whose audience includes this child: their groups, their school, its board."""
    student = slot.student
    q = Q(audience="school", school_id=student.school_id) | Q(audience="board", board_id=student.school.board_id)
    if slot.sees_class_pages:
        groups = Enrollment.objects.filter(student=student, group__in=Group.objects.current()).values("group_id")
        q |= Q(audience="groups", pk__in=Post.groups.through.objects.filter(group_id__in=groups).values("post_id"))
    return q


@login_required
def feed(request):
    user = request.user
    scope = _scope_or_404(user, request)
    children = _children(user)
    child = None
    if request.GET.get("kind"):
        try:
            child = next(slot for slot in children if slot.student_id == int(request.GET["kind"]))
        except (StopIteration, ValueError):
            raise Http404 from None
    number = page_number(request.GET.get("pagina"))

    def read():
        """The page's cards, rendered, and the moment the next scheduled post comes out."""
        now = timezone.now()
        posts = feed_posts(user, request_reach(request), scope, now)
        if child is not None:
            posts = posts.filter(_child_q(child))
        page = feed_page(posts, number, PER_PAGE)
        if not page.object_list and page.has_previous:
            return None, next_publish_moment(now)  # past the oldest post
        mark(page, user, now)
        return render_to_string("news/_feed_list.html", {"page": page, "child": child}), next_publish_moment(now)

    # Kept per user under the reach's versions and the news (posts, their groups and files, the
    # user's read marks) and image consent (which photos a card counts); see news/signals.py.
    name = f"news.feed:{get_language()}:{child.student_id if child else ''}:{number}"
    cards = cached_part(user, name, read, topics=("news", "images"), own=("news",))
    if cards is None:
        raise Http404
    return render(
        request,
        "news/feed.html",
        {
            "cards": cards,
            "children": children if len(children) > 1 else [],
            "child": child,
            "can_post": _can_post(user),
        },
    )


@login_required
def detail(request, post_id: int):
    post = _post_or_404(request, post_id)
    actions.mark_read(post, request.user)
    attachments = list(post.attachments.all())
    editable = can_edit(request.user, post)
    images = [a for a in attachments if a.is_image and (editable or not a.inline)]
    if editable:  # staff see which photos other parents do not see yet
        tagged = tagged_image_ids(type(images[0]), [a.pk for a in images]) if images else set()
        for image in images:
            image.untagged = image.pk not in tagged
    return render(
        request,
        "news/detail.html",
        {
            "post": post,
            "body_html": body_for(post, {a.pk for a in attachments}),
            "images": images,
            "files": [a for a in attachments if not a.is_image],
            "can_edit": editable,
            **reaction_context(request.user, post),
        },
    )


@login_required
def attachment(request, post_id: int, attachment_id: int):
    """A post's file, for whoever may see the post; photos inline, documents as a download."""
    return send_attachment(request, _post_or_404(request, post_id), attachment_id)


@login_required
@require_http_methods(["GET", "POST"])
def tag_image(request, post_id: int, attachment_id: int):
    """Staff who may edit the post say who is in one of its photos (image consent)."""
    post = _editable_post_or_404(request, post_id)
    item = next((a for a in post.attachments.all() if a.pk == attachment_id and a.is_image), None)
    if item is None:
        raise Http404
    return tag_page(
        request, item, groups=audience_groups(request.user, post_audience_groups(post)),
        back_url=post.get_absolute_url(), image_url=item.get_absolute_url(), title=post.title,
    )


@dataclass
class Preview:
    families: int
    guardians: int
    when: object | None  # None: now
    channels: dict | None = None  # notify.api.preview: e-mail now / in a digest, push now / held

    @property
    def message(self) -> str:
        return ngettext(
            "%(count)d family (%(guardians)d parents) will get a notification",
            "%(count)d families (%(guardians)d parents) will get a notification",
            self.families,
        ) % {"count": self.families, "guardians": self.guardians}


def _preview(form: PostForm) -> Preview:
    audience = form.audience()
    found = families(audience)
    user_ids = sorted({user_id for family in found for user_id in family.guardian_ids})
    channels = None
    notify_preview = actions.notify_api("preview")
    if notify_preview is not None and user_ids and form.publish_time() is None:
        urgent = bool(form.cleaned_data.get("urgent", form.instance.urgent))
        channels = notify_preview(user_ids, module="news", urgent=urgent, school=audience.school_id)
    return Preview(len(found), len(user_ids), form.publish_time(), channels)


def _form_page(request, form: PostForm, post: Post | None, preview: Preview | None = None):
    return render(request, "news/form.html", {"form": form, "post": post, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    options = authoring_options(request.user)
    if not options.can_post:
        raise Http404
    form = PostForm(request.POST or None, request.FILES or None, options=options, user=request.user)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST or "unstage" in request.POST:
            return _form_page(request, form, None, _preview(form) if "preview" in request.POST else None)
        post = form.apply(author=request.user)
        groups = [t.pk for t in form.cleaned_data["audience_targets"] if t.kind == "group"]
        actions.save_post(
            post, groups=groups, uploads=form.files_to_store(POLICY), drafts=form.kept, editor=request.user
        )
        messages.success(request, _published_message(post))
        _ask_to_tag(request, post)
        return redirect(post)
    return _form_page(request, form, None)


def _ask_to_tag(request, post: Post) -> None:
    if post.attachments.filter(kind="image").exists():
        messages.info(request, _("Other parents see a photo only after you say who is in it: use “Who is in this "
                                 "photo?” below each photo."))


def _published_message(post: Post) -> str:
    if post.notified_at is None and not post.is_published:
        when = timezone.localtime(post.publish_at)
        return _("The message will be published on %(date)s at %(time)s.") % {
            "date": dates.style(when, "day"),
            "time": dates.style(when, "time"),
        }
    return _("The message has been published.")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, post_id: int):
    post = _editable_post_or_404(request, post_id)
    options = authoring_options(request.user)
    options.add_current_audience(post)
    form = PostForm(request.POST or None, request.FILES or None, instance=post, options=options, user=request.user)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST or "unstage" in request.POST:
            return _form_page(request, form, post, _preview(form) if "preview" in request.POST else None)
        post = form.apply()
        groups = [t.pk for t in form.cleaned_data["audience_targets"] if t.kind == "group"]
        actions.save_post(
            post,
            groups=groups,
            uploads=form.files_to_store(POLICY),
            remove_attachments=form.cleaned_data.get("remove_attachments") or [],
            drafts=form.kept,
            editor=request.user,
        )
        messages.success(request, _("The message has been saved."))
        _ask_to_tag(request, post)
        return redirect(post)
    return _form_page(request, form, post)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, post_id: int):
    post = _editable_post_or_404(request, post_id)
    if request.method == "POST":
        actions.delete_post(post, request.user)
        messages.success(request, _("The message has been deleted."))
        return redirect("news:feed")
    return render(request, "news/confirm_delete.html", {"post": post})


@login_required
@require_http_methods(["GET", "POST"])
def stats(request, post_id: int):
    """Read by how many families, who has not read it, and a reminder for only those."""
    post = _editable_post_or_404(request, post_id)
    if request.method == "POST":
        if not post.is_published:
            raise Http404
        count = actions.remind_unread(post, request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "A reminder has been sent to %(count)d family.",
                    "A reminder has been sent to %(count)d families.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Every family has read the message: no reminder was needed."))
        return redirect("news:stats", post.pk)
    return render(request, "news/stats.html", {"post": post, "stats": read_stats(post)})


@login_required
@require_http_methods(["POST"])
def upload_image(request):
    """A photo put in the text while writing: checked by the kernel (type, size, pixels; saved
    again without metadata) and parked as the writer's draft (core staging) until the post is
    saved. Answers its draft URL, which only the writer can open."""
    if not authoring_options(request.user).can_post:
        raise Http404
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": _("Choose a photo.")}, status=400)
    try:
        checked = check_image(upload)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    parked = staging.park_draft(checked, owner=request.user, kind=IMAGE_DRAFT_KIND)
    return JsonResponse({
        "url": reverse("news:draft_image", args=[parked.pk]),
        "alt": "",
        "message": _("The photo is in the text."),
    })


@login_required
def draft_image(request, upload_id: int):
    """A photo in the text of a post that is being written: for its writer only."""
    found = staging.drafts(request.user, IMAGE_DRAFT_KIND, [upload_id])
    if not found:
        raise Http404
    try:
        data = staging.read(found[0])
    except staging.Expired:
        raise Http404 from None
    response = HttpResponse(data, content_type=mimetypes.guess_type(found[0].filename)[0] or "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response
