"""The demo's conference round (DEMO.md): groep 6 (and groep 3) of De Regenboog, open now, two
evenings next week, free and booked slots; the fixed families free to book; the invitation told."""

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolpoort.accounts.models import User
from schoolpoort.conferences.booking import free_slots
from schoolpoort.conferences.demo import evenings
from schoolpoort.conferences.families import children_in_round
from schoolpoort.conferences.models import Booking, Round, Slot
from schoolpoort.conferences.suggestions import best
from schoolpoort.notify.models import Broadcast


def test_the_demo_round_is_open_with_free_and_booked_times_on_two_evenings_next_week(demo):
    (round,) = Round.objects.all()
    assert round.school.name == "OBS De Regenboog" and round.is_open()
    assert sorted(g.name for g in round.groups.all()) == ["Groep 3", "Groep 6"]
    teachers = set(Slot.objects.filter(round=round).values_list("teacher__email", flat=True))
    assert teachers == {"leerkracht.groep6@regenboog.example", "leerkracht.groep3@regenboog.example"}
    days = {timezone.localtime(s.starts_at).date() for s in Slot.objects.filter(round=round)}
    assert days == set(evenings(timezone.localdate())) and min(days) > timezone.localdate()
    assert round.slot_minutes == 10 and round.books_separately
    group6 = Slot.objects.filter(round=round, teacher__email="leerkracht.groep6@regenboog.example")
    booked = group6.filter(pk__in=Booking.objects.active().values("slot_id")).count()
    assert 0 < booked < group6.count()
    assert round.exemptions.count() == 1


def test_the_fixed_families_can_book_and_the_jansens_get_times_one_after_the_other(demo):
    (round,) = Round.objects.all()
    fixed = ["Sem Jansen", "Noor Jansen", "Lotte de Vries", "Yasmina El Moussaoui", "Daan Smit", "Finn Visser"]
    assert not Booking.objects.filter(student__in=[demo.students[name] for name in fixed]).exists()
    jansen = User.objects.get(email="jansen@ouders.example")
    children = children_in_round(round, jansen)
    assert sorted(c.student.full_name for c in children) == ["Noor Jansen", "Sem Jansen"]
    assert best(children, free_slots(round, [g.pk for g in round.groups.all()]))
    # De Vries and Bakker are separated: each books their own conversation for Lotte.
    (lotte,) = children_in_round(round, User.objects.get(email="devries@ouders.example"))
    (lotte_too,) = children_in_round(round, User.objects.get(email="bakker@ouders.example"))
    assert lotte.party != lotte_too.party and lotte.party != 0


def test_the_demo_invites_the_families_as_opening_does_and_queues_no_conference_task(demo):
    # Issue 15: the notification centre shows the demo's invitation, told as round_opened tells it.
    broadcasts = Broadcast.objects.filter(module="conferences")  # one per language of the families
    assert broadcasts.exists() and {b.event for b in broadcasts} == {"conferences.opened"}
    assert all(b.fanned_out_at is not None for b in broadcasts)
    assert not DBTaskResult.objects.filter(task_path__contains="conferences").exists()
    assert Round.objects.get().notified_at is not None
