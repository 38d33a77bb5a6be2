"""The reaction buttons of a news post and the school's news settings (where reactions are
switched on). A reaction on a post the user may not see, or at a school without reactions, is a
404; htmx swaps the buttons, a plain POST goes back to the post."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import managed_school_or_404, require_module
from schoolpoort.core.models import AuditEntry

from .access import MODULE
from .models import PostReaction, SchoolNewsSettings
from .reactions import may_react, reaction_context, reactions_on, toggle_reaction
from .views import _post_or_404


@login_required
@require_POST
def react(request, post_id: int):
    post = _post_or_404(request, post_id)
    if not reactions_on(post) or not may_react(request.user, post):
        raise Http404
    kind = request.POST.get("kind")
    if kind not in PostReaction.Kind.values:
        raise Http404
    toggle_reaction(post, request.user, kind)
    if getattr(request, "htmx", False):
        return render(request, "news/_reactions.html", {"post": post, **reaction_context(request.user, post)})
    return redirect(f"{post.get_absolute_url()}#reactions")


class NewsSettingsForm(forms.ModelForm):
    class Meta:
        model = SchoolNewsSettings
        fields = ["reactions"]


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request, school_id: int):
    """For the director and board admins: whether parents may react to the school's news."""
    school = managed_school_or_404(request.user, school_id)
    require_module(request.user, school, MODULE)
    settings = SchoolNewsSettings.objects.filter(school=school).first() or SchoolNewsSettings(school=school)
    form = NewsSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.changed_data:
            AuditEntry.record(request.user, "news.settings_changed", school, school=school,
                              reactions=form.instance.reactions)
        messages.success(request, _("The settings have been saved."))
        return redirect("news:school_settings", school.pk)
    return render(request, "news/school_settings.html", {"school": school, "form": form})
