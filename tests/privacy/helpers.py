"""Helpers of the privacy tests."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from schoolpoort.albums.models import Photo
from schoolpoort.core.models import Student
from schoolpoort.messaging.models import Conversation, Message, Participant
from tests.albums.helpers import add_photo, make_album


def run_worker():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def months_ago(months: int, days: int = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=months * 31 + days)


def leave(student: Student, when: datetime.datetime) -> Student:
    Student.objects.filter(pk=student.pk).update(archived_at=when)
    student.refresh_from_db()
    return student


def photo_of(student: Student, user) -> Photo:
    album = make_album(user, school=student.school, title=f"Album {student.first_name}")
    return add_photo(album, user, tags=[student])


def conversation(school, guardian, teacher, student, body="Hallo juf", when=None) -> Conversation:
    when = when or timezone.now()
    chat = Conversation.objects.create(school=school, subject="Vraag", about_student=student, created_by=guardian,
                                       created_at=when, last_message_at=when)
    Participant.objects.create(conversation=chat, user=guardian, role=Participant.Role.GUARDIAN, student=student)
    Participant.objects.create(conversation=chat, user=teacher, role=Participant.Role.TEACHER)
    Message.objects.create(conversation=chat, sender=guardian, body=body, created_at=when)
    return chat
