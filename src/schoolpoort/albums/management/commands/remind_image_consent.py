"""Remind the guardians who have not answered the image consent questions of this school year.
Run it from cron (say weekly); a guardian is reminded at most once a week, whatever the schedule."""

from django.core.management.base import BaseCommand

from schoolpoort.albums.consent import remind_unanswered


class Command(BaseCommand):
    help = "Notify guardians who have not answered the image consent questions of this school year."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Leave the work to the task worker.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from schoolpoort.albums.tasks import send_consent_reminders

            send_consent_reminders.enqueue()
            self.stdout.write("Enqueued.")
            return
        from schoolpoort.core.scopes import scopes_disabled

        with scopes_disabled():  # the reminders of every school at once
            count = remind_unanswered()
        self.stdout.write(f"Reminded {count} guardian(s).")
