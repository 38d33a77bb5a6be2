"""Make the served (metadata-free) version of every video that is still waiting for one, e.g.
the videos uploaded before videos were remuxed (migration 0002 put them back to "processing")."""

from django.core.management.base import BaseCommand

from schoolpoort.albums.models import Photo


class Command(BaseCommand):
    help = "Remux the videos that have no served version yet, without their metadata."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Leave the work to the task worker.")

    def handle(self, *args, enqueue=False, **options):
        from schoolpoort.albums.processing import process_photo
        from schoolpoort.albums.tasks import process_photo as process_task
        from schoolpoort.core.scopes import school_scope, schools_of, scopes_disabled

        with scopes_disabled():  # the waiting videos of every school; each is processed in its own
            ids = list(
                Photo.objects.filter(kind=Photo.Kind.VIDEO, status=Photo.Status.PROCESSING, web="")
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        statuses = {}
        for pk in ids:
            if enqueue:
                process_task.enqueue(pk)
            else:
                with school_scope(schools_of(Photo, pk)):
                    status = process_photo(pk)
                statuses[status] = statuses.get(status, 0) + 1
        if enqueue:
            self.stdout.write(f"Enqueued {len(ids)} video(s).")
        else:
            summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "none"
            self.stdout.write(f"Processed {len(ids)} video(s): {summary}.")
