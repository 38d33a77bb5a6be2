"""Builds src/schoolpoort/accounts/data/dutch-passwords.txt.gz, the Dutch words that people make
passwords of ("Welkom12345", "regenboog2026"). Run it again to refresh the list:

    python3 -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1 Faker
    /tmp/wf/bin/python tools/dutch_passwords.py

Sources, all read from packages on PyPI:
- wordfreq 3.1.1: the 30,000 most frequent Dutch words (data CC BY-SA 4.0, from Wikipedia,
  subtitles, news, books, web text and social media; https://github.com/rspeer/wordfreq);
- Faker's nl_NL person provider: Dutch first names (MIT);
- the words below, written for a primary school: school life, children's words, seasons,
  months, days, holidays, clubs and the words people use as passwords anyway.

Only letters are kept, at least four of them; the validator strips digits and symbols around a
word before it looks it up (so "zomer2026!" is found as "zomer"), so years need no entries."""

import gzip
import re
import unicodedata
from pathlib import Path

from faker.providers.person.nl_NL import Provider as DutchNames
from wordfreq import top_n_list

OUT = Path(__file__).resolve().parent.parent / "src/schoolpoort/accounts/data/dutch-passwords.txt.gz"

SCHOOL_WORDS = """
welkom wachtwoord geheim inloggen ouderportaal schoolpoort basisschool school schooljaar
juf juffrouw meester directeur directie leerkracht leerling leerlingen klas klasgenoot groep
kleuter kleuters peuter schoolplein speelplaats gymzaal gymles schooltas broodtrommel
rapport cito huiswerk spreekbeurt voorlezen schoolreisje schoolkamp musical avondvierdaagse
ouderavond oudergesprek tienminutengesprek schoolfoto studiedag vakantie zomervakantie
herfstvakantie kerstvakantie voorjaarsvakantie meivakantie
regenboog zonneschijn zonnebloem zonnetje vlinder vlindertje lieveheersbeestje kabouter
knuffel knuffelbeer beertje konijn konijntje hondje poesje paardje pony eenhoorn prinses
prins ridder piraat draak dinosaurus olifant giraf tijger leeuw panda pinguin dolfijn
aardbei banaan appeltje snoepje chocola hagelslag pannenkoek poffertjes stroopwafel
sinterklaas zwartepiet pieterbaas kerstman kerstmis pasen paashaas koningsdag carnaval
lente zomer herfst winter voorjaar najaar
januari februari maart april mei juni juli augustus september oktober november december
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag weekend
ajax feyenoord psv oranje holland nederland amsterdam rotterdam utrecht denhaag eindhoven
voetbal hockey korfbal turnen zwemmen paardrijden
liefde schatje lieverd mamaenpapa mama papa oma opa familie gezin kinderen
"""


def letters_only(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word.lower()).encode("ascii", "ignore").decode()
    return plain if re.fullmatch(r"[a-z]{4,}", plain) else ""


def main() -> None:
    words = set()
    for source in (top_n_list("nl", 30000), DutchNames.first_names, SCHOOL_WORDS.split()):
        words.update(filter(None, map(letters_only, source)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as out:
        out.write("".join(f"{word}\n" for word in sorted(words)).encode())
    print(f"{len(words)} words -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
