"""The message pages: the inbox, one conversation, writing, searching. Every conversation is fetched
through ``Conversation.objects.visible_to`` (one the user may not see is a 404); the inbox and the
search hold only the user's own conversations. New messages appear without reloading: the inbox
and the conversation poll with htmx every few seconds and get 204 when nothing is new."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404, roles_of
from schoolpoort.core.consent import tagged_image_ids
from schoolpoort.core.image_tags import audience_groups, tag_page
from schoolpoort.core.models import School

from . import actions, images, threads
from .access import closable_q, usable_school_ids
from .export import conversation_text
from .forms import ComposeForm, MessageForm, ReportForm
from .models import (
    Conversation,
    Message,
    MessageAttachment,
    Participant,
    SchoolMessagingSettings,
    TeacherAvailability,
)
from .recipients import recipient_options
from .seen import seen_by

PER_PAGE = 20
MESSAGES_PER_PAGE = 50
POLL_SECONDS = 8


def login_required_htmx(view):
    """Like login_required, but a poll from a page whose session ended reloads that page (which
    then goes to the login page) instead of putting the login form into the page."""
    protected = login_required(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "htmx", False) and not request.user.is_authenticated:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return protected(request, *args, **kwargs)

    return wrapper


def _not_activity(request) -> None:
    """A poll is not the user doing something: it does not move the staff idle deadline."""
    if hasattr(request, "session"):
        request.session.modified = False


def usable_schools_or_404(user) -> list[School]:
    schools = list(School.objects.filter(pk__in=usable_school_ids(user)).order_by("name"))
    if not schools:
        raise Http404
    return schools


def _conversation_or_404(request, conversation_id: int):
    """(conversation, my participation or None, the active participants)."""
    return threads.conversation_or_404(request.user, conversation_id)


# --- The inbox ----------------------------------------------------------------------------------


def _stamp(user) -> str:
    """Changes when a conversation of the user gets a message or a conversation is added."""
    found = Participant.objects.filter(
        user=user, left_at__isnull=True, conversation__school_id__in=usable_school_ids(user)
    ).aggregate(count=Count("pk"), last=Max("conversation__last_message_at"))
    last = found["last"].timestamp() if found["last"] else 0
    return f"{found['count']}-{last:.6f}"


def _inbox_context(request) -> dict:
    user = request.user
    page = Paginator(threads.my_rows(user), PER_PAGE).get_page(request.GET.get("pagina"))
    for row in page:
        conversation = row.conversation
        row.unread = row.is_unread(conversation.last_message_at)
        row.others = [p for p in conversation.participants.all() if p.user_id != user.pk]
    return {"page": page, "stamp": _stamp(user), "poll_seconds": POLL_SECONDS}


@login_required
@require_GET
def inbox(request):
    schools = usable_schools_or_404(request.user)
    roles = roles_of(request.user)
    context = _inbox_context(request)
    context.update({
        "school_links": [
            {
                "school": school,
                "member": school.pk in roles.school_roles,
                "administers": roles.administers(school),
                "manages": roles.manages(school),
            }
            for school in schools
            if roles.is_staff_at(school)
        ],
        "is_guardian": roles.is_guardian,
    })
    return render(request, "messaging/inbox.html", context)


@login_required_htmx
@require_GET
def inbox_poll(request):
    """The inbox list again when something changed since ``sinds``; 204 when nothing did."""
    usable_schools_or_404(request.user)
    _not_activity(request)
    if request.GET.get("sinds") and request.GET["sinds"] == _stamp(request.user):
        return HttpResponse(status=204)
    return render(request, "messaging/_inbox_poll.html", _inbox_context(request))


# --- One conversation ---------------------------------------------------------------------------


def _page_of_messages(conversation, before: str | None, user):
    messages_qs = threads.with_attachments(conversation.messages.all(), user)
    if before and before.isdigit():
        messages_qs = messages_qs.filter(pk__lt=int(before))
    newest_first = list(messages_qs.order_by("-created_at", "-pk")[: MESSAGES_PER_PAGE + 1])
    older = len(newest_first) > MESSAGES_PER_PAGE
    shown = list(reversed(newest_first[:MESSAGES_PER_PAGE]))
    return shown, older


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request, conversation_id: int):
    conversation, me, participants = _conversation_or_404(request, conversation_id)
    form = MessageForm()
    if request.method == "POST":
        if me is None:
            raise Http404
        form = MessageForm(request.POST, request.FILES, user=request.user)
        if form.is_valid() and "unstage" not in request.POST:  # (a kept file removed without JavaScript)
            message = threads.send_reply(conversation, request.user, form)
            if message is not None:
                return redirect(f"{conversation.get_absolute_url()}#message-{message.pk}")
    before = request.GET.get("voor")
    shown, older = _page_of_messages(conversation, before, request.user)
    if me is not None:
        actions.mark_read(conversation, request.user)
    else:
        actions.record_leadership_read(request.user, conversation)
    roles = roles_of(request.user)
    staff_ids = [p.user_id for p in participants if p.is_staff]
    availability = list(
        TeacherAvailability.objects.filter(school=conversation.school, user_id__in=staff_ids)
        .exclude(office_hours="", auto_reply_on=False)
        .select_related("user")
    )
    hidden = threads.hidden_from(request.user, me)
    others = threads.others_shown(request.user, me, participants, hidden)
    notice = ""
    if me is not None and me.role == Participant.Role.GUARDIAN and not conversation.between_parents:
        notice = SchoolMessagingSettings.for_school(conversation.school).parent_notice
    return render(request, "messaging/conversation.html", {
        "conversation": conversation,
        "me": me,
        "participants": participants,
        "others": others,
        "hidden_senders": hidden,
        "messages_shown": shown,
        "older": shown[0].pk if older and shown else None,
        "newest": before is None or not before.isdigit(),
        "last_id": shown[-1].pk if shown else 0,
        "form": form,
        "refusal": actions.refusal(conversation) if me is not None else None,
        "availability": availability,
        "notice": notice,
        "can_close": (me is not None and me.is_staff) or roles.administers(conversation.school),
        "can_export": roles.administers(conversation.school) and not conversation.between_parents,
        "can_report": me is not None and me.role == Participant.Role.GUARDIAN,
        "poll_seconds": POLL_SECONDS,
        "seen": seen_by(conversation, me, participants, shown),
        **_image_tagging(request.user, conversation, participants, shown),
    })


def _may_tag(user, conversation) -> bool:
    return not conversation.between_parents and roles_of(user).is_staff_at(conversation.school)


def _image_tagging(user, conversation, participants, shown) -> dict:
    """For staff: the images they can say who is in, and those other parents do not see yet."""
    if not _may_tag(user, conversation):
        return {"can_tag_images": False, "untagged_images": set()}
    guardians = {p.user_id for p in participants if p.role == Participant.Role.GUARDIAN}
    pictures = [a for message in shown for a in message.attachments.all() if a.is_image]
    tagged = tagged_image_ids(MessageAttachment, [a.pk for a in pictures])
    untagged = {
        a.pk for message in shown for a in message.attachments.all()
        if a.is_image and a.pk not in tagged
        and (conversation.kind == Conversation.Kind.GROUP or message.sender_id not in guardians)
    }
    return {"can_tag_images": True, "untagged_images": untagged}


@login_required
@require_http_methods(["GET", "POST"])
def tag_image(request, conversation_id: int, attachment_id: int):
    """Staff of the school say who is in an image of the conversation (image consent)."""
    conversation, _me, _participants = _conversation_or_404(request, conversation_id)
    if not _may_tag(request.user, conversation):
        raise Http404
    item = MessageAttachment.objects.filter(
        pk=attachment_id, message__conversation=conversation, kind=MessageAttachment.Kind.IMAGE
    ).first()
    if item is None:
        raise Http404
    return tag_page(
        request, item, groups=audience_groups(request.user, images.audience_groups(conversation)),
        back_url=f"{conversation.get_absolute_url()}#message-{item.message_id}",
        image_url=reverse("messaging:attachment", args=[conversation.pk, item.pk]), title=conversation.subject,
        save=images.tag_copies,
    )


@login_required_htmx
@require_GET
def poll(request, conversation_id: int):
    """Only the messages after ``na`` (a message id), with the poller for the next round; 204 when
    there are none."""
    conversation = get_visible_or_404(Conversation.objects.select_related("school"), request.user, pk=conversation_id)
    _not_activity(request)
    after = request.GET.get("na", "0")
    after = int(after) if after.isdigit() else 0
    new = list(
        threads.with_attachments(conversation.messages.filter(pk__gt=after), request.user).order_by("created_at", "pk")
    )
    if not new:
        return HttpResponse(status=204)
    me = Participant.objects.filter(conversation=conversation, user=request.user, left_at__isnull=True).first()
    if me is not None:
        actions.mark_read(conversation, request.user)
    else:
        actions.record_leadership_read(request.user, conversation, via="new messages")
    return render(request, "messaging/_poll.html", {
        "conversation": conversation,
        "new_messages": new,
        "hidden_senders": threads.hidden_from(request.user, me),
        "last_id": max(message.pk for message in new),
        "poll_seconds": POLL_SECONDS,
    })


@login_required
@require_GET
def attachment(request, conversation_id: int, attachment_id: int):
    """A message's file, for whoever may see the conversation; photos inline, documents as a download."""
    conversation, me, _participants = _conversation_or_404(request, conversation_id)
    return threads.send_attachment(request, conversation, me, attachment_id)


