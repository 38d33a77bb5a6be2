"""Image consent (toestemming beeldgebruik): the one rule asked by every photo another family can
see, in every module (album photos, news photos, images in group messages, image documents).

A viewer sees a photo when
- they are staff of the photo's school (or board), or uploaded it themselves; the module says
  where its rows keep the school and the uploader (``image_q``);
- otherwise, as one of the families: staff looked at the photo — they tagged the children in it,
  or stated that no child is recognisable (album photos skip this step: an album is a tagging
  place of its own) — and every child tagged in it has consent for the use in the current school
  year, or is the viewer's own child. No answer counts as no consent.

The rule is written as subqueries of ids, so that a module filters its images in the same query
as the rest of its page. Tags of album photos live in ``albums.PhotoTag``, tags of every other
module's images in ``core.ImageTag`` (a generic key); both go through ``blocked_image_ids``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .access import guardian_student_ids, roles_of
from .consent_models import Consent, ImageTag, Use
from .versions import content_changed


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def consenting_student_ids(use: str = Use.PORTAL, today: datetime.date | None = None) -> QuerySet:
    """Pupils whose guardians gave consent for ``use`` in the current school year."""
    today = today or timezone.localdate()
    return Consent.objects.filter(
        use=use, given=True, school_year__starts_on__lte=today, school_year__ends_on__gte=today
    ).values("student_id")


def unconsented(tags: QuerySet, use: str = Use.PORTAL) -> QuerySet:
    """Of the tag rows ``tags`` (any table with a ``student`` column), those of children without
    consent for ``use`` this school year."""
    return tags.filter(student__isnull=False).exclude(student_id__in=consenting_student_ids(use))


def blocked_image_ids(
    tags: QuerySet, user, use: str = Use.PORTAL, key: str = "object_id", own_children=None
) -> QuerySet:
    """The ids (column ``key`` of ``tags``) of the images the user may not see as one of the
    families: they show a child without consent for ``use`` who is not the user's own child.
    ``own_children``: the user's children when the caller has them at hand (``AccessIds.children``)."""
    own_children = guardian_student_ids(user) if own_children is None else own_children
    return unconsented(tags, use).exclude(student_id__in=own_children).values(key)


def tags_of_model(model: type[Model]) -> QuerySet:
    return ImageTag.objects.filter(content_type=ContentType.objects.get_for_model(model))


def family_image_q(user, model: type[Model], use: str = Use.PORTAL) -> Q:
    """The images of ``model`` (one of the modules' image rows) the user may see as one of the
    families: looked at by staff, and no tagged child without consent unless their own."""
    tags = tags_of_model(model)
    return Q(pk__in=tags.values("object_id")) & ~Q(pk__in=blocked_image_ids(tags, user, use))


def image_q(
    user,
    model: type[Model],
    *,
    school_field: str,
    board_field: str | None = None,
    uploader_field: str | None = None,
    use: str = Use.PORTAL,
) -> Q:
    """The condition on ``model``'s image rows that the user may see: every image of the schools
    where they are staff (``school_field`` leads to the school id; for a board-wide item without a
    school, ``board_field`` to the board id: staff of the board or of one of its schools), every
    image they uploaded (``uploader_field``), and otherwise what ``family_image_q`` allows. The
    module adds its own condition for rows that are not images."""
    if not _signed_in(user):
        return Q(pk__in=[])
    roles = roles_of(user)
    q = Q(**{f"{school_field}__in": sorted(roles.board_school_ids | set(roles.school_roles))})
    if board_field:
        boards = sorted(roles.board_ids | set(roles.staff_school_boards.values()))
        q |= Q(**{f"{school_field}__isnull": True, f"{board_field}__in": boards})
    if uploader_field:
        q |= Q(**{uploader_field: user})
    return q | family_image_q(user, model, use)


def may_show(user, image: Model, **fields) -> bool:
    """Whether the user may see one image (``fields`` as for ``image_q``)."""
    return type(image)._default_manager.filter(image_q(user, type(image), **fields), pk=image.pk).exists()


# --- Tagging an image (staff) ----------------------------------------------------------------------


def image_tags(image: Model) -> tuple[set[int], bool]:
    """(ids of the tagged children, whether staff stated no child is recognisable)."""
    rows = list(tags_of_model(type(image)).filter(object_id=image.pk).values_list("student_id", flat=True))
    return {pk for pk in rows if pk is not None}, None in rows


def tagged_image_ids(model: type[Model], ids: Iterable[int]) -> set[int]:
    """Which of the images ``ids`` staff have looked at (tagged or marked). One query."""
    return set(tags_of_model(model).filter(object_id__in=list(ids)).values_list("object_id", flat=True))


@transaction.atomic
def set_image_tags(image: Model, student_ids: Iterable[int], none_recognisable: bool, by) -> None:
    """Replace what staff said about the image: the children in it, or no child recognisable
    (never both). Neither puts the image back to "not looked at": hidden from other families."""
    student_ids = sorted(set(student_ids))
    if student_ids and none_recognisable:
        raise ValueError("an image with tagged children cannot also show no recognisable child")
    content_type = ContentType.objects.get_for_model(type(image))
    ImageTag.objects.filter(content_type=content_type, object_id=image.pk).delete()
    rows = [None] if none_recognisable else student_ids
    ImageTag.objects.bulk_create(
        [ImageTag(content_type=content_type, object_id=image.pk, student_id=pk, tagged_by=by) for pk in rows]
    )
    content_changed("images")  # bulk_create passes the signals (core/signals.py)
