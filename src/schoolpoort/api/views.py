"""The school admin's page of API tokens: make one for a system (shown once), see when each was
last used, revoke one; and the school's webhooks with their delivery log (api/webhooks.py). For
the director and the board admin of the school; 404 for anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.accounts import second_factor
from schoolpoort.core.access import managed_school_or_404

from . import tokens, webhooks
from .forms import TokenForm, WebhookForm
from .models import ApiToken, Webhook, WebhookDelivery

NEW_TOKEN_KEY = "api_new_token"
NEW_WEBHOOK_KEY = "api_new_webhook"
LOG_SIZE = 10  # deliveries shown per webhook


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
    return _page(request, school, form=form, webhook_form=WebhookForm(), has_factor=has_factor)


def _page(request, school, *, form, webhook_form, has_factor=None, status=200):
    if has_factor is None:
        has_factor = second_factor.has_any_factor(request.user)
    rows = list(ApiToken.objects.visible_to(request.user).filter(school=school).select_related("user", "revoked_by"))
    new = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    created = None
    if new is not None:
        token = next((row for row in rows if row.pk == new["id"]), None)
        created = tokens.NewToken(token, new["secret"]) if token is not None else None
    hooks = list(
        Webhook.objects.visible_to(request.user).filter(school=school).prefetch_related(
            Prefetch("deliveries", queryset=WebhookDelivery.objects.order_by("-created_at", "-pk")[:LOG_SIZE],
                     to_attr="recent")
        )
    )
    new_hook = request.session.pop(NEW_WEBHOOK_KEY, None) if request.method == "GET" else None
    created_hook = next((hook for hook in hooks if new_hook and hook.pk == new_hook["id"]), None)
    return render(request, "api/tokens.html", {
        "school": school, "form": form, "tokens": rows, "created": created, "has_factor": has_factor,
        "webhook_form": webhook_form, "webhooks": hooks,
        "created_webhook": webhooks.NewWebhook(created_hook, new_hook["secret"]) if created_hook else None,
    }, status=status)


@login_required
@require_POST
def add_webhook(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    webhook_form = WebhookForm(request.POST)
    if not webhook_form.is_valid():
        return _page(request, school, form=TokenForm(), webhook_form=webhook_form, status=422)
    made = webhooks.create_webhook(request.user, school, url=webhook_form.cleaned_data["url"],
                                   events=webhook_form.cleaned_data["events"])
    request.session[NEW_WEBHOOK_KEY] = {"id": made.webhook.pk, "secret": made.secret}
    return redirect(reverse("apitokens:list", args=[school.pk]) + "#webhooks-heading")


@login_required
@require_POST
def delete_webhook(request, school_id: int, webhook_id: int):
    school = managed_school_or_404(request.user, school_id)
    hook = get_object_or_404(Webhook.objects.visible_to(request.user).filter(school=school), pk=webhook_id)
    webhooks.delete_webhook(hook, request.user)
    messages.success(request, _("The webhook to %(url)s is removed.") % {"url": hook.url})
    return redirect(reverse("apitokens:list", args=[school.pk]) + "#webhooks-heading")


@login_required
@require_POST
def revoke(request, school_id: int, token_id: int):
    school = managed_school_or_404(request.user, school_id)
    token = get_object_or_404(ApiToken.objects.visible_to(request.user).filter(school=school), pk=token_id)
    if tokens.revoke_token(token, request.user):
        messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("apitokens:list", school.pk)
