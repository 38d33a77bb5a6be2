"""One table of (role, route) → status over every route of the site (the access rule as a whole).
A new route that is not in the table fails ``test_every_route_is_in_the_table``, so each new page
gets its access decided here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.routes import module_route_names
from tests.routes.checked_client import HeaderCheckingClient
from tests.world import build_world

ROLES = ["anonymous", "guardian", "teacher", "administration", "director", "board_admin", "board_admin_other_board"]

# Routes open to everyone: login, registration, reset links, language switch and the like.
PUBLIC = {
    "accounts:login", "accounts:register", "accounts:activate", "accounts:password_reset",
    "accounts:password_reset_done", "accounts:password_reset_confirm", "accounts:password_reset_complete",
    "accounts:confirm_email", "web:set_language", "web:offline", "web:service_worker", "web:manifest",
    "accounts:logout",
    "notify:vapid_key", "notify:unsubscribe",
    "accounts:phone_link_open", "accounts:phone_link_wait",  # the phone, by its QR code and its own session
}
# Routes for any signed-in user, showing only their own data.
SIGNED_IN = {
    "web:home", "accounts:account", "accounts:data_export", "notify:list", "notify:preferences",
    "accounts:second_factor_enrol",
    "web:search",  # every hit from its module's visible_to: tests/search/
    "web:more",  # the modules the user has, from the same home sections: tests/web/
}
# The signed-in user's own rows by id, and POST/JSON endpoints; their yes and no are in tests/notify/,
# tests/accounts/test_data_export.py (the family export's download) and
# tests/accounts/test_accounts_second_factor.py (code step, QR code, recovery codes, removing an app) and
# tests/accounts/test_accounts_passkeys.py (the passkey JSON endpoints, removing a passkey) and
# tests/news/test_news_editor.py (a photo for the text: uploaded by who may write, a draft for its writer only).
OWN_ROWS = {
    "news:upload_image", "news:draft_image",
    "accounts:data_export_download",
    "notify:open", "notify:mark_all_read", "notify:device", "notify:push_subscribe", "notify:push_unsubscribe",
    "accounts:second_factor", "accounts:second_factor_qr", "accounts:recovery_codes", "accounts:remove_app",
    "accounts:passkey_register_begin", "accounts:passkey_register", "accounts:passkey_sign_in_begin",
    "accounts:passkey_sign_in", "accounts:remove_passkey",
    # QR sign-in on the phone: tests/accounts/test_accounts_phone_link.py (another user's link: 404)
    "accounts:phone_link_start", "accounts:phone_link_status", "accounts:phone_link_answer", "accounts:phone_link_end",
}
LOGIN = 302  # anonymous visitors are sent to the login page

# Routes about one school: (route, method, {role: status}); the school is the world's school A1.
SCHOOL_ROUTES = [
    ("core:modules", "get", {"director": 200, "board_admin": 200}),
    ("core:delete_closure", "post", {"director": 404, "board_admin": 404}),  # no such closure: 404 for all
    ("core:module_off", "get", {"director": 200, "board_admin": 200}),  # the confirmation for news
    ("core:module_on", "post", {"director": 302, "board_admin": 302}),
    ("accounts:guardians", "get", {"administration": 200, "director": 200, "board_admin": 200}),
    ("accounts:second_factor_reset", "get", {"director": 200, "board_admin": 200}),
    ("notify:quiet_hours", "get", {"director": 200, "board_admin": 200}),
    ("news:school_settings", "get", {"director": 200, "board_admin": 200}),
]
# What the school routes take after the school.
SCHOOL_ROUTE_ARGS = {"core:delete_closure": [999999], "core:module_off": ["news"], "core:module_on": ["news"]}

# News routes: (route, method, {role: status}) about a post to group 3 of school A1 by its teacher,
# with one attachment; the feed and the form take no post.
NEWS_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
NEWS_EDITORS = {"teacher": 200, "director": 200, "board_admin": 200}
NEWS_ROUTES = [
    ("news:feed", "get", dict.fromkeys(ROLES[1:], 200)),
    ("news:create", "get", {"teacher": 200, "director": 200, "board_admin": 200, "board_admin_other_board": 200}),
    ("news:detail", "get", NEWS_READERS),
    ("news:attachment", "get", NEWS_READERS),
    ("news:edit", "get", NEWS_EDITORS),
    ("news:delete", "get", NEWS_EDITORS),
    ("news:stats", "get", NEWS_EDITORS),
    ("news:react", "post", {}),  # reactions are off by default: tests/news/test_news_reactions.py
]

# Calendar routes: (route, method, {role: status}) about an event for group 3 of school A1 made by
# its teacher; the calendar pages and the new-event form take no event, load_vacations takes
# school A1, and the feed a token (it authenticates by the token alone, so anonymous gets 404 too).
CALENDAR_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
CALENDAR_EDITORS = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
CALENDAR_ROUTES = [
    ("calendar:list", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:month", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:week", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:subscribe", "get", dict.fromkeys(ROLES[1:], 200)),
    ("calendar:create", "get", {**CALENDAR_EDITORS, "board_admin_other_board": 200}),
    ("calendar:detail", "get", CALENDAR_READERS),
    ("calendar:event_ics", "get", CALENDAR_READERS),
    ("calendar:edit", "get", CALENDAR_EDITORS),
    ("calendar:cancel", "post", dict.fromkeys(CALENDAR_EDITORS, 302)),
    ("calendar:load_vacations", "post", {"administration": 302, "director": 302, "board_admin": 302}),
    ("calendar:feed", "get", {}),  # an unknown token
]


# Conference routes: (route, method, {role: status}) about a round for group 3 of school A1 made by
# its teacher, with the teacher's time window, the guardian's booking for the child (and a brother
# in the same group still to book); the list and the new-round form take no round.
CONFERENCE_STAFF = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
CONFERENCE_ROUTES = [
    ("conferences:list", "get", dict.fromkeys(ROLES[1:], 200)),
    ("conferences:create", "get", {**CONFERENCE_STAFF, "board_admin_other_board": 200}),
    ("conferences:detail", "get", {"guardian": 200, **CONFERENCE_STAFF}),
    ("conferences:book", "post", {"guardian": 302}),
    ("conferences:change", "post", {"guardian": 302}),
    ("conferences:cancel", "post", {"guardian": 302}),
    ("conferences:preferences", "get", {"guardian": 200}),
    ("conferences:edit", "get", CONFERENCE_STAFF),
    ("conferences:add_session", "get", CONFERENCE_STAFF),
    ("conferences:delete_session", "post", dict.fromkeys(CONFERENCE_STAFF, 302)),
    ("conferences:schedule", "get", CONFERENCE_STAFF),
    ("conferences:toggle_block", "post", dict.fromkeys(CONFERENCE_STAFF, 302)),
    ("conferences:day_list", "get", CONFERENCE_STAFF),
    ("conferences:day_csv", "get", CONFERENCE_STAFF),
    ("conferences:pupils", "get", CONFERENCE_STAFF),
    ("conferences:mark", "post", dict.fromkeys(CONFERENCE_STAFF, 302)),
    ("conferences:place", "get", CONFERENCE_STAFF),
]

# Absence routes: (route, method, {role: status}) about an open sickness of the child in group 3 of
# school A1 reported by its guardian, and the guardian's holiday-leave request for the child (with
# the employer's statement); the school routes take school A1, the group routes group 3.
ABSENCE_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ABSENCE_STAFF = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ABSENCE_OFFICE = {"administration": 200, "director": 200, "board_admin": 200}
ABSENCE_ROUTES = [
    ("absences:index", "get", dict.fromkeys(ROLES[1:], 200)),
    ("absences:report", "get", {"guardian": 200}),
    ("absences:detail", "get", ABSENCE_READERS),
    ("absences:better", "post", dict.fromkeys(ABSENCE_READERS, 302)),
    ("absences:confirm", "post", dict.fromkeys(ABSENCE_STAFF, 302)),
    ("absences:student", "get", ABSENCE_READERS),
    ("absences:group_today", "get", ABSENCE_STAFF),
    ("absences:mark", "post", dict.fromkeys(ABSENCE_STAFF, 302)),
    ("absences:school_today", "get", ABSENCE_OFFICE),
    ("absences:register", "get", ABSENCE_STAFF),
    ("absences:export", "get", ABSENCE_OFFICE),
    ("absences:settings", "get", {"director": 200, "board_admin": 200}),
    ("absences:leave_list", "get", ABSENCE_OFFICE),
    ("absences:leave_create", "get", {"guardian": 200}),
    ("absences:leave_detail", "get", {"guardian": 200, **ABSENCE_OFFICE}),
    ("absences:leave_attachment", "get", {"guardian": 200, **ABSENCE_OFFICE}),
    ("absences:leave_withdraw", "post", {"guardian": 302}),
    ("absences:leave_decide", "get", {"director": 200, "board_admin": 200}),
]


# Messaging routes: (route, method, {role: status}) about a conversation between the guardian of the
# child in group 3 of school A1 and its teacher, with one attachment, reported by the guardian; the
# inbox, its poll, the search, the form and the consent page take nothing, the school routes take
# school A1. Nobody else reads the conversation (the director only where the school allows it: off).
MESSAGING_PARTICIPANTS = {"guardian": 200, "teacher": 200}
MESSAGING_OFFICE = {"administration": 200, "director": 200, "board_admin": 200}
MESSAGING_ROUTES = [
    ("messaging:inbox", "get", dict.fromkeys(ROLES[1:], 200)),
    ("messaging:inbox_poll", "get", dict.fromkeys(ROLES[1:], 200)),
    ("messaging:compose", "get", dict.fromkeys(ROLES[1:], 200)),
    ("messaging:search", "get", dict.fromkeys(ROLES[1:], 200)),
    ("messaging:contact_settings", "get", dict.fromkeys(ROLES[1:], 200)),
    ("messaging:conversation", "get", MESSAGING_PARTICIPANTS),
    ("messaging:poll", "get", MESSAGING_PARTICIPANTS),
    ("messaging:attachment", "get", MESSAGING_PARTICIPANTS),
    ("messaging:mute", "post", dict.fromkeys(MESSAGING_PARTICIPANTS, 302)),
    ("messaging:report", "get", {"guardian": 200}),
    ("messaging:close", "post", {"teacher": 302, "administration": 302, "director": 302, "board_admin": 302}),
    ("messaging:export_conversation", "get", {}),  # the office and the director take no part in it
    ("messaging:school_settings", "get", {"director": 200, "board_admin": 200}),
    ("messaging:school_conversations", "get", {"director": 200, "board_admin": 200}),
    ("messaging:reports", "get", MESSAGING_OFFICE),
    ("messaging:report_handled", "post", dict.fromkeys(MESSAGING_OFFICE, 302)),
    ("messaging:export_school", "get", MESSAGING_OFFICE),
    ("messaging:availability", "get", {"teacher": 200, "administration": 200, "director": 200}),
]


def route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin is for superusers and has its own permission checks
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_route_is_in_the_table():
    known = PUBLIC | SIGNED_IN | OWN_ROWS
    known |= {name for name, _method, _expected in SCHOOL_ROUTES + NEWS_ROUTES + CALENDAR_ROUTES + CONFERENCE_ROUTES}
    known |= {name for name, _method, _expected in ABSENCE_ROUTES}
    known |= {name for name, _method, _expected in MESSAGING_ROUTES}
    known |= {name for name, _method, _expected in ALBUM_ROUTES}
    known |= {name for name, _method, _expected in DOCUMENT_ROUTES}
    known |= {name for name, _method, _expected in CLASSLIST_ROUTES + STAFF_ROUTES + TIMETABLE_ROUTES}
    known |= {name for name, _method, _expected in SIGNUP_ROUTES}
    known |= module_route_names()
    assert sorted(set(route_names()) - known) == []


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client():
    """Every route test checks the headers of each answer on the way (CSP; no-store when signed in)."""
    return HeaderCheckingClient()


def test_the_route_tables_client_catches_a_page_without_the_headers(world):
    from django.http import HttpResponse

    from tests.routes.checked_client import check_headers

    bare = HttpResponse("<p>hi</p>")
    bare.request = {"PATH_INFO": "/x/"}
    with pytest.raises(AssertionError, match="no Content-Security-Policy"):
        check_headers(bare, signed_in=False)
    bare["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'"
    check_headers(bare, signed_in=False)
    with pytest.raises(AssertionError, match="may be cached"):
        check_headers(bare, signed_in=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", SCHOOL_ROUTES)
def test_school_routes(client, world, role, name, method, allowed):
    args = [world.school.pk] + SCHOOL_ROUTE_ARGS.get(name, [])
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=args))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_signed_in_routes(client, world, role, name):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse(name))
    assert response.status_code == (LOGIN if role == "anonymous" else 200)


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_school_route_of_a_school_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in SCHOOL_ROUTES:
        args = [999999] + SCHOOL_ROUTE_ARGS.get(name, [])
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name


@pytest.fixture
def news_post(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from schoolpoort.news.actions import save_post
    from schoolpoort.news.models import Post
    from schoolpoort.news.uploads import prepare_upload, store_upload

    settings.MEDIA_ROOT = tmp_path
    post = Post(audience="groups", school=world.school, author=world.users["teacher"], title="Groep 3")
    save_post(post, groups=[world.group3])
    attachment = store_upload(post, prepare_upload(ContentFile(b"%PDF-1.4", name="brief.pdf")))
    return post, attachment


def news_args(name, post, attachment):
    if name in ("news:feed", "news:create"):
        return []
    return [post.pk, attachment.pk] if name == "news:attachment" else [post.pk]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", NEWS_ROUTES)
def test_news_routes(client, world, news_post, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, args=news_args(name, *news_post)))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_news_route_of_a_post_that_does_not_exist_is_404(client, world, news_post, role):
    client.force_login(world.users[role])
    post, attachment = news_post
    for name, method, _allowed in NEWS_ROUTES:
        if name in ("news:feed", "news:create"):
            continue
        args = [999999, attachment.pk] if name == "news:attachment" else [999999]
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name
    assert client.get(reverse("news:attachment", args=[post.pk, 999999])).status_code == 404


@pytest.fixture
def calendar_event(world):
    from django.utils import timezone

    from schoolpoort.calendar.actions import create_event

    day = timezone.localdate()
    return create_event(world.users["teacher"], audience="groups", school=world.school, groups=[world.group3],
                        title="Gym", starts_on=day, ends_on=day, all_day=True)


def calendar_url(name, world, event_pk):
    if name == "calendar:feed":
        return reverse(name, kwargs={"token": "x" * 43})
    if name == "calendar:load_vacations":
        return reverse(name, args=[world.school.pk])
    if name in ("calendar:detail", "calendar:event_ics", "calendar:edit", "calendar:cancel"):
        return reverse(name, args=[event_pk])
    return reverse(name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", CALENDAR_ROUTES)
def test_calendar_routes(client, world, calendar_event, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(calendar_url(name, world, calendar_event.pk))
    expected = LOGIN if role == "anonymous" and name != "calendar:feed" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_calendar_route_of_an_event_or_school_that_does_not_exist_is_404(client, world, calendar_event, role):
    client.force_login(world.users[role])
    for name in ("calendar:detail", "calendar:event_ics", "calendar:edit", "calendar:cancel"):
        method = "post" if name == "calendar:cancel" else "get"
        assert getattr(client, method)(reverse(name, args=[999999])).status_code == 404, name
    assert client.post(reverse("calendar:load_vacations", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_calendar_feed_opens_with_the_users_own_token_and_no_session(client, world, role):
    from schoolpoort.calendar.actions import issue_feed_token

    token = issue_feed_token(world.users[role])
    assert client.get(reverse("calendar:feed", kwargs={"token": token})).status_code == 200


@pytest.fixture
def conference(world):
    import datetime

    from django.utils import timezone

    from schoolpoort.conferences.booking import Pick, book
    from schoolpoort.conferences.models import Round, Session
    from schoolpoort.conferences.slots import create_slots
    from tests.factories import GuardianshipFactory, enrolled_student

    now = timezone.now()
    round = Round.objects.create(school=world.school, title="Gesprekken", created_by=world.users["teacher"],
                                 booking_opens_at=now - datetime.timedelta(days=1),
                                 booking_closes_at=now + datetime.timedelta(days=2),
                                 planning_at=now + datetime.timedelta(days=1), notified_at=now)
    round.groups.set([world.group3])
    session = Session.objects.create(round=round, teacher=world.users["teacher"], group=world.group3,
                                     date=timezone.localdate() + datetime.timedelta(days=4),
                                     starts_at=datetime.time(19), ends_at=datetime.time(20))
    slots = create_slots(session)
    brother = enrolled_student(world.group3)
    GuardianshipFactory(student=brother, user=world.users["guardian"])
    appointment = book(round, world.users["guardian"], [Pick(world.child.pk, slots[0].pk)])
    return round, session, slots[1], appointment.made_bookings[0]


def conference_request(name, world, conference):
    """(url, data) of a conference route."""
    round, session, free_slot, booking = conference
    args = {
        "conferences:list": [], "conferences:create": [],
        "conferences:change": [round.pk, booking.pk], "conferences:cancel": [round.pk, booking.pk],
        "conferences:delete_session": [round.pk, session.pk], "conferences:toggle_block": [round.pk, free_slot.pk],
        "conferences:day_list": [round.pk, session.date.isoformat()],
        "conferences:day_csv": [round.pk, session.date.isoformat()],
        "conferences:place": [round.pk, world.child.pk],
    }.get(name, [round.pk])
    data = {"kind": "exempt", "student": world.child.pk} if name == "conferences:mark" else {}
    return reverse(name, args=args), data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", CONFERENCE_ROUTES)
def test_conference_routes(client, world, conference, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    url, data = conference_request(name, world, conference)
    response = getattr(client, method)(url, data)
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_conference_route_of_a_round_that_does_not_exist_is_404(client, world, conference, role):
    client.force_login(world.users[role])
    round, session, free_slot, booking = conference
    for name, method, _allowed in CONFERENCE_ROUTES:
        if name in ("conferences:list", "conferences:create"):
            continue
        url, data = conference_request(name, world, conference)
        url = url.replace(f"/gesprekken/{round.pk}/", "/gesprekken/999999/", 1)
        assert getattr(client, method)(url, data).status_code == 404, name


@pytest.fixture
def absence_objects(world):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from schoolpoort.absences.actions import report_absence
    from schoolpoort.absences.models import LeaveRequest

    absence = report_absence(world.users["guardian"], world.child, reason="sick", starts_on=timezone.localdate())
    first = timezone.localdate() + datetime.timedelta(weeks=10)
    leave = LeaveRequest(student=world.child, school=world.school, requested_by=world.users["guardian"],
                         kind="holiday", starts_on=first, ends_on=first, reason="Werk", statement_name="v.pdf",
                         statement_type="application/pdf")
    leave.statement.save("v.pdf", ContentFile(b"%PDF-1.4"))
    return absence, leave


def absence_url(name, world, absence, leave, missing=False):
    """The url of an absence route; with ``missing``, of an object that does not exist."""
    def pk(obj):
        return 999999 if missing else obj.pk

    args = {
        "absences:detail": [pk(absence)], "absences:better": [pk(absence)], "absences:confirm": [pk(absence)],
        "absences:student": [pk(world.child)], "absences:group_today": [pk(world.group3)],
        "absences:mark": [pk(world.group3), world.child.pk],
    }
    if name in args:
        return reverse(name, args=args[name])
    if name.startswith("absences:leave_") and name not in ("absences:leave_list", "absences:leave_create"):
        return reverse(name, args=[pk(leave)])
    if name in ("absences:index", "absences:report", "absences:leave_create"):
        return reverse(name)
    return reverse(name, args=[pk(world.school)])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ABSENCE_ROUTES)
def test_absence_routes(client, world, absence_objects, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(absence_url(name, world, *absence_objects))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_absence_route_of_an_object_that_does_not_exist_is_404(client, world, absence_objects, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ABSENCE_ROUTES:
        if name in ("absences:index", "absences:report", "absences:leave_create"):
            continue
        url = absence_url(name, world, *absence_objects, missing=True)
        assert getattr(client, method)(url).status_code == 404, name


@pytest.fixture
def messaging_objects(world):
    from django.core.files.base import ContentFile

    from schoolpoort.messaging import actions
    from schoolpoort.messaging.models import MessageAttachment
    from schoolpoort.messaging.recipients import recipient_options
    from schoolpoort.messaging.uploads import prepare_upload

    users = world.users
    recipient = recipient_options(users["guardian"]).get(f"teacher:{users['teacher'].pk}:{world.child.pk}")
    pdf = prepare_upload(ContentFile(b"%PDF-1.4", name="brief.pdf"))
    (conversation,) = actions.start_conversations(users["guardian"], recipient, subject="Noor", body="Ziek",
                                                  uploads=[pdf])
    report = actions.report(conversation, users["guardian"], "Onaardig")
    return conversation, MessageAttachment.objects.get(message__conversation=conversation), report


MESSAGING_WITHOUT_ARGS = ("messaging:inbox", "messaging:inbox_poll", "messaging:compose", "messaging:search",
                          "messaging:contact_settings")


def messaging_url(name, world, conversation, attachment, report, missing=False):
    """The url of a messaging route; with ``missing``, of an object that does not exist."""
    def pk(obj):
        return 999999 if missing else obj.pk

    if name in MESSAGING_WITHOUT_ARGS:
        return reverse(name)
    if name == "messaging:attachment":
        return reverse(name, args=[pk(conversation), attachment.pk])
    if name == "messaging:report_handled":
        return reverse(name, args=[pk(report)])
    if name.startswith("messaging:school_") or name in ("messaging:reports", "messaging:export_school",
                                                         "messaging:availability"):
        return reverse(name, args=[pk(world.school)])
    return reverse(name, args=[pk(conversation)])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", MESSAGING_ROUTES)
def test_messaging_routes(client, world, messaging_objects, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(messaging_url(name, world, *messaging_objects))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_messaging_route_of_an_object_that_does_not_exist_is_404(client, world, messaging_objects, role):
    client.force_login(world.users[role])
    for name, method, _allowed in MESSAGING_ROUTES:
        if name in MESSAGING_WITHOUT_ARGS:
            continue
        url = messaging_url(name, world, *messaging_objects, missing=True)
        assert getattr(client, method)(url).status_code == 404, name


# Album routes: (route, method, {role: status}) about a published album for group 3 of school A1 made
# by its teacher, with a photo and a video; the list, the new-album form and the consent pages take
# no album, the consent table of a group takes group 3.
ALBUM_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ALBUM_MANAGERS = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ALBUM_STAFF = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
ALBUM_ROUTES = [
    ("albums:list", "get", dict.fromkeys(ROLES[1:], 200)),
    ("albums:create", "get", {**ALBUM_MANAGERS, "board_admin_other_board": 200}),
    ("albums:consent", "get", {"guardian": 200}),
    ("albums:consent_groups", "get", {**ALBUM_STAFF, "board_admin_other_board": 200}),
    ("albums:consent_group", "get", ALBUM_STAFF),
    ("albums:detail", "get", ALBUM_READERS),
    ("albums:edit", "get", ALBUM_MANAGERS),
    ("albums:publish", "post", dict.fromkeys(ALBUM_MANAGERS, 302)),
    ("albums:delete", "get", ALBUM_MANAGERS),
    ("albums:upload", "get", ALBUM_MANAGERS),
    ("albums:zip", "get", ALBUM_READERS),
    ("albums:photo", "get", ALBUM_READERS),
    ("albums:tags", "get", ALBUM_MANAGERS),
    ("albums:delete_photo", "post", dict.fromkeys(ALBUM_MANAGERS, 302)),
    ("albums:thumb", "get", ALBUM_READERS),
    ("albums:web", "get", ALBUM_READERS),
    ("albums:original", "get", ALBUM_READERS),
    ("albums:download", "get", ALBUM_READERS),
]


@pytest.fixture
def album(world):
    from tests.albums.helpers import add_photo, make_album, mp4

    album = make_album(world.users["teacher"], groups=[world.group3])
    return album, add_photo(album, world.users["teacher"]), add_photo(album, world.users["teacher"], mp4(), "film.mp4")


def album_url(name, world, album, photo, video, album_id=None):
    album_id = album_id or album.pk
    if name in ("albums:list", "albums:create", "albums:consent", "albums:consent_groups"):
        return reverse(name)
    if name == "albums:consent_group":
        return reverse(name, args=[world.group3.pk])
    if name in ("albums:detail", "albums:edit", "albums:publish", "albums:delete", "albums:upload", "albums:zip"):
        return reverse(name, args=[album_id])
    return reverse(name, args=[album_id, (video if name == "albums:original" else photo).pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", ALBUM_ROUTES)
def test_album_routes(client, world, album, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(album_url(name, world, *album))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_an_album_route_of_an_album_that_does_not_exist_is_404(client, world, album, role):
    client.force_login(world.users[role])
    for name, method, _allowed in ALBUM_ROUTES:
        if name.startswith("albums:consent") or name in ("albums:list", "albums:create"):
            continue
        assert getattr(client, method)(album_url(name, world, *album, album_id=999999)).status_code == 404, name
    assert client.get(reverse("albums:consent_group", args=[999999])).status_code == 404


# Document routes: (route, method, {role: status}) about a shelf for group 3 of school A1 made by its
# teacher, with an empty folder and one document (a PDF); the bookshelf takes nothing, the new-shelf
# form takes school A1.
DOCUMENT_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
DOCUMENT_EDITORS = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
DOCUMENT_ROUTES = [
    ("documents:list", "get", dict.fromkeys(ROLES[1:], 200)),
    ("documents:shelf", "get", DOCUMENT_READERS),
    ("documents:folder", "get", DOCUMENT_READERS),
    ("documents:detail", "get", DOCUMENT_READERS),
    ("documents:file", "get", DOCUMENT_READERS),
    ("documents:version", "get", DOCUMENT_READERS),
    ("documents:shelf_create", "get", DOCUMENT_EDITORS),
    ("documents:shelf_edit", "get", DOCUMENT_EDITORS),
    ("documents:shelf_delete", "get", DOCUMENT_EDITORS),
    ("documents:folder_create", "get", DOCUMENT_EDITORS),
    ("documents:folder_edit", "get", DOCUMENT_EDITORS),
    ("documents:folder_delete", "post", dict.fromkeys(DOCUMENT_EDITORS, 302)),
    ("documents:upload", "get", DOCUMENT_EDITORS),
    ("documents:replace", "get", DOCUMENT_EDITORS),
    ("documents:edit", "get", DOCUMENT_EDITORS),
    ("documents:delete", "get", DOCUMENT_EDITORS),
]


@pytest.fixture
def document_shelf(world):
    from django.core.files.base import ContentFile

    from schoolpoort.documents import actions
    from schoolpoort.documents.models import Folder, Shelf
    from schoolpoort.documents.uploads import prepare_upload

    shelf = actions.save_shelf(Shelf(school=world.school, title="Groep 3", audience="groups"), world.users["teacher"],
                               groups=[world.group3])
    folder = Folder.objects.create(shelf=shelf, title="Werkbladen")
    document = actions.add_document(shelf, prepare_upload(ContentFile(b"%PDF-1.4\n%test\n", name="rooster.pdf")),
                                    world.users["teacher"], title="Rooster", notify=False)
    return shelf, folder, document


def document_url(name, world, shelf, folder, document, missing=None):
    """The url of a document route; ``missing`` replaces the id of the route's own object."""
    shelf_id, folder_id, document_id = shelf.pk, folder.pk, document.pk
    version_id = document.current_version_id
    if missing is not None:
        if name in ("documents:folder", "documents:folder_edit", "documents:folder_delete"):
            folder_id = missing
        elif name == "documents:version":
            version_id = missing
        elif name.startswith("documents:shelf") or name in ("documents:folder_create", "documents:upload"):
            shelf_id = missing
        else:
            document_id = missing
    args = {
        "documents:list": [],
        "documents:shelf_create": [missing or world.school.pk],
        "documents:shelf": [shelf_id], "documents:shelf_edit": [shelf_id], "documents:shelf_delete": [shelf_id],
        "documents:folder_create": [shelf_id], "documents:upload": [shelf_id],
        "documents:folder": [shelf_id, folder_id], "documents:folder_edit": [shelf_id, folder_id],
        "documents:folder_delete": [shelf_id, folder_id],
        "documents:version": [document_id, version_id],
    }.get(name, [document_id])
    return reverse(name, args=args)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", DOCUMENT_ROUTES)
