"""Background tasks of privacy. Tasks take ids, never model instances, and re-read what they need."""

from django_tasks import task

from schoolpoort.core.scopes import in_school_scope


@task(queue_name="bulk")
def apply_retention() -> dict:
    """The daily retention run over every school (``manage.py apply_retention --enqueue`` from
    cron, daily): what is past its term is erased, per school in its own scope."""
    from .retention import run_all

    return {
        school.brin: {o.entry.key: o.erased for o in outcomes if o.erased}
        for school, outcomes in run_all().items()
    }


@task(queue_name="default")
@in_school_scope
def carry_out_erasure(school_id: int, request_id: int) -> dict:
    """A confirmed erasure request of one family."""
    from .erasure import carry_out

    return carry_out(request_id)
