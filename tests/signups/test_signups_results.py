"""Results for staff: counts per option, the names per volunteer slot, the open answers, who has and
has not answered; the CSV export with the same answers (audited, safe to open in a spreadsheet); and
a reminder that reaches only the guardians without an answer, with a key of its own each time."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import AuditEntry
from schoolpoort.notify.models import Broadcast
from schoolpoort.signups import actions
from schoolpoort.signups.models import Form, Question
from tests.factories import UserFactory
from tests.signups.helpers import add_question, english, family, make_form, options_of, sign_up


@pytest.fixture
def trip(world):
    """A group 3 form: slots with places, a single choice and an open question; three families
    answered (one of them the world's, by the guardian), two have not."""
    form = make_form(world)
    slots = add_question(form, options=[("Heen", 4), ("Terug", 4)], text="Wanneer rijdt u?")
    seats = add_question(form, kind=Question.Kind.SINGLE, text="Zitverhoger?", options=[("Ja", None), ("Nee", None)])
    remark = add_question(form, kind=Question.Kind.OPEN, text="Opmerking")
    there, back = options_of(slots)
    yes, no = options_of(seats)
    guardian = world.users["guardian"]
    guardian.first_name, guardian.last_name = "Eva", "Jansen"
    guardian.save()
    sign_up(form, guardian, [there, yes], texts={remark.pk: "=SUM(A1:A3) graag"})
    (piet,), (kim,) = family(world.group3)
    piet.first_name, piet.last_name = "Piet", "Bakker"
    piet.save()
    sign_up(form, piet, [there, back, no])
    (anna,), _kids = family(world.group3)
    sign_up(form, anna, [no], texts={remark.pk: "Ik kan alleen terug"})
    waiting = [family(world.group3, guardians=2) for _n in range(2)]
    return form, (slots, seats, remark), (there, back, yes, no), waiting


def test_the_results_show_counts_names_per_slot_and_open_answers(client, world, trip):
    form, (slots, seats, remark), (there, back, yes, no), waiting = trip
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)

    response = client.get(reverse("signups:results", args=[form.pk]))

    results = response.context["results"]
    by_question = {result.question.pk: result for result in results.questions}
    counts = {item.option.label: item.count for item in by_question[slots.pk].options}
    assert counts == {"Heen": 2, "Terug": 1}
    assert {item.option.label: item.count for item in by_question[seats.pk].options} == {"Ja": 1, "Nee": 2}
    heen = next(item for item in by_question[slots.pk].options if item.option == there)
    assert heen.names == [f"Eva Jansen ({world.child.full_name})", heen.names[1]]
    assert heen.names[1].startswith("Piet Bakker (")
    assert [text for _who, text in by_question[remark.pk].texts] == ["=SUM(A1:A3) graag", "Ik kan alleen terug"]
    assert results.state.total == 5 and len(results.state.answered) == 3 and len(results.state.waiting) == 2
    page = response.content.decode()
    assert "3 / 5" in page and "2 / 4" in page and "Remind those who have not answered" in page


