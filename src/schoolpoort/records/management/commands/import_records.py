"""Import records from a CSV file of the school administration. A dry run unless --apply.

manage.py import_records kaart.csv --school 99AA --kind card
manage.py import_records facturen.csv --school 99AA --kind invoices --apply

Medical details and note texts are never printed: the report says which fields change, not what
they change into (this output often ends up in a log)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from schoolpoort.core.models import School
from schoolpoort.core.scopes import school_scope
from schoolpoort.records import csvimport


class Command(BaseCommand):
    help = "Import personal data, medical details, invoices or notes of the records from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (columns: docs/records.md)")
        parser.add_argument("--school", required=True, help="BRIN of the school")
        parser.add_argument("--kind", required=True, choices=list(csvimport.KINDS))
        parser.add_argument("--apply", action="store_true", help="apply the changes (default: a dry run)")
        parser.add_argument("--language", default="en", help="language of the report (en, nl)")

    def handle(self, *args, file, school, kind, apply=False, language="en", **options):
        translation.activate(language)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        school_obj = School.objects.filter(brin__iexact=school).first()
        if school_obj is None:
            raise CommandError(f"No school with BRIN {school}")
        data = path.read_bytes()
        # No request here: the command declares the one school it imports into (core/scopes.py).
        with school_scope(school_obj):
            plan = csvimport.apply(school_obj, kind, data) if apply else csvimport.make_plan(school_obj, kind, data)
        self._report(plan)
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} error(s): nothing was imported.")
        if plan.is_empty:
            self.stdout.write("Nothing to change.")
        elif apply:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write("Dry run: nothing was changed. Add --apply to import.")

    def _report(self, plan) -> None:
        self.stdout.write(
            f"{csvimport.KINDS[plan.kind]}: {len(plan.added)} new, {len(plan.changed)} changed, "
            f"{plan.unchanged} unchanged"
        )
        for sign, items in (("+", plan.added), ("~", plan.changed)):
            for item in items:
                self.stdout.write(f"  {sign} line {item.line}: {item.student.sis_id} {item.what}".rstrip())
                for label, old, new, hidden in item.changes:
                    shown = "changed (not shown)" if hidden else f"{old or '-'} -> {new or '-'}"
                    self.stdout.write(f"      {label}: {shown}")
        for error in plan.errors:
            self.stderr.write(f"error: {error}")
