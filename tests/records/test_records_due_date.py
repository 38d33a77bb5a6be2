"""The due date of a correction request: five working days, skipping weekends and the school's
vacations as its calendar knows them (school or board vacations; not other schools', not cancelled)."""

import datetime

from schoolpoort.calendar.models import Event
from schoolpoort.records import corrections

MONDAY = datetime.date(2026, 10, 12)  # the autumn vacation of the test is the week after


def vacation(first, last, category_override=None, **fields):
    category = category_override or Event.Category.VACATION
    return Event.objects.create(
        title="Herfstvakantie", category=category, all_day=True, starts_on=first, ends_on=last, **fields
    )


def autumn(**fields):
    return vacation(datetime.date(2026, 10, 17), datetime.date(2026, 10, 25), **fields)


def test_without_vacations_five_working_days(world):
    assert corrections.due_date(world.school, MONDAY) == datetime.date(2026, 10, 19)


def test_a_school_vacation_is_skipped(world):
    autumn(audience=Event.Audience.SCHOOL, school=world.school)
    assert corrections.due_date(world.school, MONDAY) == datetime.date(2026, 10, 26)


def test_a_board_vacation_is_skipped(world):
    autumn(audience=Event.Audience.BOARD, board=world.school.board)
    assert corrections.due_date(world.school, MONDAY) == datetime.date(2026, 10, 26)


def test_other_schools_cancelled_events_and_other_categories_do_not_count(world):
    autumn(audience=Event.Audience.SCHOOL, school=world.sister_school)
    autumn(audience=Event.Audience.SCHOOL, school=world.school, cancelled=True)
    autumn(audience=Event.Audience.SCHOOL, school=world.school, category_override=Event.Category.EXCURSION)
    assert corrections.due_date(world.school, MONDAY) == datetime.date(2026, 10, 19)


def test_a_vacation_that_started_before_today_counts_from_today(world):
    vacation(datetime.date(2026, 7, 4), datetime.date(2026, 8, 16), audience=Event.Audience.SCHOOL, school=world.school)
    assert corrections.due_date(world.school, datetime.date(2026, 7, 10)) == datetime.date(2026, 8, 21)


def test_a_request_gets_the_due_date_of_its_school(world):
    autumn(audience=Event.Audience.SCHOOL, school=world.school)
    request = corrections.propose(world.users["guardian"], world.child, "card", {"phone": "06 1"}, today=MONDAY)
    assert request.due_on == datetime.date(2026, 10, 26)


def test_the_due_date_costs_one_query(world, django_assert_num_queries):
    autumn(audience=Event.Audience.SCHOOL, school=world.school)
    with django_assert_num_queries(1):
        corrections.due_date(world.school, MONDAY)
