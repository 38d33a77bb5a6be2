"""What staff see of a form's answers: counts per option, the names per volunteer slot, the open
answers, who has and has not answered; and the CSV export of the same (audited). A fixed number
of queries however many answers there are."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core.audit import audit_read, read_part
from schoolpoort.core.models import AuditEntry, Enrollment, Group, Student
from schoolpoort.lib import dates
from schoolpoort.lib.csv import spreadsheet_writer

from .audience import Answered, answered
from .models import Answer, Form, Option, Question, Response

EXPORT = read_part("signups_export", gettext_lazy("Sign-up answers (export)"))


@dataclass
class Row:
    """One answer: for whom, by whom, when, and the answer to each question as text."""

    response: Response
    who_for: str
    by: str
    groups: str = ""
    answers: dict[int, list[str]] = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)  # the answers in the order of the questions
    pairs: list[tuple[Question, str]] = field(default_factory=list)  # (question, answer)
    student_ids: list[int] = field(default_factory=list)  # the children the answer is for

    def answer_to(self, question: Question) -> str:
        return "; ".join(self.answers.get(question.pk, []))


@dataclass
class OptionResult:
    option: Option
    count: int
    names: list[str]


@dataclass
class QuestionResult:
    question: Question
    options: list[OptionResult]
    texts: list[tuple[str, str]]  # (who, text)


@dataclass
class Results:
    form: Form
    questions: list[QuestionResult]
    rows: list[Row]
    state: Answered


def questions_of(form: Form) -> list[Question]:
    options = Prefetch("options", queryset=Option.objects.order_by("position", "pk"))
    return list(form.questions.prefetch_related(options))


def results(form: Form) -> Results:
    """Six queries: questions, options, answers with their responses, the audience, groups."""
    questions = questions_of(form)
    responses = list(
        Response.objects.filter(form=form)
        .select_related("student", "family_user", "responded_by")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    state = answered(form, responses)
    for_family = {family.response.pk: family for family in state.answered if not state.per_child}
    groups = _groups(form, {r.student_id for r in responses if r.student_id} | {
        child.pk for family in for_family.values() for child in family.children
    })
    options = {option.pk: option for question in questions for option in question.options.all()}
    rows = []
    names: dict[int, list[str]] = {}
    texts: dict[int, list[tuple[str, str]]] = {}
    for response in responses:
        by = response.responded_by.get_full_name() if response.responded_by else _("(account removed)")
        if response.student_id:
            who_for, child_ids = response.student.full_name, [response.student_id]
        elif response.pk in for_family:
            family = for_family[response.pk]
            who_for, child_ids = family.children_names, [child.pk for child in family.children]
        else:
            who_for, child_ids = (response.family_user.get_full_name() if response.family_user else by), []
        row = Row(response, who_for, by, ", ".join(sorted({g for pk in child_ids for g in groups.get(pk, [])})),
                  student_ids=child_ids)
        label = f"{by} ({who_for})" if who_for != by else by
        for answer in response.answers.all():
            if answer.option_id:
                row.answers.setdefault(answer.question_id, []).append(options[answer.option_id].label)
                names.setdefault(answer.option_id, []).append(label)
            else:
                row.answers.setdefault(answer.question_id, []).append(answer.text)
                texts.setdefault(answer.question_id, []).append((label, answer.text))
        rows.append(row)
    rows.sort(key=lambda row: row.who_for.lower())
    for row in rows:
        row.cells = [row.answer_to(question) for question in questions]
        row.pairs = list(zip(questions, row.cells, strict=True))
    question_results = [
        QuestionResult(
            question,
            [OptionResult(o, len(names.get(o.pk, [])), sorted(names.get(o.pk, []))) for o in question.options.all()],
            texts.get(question.pk, []),
        )
        for question in questions
    ]
    return Results(form, question_results, rows, state)


def _groups(form: Form, student_ids) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    enrollments = Enrollment.objects.filter(
        student_id__in=sorted(student_ids), group__in=Group.objects.current(), group__school_id=form.school_id
    ).select_related("group")
    for enrollment in enrollments:
        groups.setdefault(enrollment.student_id, []).append(enrollment.group.name)
    return groups


def _cell(value) -> str:
    """A value as one line of text (the writer makes formulas harmless: lib/csv.py)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return dates.style(value, "sortable")
    return " ".join(str(value).split())


def export_csv(form: Form, actor) -> tuple[str, int]:
    """The CSV text (UTF-8 with a byte order mark for spreadsheets, comma-separated, a header row)
    and its number of rows; audited."""
    found = results(form)
    questions = [result.question for result in found.questions]
    header = [_("For"), _("Group"), _("Answered by"), _("Answered at"), *[q.text for q in questions]]
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = spreadsheet_writer(buffer)
    writer.writerow([_cell(value) for value in header])
    for row in found.rows:
        writer.writerow([
            _cell(value)
            for value in [row.who_for, row.groups, row.by, row.response.updated_at, *row.cells]
        ])
    AuditEntry.record(actor, "signups.exported", form, school=form.school, rows=len(found.rows))
    pupils = sorted({pk for row in found.rows for pk in row.student_ids})
    audit_read(actor, [Student(pk=pk, school_id=form.school_id) for pk in pupils], EXPORT, school=form.school_id)
    return buffer.getvalue(), len(found.rows)
