"""What every module's ``demo.py`` needs to add its content to the demo school (DEMO.md): the fixed
names and the world the demo app hands over. Model-free, so the modules need not import the demo
app (``schoolpoort.demo`` builds the world and calls them)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from faker import Faker

SEED = 2026
PASSWORD = "Demo-wachtwoord-2026"
BOARD_NAME = "Stichting Primair Demo"
PARENT_DOMAIN = "ouders.example"
REGENBOOG, ARK = "99AA", "99BB"
DOMAINS = {REGENBOOG: "regenboog.example", ARK: "deark.example"}


@dataclass
class DemoWorld:
    """Handles to what the demo made, for the apps that add their content to it."""

    rng: random.Random
    faker: Faker
    board: Any  # core.Board
    school_year: Any  # core.SchoolYear
    schools: dict[str, Any]  # School by BRIN
    groups: dict[tuple[str, str], Any]  # Group by (BRIN, grade)
    teachers: dict[tuple[str, str], list[Any]]  # User by (BRIN, grade)
    users: dict[str, Any]  # the fixed accounts, by e-mail
    students: dict[str, Any]  # the fixed pupils, by full name
    registration_code: str  # for Finn Visser's unregistered guardian
    password: str = PASSWORD
    seed: int = SEED

    def rng_for(self, app: str) -> random.Random:
        """A generator of the app's own, so its content stays the same when another app's changes."""
        return random.Random(f"{self.seed}:{app}")

    def faker_for(self, app: str) -> Faker:
        faker = Faker("nl_NL")
        faker.seed_instance(f"{self.seed}:{app}")
        return faker
