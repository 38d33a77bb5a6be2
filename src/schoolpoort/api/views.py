"""The school admin's page of API tokens: make one for a system (shown once), see when each was
last used, revoke one. For the director and the board admin of the school; 404 for anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.accounts import second_factor
from schoolpoort.core.access import managed_school_or_404

from . import tokens
from .forms import TokenForm
from .models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    has_factor = second_factor.has_any_factor(request.user)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and has_factor and form.is_valid():
        data = form.cleaned_data
        created = tokens.create_token(request.user, school, name=data["name"], scopes=data["scopes"], days=data["days"])
        form = TokenForm()
    rows = list(ApiToken.objects.visible_to(request.user).filter(school=school).select_related("user", "revoked_by"))
    return render(request, "api/tokens.html", {
        "school": school, "form": form, "tokens": rows, "created": created, "has_factor": has_factor,
    })


@login_required
@require_POST
def revoke(request, school_id: int, token_id: int):
    school = managed_school_or_404(request.user, school_id)
    token = get_object_or_404(ApiToken.objects.visible_to(request.user).filter(school=school), pk=token_id)
    if tokens.revoke_token(token, request.user):
        messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("apitokens:list", school.pk)
