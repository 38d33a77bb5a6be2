"""``manage.py apply_retention``: erase or anonymise what is past its retention term, per school.
With ``--dry-run`` it only lists what would go (counts and items per register entry and school);
with ``--enqueue`` it leaves the run to the task worker. Schedule ``apply_retention --enqueue``
daily from cron or a systemd timer."""

from django.core.management.base import BaseCommand, CommandError

from schoolpoort.core.models import School
from schoolpoort.core.scopes import scopes_disabled


class Command(BaseCommand):
    help = "Erase or anonymise personal data past its retention term (--dry-run lists it only)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would go; change nothing.")
        parser.add_argument("--school", action="append", metavar="BRIN", help="Only this school (repeatable).")
        parser.add_argument("--enqueue", action="store_true", help="Leave the run to the task worker.")

    def handle(self, *args, dry_run=False, school=None, enqueue=False, **options):
        if enqueue:
            if dry_run or school:
                raise CommandError("--enqueue runs every school for real; use it alone.")
            from schoolpoort.privacy.tasks import apply_retention

            apply_retention.enqueue()
            self.stdout.write("Enqueued.")
            return
        from schoolpoort.privacy.retention import run_all

        schools = None
        if school:
            with scopes_disabled():
                schools = list(School.objects.filter(brin__in=school).order_by("pk"))
            missing = set(school) - {s.brin for s in schools}
            if missing:
                raise CommandError(f"Unknown school(s): {', '.join(sorted(missing))}")
        total = 0
        for found, outcomes in run_all(dry_run=dry_run, schools=schools).items():
            self.stdout.write(f"{found.brin} {found.name}")
            for outcome in outcomes:
                if not outcome.count:
                    continue
                total += outcome.count
                verb = "would erase" if dry_run else "erased"
                done = outcome.count if dry_run else outcome.erased
                self.stdout.write(
                    f"  {outcome.entry.key}: {verb} {done} (term {outcome.term}, before {outcome.cutoff:%Y-%m-%d})"
                )
                if dry_run:
                    for name in outcome.names():
                        self.stdout.write(f"    - {name}")
                    if outcome.count > len(outcome.names()):
                        self.stdout.write(f"    … and {outcome.count - len(outcome.names())} more")
        self.stdout.write(("Would erase" if dry_run else "Erased") + f" {total} item(s) in total.")
