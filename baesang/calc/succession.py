"""Statutory heirship (법정상속, statutory succession) of a deceased creditor, in exact shares.

A victim's claim passes at death to the heirs that the Civil Code in force on the date of
death names, in the shares it fixes. By the decedent's date of death this engine applies:

* from 1991-01-01 — the Code as amended by Act No. 4199 (1990): descendants, ascendants,
  siblings, collateral relatives to the 4th degree, nearest degree first (Art. 1000); the
  spouse inherits with descendants or ascendants, 1.5 against 1, and alone without them
  (Arts. 1003(1), 1009(2));
* 1979-01-01 to 1990-12-31 — the Code as amended by Act No. 3051 (1977): equal shares, the
  household-head heir (호주상속인) +50 %, a daughter outside the family register 1/4 of a son,
  the wife +50 % (former Art. 1009); a husband inherits with his wife's descendants in equal
  shares, alone without them (former Art. 1002);
* 1960-01-01 to 1978-12-31 — the Code as enacted (Act No. 471): as above, but a daughter
  1/2 of a son, the wife 1/2 of a son with descendants and equal to a son with ascendants;
  before 1991 the 4th rank reaches the 8th degree with the blood relatives of former Arts. 768
  and 777 (a brother's, not a sister's, descendants; the maternal line to the 4th degree);
* before 1960 — customary law as the Supreme Court found it: a household head's estate to the
  household-head heir alone (76그2, 90다17729), a family member's to the lineal descendants in
  the register equally, a child out of wedlock half (90다15679, 79다1200); what the custom
  leaves open raises :class:`SuccessionError` (``before_1960``) naming the question.

It applies representation (대습상속, Arts. 1001, 1003(2), 1010), renunciation (상속포기,
Arts. 1042, 1043 — where every descendant renounces beside the spouse, the spouse is sole heir:
Supreme Court en banc 2023-03-23, 2020그42), disqualification (상속결격, Art. 1004) and
re-succession (재상속): an heir who dies after the decedent passes the share on under the law at
their own death, to any depth. Parent-child links are taken as they stood at each death:
ordinary and full adoption (Arts. 772, 908-3), step-mother and legitimate-mother relations
until 1990-12-31 (former Arts. 773, 774). A woman's place outside the register (former Art.
1009(2)) is measured against each decedent and date. An heir in North Korea takes the ordinary
share through a court-appointed administrator (Act No. 11299 of 2012, Art. 13). Shares are
exact :class:`~fractions.Fraction` values that sum to exactly 1; each final holder gets an
explanation (English or Korean) naming the successions, regimes, articles, decisions and
ratios. The family file and every rule are documented in ``docs/succession.md``; a family
file giving a key twice is refused (:func:`loads_family`).
No Django import here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

REGIME_1991 = "1991-"
REGIME_1979 = "1979-1990"
REGIME_1960 = "1960-1978"
REGIME_CUSTOM = "-1959"
REGIMES = (REGIME_1991, REGIME_1979, REGIME_1960, REGIME_CUSTOM)

_START_1960 = dt.date(1960, 1, 1)
_START_1979 = dt.date(1979, 1, 1)
_START_1991 = dt.date(1991, 1, 1)

LAW_IN_FORCE = {
    REGIME_1991: (
        "Civil Code as amended by Act No. 4199 of 1990-01-13, in force from 1991-01-01",
        "1990. 1. 13. 법률 제4199호로 개정되어 1991. 1. 1.부터 시행된 민법",
    ),
    REGIME_1979: (
        "Civil Code as amended by Act No. 3051 of 1977-12-31, in force 1979-01-01 to 1990-12-31",
        "1977. 12. 31. 법률 제3051호로 개정되어 1979. 1. 1.부터 1990. 12. 31.까지 시행된 민법",
    ),
    REGIME_1960: (
        "Civil Code as enacted by Act No. 471 of 1958-02-22, in force 1960-01-01 to 1978-12-31",
        "1958. 2. 22. 법률 제471호로 제정되어 1960. 1. 1.부터 1978. 12. 31.까지 시행된 민법",
    ),
    REGIME_CUSTOM: (
        "customary law (관습법) as the Supreme Court has found it, applied to successions opened before "
        "1960-01-01 (Chosŏn Civil Ordinance Art. 11; Civil Code Addenda Art. 25(1))",
        "1960. 1. 1. 전에 개시된 상속에 적용되는 대법원 판례가 확인한 관습법"
        "(조선민사령 제11조, 민법 부칙 제25조 제1항)",
    ),
}

# Error codes (SuccessionError.code); tests and the CLI reuse them.
UNKNOWN_FIELD = "unknown_field"
MISSING_FIELD = "missing_field"
BAD_VALUE = "bad_value"
DUPLICATE_ID = "duplicate_id"
UNKNOWN_ID = "unknown_id"
PARENTAGE_CYCLE = "parentage_cycle"
LIVING_DECEDENT = "living_decedent"
BEFORE_1960 = "before_1960"
TWO_SPOUSES = "two_spouses"
NO_HEIRS = "no_heirs"
CONFLICTING_FACTS = "conflicting_facts"
MANUAL_SHARES_REQUIRED = "manual_shares_required"
DUPLICATE_KEY = "duplicate_key"

SEXES = ("M", "F")


class SuccessionError(ValueError):
    """The family file is not valid, or the law gives the engine no answer.

    ``code`` is one of the module's error codes, ``person`` the id of the person concerned
    (or None); the message names the person and the rule.
    """

    def __init__(self, message: str, *, code: str, person: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.person = person


# --------------------------------------------------------------------------- the family


@dataclass(frozen=True)
class Administrator:
    """The property administrator (재산관리인) a court appointed for an heir resident in North Korea.

    Act on Special Cases concerning Family Relations and Succession between Residents of South
    and North Korea (남북 주민 사이의 가족관계와 상속 등에 관한 특례법, Act No. 11299 of 2012-02-10,
    in force 2012-05-11), Art. 13: the administrator holds and receives for the heir.
    """

    name: str
    reference: str = ""

    def as_json(self) -> dict:
        data = {"name": self.name}
        if self.reference:
            data["reference"] = self.reference
        return data


@dataclass(frozen=True)
class Person:
    """A person of the family file; the lists hold the ids of decedents the fact concerns.

    ``married_out`` (legacy) puts a woman outside the register of every decedent of the file;
    ``married_out_of`` names the decedents concerned; ``left_register`` / ``returned_to_register``
    date her leaving her birth family's register by marriage (출가) and her return (복적), which
    are measured against each decedent of her birth family at that decedent's death.
    """

    id: str
    sex: str
    died: dt.date | None = None
    household_head_heir_of: frozenset[str] = frozenset()
    renounced: frozenset[str] = frozenset()
    disqualified: frozenset[str] = frozenset()
    married_out: bool = False
    married_out_of: frozenset[str] = frozenset()
    born: dt.date | None = None
    household_head: bool | None = None
    left_register: dt.date | None = None
    returned_to_register: dt.date | None = None
    north_korea: bool = False
    administrator: Administrator | None = None


@dataclass(frozen=True)
class Marriage:
    """A marriage; ``ended`` is the date of the divorce (or of the end of the affinity)."""

    a: str
    b: str
    ended: dt.date | None = None


LINK_BIRTH = "birth"
LINK_ADOPTION = "adoption"  # ordinary adoption (보통양자): both families stay
LINK_FULL_ADOPTION = "full_adoption"  # 친양자 (Arts. 908-2 ff., from 2008-01-01): ends the birth family's links
LINK_STEP_MOTHER = "step_mother"  # 계모자 (former Art. 773), until 1990-12-31
LINK_LEGITIMATE_MOTHER = "legitimate_mother"  # 적모서자 (former Art. 774), until 1990-12-31
LINK_KINDS = (LINK_BIRTH, LINK_ADOPTION, LINK_FULL_ADOPTION, LINK_STEP_MOTHER, LINK_LEGITIMATE_MOTHER)

FULL_ADOPTION_START = dt.date(2008, 1, 1)

NORTH_KOREA_ACT = (
    "Act on Special Cases concerning Family Relations and Succession between Residents of South and North Korea, "
    "Act No. 11299 of 2012-02-10, Art. 13",
    "남북 주민 사이의 가족관계와 상속 등에 관한 특례법(2012. 2. 10. 법률 제11299호) 제13조",
)


@dataclass(frozen=True)
class ParentChild:
    """A legal parent-child link.

    ``kind``: ``birth`` (default), ``adoption`` (ordinary), ``full_adoption`` (친양자),
    ``step_mother`` (계모자) or ``legitimate_mother`` (적모서자); ``since`` / ``ended``: when an
    adoption or a step relation began and ended (파양, a divorce ...); ``out_of_wedlock``: a child
    born out of wedlock (서출), which matters under customary law only.
    """

    parent: str
    child: str
    kind: str = LINK_BIRTH
    since: dt.date | None = None
    ended: dt.date | None = None
    out_of_wedlock: bool = False


@dataclass(frozen=True)
class Family:
    decedent: str
    persons: tuple[Person, ...]
    marriages: tuple[Marriage, ...] = ()
    children: tuple[ParentChild, ...] = ()

    def person(self, person_id: str) -> Person:
        for person in self.persons:
            if person.id == person_id:
                return person
        raise SuccessionError(f"{person_id}: no such person in the family file", code=UNKNOWN_ID, person=person_id)

    def as_json(self) -> dict:
        """The family file (docs/succession.md § 1) of this family; facts left at their default are omitted."""
        persons = []
        for p in self.persons:
            item: dict[str, Any] = {"id": p.id, "sex": p.sex}
            for name in ("born", "died", "left_register", "returned_to_register"):
                if getattr(p, name) is not None:
                    item[name] = getattr(p, name).isoformat()
            for name in ("household_head_heir_of", "renounced", "disqualified"):
                if getattr(p, name):
                    item[name] = sorted(getattr(p, name))
            if p.married_out:
                item["married_out"] = True
            elif p.married_out_of:
                item["married_out"] = sorted(p.married_out_of)
            if p.household_head is not None:
                item["household_head"] = p.household_head
            if p.north_korea:
                item["north_korea"] = True
            if p.administrator is not None:
                item["administrator"] = p.administrator.as_json()
            persons.append(item)
        marriages = []
        for m in self.marriages:
            item = {"a": m.a, "b": m.b}
            if m.ended is not None:
                item["ended"] = m.ended.isoformat()
            marriages.append(item)
        links = []
        for c in self.children:
            item = {"parent": c.parent, "child": c.child}
            if c.kind != LINK_BIRTH:
                item["kind"] = c.kind
            for name in ("since", "ended"):
                if getattr(c, name) is not None:
                    item[name] = getattr(c, name).isoformat()
            if c.out_of_wedlock:
                item["out_of_wedlock"] = True
            links.append(item)
        return {"decedent": self.decedent, "persons": persons, "marriages": marriages, "children": links}


# --------------------------------------------------------------------------- parsing


class _Object(dict):
    """A JSON object as read, with the keys that appeared more than once."""

    duplicates: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    duplicates = []
    for key, value in pairs:
        if key in obj and key not in duplicates:
            duplicates.append(key)
        obj[key] = value
    obj.duplicates = tuple(duplicates)
    return obj


def _first_duplicate(value: Any, where: str) -> tuple[str, str] | None:
    if isinstance(value, _Object):
        if value.duplicates:
            return value.duplicates[0], where
        for key, item in value.items():
            label = where
            if key in ("persons", "marriages", "children"):
                label = key
            elif where == "family file":
                label = f"{where}: {key!r}"
            found = _first_duplicate(item, label if label != where else f"{where} → {key!r}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = f"{where}[{index}]"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label += f" (person {item['id']})"
            found = _first_duplicate(item, label)
            if found:
                return found
    return None


def loads_family(text: str) -> Any:
    """Read a family file's JSON text, refusing an object that gives a key twice.

    ``json.loads`` keeps the last of duplicate keys silently, so a file giving ``"died"`` twice would be
    computed on whichever came last; the family file is refused instead (:data:`DUPLICATE_KEY`), naming the
    key and where it is. Malformed JSON raises :class:`json.JSONDecodeError` as usual; JSON nested too
    deeply for the reader is refused (:data:`BAD_VALUE`).
    """
    try:
        data = json.loads(text, object_pairs_hook=_object_pairs)
        found = _first_duplicate(data, "family file")
    except RecursionError:  # a family file is a few levels deep; thousands of brackets are not one
        raise SuccessionError("family file: the JSON is nested too deeply to be a family file (see docs/succession.md)",
                              code=BAD_VALUE) from None
    if found:
        key, where = found
        person = None
        match = re.search(r"\(person ([^)]+)\)", where)
        if match:
            person = match.group(1)
        raise SuccessionError(
            f"{where}: the key {key!r} appears more than once in the same object; JSON readers would silently keep "
            "one of them — give each key once", code=DUPLICATE_KEY, person=person)
    return _plain(data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value

_TOP_FIELDS = ("decedent", "persons", "marriages", "children")
_PERSON_FIELDS = ("id", "sex", "born", "died", "household_head", "household_head_heir_of", "renounced", "disqualified",
                  "married_out", "left_register", "returned_to_register", "north_korea", "administrator")
_MARRIAGE_FIELDS = ("a", "b", "ended")
_CHILD_FIELDS = ("parent", "child", "kind", "since", "ended", "out_of_wedlock")
_CHILD_REQUIRED = ("parent", "child")
_ADMINISTRATOR_FIELDS = ("name", "reference")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_fields(obj: Any, allowed: tuple[str, ...], where: str, person: str | None) -> dict:
    if not isinstance(obj, dict):
        raise SuccessionError(f"{where}: must be a JSON object", code=BAD_VALUE, person=person)
    unknown = [key for key in obj if key not in allowed]
    if unknown:
        raise SuccessionError(
            f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}",
            code=UNKNOWN_FIELD, person=person,
        )
    return obj


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SuccessionError(f"{where}: must be a non-empty string id, got {value!r}", code=BAD_VALUE)
    return value


def _date(value: Any, where: str, person: str | None) -> dt.date:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise SuccessionError(f"{where}: must be an ISO date YYYY-MM-DD, got {value!r}", code=BAD_VALUE, person=person)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise SuccessionError(f"{where}: {value!r} is not a date ({exc})", code=BAD_VALUE, person=person) from exc


def _id_list(value: Any, where: str, person: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SuccessionError(f"{where}: must be a list of person ids", code=BAD_VALUE, person=person)
    return frozenset(value)


def _administrator(value: Any, pid: str) -> Administrator | None:
    if value is None:
        return None
    where = f"person {pid}: 'administrator'"
    raw = _check_fields(value, _ADMINISTRATOR_FIELDS, where, pid)
    name, reference = raw.get("name"), raw.get("reference", "")
    if not isinstance(name, str) or not name.strip():
        raise SuccessionError(f"{where}: 'name' (the court-appointed property administrator) is required",
                              code=MISSING_FIELD if name is None else BAD_VALUE, person=pid)
    if not isinstance(reference, str):
        raise SuccessionError(f"{where}: 'reference' must be a string (the court's case number)",
                              code=BAD_VALUE, person=pid)
    return Administrator(name=name, reference=reference)


def parse_family(data: dict) -> Family:
    """Build a :class:`Family` from the JSON family file, validating it completely.

    Unknown fields, unknown ids, duplicate ids, a cycle in parentage, a living decedent and
    contradictory facts raise :class:`SuccessionError` naming the person and the rule.
    """
    data = _check_fields(data, _TOP_FIELDS, "family file", None)
    if "decedent" not in data:
        raise SuccessionError("family file: the field 'decedent' is missing", code=MISSING_FIELD)
    if "persons" not in data:
        raise SuccessionError("family file: the field 'persons' is missing", code=MISSING_FIELD)
    decedent = _id(data["decedent"], "family file: 'decedent'")
    for key in ("persons", "marriages", "children"):
        if key in data and not isinstance(data[key], list):
            raise SuccessionError(f"family file: {key!r} must be a list", code=BAD_VALUE)

    persons = []
    for index, raw in enumerate(data["persons"]):
        label = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        where = f"person {label}" if label else f"persons[{index}]"
        raw = _check_fields(raw, _PERSON_FIELDS, where, label)
        if "id" not in raw:
            raise SuccessionError(f"{where}: the field 'id' is missing", code=MISSING_FIELD)
        pid = _id(raw["id"], f"{where}: 'id'")
        if raw.get("sex") not in SEXES:
            raise SuccessionError(f"person {pid}: 'sex' must be \"M\" or \"F\", got {raw.get('sex')!r}",
                                  code=MISSING_FIELD if "sex" not in raw else BAD_VALUE, person=pid)
        married_out = raw.get("married_out", False)
        married_out_of: frozenset[str] = frozenset()
        if isinstance(married_out, list):
            married_out_of = _id_list(married_out, f"person {pid}: 'married_out'", pid)
            married_out = False
        elif not isinstance(married_out, bool):
            raise SuccessionError(f"person {pid}: 'married_out' must be true, false or a list of decedent ids",
                                  code=BAD_VALUE, person=pid)
        flags = {}
        for name in ("household_head", "north_korea"):
            value = raw.get(name)
            if value is not None and not isinstance(value, bool):
                raise SuccessionError(f"person {pid}: {name!r} must be true or false", code=BAD_VALUE, person=pid)
            flags[name] = value
        dates = {name: _date(raw[name], f"person {pid}: {name!r}", pid) if raw.get(name) is not None else None
                 for name in ("born", "died", "left_register", "returned_to_register")}
        persons.append(Person(
            id=pid,
            sex=raw["sex"],
            died=dates["died"],
            household_head_heir_of=_id_list(raw.get("household_head_heir_of", []),
                                            f"person {pid}: 'household_head_heir_of'", pid),
            renounced=_id_list(raw.get("renounced", []), f"person {pid}: 'renounced'", pid),
            disqualified=_id_list(raw.get("disqualified", []), f"person {pid}: 'disqualified'", pid),
            married_out=married_out,
            married_out_of=married_out_of,
            born=dates["born"],
            household_head=flags["household_head"],
            left_register=dates["left_register"],
            returned_to_register=dates["returned_to_register"],
            north_korea=bool(flags["north_korea"]),
            administrator=_administrator(raw.get("administrator"), pid),
        ))

    marriages = []
    for index, raw in enumerate(data.get("marriages", [])):
        where = f"marriages[{index}]"
        raw = _check_fields(raw, _MARRIAGE_FIELDS, where, None)
        for key in ("a", "b"):
            if key not in raw:
                raise SuccessionError(f"{where}: the field {key!r} is missing", code=MISSING_FIELD)
        a, b = _id(raw["a"], f"{where}: 'a'"), _id(raw["b"], f"{where}: 'b'")
        ended = _date(raw["ended"], f"{where}: 'ended'", a) if raw.get("ended") is not None else None
        marriages.append(Marriage(a=a, b=b, ended=ended))

    links = []
    for index, raw in enumerate(data.get("children", [])):
        where = f"children[{index}]"
        raw = _check_fields(raw, _CHILD_FIELDS, where, None)
        for key in _CHILD_REQUIRED:
            if key not in raw:
                raise SuccessionError(f"{where}: the field {key!r} is missing", code=MISSING_FIELD)
        child = _id(raw["child"], f"{where}: 'child'")
        kind = raw.get("kind", LINK_BIRTH)
        if kind not in LINK_KINDS:
            raise SuccessionError(f"{where}: 'kind' must be one of {', '.join(LINK_KINDS)}, got {kind!r}",
                                  code=BAD_VALUE, person=child)
        out_of_wedlock = raw.get("out_of_wedlock", False)
        if not isinstance(out_of_wedlock, bool):
            raise SuccessionError(f"{where}: 'out_of_wedlock' must be true or false", code=BAD_VALUE, person=child)
        links.append(ParentChild(
            parent=_id(raw["parent"], f"{where}: 'parent'"), child=child, kind=kind,
            since=_date(raw["since"], f"{where}: 'since'", child) if raw.get("since") is not None else None,
            ended=_date(raw["ended"], f"{where}: 'ended'", child) if raw.get("ended") is not None else None,
            out_of_wedlock=out_of_wedlock))

    family = Family(decedent=decedent, persons=tuple(persons), marriages=tuple(marriages), children=tuple(links))
    validate_family(family)
    return family


def validate_family(family: Family) -> None:
    """Check the facts of a family against each other (ids, parentage, dates, flags)."""
    by_id: dict[str, Person] = {}
    for person in family.persons:
        if person.id in by_id:
            raise SuccessionError(f"person {person.id}: the id appears twice in 'persons'",
                                  code=DUPLICATE_ID, person=person.id)
        if person.sex not in SEXES:
            raise SuccessionError(f"person {person.id}: 'sex' must be \"M\" or \"F\"", code=BAD_VALUE, person=person.id)
        by_id[person.id] = person

    def known(pid: str, where: str, person: str | None = None) -> Person:
        if pid not in by_id:
            raise SuccessionError(f"{where}: unknown person id {pid!r} (not in 'persons')",
                                  code=UNKNOWN_ID, person=person or pid)
        return by_id[pid]

    decedent = known(family.decedent, "'decedent'")
    if decedent.died is None:
        raise SuccessionError(
            f"person {decedent.id}: the decedent has no date of death ('died'); only the claim of a deceased "
            "creditor passes to heirs (Art. 997: succession opens at death)",
            code=LIVING_DECEDENT, person=decedent.id)

    hh_heirs: dict[str, str] = {}
    for person in family.persons:
        for name in ("household_head_heir_of", "renounced", "disqualified"):
            for other in getattr(person, name):
                known(other, f"person {person.id}: {name!r}", person.id)
                if other == person.id:
                    raise SuccessionError(f"person {person.id}: {name!r} names the person themselves",
                                          code=CONFLICTING_FACTS, person=person.id)
        both = person.renounced & person.disqualified
        if both:
            raise SuccessionError(
                f"person {person.id}: both renounced and disqualified for {', '.join(sorted(both))}; a disqualified "
                "person is not an heir (Art. 1004) and so has nothing to renounce — keep one",
                code=CONFLICTING_FACTS, person=person.id)
        for other in person.renounced:
            opened = by_id[other].died
            if opened is None:
                raise SuccessionError(
                    f"person {person.id}: renounced the succession to {other}, who has not died; a renunciation "
                    "before the succession opens has no effect (Art. 1019)",
                    code=CONFLICTING_FACTS, person=person.id)
            if person.died is not None and person.died <= opened:
                raise SuccessionError(
                    f"person {person.id}: renounced the succession to {other} but died on or before {other} "
                    f"({person.died.isoformat()}); only a surviving heir can renounce (Arts. 1019, 1041)",
                    code=CONFLICTING_FACTS, person=person.id)
        for other in person.household_head_heir_of:
            if other in hh_heirs:
                raise SuccessionError(
                    f"person {person.id}: {hh_heirs[other]} is already the household-head heir of {other}; a "
                    "household has one head heir (former Art. 984)", code=CONFLICTING_FACTS, person=person.id)
            hh_heirs[other] = person.id
        if (person.married_out or person.married_out_of or person.left_register) and person.sex != "F":
            raise SuccessionError(
                f"person {person.id}: 'married_out' or 'left_register' is set for a man; the former Art. 1009(2) "
                "concerns a woman outside the family register", code=CONFLICTING_FACTS, person=person.id)
        for other in person.married_out_of:
            known(other, f"person {person.id}: 'married_out'", person.id)
        if person.returned_to_register is not None and (
                person.left_register is None or person.returned_to_register < person.left_register):
            raise SuccessionError(
                f"person {person.id}: 'returned_to_register' needs an earlier 'left_register' (a woman returns to "
                "her birth family's register only after leaving it)", code=CONFLICTING_FACTS, person=person.id)
        if person.administrator is not None and not person.north_korea:
            raise SuccessionError(
                f"person {person.id}: an 'administrator' is recorded but 'north_korea' is not set; a property "
                "administrator is appointed for a North Korean resident only (Act No. 11299, Art. 13)",
                code=CONFLICTING_FACTS, person=person.id)
        if person.born is not None and person.died is not None and person.died < person.born:
            raise SuccessionError(f"person {person.id}: died before being born", code=CONFLICTING_FACTS,
                                  person=person.id)
        if person.household_head is False and person.id in {o for p in family.persons
                                                             for o in p.household_head_heir_of}:
            raise SuccessionError(
                f"person {person.id}: 'household_head' is false but someone is recorded as the household-head heir "
                f"of {person.id}; only a household head's death opens a household-head succession",
                code=CONFLICTING_FACTS, person=person.id)

    for index, marriage in enumerate(family.marriages):
        where = f"marriages[{index}]"
        a, b = known(marriage.a, f"{where}: 'a'"), known(marriage.b, f"{where}: 'b'")
        if a.id == b.id:
            raise SuccessionError(f"{where}: person {a.id} is married to themselves", code=BAD_VALUE, person=a.id)
        if a.sex == b.sex:
            raise SuccessionError(
                f"{where}: {a.id} and {b.id} have the same sex; the Civil Code knows marriage between a man and a "
                "woman only (Arts. 812, 826), so the engine has no rule for it — enter the shares from a document",
                code=BAD_VALUE, person=a.id)

    parents_of: dict[str, list[str]] = defaultdict(list)
    seen_links = set()
    for index, link in enumerate(family.children):
        where = f"children[{index}]"
        known(link.parent, f"{where}: 'parent'")
        known(link.child, f"{where}: 'child'")
        if (link.parent, link.child) in seen_links:
            raise SuccessionError(f"{where}: the link {link.parent} → {link.child} appears twice",
                                  code=BAD_VALUE, person=link.child)
        seen_links.add((link.parent, link.child))
        if link.parent == link.child:
            raise SuccessionError(f"{where}: person {link.child} is their own parent (cycle in parentage)",
                                  code=PARENTAGE_CYCLE, person=link.child)
        if link.since is not None and link.ended is not None and link.ended < link.since:
            raise SuccessionError(f"{where}: 'ended' {_d(link.ended)} is before 'since' {_d(link.since)}",
                                  code=CONFLICTING_FACTS, person=link.child)
        if link.kind == LINK_BIRTH and (link.since is not None or link.ended is not None):
            raise SuccessionError(
                f"{where}: a birth link has no 'since' or 'ended'; a full adoption ends it (Art. 908-3(2)) — record "
                "the adoption as its own link with 'kind'", code=BAD_VALUE, person=link.child)
        if link.kind == LINK_FULL_ADOPTION:
            if link.since is None:
                raise SuccessionError(
                    f"{where}: a full adoption (친양자) needs its date 'since': it ends the links to the birth "
                    "family from that date (Art. 908-3(2))", code=MISSING_FIELD, person=link.child)
            if link.since < FULL_ADOPTION_START:
                raise SuccessionError(
                    f"{where}: a full adoption (친양자) dated {_d(link.since)}; it exists only from 2008-01-01 "
                    "(Arts. 908-2 ff., Act No. 7427) — record an earlier adoption as 'adoption'",
                    code=BAD_VALUE, person=link.child)
        if link.kind in (LINK_STEP_MOTHER, LINK_LEGITIMATE_MOTHER) and by_id[link.parent].sex != "F":
            raise SuccessionError(
                f"{where}: a {link.kind} link needs a woman as parent (former Arts. 773, 774)",
                code=BAD_VALUE, person=link.child)
        if link.out_of_wedlock and link.kind != LINK_BIRTH:
            raise SuccessionError(f"{where}: 'out_of_wedlock' concerns a birth link only",
                                  code=BAD_VALUE, person=link.child)
        parents_of[link.child].append(link.parent)
    _check_acyclic(parents_of)


def _check_acyclic(parents_of: Mapping[str, list[str]]) -> None:
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = defaultdict(int)
    for start in list(parents_of):
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                colour[node] = grey
                path.append(node)
            parents = parents_of.get(node, [])
            if index < len(parents):
                stack.append((node, index + 1))
                parent = parents[index]
                if colour[parent] == grey:
                    cycle = path[path.index(parent):] + [parent]
                    raise SuccessionError(
                        f"person {parent}: cycle in parentage ({' → child of '.join(cycle)}); "
                        "nobody can be their own ancestor", code=PARENTAGE_CYCLE, person=parent)
                if colour[parent] == white:
                    stack.append((parent, 0))
            else:
                colour[node] = black
                path.pop()


def regime_for(person_id: str, died: dt.date) -> str:
    """The succession regime of a death on ``died`` (before 1960: customary law)."""
    if died >= _START_1991:
        return REGIME_1991
    if died >= _START_1979:
        return REGIME_1979
    if died >= _START_1960:
        return REGIME_1960
    return REGIME_CUSTOM


def customary_refusal(person_id: str, died: dt.date, question: str) -> SuccessionError:
    """The error for a pre-1960 succession on a point the custom, as the courts found it, leaves open."""
    return SuccessionError(
        f"person {person_id}: died {died.isoformat()}, before the Civil Code came into force on 1960-01-01, so "
        f"customary law governs; {question} — the engine does not decide this: enter the shares from a court or "
        "registry document (manual shares)", code=BEFORE_1960, person=person_id)


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Route:
    """One way a final holder came to hold part of the claim.

    ``successions`` lists, for each succession along the way, (decedent id, recipient id):
    the recipient is the heir or the representative who took in that succession.
    """

    share: Fraction
    successions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SuccessionResult:
    decedent: str
    regime: str
    shares: dict[str, Fraction]
    explanation: dict[str, list[str]]
    explanation_ko: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    notes: tuple[str, ...] = ()
    notes_ko: tuple[str, ...] = field(default=(), repr=False, compare=False)
    routes: dict[str, tuple[Route, ...]] = field(default_factory=dict, repr=False, compare=False)
    # Holders resident in North Korea → their court-appointed property administrator (None: not yet appointed).
    administrators: dict[str, Administrator | None] = field(default_factory=dict, repr=False, compare=False)

    def explain(self, lang: str = "en") -> dict[str, list[str]]:
        """The explanation per final holder in ``lang`` ("en" or "ko")."""
        return self.explanation_ko if _lang(lang) == "ko" else self.explanation

    def notes_in(self, lang: str = "en") -> tuple[str, ...]:
        """Facts that made someone not inherit (renunciation, disqualification ...) in ``lang``."""
        return self.notes_ko if _lang(lang) == "ko" else self.notes

    def as_json(self, amounts: dict[str, int] | None = None, *, lang: str = "en") -> dict:
        """The ``--json`` shape of issue 3 §3; ``amounts`` only when given."""
        data: dict[str, Any] = {
            "decedent": self.decedent,
            "regime": self.regime,
            "shares": {holder: _fraction_text(share) for holder, share in self.shares.items()},
        }
        if amounts is not None:
            data["amounts"] = {holder: amounts[holder] for holder in self.shares}
        data["explanation"] = self.explain(lang)
        data["notes"] = list(self.notes_in(lang))
        if self.administrators:
            data["administrators"] = {holder: admin.as_json() if admin is not None else None
                                      for holder, admin in self.administrators.items()}
        return data


def _lang(lang: str) -> str:
    if lang not in ("en", "ko"):
        raise ValueError(f"language must be 'en' or 'ko', got {lang!r}")
    return lang


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _units(value: Fraction) -> str:
    """A weight as a short decimal when exact (1.5, 0.25), otherwise n/d."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den == 1:
        text = str(Decimal(value.numerator) / Decimal(value.denominator))
        return text.rstrip("0").rstrip(".") if "." in text else text
    return _fraction_text(value)


