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

NEW_TOKEN_KEY = "api_new_token"


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    has_factor = second_factor.has_any_factor(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and has_factor and form.is_valid():
        data = form.cleaned_data
        made = tokens.create_token(request.user, school, name=data["name"], scopes=data["scopes"], days=data["days"])
        # Shown once, on the page the redirect leads to; kept in the (server-side) session until then,
        # so that reloading that page neither shows it again nor makes a second token.
        request.session[NEW_TOKEN_KEY] = {"id": made.token.pk, "secret": made.secret}
        return redirect("apitokens:list", school.pk)
    rows = list(ApiToken.objects.visible_to(request.user).filter(school=school).select_related("user", "revoked_by"))
    new = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    created = None
    if new is not None:
        token = next((row for row in rows if row.pk == new["id"]), None)
        created = tokens.NewToken(token, new["secret"]) if token is not None else None
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
