"""The JSON endpoints of the PWA's push script: the server key, subscribe and unsubscribe.
Signed-in users only (401 otherwise, so the script can tell); CSRF through X-CSRFToken."""

import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from . import devices, push


def _json_body(request):
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def _login_required_json(request):
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login required"}, status=401)
    return None


@require_GET
def vapid_key(request):
    """The application server key for pushManager.subscribe() (public by nature)."""
    return JsonResponse({"publicKey": push.public_key()})


@require_POST
def push_subscribe(request):
    if denied := _login_required_json(request):
        return denied
    try:
        subscription = devices.register(request.user, _json_body(request), request.headers.get("User-Agent", ""))
    except devices.InvalidSubscription as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"id": subscription.pk, "label": subscription.label}, status=201)


@require_POST
def push_unsubscribe(request):
    if denied := _login_required_json(request):
        return denied
    data = _json_body(request)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        return JsonResponse({"error": "expected {endpoint}"}, status=400)
    devices.unsubscribe(request.user, endpoint)
    return HttpResponse(status=204)
