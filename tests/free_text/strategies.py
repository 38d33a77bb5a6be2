"""Free text as people (and attackers) type it: any characters, line breaks of every kind,
control characters, quotes and the starts of spreadsheet formulas."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NASTY = ["\r", "\n", "\r\n", "\x00", "\x0b", "\x0c", "\x1b", "\u2028", "\u2029", "\x85", "\t", '"', "'", ";", ",",
         "\\", "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "Subject: x",
         "BEGIN:VEVENT", "é", "🙂"]

free_text = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(st.characters(exclude_categories=["Cs"]), max_size=6)),
    min_size=1,
    max_size=8,
).map("".join)

# What can reach the database: Django's form fields refuse NUL (ProhibitNullCharactersValidator)
# and PostgreSQL cannot store it; every other character can.
stored_text = free_text.map(lambda text: text.replace("\x00", "")).filter(bool)

# Bounded: a handful of examples per output keeps the suite fast; no per-example deadline (the
# database and the PDF renderer are slow on a loaded machine).
# No example database: nothing is written into the checkout.
bounded = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