# --------------------------------------------------------------------------- the engine


@dataclass(frozen=True)
class _Text:
    en: str
    ko: str


@dataclass(frozen=True)
class _Alloc:
    """A recipient's part of one estate (or of a represented heir's share) and how it was reached."""

    person: Person
    fraction: Fraction
    hops: tuple[_Text, ...]


@dataclass(frozen=True)
class _Candidate:
    weight: Fraction
    text: _Text
    person: Person | None = None  # takes in person ...
    represented: tuple[_Alloc, ...] = ()  # ... or through representation


_HEIR, _PREDECEASED, _RENOUNCED, _DISQUALIFIED = "heir", "predeceased", "renounced", "disqualified"

RULE_2020_GEU_42 = _Text(
    "Art. 1043 as read by the Supreme Court en banc decision of 2023-03-23, 2020그42, which overruled the earlier "
    "reading (2015-05-14, 2013다48852) that the grandchildren became co-heirs; applied to every death from "
    "1960-01-01, as Art. 1043 has read the same since the Code came into force and the courts apply the en banc "
    "reading to every case still pending — a succession already settled under the earlier reading by a final "
    "judgment or a completed registration is entered from that document",
    "제1043조, 대법원 2023. 3. 23. 자 2020그42 전원합의체 결정(손자녀가 공동상속인이 된다고 본 대법원 2015. 5. 14. "
    "선고 2013다48852 판결 등 변경); 제1043조는 민법 시행 이래 같은 문언이고 법원은 변경된 해석을 계속 중인 사건에 "
    "적용하므로 1960. 1. 1. 이후의 모든 사망에 적용함 — 종전 해석에 따른 확정판결이나 등기로 이미 정리된 상속은 그 "
    "서류에 따라 입력")
