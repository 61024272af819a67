"""`baesang person add|death|find`: register victims and heirs, record a death, find them by name.

    export BAESANG_CLI_TOKEN=...        (a case officer's token: baesang api-token create case --name cli)
    baesang person add --hangul 박순이 [--hanja 朴順伊] [--roman "Park Sun-i"] [--born DATE] [--died DATE] \\
        [--sex F] [--bank-name 은행 --bank-account NUMBER] [--needs-representative]
    baesang person death ID --on DATE --evidence CERTIFICATE.pdf   (or --document N)
    baesang person find "Pak Suni" [--json]

A death is a recorded fact with its evidence; a bank account changes only by a proposal a
second person approves (`baesang claim proposals account`).

Personal data is stored encrypted and shown masked.
"""

from __future__ import annotations

from pathlib import Path

from baesang.core.commands import (
    StaffCommand,
    acting_user,
    as_json,
    get_or_fail,
    operator_arguments,
    parse_date,
    read_file,
    usage_error,
)
from baesang.judgments import services
from baesang.judgments.models import Person
from baesang.judgments.selectors import persons_search
from baesang.judgments.services import Upload


class Command(StaffCommand):
    help = "Persons (victims, heirs): `baesang person add|find`."
    actions = {"add": "register a person", "death": "record a person's death with its evidence",
               "find": "find persons by a name in Hangul, Hanja or Latin letters"}

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

    def arguments_death(self, parser):
        parser.add_argument("id", help="person id")
        parser.add_argument("--on", required=True, help="date of death YYYY-MM-DD")
        parser.add_argument("--evidence", help="the evidence (file), e.g. a basic certificate")
        parser.add_argument("--document", help="or the number of a stored document")
        parser.add_argument("--note", default="")
        operator_arguments(parser)

    def do_death(self, *, id, on, user, evidence=None, document=None, note="", **_):
        actor = acting_user(user, action="record_death")
        if bool(evidence) == bool(document):
            raise usage_error("--evidence", "give the evidence: exactly one of --evidence FILE or --document N")
        if document and not document.isdigit():
            raise usage_error("--document", f"{document!r} is not a document number")
        upload = Upload(Path(evidence).name, read_file(evidence, "--evidence")) if evidence else None
        person = services.person_death_record(
            person=get_or_fail(Person, id, "person"), death_date=parse_date(on, "--on"), actor=actor,
            document=int(document) if document else None, upload=upload, note=note)
        self.out(f"person {person.pk}: {person.name_hangul} died {person.death_date} "
                 f"(evidence: document {person.death_document_id})")

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
