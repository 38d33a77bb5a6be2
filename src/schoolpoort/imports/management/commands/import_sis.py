"""Import a file from the school administration system. A dry run unless --apply.

manage.py import_sis EDEX.XML --school 99AA
manage.py import_sis ouders.csv --school 99AA --apply
manage.py import_sis oneroster.zip --apply                # every school in the file
manage.py import_sis orgs.csv users.csv classes.csv enrollments.csv academicSessions.csv --board 1
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from schoolpoort.core.models import Board, School
from schoolpoort.core.scopes import school_scope, scopes_disabled
from schoolpoort.imports import formats
from schoolpoort.imports.models import ImportRun
from schoolpoort.imports.run import Result, apply_run, preview


class Command(BaseCommand):
    help = "Import pupils, groups, teachers and guardians from EDEXML, the guardian CSV or OneRoster."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="EDEX.XML, a guardian CSV, a OneRoster ZIP or its CSV files")
        parser.add_argument("--school", help="BRIN of the school (needed for a guardian CSV without a BRIN column)")
        parser.add_argument("--board", type=int, help="only the schools of this board (id)")
        parser.add_argument("--apply", action="store_true", help="apply the changes (default: a dry run)")
        parser.add_argument("--language", default="en", help="language of the report (en, nl)")

    def handle(self, *args, files, school=None, board=None, apply=False, language="en", **options):
        translation.activate(language)
        paths = [Path(f) for f in files]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        if len(paths) == 1:
            name, data = paths[0].name, paths[0].read_bytes()
        else:
            name, data = "oneroster.zip", formats.bundle({p.name: p.read_bytes() for p in paths})

        school_obj = board_obj = None
        if school:
            school_obj = School.objects.filter(brin__iexact=school).first()
            if school_obj is None:
                raise CommandError(f"No school with BRIN {school}")
        if board:
            board_obj = Board.objects.filter(pk=board).first()
            if board_obj is None:
                raise CommandError(f"No board {board}")
        # The school's scope, or that of every school of the board; a file of several schools
        # without either (OneRoster) names its schools itself and may touch every one of them.
        if school_obj or board_obj:
            declared = school_scope([school_obj] if school_obj else list(board_obj.schools.all()))
        else:
            declared = scopes_disabled()
        with declared:
            run, result = preview(school=school_obj, board=board_obj, user=None, filename=name, data=data, inline=True)
            self._report(result)
            if result.all_errors:
                raise CommandError(f"{len(result.all_errors)} error(s): nothing was imported.")
            if not apply:
                self.stdout.write("Dry run: nothing was changed. Add --apply to import.")
                return
            if result.is_empty:
                run.status = ImportRun.Status.APPLIED
                run.save(update_fields=["status"])
                self.stdout.write("Nothing to change.")
                return
            result = apply_run(run, None)
            if result.all_errors:
                self._report(result)
                raise CommandError("Nothing was imported.")
            self.stdout.write(self.style.SUCCESS(f"Applied (import #{run.pk})."))

    def _report(self, result: Result) -> None:
        for plan in result.plans:
            counts = plan.counts
            self.stdout.write(f"{plan.school.name} ({plan.school.brin}), school year {plan.school_year_name}:")
            for name in plan.SECTIONS:
                if counts.get(name):
                    self.stdout.write(f"  {name.replace('_', ' ')}: {counts[name]}")
            if plan.is_empty:
                self.stdout.write("  no changes")
        for error in result.all_errors:
            self.stderr.write(f"error: {error}")
        for warning in result.all_warnings:
            self.stdout.write(f"warning: {warning}")
