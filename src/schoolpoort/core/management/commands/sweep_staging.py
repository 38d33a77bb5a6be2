"""``manage.py sweep_staging``: delete parked import files that were never confirmed and have
expired. Uploads sweep as they come in as well; run this from cron (e.g. hourly, beside
``notify_recover``) so that a file nobody confirms is gone even when nothing else is uploaded."""

from django.core.management.base import BaseCommand

from schoolpoort.core.staging import sweep


class Command(BaseCommand):
    help = "Delete expired, unconfirmed parked uploads (imports) and their encrypted files."

    def handle(self, *args, verbosity: int, **options):
        count = 0
        while removed := sweep():  # in batches
            count += removed
        if verbosity:
            self.stdout.write(f"Removed {count} expired parked upload(s).")
