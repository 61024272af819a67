"""`baesang claim ACTION`: one claim — show it, register it, set its holders, offer, record
consent or refusal; propose and decide changes of holders and of holders' bank accounts.

Commands that change data act as the user of the API token in ``BAESANG_CLI_TOKEN`` (``--user``
is only a cross-check). The plaintiff named by the judgment holds a claim without holders at
once (``--plaintiff``); heirs and shares from a document are proposals that take effect when a
second person (another case officer or an approver) approves them, as is a bank-account change.

    baesang claim show ID [--as-of DATE] [--json]
    baesang claim add --judgment 2013다61381 --position 1 --victim PERSON --principal 100000000 \\
        --segment 2013-06-19:paid:20
    baesang claim holders ID --plaintiff [--holder PERSON]
    baesang claim holders ID --family FAMILY.json --map V=PERSON --map A=PERSON ...   (a proposal)
    baesang claim holders ID --share PERSON=1/2 --share PERSON=1/2 --document FILE   (a proposal)
    baesang claim proposals list [--all] [--json]
    baesang claim proposals approve PROPOSAL --otp CODE      (another case officer or an approver)
    baesang claim proposals reject PROPOSAL --note TEXT
    baesang claim proposals account PERSON --bank-name 은행 --bank-account NUMBER [--reason TEXT]
    baesang claim offer ID [--holder PERSON] --on DATE
    baesang claim accept OFFER --on DATE --identity id_card_in_person --capacity self --witness NAME \\
        --form SIGNED.pdf [--representative NAME --representative-document DECISION.pdf]
    baesang claim refuse OFFER --on DATE [--reason TEXT]
    baesang claim revoke CONSENT --reason TEXT
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from baesang.calc.succession import SuccessionError, loads_family
from baesang.cases import holdings, services
from baesang.cases.holdings import proposals_list
from baesang.cases.models import ClaimHolding, ConsentVerification, HolderChangeProposal, Offer
from baesang.cases.selectors import claim_detail
from baesang.core.commands import (
    StaffCommand,
    acting_user,
    as_json,
    get_or_fail,
    operator_arguments,
    parse_date,
    parse_share,
    read_file,
    usage_error,
    won,
)
from baesang.core.formatting import format_won_exact
from baesang.judgments import services as judgments
from baesang.judgments.models import Claim, Judgment, Person
from baesang.judgments.services import Upload


def _upload(path: str, argument: str) -> Upload:
    return Upload(Path(path).name, read_file(path, argument))


def _family(path: str) -> dict:
    """The family file, refused when it is not JSON or gives a key twice (docs/succession.md)."""
    try:
        family = loads_family(read_file(path, "--family").decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, SuccessionError) as exc:
        raise usage_error("--family", f"{path} is not a family file: {exc}") from None
    if not isinstance(family, dict):
        raise usage_error("--family", f"{path} must hold one JSON object (docs/succession.md)")
    return family


def _number(text: str, argument: str) -> int:
    if not str(text).strip().isdigit():
        raise usage_error(argument, f"{text!r} is not a record number")
    return int(text)


class Command(StaffCommand):
    help = "One claim: `baesang claim show ID`, add, holders, offer, accept, refuse, revoke."
    actions = {
        "show": "the calculation sheet, holders and history of a claim",
        "add": "register one creditor's judgment order",
        "holders": "set who holds the claim: the plaintiff at once; heirs from a family file or shares from a "
                   "document as a proposal",
        "proposals": "proposed changes of holders or bank accounts: list, approve, reject; propose an account",
        "offer": "offer the holders (or one holder) their part",
        "accept": "record an acceptance with its verification",
        "refuse": "record a refusal",
        "revoke": "revoke a consent found defective",
    }

    # ------------------------------------------------------------------ show
    def arguments_show(self, parser):
        parser.add_argument("id")
        parser.add_argument("--as-of")
        parser.add_argument("--json", action="store_true")

    def do_show(self, *, id, as_of=None, json=False, **_):
        claim = get_or_fail(Claim, id, "claim")
        detail = claim_detail(claim_id=claim.pk, as_of=parse_date(as_of, "--as-of"))
        if json:
            self.out(as_json(detail))
            return
        calc = detail["calculation"]
        self.out(f"claim {detail['id']}: {detail['case_number']} #{detail['position']} ({detail['court']}, "
                 f"final {detail['final_on']}) — debtor {detail['debtor']}")
        self.out(f"victim {detail['victim_name']} ({'living' if detail['victim_living'] else 'deceased'}), "
                 f"state {detail['state']}")
        for segment in detail["segments"]:
            self.out(f"  {segment['rate']}% a year from {segment['start']} to {segment['end'] or 'payment'}")
        self.out(f"calculation sheet as of {detail['as_of']} ({calc['method']}, {calc['rounding']}):")
        for line in calc["lines"]:
            block = f"{line['years']} year(s)" if line["years"] else f"{line['days']} days / {line['divisor']}"
            exact = format_won_exact(Fraction(line["interest"]))
            self.out(f"  {line['start']} – {line['end']}  {block:<18} {line['rate']:>5}%  {exact:>22}")
        self.out(f"  principal {won(calc['principal'])} + interest {won(calc['interest'])} = {won(calc['total'])}")
        self.out("holders:")
        for holder in detail["holders"]:
            self.out(f"  holding {holder['holding']:<6} {holder['name']:<8} {holder['share']:>8}  {holder['state']:<9} "
                     f"{won(holder['amount']):>18}{'  (settled)' if holder['settled'] else ''}")
        self.out(f"still owed: {won(detail['outstanding'])}")
        for payment in detail["payments"]:
            self.out(f"  payment line {payment['line']} (batch {payment['batch']}): {payment['holder']} "
                     f"{won(payment['amount'])} {payment['state']}")
        for deposit in detail["deposits"]:
            self.out(f"  court deposit {deposit['deposit']} at {deposit['court']}: {won(deposit['amount'])} "
                     f"{deposit['state']}")
        for offer in detail["offers"]:
            self.out(f"  offer {offer['offer']} (holding {offer['holding']}) {offer['offered_on']}: {offer['state']}")

    # ------------------------------------------------------------------ add
    def arguments_add(self, parser):
        parser.add_argument("--judgment", required=True, help="case number, e.g. 2013다61381")
        parser.add_argument("--position", type=int, required=True, help="plaintiff number in the judgment")
        parser.add_argument("--victim", required=True, help="person id of the victim")
        parser.add_argument("--plaintiff", help="person id of the plaintiff, when not the victim")
        parser.add_argument("--principal", type=int, required=True)
        parser.add_argument("--segment", action="append", required=True, help="START:END:RATE, repeatable")
        parser.add_argument("--method", default="period", choices=["period", "days"])
        operator_arguments(parser)

    def do_add(self, *, judgment, position, victim, principal, segment, method, user, plaintiff=None, **_):
        actor = acting_user(user, action="manage_judgments")
        try:
            judgment_row = Judgment.objects.get(case_number=judgment)
        except Judgment.DoesNotExist:
            raise usage_error("--judgment", f"no judgment {judgment} is registered") from None
        claim = judgments.claim_register(
            judgment=judgment_row, position=position, victim_id=_number(victim, "--victim"),
            plaintiff_id=_number(plaintiff, "--plaintiff") if plaintiff else None, principal=principal,
            segments=segment, method=method, actor=actor)
        self.out(f"claim {claim.pk} registered: {claim}")

    # ------------------------------------------------------------------ holders
    def arguments_holders(self, parser):
        parser.add_argument("id")
        parser.add_argument("--plaintiff", action="store_true", help="the plaintiff holds the whole claim")
        parser.add_argument("--holder", help="with --plaintiff: the person holding it (default the plaintiff/victim)")
        parser.add_argument("--family", help="family file (JSON) of a deceased holder or victim")
        parser.add_argument("--map", action="append", default=[], help="FAMILY_ID=PERSON_ID, repeatable")
        parser.add_argument("--share", action="append", default=[], help="PERSON_ID=NUM/DEN, repeatable")
        parser.add_argument("--document", help="the document the shares come from")
        parser.add_argument("--valid-from", help="date YYYY-MM-DD")
        operator_arguments(parser)

    def do_holders(self, *, id, user, plaintiff=False, holder=None, family=None, map=(), share=(), document=None,
                   valid_from=None, **_):
        actor = acting_user(user, action="manage_judgments" if plaintiff else "propose_holder_change")
        claim = get_or_fail(Claim, id, "claim")
        chosen = [bool(plaintiff), bool(family), bool(share)]
        if sum(chosen) != 1:
            raise usage_error("", "give exactly one of --plaintiff, --family or --share")
        start = parse_date(valid_from, "--valid-from") if valid_from else None
        if plaintiff:
            holdings.claim_holders_plaintiff(claim=claim, actor=actor, valid_from=start,
                                             holder=get_or_fail(Person, holder, "person") if holder else None)
        elif family:
            persons = {}
            for item in map:
                key, _, value = item.partition("=")
                if not key or not value:
                    raise usage_error("--map", f"{item!r} is not written FAMILY_ID=PERSON_ID")
                persons[key] = _number(value, "--map")
            proposal = holdings.holders_propose_family(claim=claim, family=_family(family), persons=persons,
                                                       actor=actor, valid_from=start)
        else:
            if not document:
                raise usage_error("--document", "shares entered by hand need the document they come from")
            shares: dict[int, Fraction] = {}
            for item in share:
                key, fraction = parse_share(item, "--share")
                shares[_number(key, "--share")] = shares.get(_number(key, "--share"), Fraction(0)) + fraction
            proposal = holdings.holders_propose_document(
                claim=claim, shares=shares, upload=_upload(document, "--document"), document_kind="court_decision",
                actor=actor, valid_from=start or claim.judgment.final_on)
        if not plaintiff:
            self.out(f"proposal {proposal.pk}: " + ", ".join(
                f"person {row['person']} {row['share']}" for row in proposal.shares)
                + " — takes effect when a second person approves it (`baesang claim proposals approve "
                f"{proposal.pk}`)")
            return
        for holding in ClaimHolding.objects.filter(claim=claim, superseded_at__isnull=True).select_related("holder"):
            self.out(f"holding {holding.pk}: {holding.holder} (person {holding.holder_id}) "
                     f"{holding.share_numerator}/{holding.share_denominator} {holding.state}")

    # ------------------------------------------------------------------ proposals
    def arguments_proposals(self, parser):
        parser.add_argument("step", choices=["list", "approve", "reject", "account"])
        parser.add_argument("id", nargs="?", help="proposal id (approve, reject) or person id (account)")
        parser.add_argument("--note", default="", help="why (reject: required)")
        parser.add_argument("--bank-name", default="")
        parser.add_argument("--bank-account", default="")
        parser.add_argument("--reason", default="")
        parser.add_argument("--all", action="store_true", help="list: also decided proposals")
        parser.add_argument("--json", action="store_true")
        operator_arguments(parser, second_factor=True)

    def do_proposals(self, *, step, id=None, user=None, otp=None, note="", bank_name="", bank_account="", reason="",
                     all=False, json=False, **_):
        if step == "list":
            rows = proposals_list(include_decided=all)
            if json:
                self.out(as_json(rows))
                return
            for row in rows:
                subject = f"claim {row['claim']}" if row["kind"] == "holders" else f"person {row['person']}"
                self.out(f"proposal {row['id']}: {row['kind']} of {subject} ({row['basis'] or 'account'}) by "
                         f"{row['proposed_by']} — {row['state']}")
            self.out(f"{len(rows)} proposal(s)")
            return
        if id is None:
            raise usage_error("id", f"{step} needs the {'person' if step == 'account' else 'proposal'} id")
        if step == "account":
            actor = acting_user(user, action="propose_holder_change")
            proposal = holdings.account_change_propose(person=get_or_fail(Person, id, "person"), bank_name=bank_name,
                                                       bank_account=bank_account, actor=actor, reason=reason)
            self.out(f"proposal {proposal.pk}: new bank account for person {id} — takes effect when a second person "
                     "approves it")
            return
        actor = acting_user(user, action="approve_holder_change", otp=otp)
        proposal = get_or_fail(HolderChangeProposal, id, "proposal")
        if step == "approve":
            proposal = holdings.holder_change_approve(proposal=proposal, actor=actor, note=note)
            done = f"holder change {proposal.change_id}" if proposal.change_id else "bank account set"
            self.out(f"proposal {proposal.pk} approved by {actor.get_username()}: {done}")
        else:
            proposal = holdings.holder_change_reject(proposal=proposal, actor=actor, note=note)
            self.out(f"proposal {proposal.pk} rejected by {actor.get_username()}")

    # ------------------------------------------------------------------ offer
    def arguments_offer(self, parser):
        parser.add_argument("id", help="claim id")
        parser.add_argument("--holder", help="person id: offer only this holder")
        parser.add_argument("--on", required=True, help="date of the offer")
        parser.add_argument("--channel", default="visit", choices=["visit", "letter", "phone", "lawyer"])
        operator_arguments(parser)

    def do_offer(self, *, id, on, user, holder=None, channel="visit", **_):
        actor = acting_user(user, action="record_consent")
        claim = get_or_fail(Claim, id, "claim")
        offered_on = parse_date(on, "--on")
        if holder:
            holding = ClaimHolding.objects.filter(claim=claim, holder_id=holder, superseded_at__isnull=True).first()
            if holding is None:
                raise usage_error("--holder", f"person {holder} holds no current share of claim {claim.pk}")
            offers = [services.offer_make(holding=holding, offered_on=offered_on, actor=actor, channel=channel)]
        else:
            offers = services.claim_offers_make(claim=claim, offered_on=offered_on, actor=actor, channel=channel)
        for offer in offers:
            self.out(f"offer {offer.pk}: {offer.holding.holder} — {won(offer.amount_quoted)} as of {offer.offered_on}")

    # ------------------------------------------------------------------ accept / refuse / revoke
    def arguments_accept(self, parser):
        parser.add_argument("offer", help="offer id")
        parser.add_argument("--on", required=True, help="date the consent was verified")
        parser.add_argument("--identity", required=True,
                            choices=[c for c, _ in ConsentVerification.IDENTITY_CHOICES])
        parser.add_argument("--capacity", required=True, choices=["self", "guardian", "proxy"])
        parser.add_argument("--witness", required=True, help="who witnessed the signature")
        parser.add_argument("--form", required=True, help="the signed consent form (file)")
        parser.add_argument("--representative", default="", help="name of the guardian or proxy")
        parser.add_argument("--representative-document", help="court document appointing the guardian or proxy")
        operator_arguments(parser)

    def do_accept(self, *, offer, on, identity, capacity, witness, form, user, representative="",
                  representative_document=None, **_):
        actor = acting_user(user, action="record_consent")
        offer_row = get_or_fail(Offer, offer, "offer")
        consent = services.offer_accept(
            offer=offer_row, actor=actor, verified_on=parse_date(on, "--on"), identity_method=identity,
            capacity=capacity, witness_name=witness, form_upload=_upload(form, "--form"),
            representative_name=representative,
            representative_upload=_upload(representative_document, "--representative-document")
            if representative_document else None)
        self.out(f"consent {consent.pk} recorded: offer {offer_row.pk} accepted")

    def arguments_refuse(self, parser):
        parser.add_argument("offer", help="offer id")
        parser.add_argument("--on", required=True)
        parser.add_argument("--reason", default="")
        operator_arguments(parser)

    def do_refuse(self, *, offer, on, user, reason="", **_):
        actor = acting_user(user, action="record_consent")
        offer_row = services.offer_refuse(offer=get_or_fail(Offer, offer, "offer"), actor=actor,
                                          refused_on=parse_date(on, "--on"), reason=reason)
        self.out(f"offer {offer_row.pk} refused; holding {offer_row.holding_id} may be deposited with a court")

    def arguments_revoke(self, parser):
        parser.add_argument("consent", help="consent id")
        parser.add_argument("--reason", required=True)
        operator_arguments(parser)

    def do_revoke(self, *, consent, reason, user, **_):
        row = services.consent_revoke(consent=get_or_fail(ConsentVerification, consent, "consent"),
                                      actor=acting_user(user, action="record_consent"), reason=reason)
        self.out(f"consent {row.pk} revoked; holding {row.holding_id} has no answer again")
