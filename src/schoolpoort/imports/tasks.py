"""Background tasks of the administration import. Tasks take ids and re-read what they need."""

from django_tasks import task

from schoolpoort.core import staging
from schoolpoort.core.scopes import in_scope_of


@task(queue_name="default")
@in_scope_of("imports.ImportRun")
def read_import(run_id: int) -> str:
    """Read a large upload and make its dry run outside the web request (its page refreshes)."""
    from .models import ImportRun
    from .run import read_in_worker

    run = ImportRun.objects.select_related("upload", "school", "board").filter(pk=run_id).first()
    if run is None or run.status != ImportRun.Status.READING:
        return "gone"
    try:
        read_in_worker(run)
    except staging.Expired:
        return "expired"
    return run.status
