"""The calendar in the parent's own agenda: the page that makes the secret link, and the feed
that agenda programs fetch with it (authenticated by the token alone, no session)."""

import datetime

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from schoolpoort.core.models import School
from schoolpoort.core.scopes import user_school_scope

from .actions import issue_feed_token, revoke_feed_token
from .feed import cached_calendar, feed_url, feed_version, hash_token, webcal_url
from .models import FeedToken
from .visibility import usable_school_ids

CACHE_SECONDS = 15 * 60


@never_cache
@login_required
def subscribe(request):
    """Make, show once, or stop the user's agenda link."""
    if not School.objects.visible_to(request.user).filter(pk__in=usable_school_ids(request.user)).exists():
        raise Http404
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            revoke_feed_token(request.user)
        else:
            token = issue_feed_token(request.user)
    existing = FeedToken.objects.filter(user=request.user).first()
    context = {"existing": existing, "token": token}
    if token:
        webcal = webcal_url(token)
        qr = segno.make(webcal, error="m").svg_inline(
            scale=4, dark="#1d2327", light="#ffffff", svgclass="cal-qr", title=_("QR code of your agenda link")
        )
        context.update(feed_url=feed_url(token), webcal_url=webcal, qr_svg=mark_safe(qr))
    return render(request, "calendar/subscribe.html", context)


@require_safe
def feed(request, token: str):
    """The user's events as text/calendar, for agenda programs that poll it every so often.

    The token is looked up on every request (a stopped link is a 404 at once, never a cached
    body). Then one query and the providers' queries give the feed's version (feed.feed_version):
    its hash is the strong ETag, so "If-None-Match" is answered 304 without building anything,
    and the key under which the built body is cached, so an unchanged feed is not built again.
    Last-Modified is when this link's version last changed."""
    feed_token = (
        FeedToken.objects.select_related("user").filter(token_hash=hash_token(token), user__is_active=True).first()
    )
    if feed_token is None:
        raise Http404
    user = feed_token.user
    # No session: the request's scope (core/scopes.py) is the anonymous one; the feed is its user's.
    with user_school_scope(user), translation.override(user.language):
        version = feed_version(user, feed_token)
        if version.key != feed_token.content_hash or feed_token.content_changed_at is None:
            changed_at = timezone.now()
            if feed_token.content_changed_at is not None:  # Last-Modified has whole seconds: always move it on
                changed_at = max(changed_at, feed_token.content_changed_at + datetime.timedelta(seconds=1))
            feed_token.content_hash, feed_token.content_changed_at = version.key, changed_at
            FeedToken.objects.filter(pk=feed_token.pk).update(
                content_hash=version.key, content_changed_at=feed_token.content_changed_at
            )
        etag = f'"{version.key}"'
        last_modified = int(feed_token.content_changed_at.timestamp())
        response = HttpResponse(content_type="text/calendar; charset=utf-8")
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
        response["Content-Disposition"] = 'inline; filename="schoolpoort.ics"'
        response["X-Robots-Tag"] = "noindex"
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        if conditional is not response:  # 304 Not Modified: nothing is built or read
            return conditional
        response.content = cached_calendar(user, version)
    return response
