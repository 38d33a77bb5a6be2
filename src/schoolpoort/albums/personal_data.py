"""The personal data of albums, for the register (schoolpoort.lib.personal_data)."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import Photo

FILES = ("original", "web", "thumb")


def _leavers_photos(school, cutoff):
    """Photos that show a pupil who left before ``cutoff`` (a tagged pupil): the whole photo goes."""
    return (
        Photo.objects.filter(album__school=school, tags__student__archived_at__lt=cutoff)
        .distinct()
        .order_by("pk")
    )


def _erase(items) -> int:
    return delete_items(items, *FILES)


def _erase_family(school, student_ids, user_ids) -> int:
    photos = Photo.objects.filter(album__school=school, tags__student_id__in=student_ids).distinct()
    return delete_items(photos, *FILES)


def register() -> list[Entry]:
    return [
        Entry(
            key="albums.photos",
            label=_("Photos and videos in albums, and which children they show"),
            purpose=_("Showing parents their children's school life, with their image consent."),
            basis=Basis.CONSENT,
            who=_("Parents of the album's groups (only photos of children with consent); staff of the school."),
            anchor=Anchor.LEFT,
            term=Term(12),
            source=_("1 year after leaving (model privacy regulations PO, photos and video)."),
            expired=_leavers_photos,
            erase=_erase,
            erase_family=_erase_family,
            describe=label,
        ),
    ]
