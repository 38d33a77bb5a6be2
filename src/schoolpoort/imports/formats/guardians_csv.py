"""The guardian CSV ("ouders.csv"): one row per guardian–pupil pair, keyed on the administration's
pupil number (leerlingnummer) so it joins the pupils of EDEXML. Columns are documented in
docs/import.md; header names are Dutch, in any case, with or without spaces or hyphens.

    leerlingnummer;relatie;voornaam;tussenvoegsel;achternaam;e-mailadres;telefoon;ouderlijk gezag
    1001;moeder;Anna;;Jansen;anna@example.nl;0612345678;ja
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from schoolpoort.core.models import Guardianship
from schoolpoort.lib.csv import RowError, read_csv

from ..dataset import Dataset, SchoolData, SisGuardian, clean_email, join_infix

FORMAT = "guardians"

REQUIRED = ["leerlingnummer"]
# Each field with the header names accepted for it, the documented one first.
COLUMNS = {
    "brin": ["brin", "brincode"],
    "relation": ["relatie", "relatietype", "relation"],
    "first_name": ["voornaam", "roepnaam"],
    "infix": ["tussenvoegsel", "voorvoegsel"],
    "last_name": ["achternaam"],
    "email": ["emailadres", "email", "e-mail"],
    "phone": ["telefoon", "telefoonnummer", "mobiel"],
    "authority": ["ouderlijkgezag", "gezag"],
}
OPTIONAL = [name for names in COLUMNS.values() for name in names]

R = Guardianship.Relation
RELATIONS = {
    "": R.PARENT,
    "ouder": R.PARENT,
    "parent": R.PARENT,
    "verzorger": R.PARENT,
    "moeder": R.MOTHER,
    "mother": R.MOTHER,
    "vader": R.FATHER,
    "father": R.FATHER,
    "voogd": R.GUARDIAN,
    "guardian": R.GUARDIAN,
    "pleegouder": R.FOSTER,
    "pleegmoeder": R.FOSTER,
    "pleegvader": R.FOSTER,
    "foster": R.FOSTER,
    "overig": R.OTHER,
    "anders": R.OTHER,
    "other": R.OTHER,
    "stiefmoeder": R.OTHER,
    "stiefvader": R.OTHER,
    "grootouder": R.OTHER,
    "oma": R.OTHER,
    "opa": R.OTHER,
}
YES = {"", "ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar"}


def _value(row: dict[str, str], field: str) -> str:
    return next((row[name] for name in COLUMNS[field] if row.get(name)), "")


def parse(data: bytes, source: str = "") -> Dataset:
    dataset = Dataset(format=FORMAT)
    table = read_csv(data, REQUIRED, OPTIONAL)
    dataset.errors.extend(table.errors)
    by_brin: dict[str, SchoolData] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in table.rows:
        pupil = row["leerlingnummer"]
        if not pupil:
            dataset.errors.append(RowError(line, _("The pupil number (leerlingnummer) is empty.")))
            continue
        relation_text = _value(row, "relation").lower()
        relation = RELATIONS.get(relation_text)
        if relation is None:
            dataset.errors.append(
                RowError(
                    line,
                    _("Unknown relation %(value)s; use moeder, vader, ouder, voogd, pleegouder or overig.")
                    % {"value": _value(row, "relation")},
                )
            )
            continue
        authority_text = _value(row, "authority").lower()
        if authority_text not in YES | NO:
            dataset.errors.append(
                RowError(
                    line,
                    _("Parental authority must be ja or nee, not %(value)s.") % {"value": _value(row, "authority")},
                )
            )
            continue
        try:
            email = clean_email(_value(row, "email"))
        except ValidationError:
            dataset.errors.append(
                RowError(line, _("%(value)s is not an e-mail address.") % {"value": _value(row, "email")})
            )
            continue
        first_name = _value(row, "first_name")
        last_name = join_infix(_value(row, "infix"), _value(row, "last_name"))
        if not email and not (first_name or last_name):
            dataset.errors.append(RowError(line, _("A guardian needs an e-mail address or a name.")))
            continue
        identity = (pupil, email or f"{first_name} {last_name}".lower().strip(), _value(row, "brin").upper())
        if identity in seen:
            dataset.errors.append(
                RowError(
                    line,
                    _("This guardian of pupil %(pupil)s is already on line %(other)s.")
                    % {"pupil": pupil, "other": seen[identity]},
                )
            )
            continue
        seen[identity] = line
        brin = _value(row, "brin").upper()
        school = by_brin.setdefault(brin, SchoolData(brin=brin, full=False, guardians=[], source=source))
        school.guardians.append(
            SisGuardian(
                student_key=pupil,
                email=email,
                relation=relation,
                first_name=first_name,
                last_name=last_name,
                phone=_value(row, "phone")[:30],
                has_parental_authority=authority_text in YES,
                line=line,
            )
        )
    dataset.schools = list(by_brin.values()) or [SchoolData(full=False, guardians=[], source=source)]
    return dataset
