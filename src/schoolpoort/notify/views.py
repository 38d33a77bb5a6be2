"""The pages: the user's notifications, their preferences and devices, a school's quiet hours,
and the one-click unsubscribe link from e-mails."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from schoolpoort.core.access import managed_school_or_404
from schoolpoort.core.modules import MODULES

from . import devices
from .api import mark_all_read as mark_all_notifications_read
from .api import mark_read
from .forms import PreferencesForm, QuietHoursForm
from .models import Notification, PushSubscription, QuietHours
from .preferences import preferences_of, save_preferences, switch_email_off
from .unsubscribe import read_token

PAGE_SIZE = 20


def own_notification_or_404(user, notification_id: int) -> Notification:
    """Only the recipient's own notification; anyone else's does not exist."""
    return get_object_or_404(Notification, pk=notification_id, recipient=user)


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).only(
        "pk", "module", "title", "urgent", "created_at", "read_at"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/list.html", {"page": page, "modules": MODULES})


@login_required
def open_notification(request, notification_id: int):
    notification = own_notification_or_404(request.user, notification_id)
    mark_read(request.user, notification.key)
    if url_has_allowed_host_and_scheme(notification.url, {request.get_host()}, require_https=request.is_secure()):
        return redirect(notification.url)
    return redirect("notify:list")


@login_required
@require_POST
def mark_all_read(request):
    mark_all_notifications_read(request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notify:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, current=preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        save_preferences(request.user, form.choices())
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notify:preferences")
    devices_ = PushSubscription.objects.filter(user=request.user)
    return render(request, "notify/preferences.html", {"form": form, "devices": devices_})


@login_required
@require_POST
def device(request, device_id: int):
    subscription = devices.own_device_or_404(request.user, device_id)
    action = request.POST.get("action")
    if action not in ("on", "off", "remove"):
        return redirect("notify:preferences")
    devices.set_device(subscription, action)
    texts = {
        "on": _("Push messages are on for %(device)s."),
        "off": _("Push messages are off for %(device)s."),
        "remove": _("%(device)s has been removed."),
    }
    messages.success(request, texts[action] % {"device": subscription.label or _("this device")})
    return redirect("notify:preferences")


@login_required
def quiet_hours(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    instance = QuietHours.objects.filter(school=school).first() or QuietHours(school=school)
    form = QuietHoursForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The quiet hours have been saved."))
        return redirect("notify:quiet_hours", school.pk)
    return render(request, "notify/quiet_hours.html", {"school": school, "form": form})


@csrf_exempt  # mail providers POST the one-click unsubscribe (RFC 8058) without a session or token
def unsubscribe(request, token: str):
    """GET shows what the link does and asks to confirm; POST does it."""
    data = read_token(token)
    user = get_user_model().objects.filter(pk=data[0], is_active=True).first() if data else None
    if user is None:
        return render(request, "notify/unsubscribe.html", {"invalid": True}, status=404)
    labels = [MODULES[code].label for code in data[1]]
    if request.method == "POST":
        switch_email_off(user.pk, data[1])
        return render(request, "notify/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "notify/unsubscribe.html", {"labels": labels, "email": user.email})