_HALF, _QUARTER, _ONE_AND_HALF = Fraction(1, 2), Fraction(1, 4), Fraction(3, 2)


def _d(day: dt.date) -> str:
    return day.isoformat()


def _nth(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


class _Engine:
    def __init__(self, family: Family) -> None:
        self.family = family
        self.by_id = {p.id: p for p in family.persons}
        self.order = {p.id: i for i, p in enumerate(family.persons)}
        self.links = {(link.parent, link.child): link for link in family.children}
        self.children: dict[str, list[str]] = defaultdict(list)
        self.parents: dict[str, list[str]] = defaultdict(list)
        self.links_date: dt.date | None = None
        self.renounced_roots: set[tuple[str, str]] = set()
        self.marriages: dict[str, list[tuple[str, Marriage]]] = defaultdict(list)
        for marriage in family.marriages:
            self.marriages[marriage.a].append((marriage.b, marriage))
            self.marriages[marriage.b].append((marriage.a, marriage))
        self.notes: list[_Text] = []
        self.routes: dict[str, list[tuple[Route, tuple[_Text, ...], tuple[Fraction, ...]]]] = defaultdict(list)

    # ---- the legal links in force at a death

    @staticmethod
    def link_in_force(link: ParentChild, when: dt.date) -> bool:
        if link.since is not None and link.since > when:
            return False
        if link.ended is not None and link.ended <= when:
            return False
        if link.kind in (LINK_STEP_MOTHER, LINK_LEGITIMATE_MOTHER) and when >= _START_1991:
            return False
        return True

    def married_on(self, a: str, b: str, when: dt.date) -> bool:
        return any(partner == b and (marriage.ended is None or marriage.ended > when)
                   for partner, marriage in self.marriages[a])

    def use_links_at(self, decedent: Person) -> None:
        """Set the parent-child links as they stood at ``decedent``'s death, noting those that changed.

        A full adoption (친양자) ends the links to the birth family from its date, except to a birth parent
        married to the adopter (Art. 908-3(2)); its dissolution revives them (Art. 908-7). An ordinary
        adoption adds the adoptive parents and keeps the birth family (Arts. 772, 882-2). Step-mother and
        legitimate-mother relations (former Arts. 773, 774) were legal parent-child relations until
        1990-12-31; Act No. 4199 deleted them from 1991-01-01 (affinity remains, no succession).
        """
        when = decedent.died
        assert when is not None
        self.links_date = when
        full: dict[str, list[ParentChild]] = defaultdict(list)
        for link in self.family.children:
            if link.kind == LINK_FULL_ADOPTION and self.link_in_force(link, when):
                full[link.child].append(link)
        self.children = defaultdict(list)
        self.parents = defaultdict(list)
        for link in self.family.children:
            touches = decedent.id in (link.parent, link.child)
            if link.kind == LINK_BIRTH and full.get(link.child):
                adoptions = full[link.child]
                kept = [a for a in adoptions if self.married_on(link.parent, a.parent, a.since or when)]
                if not kept:
                    if touches:
                        adoption = adoptions[0]
                        self.note(
                            f"{link.child} was fully adopted (친양자) by {adoption.parent} on {_d(adoption.since)}: "
                            f"the link to the birth parent {link.parent} ended then (Art. 908-3(2)), so neither "
                            f"inherits from the other in the succession to {decedent.id}.",
                            f"{link.child}은(는) {_d(adoption.since)} {adoption.parent}의 친양자가 되어 친생부모 "
                            f"{link.parent}과의 친족관계가 종료되었다(제908조의3 제2항): {decedent.id}의 상속에서 "
                            "서로 상속하지 않는다.")
                    continue
            elif link.kind != LINK_BIRTH and not self.link_in_force(link, when):
                if touches and link.kind in (LINK_STEP_MOTHER, LINK_LEGITIMATE_MOTHER) and when >= _START_1991:
                    self.note(
                        f"{link.parent} and {link.child}: the {link.kind.replace('_', '-')} relation (former Arts. "
                        f"773, 774) ceased to be a parent-child relation on 1991-01-01 (Act No. 4199); "
                        f"{decedent.id} died {_d(when)}, so it gives no succession.",
                        f"{link.parent}와 {link.child}: 계모자·적모서자 관계(구 제773조, 제774조)는 1991. 1. 1. "
                        f"(법률 제4199호)부터 법정혈족이 아니므로 {_d(when)} 사망한 {decedent.id}의 상속에는 "
                        "영향이 없다.")
                elif touches:
                    span = ", ".join(f"{name} {_d(day)}" for name, day in (("since", link.since),
                                                                          ("ended", link.ended)) if day)
                    span_ko = ", ".join(f"{_d(day)} {name}" for name, day in (("개시", link.since),
                                                                              ("종료", link.ended)) if day)
                    self.note(
                        f"{link.parent} and {link.child}: the {link.kind.replace('_', ' ')} link ({span}) was not "
                        f"in force when {decedent.id} died ({_d(when)}) and gives no succession (Art. 776).",
                        f"{link.parent}와 {link.child}: 입양·법정혈족 관계({span_ko})가 {decedent.id} 사망 당시"
                        f"({_d(when)}) 존속하지 않아 상속이 없다(제776조).")
                continue
            elif touches and link.kind == LINK_ADOPTION:
                self.note(
                    f"{link.child} is the adopted child (ordinary adoption) of {link.parent}: an adopted child "
                    "inherits from the adoptive and from the birth family alike (Arts. 772, 882-2; before 1991 "
                    "former Art. 772).",
                    f"{link.child}은(는) {link.parent}의 (일반)양자이다: 양자는 양가와 생가 모두에서 상속한다"
                    "(제772조, 제882조의2; 1991년 전에는 구 제772조).")
            elif touches and link.kind == LINK_FULL_ADOPTION:
                self.note(
                    f"{link.child} is the fully adopted child (친양자) of {link.parent} from {_d(link.since)}: "
                    "treated as a child born in wedlock (Art. 908-3(1)).",
                    f"{link.child}은(는) {_d(link.since)}부터 {link.parent}의 친양자로서 혼인 중의 출생자로 본다"
                    "(제908조의3 제1항).")
            elif touches and link.kind in (LINK_STEP_MOTHER, LINK_LEGITIMATE_MOTHER):
                which = ("step-mother (계모, former Art. 773)" if link.kind == LINK_STEP_MOTHER
                         else "legitimate mother (적모, former Art. 774)")
                which_ko = "계모자(구 제773조)" if link.kind == LINK_STEP_MOTHER else "적모서자(구 제774조)"
                self.note(
                    f"{link.parent} is the {which} of {link.child}: before 1991 a legal parent-child relation, "
                    f"counted as such for {decedent.id}, who died {_d(when)}.",
                    f"{link.parent}와 {link.child}은(는) {which_ko} 관계로서 1991년 전에는 법정 친자관계였으므로 "
                    f"{_d(when)} 사망한 {decedent.id}의 상속에서 친자로 본다.")
            self.children[link.parent].append(link.child)
            self.parents[link.child].append(link.parent)

    def is_descendant(self, person_id: str, of: str) -> bool:
        stack, seen = list(self.children[of]), set()
        while stack:
            node = stack.pop()
            if node == person_id:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(self.children[node])
        return False

    def outside_register(self, person: Person, decedent: Person) -> bool:
        """Whether ``person`` is a woman outside ``decedent``'s family register at the death (former Art. 1009(2)).

        ``married_out`` (true, or naming the decedent) says so directly. Otherwise the dates decide: a woman
        who left her birth family's register by marriage (출가) is outside the register of her birth family's
        decedents dying after that, unless she returned (복적, e.g. after a divorce) before the death.
        """
        if person.sex != "F":
            return False
        if person.married_out or decedent.id in person.married_out_of:
            return True
        if person.left_register is None or decedent.died is None or decedent.died < person.left_register:
            return False
        if self.is_descendant(decedent.id, person.id):
            return False  # her own descendants are in her marital family, not her birth family
        if person.returned_to_register is not None and person.returned_to_register <= decedent.died:
            self.note(
                f"{person.id} left the family register on marriage on {_d(person.left_register)} but returned to "
                f"it on {_d(person.returned_to_register)}, before {decedent.id} died: she is in the register for "
                f"that succession and is not treated as married out (former Art. 1009(2)).",
                f"{person.id}은(는) {_d(person.left_register)} 혼인으로 가적을 떠났으나 {decedent.id} 사망 전인 "
                f"{_d(person.returned_to_register)} 복적하였으므로 그 상속에서 동일가적 내에 있는 여자이다"
                "(구 제1009조 제2항).")
            return False
        return True

    # ---- facts

    def note(self, en: str, ko: str) -> None:
        text = _Text(en, ko)
        if text not in self.notes:
            self.notes.append(text)

    def status(self, person: Person, decedent: Person) -> str:
        assert decedent.died is not None
        if decedent.id in person.disqualified:
            return _DISQUALIFIED
        if person.died is not None and person.died <= decedent.died:
            return _PREDECEASED
        if decedent.id in person.renounced:
            return _RENOUNCED
        return _HEIR

    def spouse_at(self, person: Person, when: dt.date) -> tuple[Person, Marriage] | None:
        """The spouse of ``person`` on ``when``: a marriage not ended before, a partner not dead before."""
        found: dict[str, tuple[Person, Marriage]] = {}
        for partner_id, marriage in self.marriages[person.id]:
            if marriage.ended is not None and marriage.ended < when:
                continue
            partner = self.by_id[partner_id]
            if partner.died is not None and partner.died < when:
                continue
            found.setdefault(partner_id, (partner, marriage))
        if len(found) > 1:
            names = ", ".join(sorted(found))
            raise SuccessionError(
                f"person {person.id}: two spouses ({names}) on {_d(when)}; a second marriage while the first "
                "lasts is not a valid marriage (Art. 810) — set 'ended' on the marriage that had ended",
                code=TWO_SPOUSES, person=person.id)
        return next(iter(found.values()), None)

    def sorted_ids(self, ids: Iterable[str]) -> list[str]:
        return sorted(set(ids), key=self.order.__getitem__)

    def note_not_heir(self, person: Person, decedent: Person, state: str, role_en: str, role_ko: str) -> None:
        if state == _RENOUNCED:
            self.note(
                f"{person.id} ({role_en}) renounced the succession to {decedent.id}: counts as never having been "
                f"an heir (Art. 1042); the share goes to the co-heirs (Art. 1043) and nobody represents {person.id}.",
                f"{person.id}({role_ko})은(는) {decedent.id}의 상속을 포기하였다: 처음부터 상속인이 아니었던 것으로 "
                f"본다(제1042조). 그 상속분은 다른 상속인에게 귀속되고(제1043조) 대습상속은 없다.")
        elif state == _DISQUALIFIED:
            self.note(
                f"{person.id} ({role_en}) is disqualified from succeeding to {decedent.id} (Art. 1004) and "
                "receives nothing in that succession.",
                f"{person.id}({role_ko})은(는) {decedent.id}의 상속에 관하여 상속결격자이므로(제1004조) "
                "그 상속에서 받지 못한다.")
        elif state == _PREDECEASED:
            assert person.died is not None and decedent.died is not None
            when = "at the same time as" if person.died == decedent.died else "before"
            when_ko = "과 동시에" if person.died == decedent.died else "보다 먼저"
            self.note(
                f"{person.id} ({role_en}) died {_d(person.died)}, {when} {decedent.id}, and is not an heir of "
                f"{decedent.id} (an heir must survive the decedent; same-day deaths are presumed simultaneous, "
                "Art. 30).",
                f"{person.id}({role_ko})은(는) {_d(person.died)} {decedent.id}{when_ko} 사망하여 {decedent.id}의 "
                "상속인이 아니다(동시사망 추정, 제30조).")

    # ---- weights

    def blood_weight(self, person: Person, decedent: Person, regime: str) -> tuple[Fraction, _Text]:
        """A blood relative's weight among co-heirs of the same rank, with the rule that sets it."""
        if regime == REGIME_1991:
            if decedent.id in person.household_head_heir_of:
                self.note(
                    f"{person.id} succeeded to {decedent.id}'s household headship, which from 1991 adds nothing to "
                    "the share (the proviso of Art. 1009(1) was deleted by Act No. 4199).",
                    f"{person.id}은(는) {decedent.id}의 호주승계인이나 1991년 이후에는 상속분 가산이 없다"
                    "(법률 제4199호로 제1009조 제1항 단서 삭제).")
            return Fraction(1), _Text("1 unit (equal shares, Art. 1009(1))", "1(균분, 제1009조 제1항)")
        if self.outside_register(person, decedent):
            weight = _QUARTER
            en, ko = ("a woman outside the family register, 1/4 of a man's share (former Art. 1009(2))",
                      "동일가적 내에 없는 여자, 남자의 상속분의 1/4(구 제1009조 제2항)")
        elif person.sex == "F" and regime == REGIME_1960:
            weight = _HALF
            en, ko = ("a woman, 1/2 of a man's share (former Art. 1009(1))",
                      "여자, 남자의 상속분의 1/2(구 제1009조 제1항)")
        else:
            weight, en, ko = Fraction(1), "equal shares (former Art. 1009(1))", "균분(구 제1009조 제1항)"
        if decedent.id in person.household_head_heir_of:
            en += ", plus 50 % of that as household-head heir (호주상속인, proviso of former Art. 1009(1))"
            ko += ", 호주상속인으로서 고유의 상속분에 5할 가산(구 제1009조 제1항 단서)"
            weight *= _ONE_AND_HALF
        unit = "unit" if weight == 1 else "units"
        return weight, _Text(f"{_units(weight)} {unit}: {en}", f"{_units(weight)}: {ko}")

    def spouse_weight(self, spouse: Person, decedent: Person, regime: str, *, with_descendants: bool,
                      husband: bool, of_represented: bool) -> tuple[Fraction, _Text]:
        """The spouse's weight against 1 for a (non-head, in-register, male) co-heir."""
        others_en = "each descendant" if with_descendants else "each ascendant"
        others_ko = "직계비속" if with_descendants else "직계존속"
        via_en = " applied through Art. 1010(2)" if of_represented else ""
        via_ko = ", 제1010조 제2항" if of_represented else ""
        if regime == REGIME_1991:
            weight = _ONE_AND_HALF
            en = f"1.5 units, +50 % over {others_en} (Art. 1009(2){via_en})"
            ko = f"1.5 — {others_ko}의 상속분에 5할 가산(제1009조 제2항{via_ko})"
        elif husband:
            weight = Fraction(1)
            en = "1 unit, equal to a son: a husband inherits with his wife's descendants in equal shares " \
                 "(former Arts. 1002, 1009(1)); the +50 % of former Art. 1009(3) is the wife's only"
            ko = "1 — 남편은 처의 직계비속과 동순위로 균분 상속(구 제1002조, 제1009조 제1항); 5할 가산은 처에 한함"
        elif regime == REGIME_1979:
            weight = _ONE_AND_HALF
            if with_descendants:
                en = f"1.5 units, +50 % over a descendant in the family register (former Art. 1009(3){via_en})"
                ko = f"1.5 — 동일가적 내 직계비속의 상속분에 5할 가산(구 제1009조 제3항{via_ko})"
            else:
                en = "1.5 units, +50 % over an ascendant's share (former Art. 1009(3))"
                ko = "1.5 — 직계존속의 상속분에 5할 가산(구 제1009조 제3항)"
        elif with_descendants:
            weight = _HALF
            en = (f"0.5 units, 1/2 of a son's share, taken as the share of a son who is not the household-head "
                  f"heir (former Art. 1009(3){via_en})")
            ko = f"0.5 — 남자(호주상속인 아닌 아들)의 상속분의 1/2(구 제1009조 제3항{via_ko})"
        else:
            weight = Fraction(1)
            en = "1 unit, equal to a man's share (former Art. 1009(3))"
            ko = "1 — 남자의 상속분과 균분(구 제1009조 제3항)"
        if decedent.id in spouse.household_head_heir_of and regime != REGIME_1991:
            weight *= _ONE_AND_HALF
            en += "; household-head heir: +50 % (proviso of former Art. 1009(1)), making " + _units(weight)
            ko += f"; 호주상속인 5할 가산(구 제1009조 제1항 단서) = {_units(weight)}"
        return weight, _Text(en, ko)

    # ---- splitting

    def split(self, candidates: list[_Candidate], of: _Text) -> list[_Alloc]:
        total = sum((c.weight for c in candidates), Fraction(0))
        out: list[_Alloc] = []
        for candidate in candidates:
            fraction = candidate.weight / total
            if len(candidates) == 1:
                hop = _Text(f"{candidate.text.en}: the whole of {of.en} (1)",
                            f"{candidate.text.ko}: {of.ko} 전부(1)")
            else:
                hop = _Text(
                    f"{candidate.text.en}: {_units(candidate.weight)} of {_units(total)} units = "
                    f"{_fraction_text(fraction)} of {of.en}",
                    f"{candidate.text.ko}: 합계 {_units(total)} 중 {_units(candidate.weight)} = "
                    f"{of.ko}의 {_fraction_text(fraction)}")
            if candidate.person is not None:
                out.append(_Alloc(candidate.person, fraction, (hop,)))
            else:
                for alloc in candidate.represented:
                    out.append(_Alloc(alloc.person, fraction * alloc.fraction, (hop, *alloc.hops)))
        return out

    # ---- ranks

    def heirs(self, decedent: Person, regime: str) -> list[_Alloc]:
        """The allocation of ``decedent``'s estate among heirs and representatives."""
        assert decedent.died is not None
        self.use_links_at(decedent)
        if regime == REGIME_CUSTOM:
            return self.customary_heirs(decedent)
        estate = _Text(f"{decedent.id}'s estate", f"{decedent.id}의 상속재산")
        pair = self.spouse_at(decedent, decedent.died)
        spouse = pair[0] if pair else None
        spouse_ok = False
        if spouse is not None:
            state = self.status(spouse, decedent)
            spouse_ok = state == _HEIR
            if not spouse_ok:
                self.note_not_heir(spouse, decedent, state, "spouse", "배우자")
        husband = regime != REGIME_1991 and spouse is not None and spouse.sex == "M"

        lines = self.descendant_lines(decedent, decedent, regime, spouse_ok)
        if lines:
            if spouse_ok:
                assert spouse is not None
                weight, rule = self.spouse_weight(spouse, decedent, regime, with_descendants=True,
                                                  husband=husband, of_represented=False)
                lines.insert(0, self.spouse_candidate(spouse, decedent, regime, weight, rule, husband, True))
            return self.split(lines, estate)
        if spouse_ok and (decedent.id, decedent.id) in self.renounced_roots and not husband:
            # Art. 1043 as read by the Supreme Court en banc 2023-03-23, 2020그42: the renouncing descendants'
            # shares go to the spouse, their co-heir of the first rank, who becomes the sole heir; neither the
            # farther descendants nor the ascendants step in.
            assert spouse is not None
            word, word_ko = ("spouse", "배우자") if regime == REGIME_1991 else ("wife", "처")
            text = _Text(
                f"{spouse.id}: {word} of {decedent.id}, sole heir: every descendant who would have inherited with "
                f"the {word} renounced, and the renounced shares go to the {word}, the remaining co-heir of the "
                f"first rank; neither farther descendants nor ascendants inherit ({RULE_2020_GEU_42.en})",
                f"{spouse.id}: {decedent.id}의 {word_ko}, 단독상속인: 함께 상속할 직계비속이 모두 상속을 포기하여 그 "
                f"상속분은 같은 순위의 공동상속인인 {word_ko}에게 귀속되고, 다음 순위의 직계비속이나 직계존속은 "
                f"상속인이 되지 않는다({RULE_2020_GEU_42.ko})")
            return self.split([_Candidate(Fraction(1), text, person=spouse)], estate)
        if spouse_ok and husband:
            assert spouse is not None
            text = _Text(
                f"{spouse.id}: husband of {decedent.id}, sole heir as she left no descendant who inherits "
                "(former Art. 1002: the husband excludes her ascendants and collaterals)",
                f"{spouse.id}: {decedent.id}의 남편, 상속하는 직계비속이 없어 단독상속인(구 제1002조)")
            return self.split([_Candidate(Fraction(1), text, person=spouse)], estate)

        ascendants = self.ascendant_candidates(decedent, regime, spouse_ok)
        if ascendants:
            if spouse_ok:
                assert spouse is not None
                weight, rule = self.spouse_weight(spouse, decedent, regime, with_descendants=False,
                                                  husband=False, of_represented=False)
                ascendants.insert(0, self.spouse_candidate(spouse, decedent, regime, weight, rule, False, False))
            return self.split(ascendants, estate)
        if spouse_ok:
            assert spouse is not None
            article = "Art. 1003(1)" if regime == REGIME_1991 else "former Art. 1003(1)"
            article_ko = "제1003조 제1항" if regime == REGIME_1991 else "구 제1003조 제1항"
            text = _Text(
                f"{spouse.id}: spouse of {decedent.id}, sole heir as no descendant or ascendant inherits ({article})",
                f"{spouse.id}: {decedent.id}의 배우자, 상속하는 직계비속·직계존속이 없어 단독상속인({article_ko})")
            return self.split([_Candidate(Fraction(1), text, person=spouse)], estate)

        siblings = self.sibling_candidates(decedent, regime)
        if siblings:
            return self.split(siblings, estate)
        collaterals = self.collateral_candidates(decedent, regime)
        if collaterals:
            return self.split(collaterals, estate)
        return []

    def spouse_candidate(self, spouse: Person, decedent: Person, regime: str, weight: Fraction, rule: _Text,
                         husband: bool, with_descendants: bool) -> _Candidate:
        if husband:
            role = _Text(f"husband of {decedent.id}, co-heir with her descendants (former Art. 1002)",
                         f"{decedent.id}의 남편, 직계비속과 공동상속인(구 제1002조)")
        else:
            others = ("descendants", "직계비속") if with_descendants else ("ascendants", "직계존속")
            wife = "wife" if regime != REGIME_1991 else "spouse"
            wife_ko = "처" if regime != REGIME_1991 else "배우자"
            article = "Art. 1003(1)" if regime == REGIME_1991 else "former Art. 1003(1)"
            article_ko = "제1003조 제1항" if regime == REGIME_1991 else "구 제1003조 제1항"
            role = _Text(f"{wife} of {decedent.id}, co-heir with the {others[0]} ({article})",
                         f"{decedent.id}의 {wife_ko}, {others[1]}과 공동상속인({article_ko})")
        return _Candidate(weight, _Text(f"{spouse.id}: {role.en}; {rule.en}", f"{spouse.id}: {role.ko}; {rule.ko}"),
                          person=spouse)

    def descendant_lines(self, root: Person, decedent: Person, regime: str, root_spouse_ok: bool) -> list[_Candidate]:
        """Lines of descendants of ``root`` that take in ``decedent``'s succession, nearest degree first.

        ``root`` is the decedent, or a predeceased / disqualified heir whose share is represented.
        Where every descendant of a degree renounced (or died without representatives) the next
        degree inherits in its own right (Art. 1000(2)), unless ``root``'s spouse takes: then the
        spouse is the sole heir (Supreme Court en banc 2023-03-23, 2020그42, Art. 1043).
        """
        frontier = self.sorted_ids(self.children[root.id])
        degree, seen = 1, set()
        while frontier:
            candidates: list[_Candidate] = []
            next_frontier: list[str] = []
            renounced_any = False
            for child_id in frontier:
                if child_id in seen:
                    continue
                seen.add(child_id)
                child = self.by_id[child_id]
                relation, role = self.descendant_relation(root, decedent, degree)
                state = self.status(child, decedent)
                if state == _HEIR:
                    weight, rule = self.blood_weight(child, decedent, regime)
                    if root.id != decedent.id and decedent.id in child.household_head_heir_of \
                            and regime != REGIME_1991:
                        self.note(
                            f"{child.id} represents {root.id} and is {decedent.id}'s household-head heir: the +50 % "
                            f"is applied within {root.id}'s share (former Arts. 1010(2), 1009(1)); where the "
                            "registry applied it otherwise, enter the shares from that document.",
                            f"{child.id}은(는) {root.id}의 대습상속인이자 {decedent.id}의 호주상속인이다: 5할 가산은 "
                            f"{root.id}의 상속분 안에서 적용하였다(구 제1010조 제2항, 제1009조 제1항). 등기 실무가 "
                            "달리 적용한 경우 그 서류에 따라 상속분을 입력할 것.")
                    candidates.append(_Candidate(weight, _Text(f"{child.id}: {relation.en}; {rule.en}",
                                                               f"{child.id}: {relation.ko}; {rule.ko}"), person=child))
                elif state in (_PREDECEASED, _DISQUALIFIED):
                    candidate = self.represented_candidate(child, decedent, regime, role)
                    if candidate is not None:
                        candidates.append(candidate)
                else:
                    renounced_any = True
                    self.note_not_heir(child, decedent, state, role.en, role.ko)
                    next_frontier.extend(self.children[child_id])
            if candidates:
                return candidates
            if root_spouse_ok:
                if renounced_any:
                    self.renounced_roots.add((root.id, decedent.id))
                    self.note(
                        f"Every descendant of {root.id} of the {_nth(degree)} degree who could inherit renounced: "
                        f"the renounced shares go to the spouse, and neither farther descendants nor (in "
                        f"{root.id}'s own succession) ascendants inherit ({RULE_2020_GEU_42.en}).",
                        f"{root.id}의 {degree}촌 직계비속이 모두 상속을 포기하여 그 상속분은 배우자에게 귀속되고 "
                        f"그 다음 직계비속이나 직계존속은 상속인이 되지 않는다({RULE_2020_GEU_42.ko}).")
                return []
            frontier = self.sorted_ids(c for c in next_frontier if c not in seen)
            degree += 1
        return []

    def descendant_relation(self, root: Person, decedent: Person, degree: int) -> tuple[_Text, _Text]:
        """How a descendant of ``root`` at ``degree`` stands in ``decedent``'s succession: (long, short)."""
        if degree == 1:
            short = _Text(f"child of {root.id}", f"{root.id}의 자녀")
        else:
            short = _Text(f"descendant of {root.id} in the {_nth(degree)} degree", f"{root.id}의 {degree}촌 직계비속")
        return self._descendant_relation(root, decedent, degree), short

    def _descendant_relation(self, root: Person, decedent: Person, degree: int) -> _Text:
        if root.id == decedent.id:
            if degree == 1:
                return _Text(f"child of {decedent.id} (descendant, 1st rank, Art. 1000(1)(i))",
                             f"{decedent.id}의 자녀(직계비속, 제1순위, 제1000조 제1항 제1호)")
            return _Text(
                f"descendant of {decedent.id} in the {_nth(degree)} degree, inheriting in own right as no nearer "
                "descendant inherits (Art. 1000(1)(i), (2))",
                f"{decedent.id}의 {degree}촌 직계비속, 더 가까운 직계비속이 상속하지 않아 본위상속"
                "(제1000조 제1항 제1호, 제2항)")
        if degree == 1:
            return _Text(f"child of {root.id}, represents {root.id} in the succession to {decedent.id} "
                         "(Arts. 1001, 1010(2))",
                         f"{root.id}의 자녀, {decedent.id}의 상속에서 {root.id}을(를) 대습(제1001조, 제1010조 제2항)")
        return _Text(f"descendant of {root.id} in the {_nth(degree)} degree, represents {root.id} as no nearer "
                     f"descendant of {root.id} takes (Arts. 1001, 1000(2), 1010(2))",
                     f"{root.id}의 {degree}촌 직계비속, {root.id}을(를) 대습(제1001조, 제1000조 제2항, 제1010조 제2항)")

    def represented_candidate(self, heir: Person, decedent: Person, regime: str, role: _Text) -> _Candidate | None:
        """A predeceased or disqualified child or sibling, whose share passes to representatives."""
        assert decedent.died is not None
        represented = self.representation(heir, decedent, regime)
        relation_en, relation_ko = role.en, role.ko
        if not represented:
            self.note_not_heir(heir, decedent, self.status(heir, decedent), relation_en, relation_ko)
            self.note(f"{heir.id} left no descendant or spouse in the file who could represent {heir.id} "
                      f"(Art. 1001), so {heir.id}'s line takes nothing from {decedent.id}.",
                      f"{heir.id}을(를) 대습할 직계비속이나 배우자가 파일에 없어 그 계통은 {decedent.id}으로부터 "
                      "받지 못한다(제1001조).")
            return None
        if decedent.id in heir.disqualified:
            why = _Text("disqualified (Art. 1004)", "상속결격(제1004조)")
        else:
            assert heir.died is not None
            same = heir.died == decedent.died
            why = _Text(
                f"died {_d(heir.died)}, {'at the same time as (Art. 30)' if same else 'before'} {decedent.id}",
                f"{_d(heir.died)} {decedent.id}{'과 동시에(제30조)' if same else '보다 먼저'} 사망")
        spouse_word = "spouse" if regime == REGIME_1991 else "wife"
        spouse_word_ko = "배우자" if regime == REGIME_1991 else "처"
        if regime == REGIME_1991:
            articles, articles_ko = "Arts. 1001, 1003(2), 1010", "제1001조, 제1003조 제2항, 제1010조"
        else:
            articles, articles_ko = "former Arts. 1001, 1003(2), 1010", "구 제1001조, 제1003조 제2항, 제1010조"
        weight, rule = self.blood_weight(heir, decedent, regime)
        text = _Text(
            f"{heir.id}: {relation_en}, {why.en}; {rule.en}; this share passes to {heir.id}'s descendants "
            f"and {spouse_word} by representation (대습상속, {articles})",
            f"{heir.id}: {relation_ko}, {why.ko}; {rule.ko}; 이 상속분은 {heir.id}의 직계비속과 {spouse_word_ko}가 "
            f"대습상속({articles_ko})")
        return _Candidate(weight, text, represented=tuple(represented))

    def representation(self, heir: Person, decedent: Person, regime: str) -> list[_Alloc]:
        """Who represents ``heir`` (predeceased or disqualified) in ``decedent``'s succession, and how much."""
        assert decedent.died is not None
        share = _Text(f"{heir.id}'s share", f"{heir.id}의 상속분")
        when = heir.died if heir.died is not None and heir.died <= decedent.died else decedent.died
        pair = self.spouse_at(heir, when)
        spouse: Person | None = None
        if pair is not None:
            candidate, marriage = pair
            if regime != REGIME_1991 and candidate.sex != "F":
                self.note(
                    f"{candidate.id}, husband of {heir.id}, does not represent {heir.id}: before 1991 only the wife "
                    "of a predeceased heir represented (former Art. 1003(2)).",
                    f"{candidate.id}은(는) {heir.id}의 남편으로서 대습상속인이 아니다: 1991년 전에는 "
                    "처만 대습상속하였다(구 제1003조 제2항).")
            elif marriage.ended is not None and marriage.ended < decedent.died:
                self.note(
                    f"{candidate.id} does not represent {heir.id}: the marriage (or the affinity, Art. 775(2)) "
                    f"ended {_d(marriage.ended)}, before {decedent.id} died.",
                    f"{candidate.id}은(는) {heir.id}을(를) 대습하지 않는다: 혼인(인척관계, 제775조 제2항)이 "
                    f"{_d(marriage.ended)} {decedent.id} 사망 전에 종료되었다.")
            else:
                state = self.status(candidate, decedent)
                if state == _HEIR:
                    spouse = candidate
                else:
                    self.note_not_heir(candidate, decedent, state, f"spouse of {heir.id}", f"{heir.id}의 배우자")
        lines = self.descendant_lines(heir, decedent, regime, spouse is not None)
        article = "Art. 1003(2)" if regime == REGIME_1991 else "former Art. 1003(2)"
        article_ko = "제1003조 제2항" if regime == REGIME_1991 else "구 제1003조 제2항"
        word, word_ko = ("spouse", "배우자") if regime == REGIME_1991 else ("wife", "처")
        if lines:
            if spouse is not None:
                weight, rule = self.spouse_weight(spouse, decedent, regime, with_descendants=True, husband=False,
                                                  of_represented=True)
                text = _Text(
                    f"{spouse.id}: {word} of {heir.id}, represents {heir.id} together with {heir.id}'s "
                    f"descendants ({article}); {rule.en}",
                    f"{spouse.id}: {heir.id}의 {word_ko}, {heir.id}의 직계비속과 함께 대습({article_ko}); {rule.ko}")
                lines.insert(0, _Candidate(weight, text, person=spouse))
            return self.split(lines, share)
        if spouse is not None:
            text = _Text(f"{spouse.id}: {word} of {heir.id}, represents {heir.id} alone as no descendant of "
                         f"{heir.id} takes ({article})",
                         f"{spouse.id}: {heir.id}의 {word_ko}, 대습할 직계비속이 없어 단독으로 대습({article_ko})")
            return self.split([_Candidate(Fraction(1), text, person=spouse)], share)
        return []

    def ascendant_candidates(self, decedent: Person, regime: str, spouse_ok: bool) -> list[_Candidate]:
        """Lineal ascendants (2nd rank, Art. 1000(1)(ii)), nearest degree first; no representation."""
        frontier = self.sorted_ids(self.parents[decedent.id])
        degree, seen = 1, {decedent.id}
        while frontier:
            candidates: list[_Candidate] = []
            renounced_any = False
            next_frontier: list[str] = []
            for ascendant_id in frontier:
                seen.add(ascendant_id)
                ascendant = self.by_id[ascendant_id]
                if degree == 1:
                    relation = _Text(f"parent of {decedent.id}", f"{decedent.id}의 부모")
                elif degree == 2:
                    relation = _Text(f"grandparent of {decedent.id}", f"{decedent.id}의 조부모")
                else:
                    relation = _Text(f"ascendant of {decedent.id} in the {_nth(degree)} degree",
                                     f"{decedent.id}의 {degree}촌 직계존속")
                state = self.status(ascendant, decedent)
                if state == _HEIR:
                    weight, rule = self.blood_weight(ascendant, decedent, regime)
                    text = _Text(f"{ascendant.id}: {relation.en} (ascendant, 2nd rank, Art. 1000(1)(ii)); {rule.en}",
                                 f"{ascendant.id}: {relation.ko}(직계존속, 제2순위, 제1000조 제1항 제2호); {rule.ko}")
                    candidates.append(_Candidate(weight, text, person=ascendant))
                else:
                    renounced_any = renounced_any or state == _RENOUNCED
                    if state != _PREDECEASED:
                        self.note_not_heir(ascendant, decedent, state, relation.en, relation.ko)
                next_frontier.extend(self.parents[ascendant_id])
            if candidates:
                return candidates
            if spouse_ok and renounced_any:
                self.note(
                    f"The ascendants of {decedent.id} of the {_nth(degree)} degree renounced: their shares go to "
                    "the spouse, a co-heir of the same rank (Art. 1043; Supreme Court en banc 2023-03-23, 2020그42).",
                    f"{decedent.id}의 {degree}촌 직계존속이 상속을 포기하여 그 상속분은 같은 순위의 공동상속인인 "
                    "배우자에게 귀속된다(제1043조, 대법원 2023. 3. 23. 2020그42 전원합의체 결정 참조).")
                return []
            frontier = self.sorted_ids(a for a in next_frontier if a not in seen)
            degree += 1
        return []

    def sibling_candidates(self, decedent: Person, regime: str) -> list[_Candidate]:
        """Siblings, full or half (3rd rank, Art. 1000(1)(iii)); a predeceased one is represented."""
        sibling_ids = self.sorted_ids(
            child for parent in self.parents[decedent.id] for child in self.children[parent] if child != decedent.id)
        candidates: list[_Candidate] = []
        for sibling_id in sibling_ids:
            sibling = self.by_id[sibling_id]
            shared = set(self.parents[decedent.id]) & set(self.parents[sibling_id])
            relation = _Text(f"sibling of {decedent.id} (3rd rank, Art. 1000(1)(iii))",
                             f"{decedent.id}의 형제자매(제3순위, 제1000조 제1항 제3호)")
            if regime != REGIME_1991 and all(self.by_id[p].sex == "F" for p in shared):
                self.note(
                    f"{sibling.id} shares only a mother with {decedent.id}; before 1991 whether such a half-sibling "
                    "(이성동복) inherited was disputed — the engine counts them; check against the documents.",
                    f"{sibling.id}은(는) {decedent.id}과 어머니만 같은 이성동복 형제자매이다. 1991년 전 상속에서 "
                    "그 상속권은 다툼이 있었으므로 서류로 확인할 것.")
            state = self.status(sibling, decedent)
            if state == _HEIR:
                weight, rule = self.blood_weight(sibling, decedent, regime)
                candidates.append(_Candidate(weight, _Text(f"{sibling.id}: {relation.en}; {rule.en}",
                                                           f"{sibling.id}: {relation.ko}; {rule.ko}"), person=sibling))
            elif state in (_PREDECEASED, _DISQUALIFIED):
                candidate = self.represented_candidate(sibling, decedent, regime, _Text(
                    f"sibling of {decedent.id}", f"{decedent.id}의 형제자매"))
                if candidate is not None:
                    candidates.append(candidate)
            else:
                self.note_not_heir(sibling, decedent, state, f"sibling of {decedent.id}", f"{decedent.id}의 형제자매")
        return candidates

    def collateral_degrees(self, decedent: Person) -> dict[str, int]:
        """Degree of kinship (촌수, Art. 770) of each collateral blood relative of the 3rd degree or more."""
        ancestors: dict[str, int] = {decedent.id: 0}
        queue = [decedent.id]
        while queue:
            node = queue.pop(0)
            for parent in self.parents[node]:
                if parent not in ancestors:
                    ancestors[parent] = ancestors[node] + 1
                    queue.append(parent)
        lineal = set(ancestors)
        queue = [decedent.id]
        while queue:
            node = queue.pop(0)
            for child in self.children[node]:
                if child not in lineal:
                    lineal.add(child)
                    queue.append(child)
        degrees: dict[str, int] = {}
        for ancestor, up in ancestors.items():
            if ancestor == decedent.id:
                continue
            down = {ancestor: 0}
            queue = [ancestor]
            while queue:
                node = queue.pop(0)
                for child in self.children[node]:
                    if child not in down:
                        down[child] = down[node] + 1
                        queue.append(child)
            for relative, steps in down.items():
                if relative in lineal:
                    continue
                degree = up + steps
                if degree >= 3 and degree < degrees.get(relative, 10**9):
                    degrees[relative] = degree
        return degrees

    def collateral_candidates(self, decedent: Person, regime: str) -> list[_Candidate]:
        """Collateral blood relatives to the 4th degree (4th rank, Art. 1000(1)(iv)), nearest first."""
        if regime != REGIME_1991:
            return self.old_collateral_candidates(decedent, regime)
        degrees = self.collateral_degrees(decedent)
        for degree in sorted(set(degrees.values())):
            if degree > 4:
                break
            candidates = []
            for relative_id in self.sorted_ids(r for r, d in degrees.items() if d == degree):
                relative = self.by_id[relative_id]
                relation = _Text(f"collateral relative of {decedent.id} in the {_nth(degree)} degree",
                                 f"{decedent.id}의 {degree}촌 방계혈족")
                state = self.status(relative, decedent)
                if state == _HEIR:
                    weight, rule = self.blood_weight(relative, decedent, regime)
                    candidates.append(_Candidate(weight, _Text(
                        f"{relative.id}: {relation.en} (4th rank, Art. 1000(1)(iv), nearest degree first, "
                        f"Art. 1000(2)); {rule.en}",
                        f"{relative.id}: {relation.ko}(제4순위, 제1000조 제1항 제4호, 제2항); {rule.ko}"),
                        person=relative))
                else:
                    if state != _PREDECEASED:
                        self.note_not_heir(relative, decedent, state, relation.en, relation.ko)
            if candidates:
                return candidates
        return []

    def old_collateral_paths(self, decedent: Person) -> dict[str, dict[int, set[str]]]:
        """Collateral relatives of ``decedent`` by degree, classed by the definitions in force before 1991.

        Former Art. 768 (1958 text): collateral blood relatives are one's siblings and a *brother's* lineal
        descendants, an ascendant's siblings and a *brother's* lineal descendants — not a sister's. Former
        Art. 777: kinship has legal effect to the 8th degree in the paternal line (부계) and to the 4th in the
        maternal line (모계). Each path up to a common ancestor and down is classed: ``paternal`` (every person
        between is a man), ``maternal`` (a woman on the way up), ``excluded`` (descends through a sister or an
        ascendant's sister), ``unsettled`` (descends from a brother through a woman beyond the 4th degree).
        """
        lineal = {decedent.id}
        stack = [decedent.id]
        while stack:
            node = stack.pop()
            for other in (*self.parents[node], ):
                if other not in lineal:
                    lineal.add(other)
                    stack.append(other)
        stack = [decedent.id]
        while stack:
            node = stack.pop()
            for child in self.children[node]:
                if child not in lineal:
                    lineal.add(child)
                    stack.append(child)
        found: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        ascending: list[tuple[str, tuple[str, ...]]] = [(decedent.id, ())]
        while ascending:
            node, up = ascending.pop()
            for ancestor in self.parents[node]:
                if ancestor in up or len(up) >= 7:
                    continue
                path_up = (*up, ancestor)
                ascending.append((ancestor, path_up))
                maternal = any(self.by_id[a].sex == "F" for a in path_up)
                descending: list[tuple[str, tuple[str, ...]]] = [
                    (child, (child,)) for child in self.children[ancestor] if child != node]
                while descending:
                    relative, down = descending.pop()
                    degree = len(path_up) + len(down)
                    if degree > 8 or relative in lineal:
                        continue
                    if degree >= 3:
                        first, between = self.by_id[down[0]], down[1:-1]
                        if len(down) >= 2 and first.sex == "F":
                            kind = "excluded"
                        elif maternal:
                            kind = "maternal" if degree <= 4 else "excluded"
                        elif any(self.by_id[d].sex == "F" for d in between) and degree > 4:
                            kind = "unsettled"
                        else:
                            kind = "paternal"
                        found[relative][degree].add(kind)
                    descending.extend((child, (*down, child)) for child in self.children[relative]
                                      if child not in down)
        return found

    def old_collateral_candidates(self, decedent: Person, regime: str) -> list[_Candidate]:
        """4th rank before 1991: collateral blood relatives to the 8th degree (former Art. 1000(1)(iv)) as
        former Arts. 768, 777 defined them, nearest degree first, equal shares by former Art. 1009."""
        paths = self.old_collateral_paths(decedent)
        by_degree: dict[int, dict[str, set[str]]] = defaultdict(dict)
        for relative, degrees in paths.items():
            for degree, kinds in degrees.items():
                by_degree[degree][relative] = kinds
        taken: set[str] = set()
        excluded: set[str] = set()
        for degree in sorted(by_degree):
            candidates: list[_Candidate] = []
            for relative_id in self.sorted_ids(by_degree[degree]):
                if relative_id in taken:
                    continue
                kinds = by_degree[degree][relative_id]
                relative = self.by_id[relative_id]
                state = self.status(relative, decedent)
                if "paternal" in kinds or "maternal" in kinds:
                    taken.add(relative_id)
                    line, line_ko, limit = (("paternal", "부계", 8) if "paternal" in kinds else
                                            ("maternal", "모계", 4))
                    relation = _Text(
                        f"collateral blood relative of {decedent.id} in the {_nth(degree)} degree, {line} line "
                        f"(former Arts. 768, 777: to the {_nth(limit)} degree)",
                        f"{decedent.id}의 {degree}촌 {line_ko} 방계혈족(구 제768조, 제777조: {limit}촌 이내)")
                    if state == _HEIR:
                        weight, rule = self.blood_weight(relative, decedent, regime)
                        candidates.append(_Candidate(weight, _Text(
                            f"{relative.id}: {relation.en} (4th rank, former Art. 1000(1)(iv), nearest degree "
                            f"first, (2)); {rule.en}",
                            f"{relative.id}: {relation.ko}(제4순위, 구 제1000조 제1항 제4호, 제2항); {rule.ko}"),
                            person=relative))
                    elif state != _PREDECEASED:
                        self.note_not_heir(relative, decedent, state, relation.en, relation.ko)
                elif "unsettled" in kinds and state == _HEIR:
                    raise SuccessionError(
                        f"person {decedent.id}: died {_d(decedent.died)} leaving as nearest possible heir "
                        f"{relative.id}, a brother's descendant through a woman in the {_nth(degree)} degree; "
                        "whether such a relative counted in the paternal line (former Art. 777(i), to the 8th "
                        "degree) or the maternal (to the 4th) is not settled — enter the shares from a court or "
                        "registry document (manual shares)", code=MANUAL_SHARES_REQUIRED, person=decedent.id)
                elif "excluded" in kinds and state == _HEIR and relative_id not in excluded:
                    excluded.add(relative_id)  # may still qualify by another, longer path
                    self.note(
                        f"{relative.id} (related to {decedent.id} in the {_nth(degree)} degree) was no blood "
                        f"relative for a death in {decedent.died.year if decedent.died else ''}: before 1991 a "
                        "sister's or an ascendant's sister's descendants were not (former Art. 768) and maternal "
                        "relatives counted only to the 4th degree (former Art. 777).",
                        f"{relative.id}({decedent.id}의 {degree}촌)은(는) 1991년 전 사망에 관하여 혈족이 아니다: "
                        "자매의 직계비속과 직계존속의 자매의 직계비속은 혈족이 아니었고(구 제768조) 모계혈족은 "
                        "4촌 이내에 한하였다(구 제777조).")
            if candidates:
                return candidates
        return []

    # ---- customary law (deaths before 1960-01-01)

    def customary_heirs(self, decedent: Person) -> list[_Alloc]:
        """The estate of a death before 1960 under the custom as the Supreme Court found it.

        * A household head's (호주) estate passed with the headship to the household-head heir alone — the
          legitimate eldest son, a predeceased married eldest son's line before the younger sons; the younger
          sons had only a claim to a portion (분재청구권) against him (Supreme Court 1979-12-27, 76그2;
          1991-05-24, 90다17729).
        * A family member's (가족) estate passed to the lineal descendants equally; a woman not in the
          decedent's register had no right; a child born out of wedlock took half a legitimate child's share
          (Supreme Court 1991-02-22, 90다15679; 1980-01-15, 79다1200; 1970-04-14, 69다1324).

        Everything else the custom left to cases (a female head, no son, representation in a family
        member's estate, renunciation) is refused with the question named.
        """
        died = decedent.died
        assert died is not None
        for person in self.family.persons:
            if decedent.id in person.renounced or decedent.id in person.disqualified:
                fact = "renounced" if decedent.id in person.renounced else "disqualified"
                raise customary_refusal(
                    decedent.id, died,
                    f"{person.id} is recorded as {fact} in this succession, and the effect of a renunciation or "
                    "disqualification under the custom is not settled by the decisions the engine follows")
        named = [p for p in self.family.persons if decedent.id in p.household_head_heir_of]
        head = decedent.household_head if decedent.household_head is not None else (True if named else None)
        if head is None:
            raise customary_refusal(
                decedent.id, died,
                f"whether {decedent.id} was the household head (호주) at death decides between household-head "
                "succession and the succession to a family member; record 'household_head' (true or false) or the "
                "household-head heir ('household_head_heir_of')")
        estate = _Text(f"{decedent.id}'s estate", f"{decedent.id}의 상속재산")
        if head:
            return self.customary_head(decedent, named[0] if named else None, estate)
        return self.customary_member(decedent, estate)

    def customary_head(self, decedent: Person, named: Person | None, estate: _Text) -> list[_Alloc]:
        died = decedent.died
        assert died is not None
        if named is not None:
            if self.status(named, decedent) != _HEIR:
                raise SuccessionError(
                    f"person {named.id}: recorded as the household-head heir of {decedent.id} but died on or before "
                    f"{decedent.id} ({_d(died)}); correct the file", code=CONFLICTING_FACTS, person=named.id)
            heir, how = named, _Text("recorded as household-head heir in the file",
                                     "파일에 호주상속인으로 기록됨")
        else:
            if decedent.sex == "F":
                raise customary_refusal(
                    decedent.id, died,
                    "succession to a female household head (여호주) — a temporary headship pending a posthumous "
                    "adoption, whose estate could pass to married-out daughters or the nearest relatives (Supreme "
                    "Court 2012-03-15, 2010다53952) — depends on facts the file does not hold")
            heir, how = self.customary_head_heir(decedent, decedent)
            if heir is None:
                raise customary_refusal(
                    decedent.id, died,
                    f"{decedent.id} left no son who could succeed to the headship; the headship and the estate then "
                    "passed for the time being to the grandmother, mother, wife or daughter in order of seniority "
                    "until a posthumous adoptee (사후양자) was chosen, or the house ended (절가) and the estate went "
                    "to the nearest relative (Supreme Court 1979-06-26, 79다720; 2012-03-15, 2010다53952)")
        others = [c for c in self.children[decedent.id] if c != heir.id and self.by_id[c].sex == "M"
                  and self.status(self.by_id[c], decedent) == _HEIR]
        if others:
            self.note(
                f"{', '.join(self.sorted_ids(others))}: younger son(s) of {decedent.id}, a household head who died "
                f"{_d(died)}; under the custom they had no share of the estate, only a claim against the "
                "household-head heir to a portion of the property (분재청구권, Supreme Court 1979-12-27, 76그2), "
                "which is not computed here.",
                f"{', '.join(self.sorted_ids(others))}: {_d(died)} 사망한 호주 {decedent.id}의 차남 이하 아들은 "
                "관습상 유산을 상속하지 않고 호주상속인에 대한 분재청구권만 가졌다(대법원 1979. 12. 27. 자 76그2 "
                "결정); 이는 계산하지 않는다.")
        text = _Text(
            f"{heir.id}: household-head heir (호주상속인) of {decedent.id}, {how.en}; under the custom the household "
            "head's whole estate passed with the headship to the household-head heir alone (Supreme Court "
            "1979-12-27, 76그2; 1991-05-24, 90다17729)",
            f"{heir.id}: {decedent.id}의 호주상속인({how.ko}); 관습상 호주의 유산은 호주상속인이 단독으로 "
            "상속(대법원 1979. 12. 27. 자 76그2 결정, 1991. 5. 24. 선고 90다17729 판결)")
        return self.split([_Candidate(Fraction(1), text, person=heir)], estate)

    def customary_head_heir(self, decedent: Person, root: Person) -> tuple[Person | None, _Text]:
        """The household-head heir in ``root``'s line: the eldest legitimate son, or his line, then the next."""
        died = decedent.died
        assert died is not None
        sons = [self.by_id[c] for c in self.sorted_ids(self.children[root.id]) if self.by_id[c].sex == "M"]
        legitimate = [s for s in sons if not self.links[(root.id, s.id)].out_of_wedlock]
        if sons and not legitimate:
            raise customary_refusal(
                decedent.id, died,
                f"{root.id}'s only sons were born out of wedlock (서자); whether and in what order such a son "
                "succeeded to the headship is not settled by the decisions the engine follows")
        if len(legitimate) > 1 and any(s.born is None for s in legitimate):
            raise customary_refusal(
                decedent.id, died,
                f"the order of birth of {root.id}'s sons ({', '.join(s.id for s in legitimate)}) decides who is the "
                "eldest son and household-head heir; record 'born' for each, or 'household_head_heir_of'")
        for son in sorted(legitimate, key=lambda s: (s.born or dt.date.min, self.order[s.id])):
            state = self.status(son, decedent)
            if state == _HEIR:
                if root.id == decedent.id:
                    return son, _Text("the eldest surviving legitimate son", "생존한 적출 장남")
                return son, _Text(f"succeeding in the line of {root.id}, the eldest son who died married before "
                                  f"{decedent.id}", f"{decedent.id}보다 먼저 사망한 기혼 장남 {root.id}의 계통")
            married = bool(self.marriages[son.id])
            if married:
                heir, how = self.customary_head_heir(decedent, son)
                if heir is None:
                    raise customary_refusal(
                        decedent.id, died,
                        f"{son.id}, the eldest son, was married and died before {decedent.id} without a son; the "
                        "younger sons then did not succeed, and the headship went to a posthumous adoptee "
                        "(사후양자) or for the time being to a woman of the house (Supreme Court 1991-05-24, "
                        "90다17729; 1979-06-26, 79다720)")
                return heir, how
            self.note(
                f"{son.id}, {root.id}'s son first in line, died unmarried before {decedent.id}: the headship passes "
                "to the next son (형망제급, the custom as applied in registry practice; check against the register).",
                f"{root.id}의 선순위 아들 {son.id}이(가) 미혼으로 {decedent.id}보다 먼저 사망하여 호주상속은 다음 "
                "아들에게 간다(형망제급; 호적 기재와 대조할 것).")
        return None, _Text("", "")

    def customary_member(self, decedent: Person, estate: _Text) -> list[_Alloc]:
        died = decedent.died
        assert died is not None
        cite = _Text("Supreme Court 1991-02-22, 90다15679; 1980-01-15, 79다1200; 1970-04-14, 69다1324",
                     "대법원 1991. 2. 22. 선고 90다15679 판결, 1980. 1. 15. 선고 79다1200 판결, "
                     "1970. 4. 14. 선고 69다1324 판결")
        candidates: list[_Candidate] = []
        for child_id in self.sorted_ids(self.children[decedent.id]):
            child = self.by_id[child_id]
            state = self.status(child, decedent)
            if state == _PREDECEASED:
                if self.children[child_id]:
                    raise customary_refusal(
                        decedent.id, died,
                        f"{child_id}, a child who died before {decedent.id}, left descendants; representation in "
                        "the estate of a family member under the custom is not settled by the decisions the "
                        "engine follows")
                self.note_not_heir(child, decedent, state, f"child of {decedent.id}", f"{decedent.id}의 자녀")
                continue
            if self.outside_register(child, decedent):
                self.note(
                    f"{child_id}, daughter of {decedent.id}, was not in {decedent.id}'s family register (married "
                    f"out): under the custom she had no right to a family member's estate ({cite.en}).",
                    f"{child_id}은(는) {decedent.id}과 동일 호적 내에 있지 않은 딸(출가녀)로서 관습상 상속권이 없다"
                    f"({cite.ko}).")
                continue
            link = self.links[(decedent.id, child_id)]
            if link.out_of_wedlock:
                weight = _HALF
                rule = _Text("0.5 units: a child born out of wedlock (서출) took half a legitimate child's share",
                             "0.5: 서출 자녀는 적출 자녀의 1/2")
            else:
                weight = Fraction(1)
                rule = _Text("1 unit: the lineal descendants in the register inherited equally, sons and daughters",
                             "1: 동일 호적 내 직계비속은 아들·딸 구별 없이 균분")
            candidates.append(_Candidate(weight, _Text(
                f"{child_id}: child of {decedent.id}, a family member (not the household head) who died {_d(died)}; "
                f"{rule.en} (customary law: {cite.en})",
                f"{child_id}: {_d(died)} 사망한 가족(호주 아님) {decedent.id}의 자녀; {rule.ko}(관습법: {cite.ko})"),
                person=child))
        if not candidates:
            raise customary_refusal(
                decedent.id, died,
                f"{decedent.id}, a family member, left no child in the same register who inherits; who then took the "
                "estate (the wife, ascendants or family members in the register, the household head, or the nearest "
                "relative: Supreme Court 1992-05-12, 91다41361) depends on facts the file does not hold")
        pair = self.spouse_at(decedent, died)
        if pair is not None:
            spouse = pair[0]
            self.note(
                f"{spouse.id}, spouse of {decedent.id}: under the custom a family member's estate went to the "
                f"lineal descendants, not to the spouse beside them ({cite.en}).",
                f"{spouse.id}({decedent.id}의 배우자): 관습상 가족의 유산은 직계비속이 상속하고 배우자는 함께 "
                f"상속하지 않았다({cite.ko}).")
        return self.split(candidates, estate)

    # ---- successions

    def succeed(self, decedent: Person, amount: Fraction, hops: tuple[_Text, ...],
                successions: tuple[tuple[str, str], ...], factors: tuple[Fraction, ...],
                previous: Person | None) -> None:
        assert decedent.died is not None
        regime = regime_for(decedent.id, decedent.died)
        law = LAW_IN_FORCE[regime]
        intro = _Text(
            f"Succession to {decedent.id} (died {_d(decedent.died)}): regime {regime}, {law[0]}.",
            f"{decedent.id}의 상속(사망 {_d(decedent.died)}): {regime} 시기, {law[1]} 적용.")
        allocations = self.heirs(decedent, regime)
        if not allocations:
            if previous is None:
                raise SuccessionError(
                    f"person {decedent.id}: nobody in the family file inherits from {decedent.id} (no spouse, "
                    "descendant, ascendant, sibling or collateral relative to the 4th degree who can take, "
                    "Arts. 1000, 1003); add the heirs or enter the shares from a document",
                    code=NO_HEIRS, person=decedent.id)
            raise SuccessionError(
                f"person {decedent.id}: inherited from {previous.id} but died later ({_d(decedent.died)}) and has "
                f"no heir of their own in the family file, so the share would have nowhere to go (re-succession, "
                f"Arts. 997, 1000); add {decedent.id}'s heirs",
                code=NO_HEIRS, person=decedent.id)
        for allocation in allocations:
            heir = allocation.person
            part = amount * allocation.fraction
            chain = (*hops, intro, *allocation.hops)
            taken = (*successions, (decedent.id, heir.id))
            taken_factors = (*factors, allocation.fraction)
            if heir.died is not None and heir.died > decedent.died:
                onward = _Text(
                    f"{heir.id} died {_d(heir.died)}, after {decedent.id}: {heir.id}'s share passes by "
                    f"re-succession (재상속) to {heir.id}'s own heirs under the law in force at that death.",
                    f"{heir.id}은(는) {decedent.id} 사망 후 {_d(heir.died)} 사망: 그 상속분은 재상속으로 "
                    f"그 사망 당시의 법에 따라 {heir.id}의 상속인에게 간다.")
                self.succeed(heir, part, (*chain, onward), taken, taken_factors, decedent)
            else:
                self.routes[heir.id].append((Route(part, taken), chain, taken_factors))

    def run(self) -> SuccessionResult:
        decedent = self.by_id[self.family.decedent]
        assert decedent.died is not None
        regime = regime_for(decedent.id, decedent.died)
        self.succeed(decedent, Fraction(1), (), (), (), None)
        holders = self.sorted_ids(self.routes)
        shares = {h: sum((route.share for route, _, _ in self.routes[h]), Fraction(0)) for h in holders}
        if sum(shares.values(), Fraction(0)) != 1:  # an invariant of the engine, not a user error
            raise AssertionError(f"shares of {decedent.id} do not sum to 1: {shares}")
        explanation: dict[str, list[str]] = {}
        explanation_ko: dict[str, list[str]] = {}
        administrators: dict[str, Administrator | None] = {}
        for holder in holders:
            routes = self.routes[holder]
            lines_en: list[str] = []
            lines_ko: list[str] = []
            for index, (route, chain, factors) in enumerate(routes, start=1):
                if len(routes) > 1:
                    lines_en.append(f"Route {index} of {len(routes)}:")
                    lines_ko.append(f"경로 {index}/{len(routes)}:")
                lines_en.extend(text.en for text in chain)
                lines_ko.extend(text.ko for text in chain)
                product = f" ({' × '.join(_fraction_text(f) for f in factors)})" if len(factors) > 1 else ""
                lines_en.append(f"{holder} holds {_fraction_text(route.share)} of the claim by this route{product}.")
                lines_ko.append(f"이 경로로 {holder}의 몫: 채권의 {_fraction_text(route.share)}{product}.")
            if len(routes) > 1:
                lines_en.append(f"{holder} holds {_fraction_text(shares[holder])} of the claim in all.")
                lines_ko.append(f"{holder}의 몫 합계: 채권의 {_fraction_text(shares[holder])}.")
            person = self.by_id[holder]
            if person.north_korea:
                administrators[holder] = person.administrator
                if person.administrator is not None:
                    ref = f" ({person.administrator.reference})" if person.administrator.reference else ""
                    lines_en.append(
                        f"{holder} lives in North Korea: the share is the ordinary statutory share; it is held and "
                        f"received by the property administrator the court appointed, {person.administrator.name}"
                        f"{ref}, and payment goes to the administrator ({NORTH_KOREA_ACT[0]}).")
                    lines_ko.append(
                        f"{holder}은(는) 북한주민이다: 상속분은 통상의 법정상속분이고, 법원이 선임한 재산관리인 "
                        f"{person.administrator.name}{ref}이(가) 관리·수령하며 지급은 재산관리인에게 한다"
                        f"({NORTH_KOREA_ACT[1]}).")
                else:
                    lines_en.append(
                        f"{holder} lives in North Korea: the share is the ordinary statutory share, but no property "
                        "administrator is recorded; payment waits until the court appoints one "
                        f"({NORTH_KOREA_ACT[0]}).")
                    lines_ko.append(
                        f"{holder}은(는) 북한주민이다: 상속분은 통상의 법정상속분이나 재산관리인이 기록되지 않았으므로 "
                        f"법원이 선임할 때까지 지급을 보류한다({NORTH_KOREA_ACT[1]}).")
            explanation[holder] = lines_en
            explanation_ko[holder] = lines_ko
        return SuccessionResult(
            decedent=decedent.id,
            regime=regime,
            shares=shares,
            explanation=explanation,
            explanation_ko=explanation_ko,
            notes=tuple(n.en for n in self.notes),
            notes_ko=tuple(n.ko for n in self.notes),
            routes={h: tuple(route for route, _, _ in self.routes[h]) for h in holders},
            administrators=administrators,
        )


def compute_shares(family: Family) -> SuccessionResult:
    """The final holders of ``family.decedent``'s claim, their exact shares and the reasons."""
    validate_family(family)
    return _Engine(family).run()


def heirs_from_json(data: dict) -> SuccessionResult:
    """Parse a family file (issue 3 §2) and compute the shares."""
    return compute_shares(parse_family(data))
