from django.core.management.base import BaseCommand, CommandError

from schoolpoort.calendar import vacations
from schoolpoort.core.models import School


class Command(BaseCommand):
    help = (
        "Load the Dutch school vacations of a school year (the current one by default) into a school's "
        "calendar, for the school's region. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("brin", help="BRIN code of the school, e.g. 99AA")
        parser.add_argument("--year", help=f"school year, one of {', '.join(vacations.school_years())}")

    def handle(self, *args, brin, year=None, **options):
        school = School.objects.filter(brin__iexact=brin).first()
        if school is None:
            raise CommandError(f"No school with BRIN code {brin}.")
        year = year or vacations.current_school_year()
        if year not in vacations.school_years():
            raise CommandError(f"No vacation dates for {year}; known: {', '.join(vacations.school_years())}.")
        from schoolpoort.core.scopes import school_scope

        with school_scope(school):
            added = vacations.load_vacations(school, year)
        self.stdout.write(
            f"{school.name} (region {school.region}), {year}: {len(added)} vacation(s) added"
            + (": " + ", ".join(f"{e.title} {e.starts_on}–{e.ends_on}" for e in added) if added else ", nothing new.")
        )
