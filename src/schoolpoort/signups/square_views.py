"""The school square (schoolplein): staff post a help request, a quick poll or a question; the
parents of its audience react. Staff who manage a post moderate it: switch reactions off (and on),
remove one reaction. A removed reaction disappears for parents; staff see that it was removed.

Privacy: a reaction shows the name of the parent who wrote it to everyone who sees the post — the
parent chose to react in front of the group, and the reaction form says so. Poll votes show as
counts only: nobody sees who voted what, staff neither."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.hiding import hidden_user_ids_q
from schoolpoort.notify.api import mark_read

from . import actions
from .access import manages
from .audience import audience_slots
from .forms import ReactionForm, SquarePostForm
from .models import Reaction, SquarePollOption, SquarePost
from .scope import targets_for


def _post_or_404(request, post_id: int) -> SquarePost:
    queryset = SquarePost.objects.select_related("school", "author").prefetch_related("groups")
    return get_visible_or_404(queryset, request.user, pk=post_id)


def _may_react(user, post: SquarePost, is_manager: bool) -> bool:
    """Parents of the audience react (and vote); staff who manage the post may answer them."""
    return is_manager or audience_slots(post).filter(user=user).exists()


def _context(request, post: SquarePost, reaction_form: ReactionForm | None = None, notice: str = "") -> dict:
    user = request.user
    is_manager = manages(user, post)
    reactions = Reaction.objects.filter(post=post, option__isnull=True).select_related("user", "removed_by")
    if not is_manager:
        # Parents see each other's reactions by name, but never an ex-partner who hides from them.
        reactions = reactions.shown().exclude(user_id__in=hidden_user_ids_q(user))
    options = list(
        SquarePollOption.objects.filter(post=post).annotate(
            count=Count("votes", filter=Q(votes__removed_at__isnull=True))
        )
    ) if post.is_poll else []
    total = sum(option.count for option in options)
    for option in options:
        option.percent = round(100 * option.count / total) if total else 0
    my_vote = (
        Reaction.objects.filter(post=post, user=user, option__isnull=False).values_list("option_id", flat=True).first()
        if post.is_poll
        else None
    )
    may_react = _may_react(user, post, is_manager)
    return {
        "post": post,
        "reactions": list(reactions),
        "options": options,
        "votes": total,
        "my_vote": my_vote,
        "is_manager": is_manager,
        "may_react": may_react,
        "may_vote": may_react and not is_manager,
        "reaction_form": reaction_form or ReactionForm(),
        "notice": notice,
    }


def _respond(request, post: SquarePost, *, reaction_form=None, notice="", success=""):
    """The reactions part for htmx, else back to the page (or the page again after a failed form)."""
    if request.htmx:
        context = _context(request, post, reaction_form, notice or success)
        return render(request, "signups/_square_reactions.html", context)
    if reaction_form is not None and reaction_form.errors:
        return render(request, "signups/square_post.html", _context(request, post, reaction_form, notice))
    if notice:
        messages.error(request, notice)
    elif success:
        messages.success(request, success)
    return redirect(f"{post.get_absolute_url()}#reactions")


@login_required
@require_http_methods(["GET", "POST"])
def square_post(request, post_id: int):
    """The post with its reactions; POST: react."""
    post = _post_or_404(request, post_id)
    if request.method == "POST":
        if not _may_react(request.user, post, manages(request.user, post)):
            raise Http404
        reaction_form = ReactionForm(request.POST)
        if not reaction_form.is_valid():
            return _respond(request, post, reaction_form=reaction_form)
        try:
            actions.react(post, request.user, reaction_form.cleaned_data["text"])
        except actions.ActionRefused as refused:
            return _respond(request, post, reaction_form=reaction_form, notice=refused.message)
        return _respond(request, post, success=_("Your reaction has been placed."))
    mark_read(request.user, post.notification_key)
    return render(request, "signups/square_post.html", _context(request, post))


@login_required
@require_POST
def vote(request, post_id: int):
    post = _post_or_404(request, post_id)
    if not post.is_poll or not _may_react(request.user, post, False):
        raise Http404
    value = request.POST.get("option", "")
    option = SquarePollOption.objects.filter(post=post, pk=int(value)).first() if value.isdigit() else None
    if option is None:
        return _respond(request, post, notice=_("Choose one of the options."))
    try:
        actions.vote(post, request.user, option)
    except actions.ActionRefused as refused:
        return _respond(request, post, notice=refused.message)
    return _respond(request, post, success=_("Your vote has been counted."))


@login_required
@require_POST
def remove_reaction(request, post_id: int, reaction_id: int):
    """Moderation by the staff who manage the post, or a parent taking back their own reaction."""
    post = _post_or_404(request, post_id)
    is_manager = manages(request.user, post)
    reaction = Reaction.objects.filter(post=post, pk=reaction_id, removed_at__isnull=True).select_related(
        "post__school"
    ).first()
    if reaction is None or not (is_manager or reaction.user_id == request.user.pk):
        raise Http404
    actions.remove_reaction(reaction, request.user, moderated=reaction.user_id != request.user.pk)
    return _respond(request, post, success=_("The reaction has been removed."))


@login_required
@require_POST
def toggle_reactions(request, post_id: int):
    post = _post_or_404(request, post_id)
    if not manages(request.user, post):
        raise Http404
    actions.set_reactions_open(post, request.user, not post.reactions_open)
    return _respond(
        request, post,
        success=_("Parents can react again.") if post.reactions_open else _("Reactions are switched off."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    targets = targets_for(request.user)
    if not targets:
        raise Http404
    post_form = SquarePostForm(request.POST or None, targets=targets)
    if request.method == "POST" and post_form.is_valid():
        post = post_form.save(commit=False)
        post.author = request.user
        group_ids = post_form.apply_audience(post)
        actions.create_square_post(post, group_ids=group_ids, poll_labels=post_form.cleaned_data["poll_labels"])
        messages.success(request, _("The post is on the school square."))
        return redirect(post)
    return render(request, "signups/square_form.html", {"post_form": post_form})


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, post_id: int):
    post = _post_or_404(request, post_id)
    if not manages(request.user, post):
        raise Http404
    if request.method == "POST":
        actions.delete_square_post(post, request.user)
        messages.success(request, _("The post has been deleted."))
        return redirect("signups:index")
    return render(request, "signups/confirm_delete.html", {"item": post, "cancel_url": post.get_absolute_url()})
