"""Conferences for a parent's app: the rounds the caller sees, a round with their children and
what they booked, a child's free times, booking (one time, or back-to-back times for brothers and
sisters) and cancelling. The same rounds (``conferences.listing``), families
(``families.children_in_round``), free times and rush-proof booking (``conferences.booking``) as the
round page; a time taken meanwhile answers 409 with the nearest free times instead."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status

from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.access import staff_of_round
from schoolpoort.conferences.families import children_in_round
from schoolpoort.conferences.listing import round_or_404, visible_rounds
from schoolpoort.conferences.models import Booking

from ..errors import ERRORS, Error

router = Router(tags=["conferences"])


class RoundOut(Schema):
    id: int
    title: str
    school_id: int
    location: str
    video_link: str
    booking_opens_at: datetime.datetime
    booking_closes_at: datetime.datetime
    is_open: bool
    url: str


class SlotOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    teacher: str
    group_id: int
    location: str


class BookingOut(Schema):
    id: int
    student_id: int
    slot: SlotOut


class ConferenceChildOut(Schema):
    student_id: int
    name: str
    exempt: bool
    can_book: bool
    booking: BookingOut | None


class RoundDetail(RoundOut):
    children: list[ConferenceChildOut]


class FreeTimes(Schema):
    student_id: int
    items: list[SlotOut]


class PickIn(Schema):
    student_id: int
    slot_id: int


class BookIn(Schema):
    picks: list[PickIn]


class AppointmentOut(Schema):
    id: int
    bookings: list[BookingOut]


class PickOut(Schema):
    student_id: int
    slot: SlotOut


class Alternative(Schema):
    picks: list[PickOut]


class Taken(Error):
    lost_slot_ids: list[int]
    alternatives: list[Alternative]


def _round(round, now) -> dict:
    return {
        "id": round.pk, "title": round.title, "school_id": round.school_id, "location": round.location,
        "video_link": round.video_link, "booking_opens_at": round.booking_opens_at,
        "booking_closes_at": round.booking_closes_at, "is_open": round.is_open(now),
        "url": settings.SITE_URL + round.get_absolute_url(),
    }


def _slot(slot, round) -> dict:
    return {
        "id": slot.pk, "starts_at": slot.starts_at, "ends_at": slot.ends_at, "teacher": slot.teacher.full_name,
        "group_id": slot.group_id, "location": slot.session.location or round.location,
    }


def _booking(booking, round) -> dict:
    return {"id": booking.pk, "student_id": booking.student_id, "slot": _slot(booking.slot, round)}


def _children_or_404(round, user) -> list:
    children = children_in_round(round, user)
    if not children:
        raise Http404  # not a parent of a child in the round
    return children


def _refused(error: domain.BookingError):
    return Status(422, {"detail": [{"loc": ["body"], "msg": error.message, "type": error.code}]})


@router.get("/conferences", response={200: list[RoundOut], **ERRORS}, url_name="conference_rounds",
            summary="The conference rounds the caller sees")
def conference_rounds(request):
    request.auth.require_session()
    now = timezone.now()
    return [_round(round, now) for round in visible_rounds(request.auth.user)]


@router.get("/conferences/{round_id}", response={200: RoundDetail, **ERRORS}, url_name="conference_round",
            summary="One round, with the caller's children in it and what they booked")
def conference_round(request, round_id: int):
    """A parent sees their children in the round; staff of the round see it without children."""
    request.auth.require_session()
    user = request.auth.user
    round = round_or_404(user, round_id)
    children = children_in_round(round, user)
    if not children and not staff_of_round(user, round):
        raise Http404
    return {
        **_round(round, timezone.now()),
        "children": [
            {"student_id": child.student.pk, "name": child.student.full_name, "exempt": child.exempt,
             "can_book": child.can_book, "booking": _booking(child.booking, round) if child.booking else None}
            for child in children
        ],
    }


@router.get("/conferences/{round_id}/children/{student_id}/free-times", response={200: FreeTimes, **ERRORS},
            url_name="conference_free_times", summary="A child's free times")
def conference_free_times(request, round_id: int, student_id: int):
    """The times the parent can still book for this child, as on the round page: coming, not
    blocked, not taken, and not at the same time as a brother's or sister's conversation."""
    request.auth.require_session()
    user = request.auth.user
    round = round_or_404(user, round_id)
    children = _children_or_404(round, user)
    if student_id not in {child.student.pk for child in children}:
        raise Http404
    times = domain.family_free_times(round, children)
    return {"student_id": student_id, "items": [_slot(slot, round) for slot in times.by_child.get(student_id, [])]}


@router.post("/conferences/{round_id}/bookings",
             response={201: AppointmentOut, 409: Taken, **ERRORS}, url_name="conference_book",
             summary="Book a time per child")
def conference_book(request, round_id: int, payload: BookIn):
    """One pick per child (several children: one appointment, all or nothing). A time another
    family took meanwhile answers 409 with the lost slots and the nearest free times instead; a
    pick the round does not allow (closed, already booked, not the child's teacher) answers 422."""
    request.auth.require_session()
    user = request.auth.user
    round = round_or_404(user, round_id)
    children = _children_or_404(round, user)
    picks = [domain.Pick(pick.student_id, pick.slot_id) for pick in payload.picks]
    try:
        appointment = domain.book(round, user, picks, children=children)
    except domain.SlotTaken as taken:
        return Status(409, {
            "detail": taken.message,
            "lost_slot_ids": [slot.pk for slot in taken.lost],
            "alternatives": [
                {"picks": [{"student_id": child.student.pk, "slot": _slot(slot, round)} for child, slot in s.picks]}
                for s in taken.alternatives
            ],
        })
    except domain.BookingError as error:
        return _refused(error)
    bookings = (
        Booking.objects.filter(pk__in=[b.pk for b in appointment.made_bookings])
        .select_related("slot__teacher", "slot__session").order_by("slot__starts_at")
    )
    return Status(201, {"id": appointment.pk, "bookings": [_booking(b, round) for b in bookings]})


@router.delete("/conferences/{round_id}/bookings/{booking_id}", response={204: None, **ERRORS},
               url_name="conference_cancel", summary="Cancel a booking")
def conference_cancel(request, round_id: int, booking_id: int):
    """Until booking closes, as on the round page; the time is free for others again at once."""
    request.auth.require_session()
    user = request.auth.user
    round = round_or_404(user, round_id)
    if domain.guardian_booking(round, user, booking_id) is None:
        raise Http404
    try:
        domain.cancel(round, user, booking_id)
    except domain.BookingError as error:
        return _refused(error)
    return Status(204, None)
