"""``manage.py load_demo``: the demo school of DEMO.md, built again from its fixed seed."""

from django.core.management.base import BaseCommand

from schoolpoort.demo.world import build_demo


class Command(BaseCommand):
    help = (
        "Build the demo school (DEMO.md) from a fixed seed. Removes the demo board, its schools and "
        "every user whose e-mail ends in '.example' first, so running it again gives the same world."
    )

    def handle(self, *args, verbosity: int, **options):
        build_demo(verbosity=verbosity, stdout=self.stdout)
