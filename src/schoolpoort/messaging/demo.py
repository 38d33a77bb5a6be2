"""Messages of the demo school (DEMO.md): conversations between the demo parents and teachers of
De Regenboog — Eva Jansen with the groep 3 teacher (its last answer still unread) and with the
school office, and the separated parents of Lotte de Vries each in their own conversation with the
groep 6 teacher (neither sees the other's) — the school's communication rules, and office hours
for the groep 6 teacher. Messages are off at De Ark (DEMO.md), so it has none.

The demo sends no notifications: the rows are written directly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import REGENBOOG, DemoWorld

from .actions import _notify_message
from .models import Conversation, Message, Participant, SchoolMessagingSettings, TeacherAvailability

TEACHER_3 = "leerkracht.groep3@regenboog.example"
TEACHER_6 = "leerkracht.groep6@regenboog.example"
OFFICE = "administratie@regenboog.example"
JANSEN, DEVRIES, BAKKER = "jansen@ouders.example", "devries@ouders.example", "bakker@ouders.example"

NOTICE = (
    "Inhoudelijke vragen over de ontwikkeling van uw kind bespreken we liever in een gesprek: vraag er gerust "
    "een aan. Leerkrachten lezen hun berichten op schooldagen; in het weekend en in de vakanties kan een "
    "antwoord even op zich laten wachten. Is uw kind ziek? Meld dat bij Absenties."
)
OFFICE_HOURS_6 = "Op schooldagen voor 8.30 uur en na 15.00 uur. Op woensdagmiddag ben ik niet op school."
AUTO_REPLY_6 = (
    "Dank voor uw bericht. Ik ben deze week op studiereis en lees mijn berichten maandag weer. Bij dringende "
    "zaken kunt u de administratie bellen."
)


@dataclass(frozen=True)
class DemoThread:
    subject: str
    parent: str
    staff: tuple[str, ...]
    child: str | None
    grade: str | None
    messages: tuple[tuple[str, int, str, str], ...]  # (sender, days ago, local time, text)
    parent_read_all: bool = True
    staff_role: str = Participant.Role.TEACHER


THREADS = [
    DemoThread(
        "Noor en het leesboek", JANSEN, (TEACHER_3,), "Noor Jansen", "3",
        (
            (JANSEN, 3, "07:52", "Goedemorgen juf Judith,\n\nNoor is haar leesboek kwijt, het boek met de "
             "blauwe kaft. Heeft zij het misschien in de klas laten liggen?\n\nGroet, Eva Jansen"),
            (TEACHER_3, 3, "12:31", "Dag Eva, ik heb even in haar laatje gekeken maar daar ligt het niet. "
             "Ik vraag het morgen in de kring. Noor mag tot die tijd een boek uit de klassenbieb lenen."),
            (JANSEN, 3, "12:47", "Fijn, dank u wel!"),
            (TEACHER_3, 1, "15:42", "Goed nieuws: het boek lag in de gymzaal. Noor heeft het weer in haar tas."),
        ),
        parent_read_all=False,
    ),
    DemoThread(
        "Adreswijziging", JANSEN, (OFFICE,), None, None,
        (
            (JANSEN, 9, "20:14", "Beste administratie,\n\nWij zijn verhuisd naar de Kastanjelaan 8 in Utrecht. "
             "Kunt u het adres van Noor en Sem aanpassen?"),
            (OFFICE, 8, "09:05", "Dank u, we hebben het nieuwe adres van Noor en Sem verwerkt."),
        ),
        staff_role=Participant.Role.OFFICE,
    ),
    DemoThread(
        "Zwemles Lotte", DEVRIES, (TEACHER_6,), "Lotte de Vries", "6",
        (
            (DEVRIES, 5, "07:40", "Beste meester Mark, Lotte heeft vrijdag haar B-diploma. Mag zij daarom een "
             "uur eerder weg? Ik haal haar om 14.00 uur op."),
            (TEACHER_6, 5, "15:20", "Dat is goed, gefeliciteerd alvast! Ik zorg dat ze om 14.00 uur klaarstaat."),
            (DEVRIES, 5, "16:02", "Top, bedankt."),
        ),
    ),
    DemoThread(
        "Trakteren op Lottes verjaardag", BAKKER, (TEACHER_6,), "Lotte de Vries", "6",
        (
            (BAKKER, 4, "21:10", "Hallo Mark, Lotte wordt volgende week tien. Wanneer kan zij trakteren? Zijn er "
             "kinderen in de klas met een allergie waar ik rekening mee moet houden?"),
            (TEACHER_6, 3, "15:15", "Hallo Sanne, dinsdag na de pauze is prima. Eén kind in de groep "
             "heeft een notenallergie: liever niets met noten dus."),
        ),
    ),
]


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    school = world.schools[REGENBOOG]
    SchoolMessagingSettings.objects.create(school=school, parent_notice=NOTICE, parent_to_parent=True)
    TeacherAvailability.objects.create(
        user=world.users[TEACHER_6], school=school, office_hours=OFFICE_HOURS_6, auto_reply=AUTO_REPLY_6
    )
    today = timezone.localdate()
    for thread in THREADS:
        _thread(world, school, thread, today)


def _at(today: datetime.date, days: int, clock: str) -> datetime.datetime:
    hour, minute = map(int, clock.split(":"))
    day = today - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())


def _thread(world: DemoWorld, school, thread: DemoThread, today: datetime.date) -> None:
    users = world.users
    child = world.students[thread.child] if thread.child else None
    group = world.groups[REGENBOOG, thread.grade] if thread.grade else None
    times = [_at(today, days, clock) for _sender, days, clock, _text in thread.messages]
    first, last = times[0], times[-1]
    conversation = Conversation.objects.create(
        school=school, subject=thread.subject, group=group, about_student=child, created_by=users[thread.parent],
        created_at=first, last_message_at=last,
    )
    parent_read = last if thread.parent_read_all else times[-2]
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=users[thread.parent], role=Participant.Role.GUARDIAN,
                     student=child, joined_at=first, last_read_at=parent_read)]
        + [Participant(conversation=conversation, user=users[email], role=thread.staff_role, joined_at=first,
                       last_read_at=last) for email in thread.staff]
    )
    messages = Message.objects.bulk_create(
        Message(conversation=conversation, sender=users[sender], body=text, created_at=at)
        for (sender, _days, _clock, text), at in zip(thread.messages, times, strict=True)
    )
    # What the parent has not read yet is told as the action tells it (issue 15: the centre).
    for message, at in zip(messages, times, strict=True):
        if at > parent_read and message.sender_id != users[thread.parent].pk:
            _notify_message(message, conversation, [users[thread.parent]], message.sender)
