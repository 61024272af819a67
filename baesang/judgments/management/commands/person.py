"""`baesang person add|find`: register victims and heirs, find them by name in any script.

    baesang person add --hangul 박순이 [--hanja 朴順伊] [--roman "Park Sun-i"] [--born DATE] [--died DATE] \\
        [--sex F] [--bank-name 은행 --bank-account NUMBER] [--needs-representative] --user case
    baesang person find "Pak Suni" [--json]

Personal data is stored encrypted and shown masked.
"""

from __future__ import annotations

from baesang.core.commands import StaffCommand, acting_user, as_json, operator_arguments, parse_date
from baesang.judgments import services
from baesang.judgments.selectors import persons_search


class Command(StaffCommand):
    help = "Persons (victims, heirs): `baesang person add|find`."
    actions = {"add": "register a person", "find": "find persons by a name in Hangul, Hanja or Latin letters"}

    def arguments_add(self, parser):
        parser.add_argument("--hangul", required=True)
        parser.add_argument("--hanja", default="")
        parser.add_argument("--roman", default="")
        parser.add_argument("--sex", default="", choices=["", "M", "F"])
        parser.add_argument("--born")
        parser.add_argument("--died")
        parser.add_argument("--phone", default="")
        parser.add_argument("--address", default="")
        parser.add_argument("--bank-name", default="")
        parser.add_argument("--bank-account", default="")
        parser.add_argument("--needs-representative", action="store_true")
        operator_arguments(parser)

    def do_add(self, *, hangul, user, hanja="", roman="", sex="", born=None, died=None, phone="", address="",
               bank_name="", bank_account="", needs_representative=False, **_):
        person = services.person_create(
            name_hangul=hangul, name_hanja=hanja, name_roman=roman, sex=sex,
            birth_date=parse_date(born, "--born") if born else None,
            death_date=parse_date(died, "--died") if died else None, phone=phone, address=address,
            bank_name=bank_name, bank_account=bank_account, needs_representative=needs_representative,
            actor=acting_user(user, action="manage_judgments"))
        self.out(f"person {person.pk}: {person.name_hangul}")

    def arguments_find(self, parser):
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true")

    def do_find(self, *, query, json=False, **_):
        rows = [{"id": p.pk, "name_hangul": p.name_hangul, "name_hanja": p.name_hanja, "name_roman": p.name_roman,
                 "birth_date": p.birth_date, "death_date": p.death_date} for p in persons_search(query=query)]
        if json:
            self.out(as_json(rows))
            return
        for row in rows:
            died = f", died {row['death_date']}" if row["death_date"] else ""
            self.out(f"{row['id']:>6}  {row['name_hangul']} {row['name_hanja']} {row['name_roman']}"
                     f" (born {row['birth_date'] or '?'}{died})")
        self.out(f"{len(rows)} person(s)")
