"""Erasure of one family on request: four eyes (the admin who asked cannot confirm), carried out
by the worker, the family's accounts closed and their messages, answers and children's photos
erased; what the law makes the school keep stays; every other family is untouched."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from schoolpoort.absences.models import Absence
from schoolpoort.accounts.models import User
from schoolpoort.albums.models import Photo
from schoolpoort.core.models import AuditEntry, Guardianship, StaffMembership
from schoolpoort.messaging.models import Message
from schoolpoort.privacy.models import ErasureRequest
from tests.factories import StaffMembershipFactory, UserFactory

from .helpers import conversation, photo_of, run_worker


def _ask(client, admin, student):
    client.force_login(admin)
    response = client.post(reverse("privacy:request_erasure", args=[student.school_id]),
                           {"student": student.pk, "reason": "Per e-mail gevraagd door beide ouders"})
    assert response.status_code == 302
    return ErasureRequest.objects.get(student=student)


def _confirm(client, admin, erasure):
    client.force_login(admin)
    return client.post(reverse("privacy:erasure", args=[erasure.school_id, erasure.pk]), {"action": "confirm"})


def test_the_admin_who_asked_cannot_confirm_their_own_request(client, world):
    director = world.users["director"]
    erasure = _ask(client, director, world.child)

    page = client.get(reverse("privacy:erasure", args=[world.school.pk, erasure.pk]))
    assert not page.context["can_confirm"]
    _confirm(client, director, erasure)

    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.REQUESTED and erasure.confirmed_by is None
    assert not DBTaskResult.objects.exists()  # nothing was started
    # A member of the administration is no admin of the school either.
    _confirm(client, world.users["administration"], erasure)
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.REQUESTED


@pytest.mark.django_db(transaction=True)  # the real worker carries it out
def test_a_second_admin_confirms_and_only_that_family_is_erased(client, world):
    school, teacher = world.school, world.users["teacher"]
    second_director = UserFactory()
    StaffMembershipFactory(user=second_director, school=school, role=StaffMembership.Role.DIRECTOR)
    noor, lotte = world.child, world.classmate_of_other_group
    mother, father, other_parent = world.users["guardian"], world.users["other_guardian"], world.users[
        "guardian_other_group"]
    theirs = conversation(school, mother, teacher, noor, body="Noor is ziek")
    others = conversation(school, other_parent, teacher, lotte, body="Lotte komt later")
    photo_noor, photo_lotte = photo_of(noor, teacher), photo_of(lotte, teacher)
    absence = Absence.objects.create(student=noor, school=school, reason="sick", starts_on=timezone.localdate(),
                                     source=Absence.Source.GUARDIAN)

    erasure = _ask(client, world.users["director"], noor)
    assert _confirm(client, second_director, erasure).status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.CONFIRMED and erasure.confirmed_by == second_director
    run_worker()

    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.DONE, [r.traceback for r in DBTaskResult.objects.all()]
    for parent in (mother, father):
        parent.refresh_from_db()
        assert not parent.is_active and parent.email.endswith("@erased.invalid") and not parent.last_name
        assert not parent.has_usable_password()
    assert not Guardianship.objects.filter(student=noor, user__isnull=False).exists()
    assert not Message.objects.filter(conversation=theirs).exists()
    assert not Photo.objects.filter(pk=photo_noor.pk).exists()
    # What the law makes the school keep stays until its term: the pupil and her absences.
    noor.refresh_from_db()
    assert noor.first_name == "Noor" and Absence.objects.filter(pk=absence.pk).exists()
    # Every other family is untouched.
    other_parent.refresh_from_db()
    assert other_parent.is_active and other_parent.email == "guardian_other_group@example.org"
    assert list(Message.objects.filter(conversation=others).values_list("body", flat=True)) == ["Lotte komt later"]
    assert Photo.objects.filter(pk=photo_lotte.pk).exists()
    assert Guardianship.objects.filter(student=lotte, user=other_parent).exists()
    assert User.objects.filter(pk=world.users["guardian_other_school"].pk, is_active=True).exists()
    actions = set(AuditEntry.objects.filter(school=school, action__startswith="privacy.erasure").values_list(
        "action", flat=True))
    assert actions == {"privacy.erasure_requested", "privacy.erasure_confirmed", "privacy.erasure_done"}
    page = client.get(reverse("privacy:erasure", args=[school.pk, erasure.pk])).content.decode()
    assert "Ziekmeldingen en absenties" in page  # what was kept ("Absence reports and attendance")


def test_an_admin_of_another_board_cannot_see_or_confirm_a_request(client, world):
    erasure = _ask(client, world.users["director"], world.child)
    for role in ("board_admin_other_board", "guardian", "teacher"):
        assert _confirm(client, world.users[role], erasure).status_code == 404
    erasure.refresh_from_db()
    assert erasure.status == ErasureRequest.Status.REQUESTED