def test_the_csv_export_has_one_row_per_answer_made_safe_for_spreadsheets(client, world, trip):
    form, _questions, _options, _waiting = trip
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)

    response = client.get(reverse("signups:export", args=[form.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="intekenlijst-{form.pk}-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["For", "Group", "Answered by", "Answered at", "Wanneer rijdt u?", "Zitverhoger?", "Opmerking"]
    assert len(rows) == 4
    by_person = {row[2]: row for row in rows[1:]}
    eva = by_person["Eva Jansen"]
    assert eva[0] == world.child.full_name and eva[1] == "Groep 3"
    assert eva[4:] == ["Heen", "Ja", "'=SUM(A1:A3) graag"]  # a formula is made harmless
    assert by_person["Piet Bakker"][4:] == ["Heen; Terug", "Nee", ""]
    entry = AuditEntry.objects.get(action="signups.exported")
    assert entry.actor == teacher and entry.school == world.school and entry.detail == {"rows": 3}
    assert entry.object_id == str(form.pk)
    # A read of every child an exported answer is for (``core.audit``).
    reads = AuditEntry.objects.filter(action="records.view", actor=teacher)
    assert {r.detail["part"] for r in reads} == {"signups_export"}
    assert str(world.child.pk) in {r.object_id for r in reads}


@pytest.mark.parametrize("role", ["teacher", "director", "administration", "board_admin"])
def test_staff_who_manage_the_form_see_results_and_export(client, world, trip, role):
    form = trip[0]
    client.force_login(world.users[role])
    assert client.get(reverse("signups:results", args=[form.pk])).status_code == 200
    assert client.get(reverse("signups:export", args=[form.pk])).status_code == 200


@pytest.mark.parametrize("role", ["guardian", "other_guardian", "guardian_other_group", "guardian_other_school",
                                  "teacher_other_group", "board_admin_other_board"])
def test_results_and_export_do_not_exist_for_anyone_else(client, world, trip, role):
    form = trip[0]
    client.force_login(world.users[role])
    assert client.get(reverse("signups:results", args=[form.pk])).status_code == 404
    assert client.get(reverse("signups:export", args=[form.pk])).status_code == 404
    assert client.post(reverse("signups:remind", args=[form.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="signups.exported").exists()


def test_a_reminder_reaches_only_the_guardians_without_an_answer(client, world, trip):
    form, _questions, _options, waiting = trip
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)

    response = client.post(reverse("signups:remind", args=[form.pk]), follow=True)

    assert "A reminder has been sent to 2 families." in response.content.decode()
    (broadcast,) = Broadcast.objects.filter(event="signups.reminder")
    expected = sorted(user.pk for users, _children in waiting for user in users)
    assert sorted(broadcast.recipient_ids) == expected
    assert broadcast.key.startswith(f"signups.form:{form.pk}:reminder:")
    assert broadcast.url == form.get_absolute_url() and broadcast.module == "signups"
    form.refresh_from_db()
    assert form.reminded_at is not None
    assert AuditEntry.objects.filter(action="signups.reminded", actor=teacher).exists()

    client.post(reverse("signups:remind", args=[form.pk]))
    keys = list(Broadcast.objects.filter(event="signups.reminder").values_list("key", flat=True))
    assert len(keys) == 2 and len(set(keys)) == 2  # every reminder has a key of its own


def test_a_family_whose_other_guardian_answered_is_not_reminded(world):
    form = make_form(world)
    (slot,) = options_of(add_question(form, options=[("Heen", 4)]))
    sign_up(form, world.users["other_guardian"], [slot])
    (waiting,), _children = family(world.group3)

    assert actions.remind(form, world.users["teacher"]) == 1

    (broadcast,) = Broadcast.objects.filter(event="signups.reminder")
    assert broadcast.recipient_ids == [waiting.pk]


def test_per_child_the_guardians_of_each_child_without_an_answer_are_reminded(world):
    form = make_form(world, per=Form.Per.CHILD)
    question = add_question(form, kind=Question.Kind.SINGLE, options=[("Ja", None), ("Nee", None)])
    yes, _no = options_of(question)
    (mother,), (noor, sem) = family(world.group3, world.group3)
    sign_up(form, mother, [yes], student=noor)
    sign_up(form, world.users["guardian"], [yes], student=world.child)

    assert actions.remind(form, world.users["teacher"]) == 1  # Sem

    (broadcast,) = Broadcast.objects.filter(event="signups.reminder")
    assert broadcast.recipient_ids == [mother.pk]


def test_guardians_outside_the_audience_or_without_class_pages_are_not_reminded(world):
    form = make_form(world)
    add_question(form)
    (_restricted,), (child,) = family(world.group3)
    child.guardianships.update(sees_class_pages=False)
    inactive = UserFactory(is_active=False)
    child.guardianships.create(user=inactive)
    actions.remind(form, world.users["teacher"])
    (broadcast,) = Broadcast.objects.filter(event="signups.reminder")
    assert sorted(broadcast.recipient_ids) == sorted([world.users["guardian"].pk, world.users["other_guardian"].pk])


def test_no_reminder_after_the_deadline_or_when_everyone_answered(world):
    form = make_form(world)
    (slot,) = options_of(add_question(form, options=[("Heen", 4)]))
    sign_up(form, world.users["guardian"], [slot])
    assert actions.remind(form, world.users["teacher"]) == 0
    assert not Broadcast.objects.filter(event="signups.reminder").exists()

    Form.objects.filter(pk=form.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    form.refresh_from_db()
    with pytest.raises(actions.ActionRefused):
        actions.remind(form, world.users["teacher"])