def test_document_routes(client, world, document_shelf, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(document_url(name, world, *document_shelf))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_document_route_of_something_that_does_not_exist_is_404(client, world, document_shelf, role):
    client.force_login(world.users[role])
    for name, method, _allowed in DOCUMENT_ROUTES:
        if name == "documents:list":
            continue
        url = document_url(name, world, *document_shelf, missing=999999)
        assert getattr(client, method)(url).status_code == 404, name


# Class list routes: (route, method, {role: status}) about group 3 of school A1 (the class list module
# on); the index and the privacy page take nothing, the settings take school A1.
CLASSLIST_STAFF = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
CLASSLIST_ROUTES = [
    ("classlist:index", "get", dict.fromkeys(ROLES[1:], 200)),
    ("classlist:privacy", "get", {"guardian": 200}),
    ("classlist:group", "get", {"guardian": 200, **CLASSLIST_STAFF}),
    ("classlist:print", "get", CLASSLIST_STAFF),
    ("classlist:settings", "get", {"director": 200, "board_admin": 200}),
]
CLASSLIST_WITHOUT_ARGS = ("classlist:index", "classlist:privacy")


def classlist_url(name, world, missing=False):
    if name in CLASSLIST_WITHOUT_ARGS:
        return reverse(name)
    target = world.school if name == "classlist:settings" else world.group3
    return reverse(name, args=[999999 if missing else target.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", CLASSLIST_ROUTES)
def test_classlist_routes(client, world, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(classlist_url(name, world))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_classlist_route_of_an_object_that_does_not_exist_is_404(client, world, role):
    client.force_login(world.users[role])
    for name, method, _allowed in CLASSLIST_ROUTES:
        if name not in CLASSLIST_WITHOUT_ARGS:
            assert getattr(client, method)(classlist_url(name, world, missing=True)).status_code == 404, name


# Staff directory routes: (route, method, {role: status}) about school A1 and the photo of the
# teacher of group 3, who shows it; the index takes nothing. No module switch: school information.
STAFF_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
STAFF_ROUTES = [
    ("staff:index", "get", dict.fromkeys(ROLES[1:], 200)),
    ("staff:directory", "get", STAFF_READERS),
    ("staff:photo", "get", STAFF_READERS),
    ("staff:edit", "get", {"teacher": 200, "administration": 200, "director": 200}),
]


@pytest.fixture
def staff_profile(world):
    from PIL import Image

    from schoolpoort.staff.models import StaffProfile
    from schoolpoort.staff.photos import encode

    profile = StaffProfile(user=world.users["teacher"], school=world.school, show_photo=True)
    photo = encode(Image.new("RGB", (600, 600), "#d9822b"))
    profile.photo.save(photo.name, photo, save=False)
    profile.save()
    return profile


def staff_url(name, world, profile, missing=False):
    if name == "staff:index":
        return reverse(name)
    target = profile if name == "staff:photo" else world.school
    return reverse(name, args=[999999 if missing else target.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", STAFF_ROUTES)
def test_staff_routes(client, world, staff_profile, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(staff_url(name, world, staff_profile))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_staff_route_of_an_object_that_does_not_exist_is_404(client, world, staff_profile, role):
    client.force_login(world.users[role])
    for name, method, _allowed in STAFF_ROUTES:
        if name != "staff:index":
            assert getattr(client, method)(staff_url(name, world, staff_profile, missing=True)).status_code == 404, name


# Timetable routes: (route, method, {role: status}) about group 3 of school A1 and its gym on Tuesday;
# the index takes nothing. No module switch: the timetable is visible wherever the group is.
TIMETABLE_EDITORS = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
TIMETABLE_ROUTES = [
    ("timetable:index", "get", dict.fromkeys(ROLES[1:], 200)),
    ("timetable:group", "get", {"guardian": 200, **TIMETABLE_EDITORS}),
    ("timetable:create", "get", TIMETABLE_EDITORS),
    ("timetable:edit", "get", TIMETABLE_EDITORS),
    ("timetable:delete", "post", dict.fromkeys(TIMETABLE_EDITORS, 302)),
]


@pytest.fixture
def timetable_entry(world):
    import datetime

    from schoolpoort.timetable.models import TimetableEntry

    return TimetableEntry.objects.create(group=world.group3, weekday=1, starts_at=datetime.time(10, 30),
                                         activity="gym", reminder="gymspullen mee")


def timetable_url(name, world, entry, missing=False):
    if name == "timetable:index":
        return reverse(name)
    target = entry if name in ("timetable:edit", "timetable:delete") else world.group3
    return reverse(name, args=[999999 if missing else target.pk])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", TIMETABLE_ROUTES)
def test_timetable_routes(client, world, timetable_entry, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, method)(timetable_url(name, world, timetable_entry))
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_timetable_route_of_an_object_that_does_not_exist_is_404(client, world, timetable_entry, role):
    client.force_login(world.users[role])
    for name, method, _allowed in TIMETABLE_ROUTES:
        if name != "timetable:index":
            url = timetable_url(name, world, timetable_entry, missing=True)
            assert getattr(client, method)(url).status_code == 404, name


# Sign-up routes: (route, method, {role: status}) about a published form for group 3 of school A1
# made by its teacher (a volunteer slot of four places), which the guardian has answered, and a
# school square poll for group 3 by the same teacher with the guardian's reaction; the list and the
# two "new" forms take nothing. The questions are locked once answered: those routes redirect.
SIGNUP_READERS = {"guardian": 200, "teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
SIGNUP_MANAGERS = {"teacher": 200, "administration": 200, "director": 200, "board_admin": 200}
SIGNUP_ROUTES = [
    ("signups:index", "get", dict.fromkeys(ROLES[1:], 200)),
    ("signups:create", "get", {**SIGNUP_MANAGERS, "board_admin_other_board": 200}),
    ("signups:square_create", "get", {**SIGNUP_MANAGERS, "board_admin_other_board": 200}),
    ("signups:form", "get", SIGNUP_READERS),
    ("signups:respond", "post", {"guardian": 302}),
    ("signups:withdraw", "post", {"guardian": 302}),
    ("signups:edit", "get", SIGNUP_MANAGERS),
    ("signups:add_question", "get", dict.fromkeys(SIGNUP_MANAGERS, 302)),
    ("signups:edit_question", "get", dict.fromkeys(SIGNUP_MANAGERS, 302)),
    ("signups:delete_question", "post", dict.fromkeys(SIGNUP_MANAGERS, 302)),
    ("signups:capacity", "post", dict.fromkeys(SIGNUP_MANAGERS, 302)),
    ("signups:publish", "post", dict.fromkeys(SIGNUP_MANAGERS, 302)),
    ("signups:delete", "get", SIGNUP_MANAGERS),
    ("signups:results", "get", SIGNUP_MANAGERS),
    ("signups:export", "get", SIGNUP_MANAGERS),
    ("signups:remind", "post", dict.fromkeys(SIGNUP_MANAGERS, 302)),
    ("signups:square_post", "get", SIGNUP_READERS),
    ("signups:vote", "post", {"guardian": 302}),
    ("signups:remove_reaction", "post", dict.fromkeys(SIGNUP_READERS, 302)),  # the guardian's own reaction
    ("signups:toggle_reactions", "post", dict.fromkeys(SIGNUP_MANAGERS, 302)),
    ("signups:square_delete", "get", SIGNUP_MANAGERS),
]
SIGNUP_WITHOUT_ARGS = ("signups:index", "signups:create", "signups:square_create")


@pytest.fixture
def signup_objects(world):
    import datetime

    from django.utils import timezone

    from schoolpoort.signups import actions, signing
    from schoolpoort.signups.models import Form, Option, Question, SquarePollOption, SquarePost

    form = Form.objects.create(school=world.school, audience="groups", title="Rijden", per="family",
                               deadline=timezone.now() + datetime.timedelta(days=3),
                               created_by=world.users["teacher"], published_at=timezone.now())
    form.groups.set([world.group3])
    question = Question.objects.create(form=form, kind="slots", text="Wanneer?", position=1)
    option = Option.objects.create(question=question, label="Heen", capacity=4)
    response = signing.submit(form, world.users["guardian"], signing.Choices(frozenset([option.pk])))
    post = SquarePost.objects.create(school=world.school, audience="groups", kind="poll", title="Welk boek?",
                                     author=world.users["teacher"])
    post.groups.set([world.group3])
    poll_option = SquarePollOption.objects.create(post=post, label="Dikkie Dik")
    reaction = actions.react(post, world.users["guardian"], "Ik help")
    return form, question, option, response, post, poll_option, reaction


def signup_request(name, world, form, question, option, response, post, poll_option, reaction, missing=False):
    """(url, data) of a sign-up route; with ``missing``, of a form or post that does not exist."""
    form_id = 999999 if missing else form.pk
    post_id = 999999 if missing else post.pk
    if name in SIGNUP_WITHOUT_ARGS:
        return reverse(name), {}
    if name.startswith("signups:square_post") or name in ("signups:vote", "signups:toggle_reactions",
                                                          "signups:square_delete"):
        return reverse(name, args=[post_id]), {"option": poll_option.pk}
    if name == "signups:remove_reaction":
        return reverse(name, args=[post_id, reaction.pk]), {}
    if name in ("signups:edit_question", "signups:delete_question"):
        return reverse(name, args=[form_id, question.pk]), {}
    if name == "signups:capacity":
        return reverse(name, args=[form_id, option.pk]), {f"o{option.pk}-capacity": "5"}
    data = {f"family-q{question.pk}": [option.pk], "response": response.pk}
    return reverse(name, args=[form_id]), data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, allowed", SIGNUP_ROUTES)
def test_signup_routes(client, world, signup_objects, role, name, method, allowed):
    if role != "anonymous":
        client.force_login(world.users[role])
    url, data = signup_request(name, world, *signup_objects)
    response = getattr(client, method)(url, data)
    expected = LOGIN if role == "anonymous" else allowed.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_signup_route_of_a_form_or_post_that_does_not_exist_is_404(client, world, signup_objects, role):
    client.force_login(world.users[role])
    for name, method, _allowed in SIGNUP_ROUTES:
        if name in SIGNUP_WITHOUT_ARGS:
            continue
        url, data = signup_request(name, world, *signup_objects, missing=True)
        assert getattr(client, method)(url, data).status_code == 404, name
