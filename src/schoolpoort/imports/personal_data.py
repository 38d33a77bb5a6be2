"""The personal data of imports, for the register (schoolpoort.lib.personal_data)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_files_on_commit, label

from .models import ImportRun


def _old_files(school, cutoff):
    return (
        ImportRun.objects.filter(school=school, created_at__lt=cutoff)
        .filter(Q(upload__isnull=False) | ~Q(preview={}))
        .select_related("upload")
        .order_by("pk")
    )


def _erase(items) -> int:
    """The uploaded file and the stored preview (names, addresses) go; the run stays with its
    counts, so the history still says what was imported when."""
    uploads = [run.upload for run in items if run.upload_id]
    delete_files_on_commit([upload.file for upload in uploads])
    ImportRun.objects.filter(pk__in=[run.pk for run in items]).update(upload=None, preview={})
    for upload in uploads:
        upload.delete()
    return len(items)


def register() -> list[Entry]:
    return [
        Entry(
            key="imports.files",
            label=_("Files imported from the school administration system, and their previews"),
            purpose=_("Keeping the portal's pupils, groups and guardians in step with the administration."),
            basis=Basis.PUBLIC_TASK,
            who=_("The school's administration and director; the board admin."),
            anchor=Anchor.CREATED,
            term=Term(30, "days"),
            source=_("30 days: an import file is needed only until it is applied (AVG art. 5(1)(e))."),
            expired=_old_files,
            erase=_erase,
            describe=label,
            for_parents=False,
        ),
    ]