@login_required
@require_POST
def mute(request, conversation_id: int):
    conversation, me, _participants = _conversation_or_404(request, conversation_id)
    if me is None:
        raise Http404
    muted = request.POST.get("muted") == "1"
    actions.set_muted(me, muted)
    messages.success(request, _("You get no notifications of this conversation any more.") if muted
                     else _("You get notifications of this conversation again."))
    return redirect(conversation)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, conversation_id: int):
    conversation, me, _participants = _conversation_or_404(request, conversation_id)
    if me is None or me.role != Participant.Role.GUARDIAN:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.report(conversation, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Thank you. The school has received your report."))
        return redirect(conversation)
    return render(request, "messaging/report.html", {"conversation": conversation, "form": form})


@login_required
@require_POST
def close(request, conversation_id: int):
    """Close a conversation (no new messages), or open it again: staff in it, the school's office
    and leadership (also a reported conversation between parents, without reading it)."""
    user = request.user
    try:
        conversation = Conversation.objects.filter(closable_q(user)).select_related("school").get(pk=conversation_id)
    except Conversation.DoesNotExist:
        raise Http404 from None
    if "reopen" in request.POST:
        actions.reopen(conversation, user)
        messages.success(request, _("The conversation is open again."))
    else:
        actions.close(conversation, user)
        messages.success(request, _("The conversation has been closed: no new messages can be added."))
    if Conversation.objects.visible_to(user).filter(pk=conversation.pk).exists():
        return redirect(conversation)
    return redirect("messaging:reports", conversation.school_id)


@login_required
@require_GET
def export_conversation(request, conversation_id: int):
    """One conversation as plain text for the school's records: administration, director, board admin."""
    conversation, _me, _participants = _conversation_or_404(request, conversation_id)
    if conversation.between_parents or not roles_of(request.user).administers(conversation.school):
        raise Http404
    response = HttpResponse(conversation_text(request.user, conversation), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{conversation.pk}.txt"'
    return response


# --- Writing and searching ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def compose(request):
    options = recipient_options(request.user)
    if not options.schools:
        raise Http404
    if request.method == "POST":
        form = ComposeForm(request.POST, request.FILES, options=options, user=request.user)
        if form.is_valid() and "unstage" not in request.POST:  # (a kept file removed without JavaScript)
            started = threads.start_from_form(request.user, form)
            if len(started) == 1:
                return redirect(started[0])
            messages.success(request, ngettext(
                "%(count)d conversation has been started.", "%(count)d conversations have been started.", len(started)
            ) % {"count": len(started)})
            return redirect("messaging:inbox")
    else:
        form = ComposeForm(initial={"recipient": request.GET.get("aan", "")}, options=options)
    return render(request, "messaging/compose.html", {"form": form, "options": options})


@login_required
@require_GET
def search(request):
    """The user's own conversations whose subject or messages hold the words."""
    user = request.user
    usable_schools_or_404(user)
    query = " ".join(request.GET.get("q", "").split())[:100]
    page = None
    if len(query) >= 2:
        matching = Message.objects.filter(conversation=OuterRef("pk"), body__icontains=query).order_by(
            "-created_at", "-pk"
        )
        found = (
            Conversation.objects.of_participant(user)
            .filter(Q(subject__icontains=query) | Q(Exists(matching)))
            .select_related("school")
            .annotate(match_id=Subquery(matching.values("pk")[:1]), match_body=Subquery(matching.values("body")[:1]))
            .order_by("-last_message_at", "-pk")
        )
        page = Paginator(found, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "messaging/search.html", {"query": query, "page": page})
