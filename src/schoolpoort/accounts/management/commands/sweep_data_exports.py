"""``manage.py sweep_data_exports``: delete the encrypted files of family exports past their 24
hours. The export page sweeps as well; run this from cron (hourly, beside ``sweep_staging``) so a
download nobody fetched is gone on time even when nobody opens the page."""

from django.core.management.base import BaseCommand

from schoolpoort.accounts.data_export import sweep


class Command(BaseCommand):
    help = "Delete the files of family data exports whose download link has expired."

    def handle(self, *args, verbosity: int, **options):
        count = 0
        while removed := sweep():  # in batches
            count += removed
        if verbosity:
            self.stdout.write(f"Removed {count} expired data export(s).")
