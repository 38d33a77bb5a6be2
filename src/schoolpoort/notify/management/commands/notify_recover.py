"""``manage.py notify_recover``: put claims of dead workers back, and give broadcasts and
deliveries that are stuck their tasks again. Safe to run at any time, e.g. from cron every
ten minutes; every delivery task also does the first part when it starts."""

from django.core.management.base import BaseCommand

from schoolpoort.notify.outbox import sweep


class Command(BaseCommand):
    help = "Recover notification deliveries left by stopped workers and re-enqueue stuck work."

    def handle(self, *args, verbosity: int, **options):
        result = sweep()
        if verbosity:
            self.stdout.write(
                "Recovered {recovered} claims of stopped workers; re-enqueued {fan_outs} fan-outs and "
                "{deliveries} overdue deliveries.".format(**result)
            )
