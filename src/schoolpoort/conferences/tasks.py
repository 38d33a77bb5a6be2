"""Background tasks of the conference module. Tasks take ids, never model instances, and re-read
what they need; each checks that its moment is still the round's (a changed time enqueues a new
task, and the old one then does nothing)."""

from django_tasks import task

from schoolpoort.core.scopes import in_scope_of


@task(queue_name="default")
@in_scope_of("conferences.Round")
def open_round(round_id: int, opens_at_iso: str) -> bool:
    """Tell the families that booking has opened. Returns whether it notified."""
    from .actions import open_due_round

    return open_due_round(round_id, opens_at_iso)


@task(queue_name="default")
@in_scope_of("conferences.Round")
def plan_round(round_id: int, planning_at_iso: str) -> dict | None:
    """Place every family that gave preferred times, then tell them. Returns the report."""
    from .planner import run_due

    return run_due(round_id, planning_at_iso)


@task(queue_name="default")
@in_scope_of("conferences.Round")
def send_reminders(round_id: int, day_iso: str) -> int:
    """The reminder the day before, to every family with a conversation on ``day``."""
    from .actions import send_due_reminders

    return send_due_reminders(round_id, day_iso)
