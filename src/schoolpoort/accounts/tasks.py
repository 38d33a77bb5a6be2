"""Background tasks of accounts. Tasks take ids, never model instances, and re-read what they need."""

from django_tasks import task


@task(queue_name="bulk")
def build_data_export(export_id: int) -> int:
    """Build a guardian's family export (``data_export.build``). The scope is declared inside:
    the schools the guardian reaches; each module's ``visible_to`` rules decide within it."""
    from .data_export import build

    export = build(export_id)
    return export.size if export is not None else 0


@task(queue_name="bulk")
def sweep_data_exports() -> int:
    """Delete the files of family exports past their 24 hours."""
    from .data_export import sweep

    count = 0
    while removed := sweep():
        count += removed
    return count
