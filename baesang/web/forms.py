"""Forms of the staff application's own pages (sign-in, second factor, audit-log filter)."""

from __future__ import annotations

from fractions import Fraction

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from baesang.donations.models import Donor
from baesang.judgments.models import Debtor, Judgment


class LoginForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False, max_length=4096,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9 ]*", "autofocus": True}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("Enter the 6 digits shown by your authenticator app."))
        return code


class DateRangeForm(forms.Form):
    """A filter with an optional period; a start after the end is refused."""

    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class AuditFilterForm(DateRangeForm):
    field_order = ["action", "entity_type", "entity_id", "actor", "date_from", "date_to"]
    action = forms.CharField(label=_("Action"), required=False, max_length=80,
                             widget=forms.TextInput(attrs={"list": "known-actions"}))
    entity_type = forms.CharField(label=_("Entity type"), required=False, max_length=80,
                                  widget=forms.TextInput(attrs={"list": "known-entity-types"}))
    entity_id = forms.CharField(label=_("Entity id"), required=False, max_length=80)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)


class AccessLogFilterForm(DateRangeForm):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    entity_type = forms.CharField(label=_("Entity type"), required=False, max_length=80)
    entity_id = forms.CharField(label=_("Entity id"), required=False, max_length=80)


# --- case work -------------------------------------------------------------------------------


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ClaimFilterForm(AsOfForm):
    STATES = [("", _("All states")), ("registered", _("registered")), ("offered", _("offered")),
              ("accepted", _("accepted")), ("refused", _("refused")), ("deposited", _("deposited")),
              ("paid", _("paid"))]
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, case number or document"), max_length=100, help_text=_(
                            "A name in Hangul, Hanja or romanized (박순이, Park Sun-i and Pak Suni find the same "
                            "person), a case number (2013다61381) or a document's number or SHA-256."),
                        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))


class RevealForm(forms.Form):
    FIELDS = [("rrn", _("Resident registration number")), ("phone", _("Phone")), ("address", _("Address")),
              ("bank_account", _("Bank account"))]
    field = forms.ChoiceField(label=_("Field"), choices=FIELDS)
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             help_text=_("Why you need the full value; it is written to the access log."))


class OfferForm(forms.Form):
    CHANNELS = [("visit", _("visit")), ("letter", _("letter")), ("phone", _("phone")),
                ("lawyer", _("through counsel"))]
    offered_on = forms.DateField(label=_("Offered on"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNELS, initial="visit")


class ConsentForm(forms.Form):
    IDENTITY = [("id_card_in_person", _("identity card checked in person")),
                ("resident_certificate", _("resident registration certificate")),
                ("notarised", _("notarised signature")), ("video_call", _("video call with identity card"))]
    CAPACITY = [("self", _("the holder in person")), ("guardian", _("adult guardian")),
                ("proxy", _("court-appointed proxy"))]
    verified_on = forms.DateField(label=_("Verified on"), widget=forms.DateInput(attrs={"type": "date"}))
    identity_method = forms.ChoiceField(label=_("Identity check"), choices=IDENTITY)
    capacity = forms.ChoiceField(label=_("Who consents"), choices=CAPACITY)
    witness_name = forms.CharField(label=_("Witness"), max_length=100)
    form_file = forms.FileField(label=_("Signed consent form"),
                                help_text=_("The scanned form signed by the holder or their representative."))
    representative_name = forms.CharField(label=_("Representative"), max_length=100, required=False)
    representative_file = forms.FileField(
        label=_("Court document appointing the representative"), required=False,
        help_text=_("Guardianship decision or court decision; required for a guardian or proxy."))


class RefusalForm(forms.Form):
    refused_on = forms.DateField(label=_("Refused on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


# --- payments and money ----------------------------------------------------------------------


class BatchPrepareForm(forms.Form):
    payment_date = forms.DateField(label=_("Payment date"), widget=forms.DateInput(attrs={"type": "date"}))
    limit = forms.IntegerField(label=_("At most this many claims"), required=False, min_value=1, max_value=1_000_000,
                               help_text=_("Leave empty for every claim ready for payment (waiting-list order)."))


class BatchResultForm(forms.Form):
    result_file = forms.FileField(label=_("Bank result file (CSV)"), help_text=_(
        "Columns: line, amount, status (paid or failed), bank_reference, reason."))
    value_date = forms.DateField(label=_("Value date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DonationForm(forms.Form):
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=None)
    value_date = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=24, decimal_places=4)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="KRW")
    rate = forms.DecimalField(label=_("Rate (won per unit)"), required=False, min_value=0, max_digits=18,
                              decimal_places=6)
    restricted = forms.BooleanField(label=_("Earmarked for judgment payments"), required=False, initial=True)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = Donor.objects.order_by("name")


# --- registering judgments, claims, persons and documents ------------------------------------


class UnrenderedTextInput(forms.TextInput):
    """A text box that never writes a value back into the page: personal data typed into a form
    that comes back with an error is not echoed (docs/personal-data.md)."""

    def format_value(self, value):
        return None


def _personal_field(label, kind: str, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=kwargs.pop("max_length", 200),
                           widget=UnrenderedTextInput(attrs={"autocomplete": "off", "data-personal": kind}), **kwargs)


class JudgmentForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=40,
                                  help_text=_("As the court writes it, e.g. 2013다61381."))
    court = forms.CharField(label=_("Court"), max_length=100, widget=forms.TextInput(attrs={"list": "known-courts"}),
                            help_text=_("An existing court is chosen by its name; a new name registers the court."))
    debtor = forms.ModelChoiceField(label=_("Debtor"), queryset=None, required=False,
                                    empty_label=_("— a new debtor (below) —"))
    debtor_code = forms.SlugField(label=_("New debtor: code"), max_length=20, required=False,
                                  help_text=_("Short code naming its indemnity account, e.g. NSC."))
    debtor_name = forms.CharField(label=_("New debtor: name"), max_length=200, required=False)
    debtor_name_en = forms.CharField(label=_("New debtor: English name"), max_length=200, required=False)
    decided_on = forms.DateField(label=_("Ruled on"), widget=forms.DateInput(attrs={"type": "date"}))
    final_on = forms.DateField(label=_("Final on"), widget=forms.DateInput(attrs={"type": "date"}))
    plaintiffs_count = forms.IntegerField(label=_("Number of plaintiffs"), min_value=1, max_value=100_000)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["debtor"].queryset = Debtor.objects.order_by("code")

    def clean(self):
        data = super().clean()
        if not data.get("debtor") and not (data.get("debtor_code") and data.get("debtor_name")):
            raise forms.ValidationError(_("Choose the debtor, or give the code and name of a new one."))
        return data


class SegmentForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=_("Empty: until paid."))
    rate = forms.DecimalField(label=_("Rate (% a year)"), required=False, min_value=0, max_value=100, max_digits=7,
                              decimal_places=4)

    def clean(self):
        data = super().clean()
        if data.get("start") is None and data.get("rate") is None and data.get("end") is None:
            return data
        if data.get("start") is None or data.get("rate") is None:
            raise forms.ValidationError(_("A segment needs its first day and its rate."))
        return data


SegmentFormSet = forms.formset_factory(SegmentForm, extra=3, max_num=10, absolute_max=10)

SEX_CHOICES = [("", _("unknown")), ("M", _("male")), ("F", _("female"))]


class ClaimForm(forms.Form):
    position = forms.IntegerField(label=_("Plaintiff number"), min_value=1, max_value=100_000,
                                  help_text=_("The plaintiff's number in the judgment (원고 번호)."))
    victim = forms.IntegerField(label=_("Victim (person no.)"), required=False, min_value=1,
                                help_text=_("A registered person's number; or leave empty and give the name below."))
    victim_name_hangul = forms.CharField(label=_("New victim: name in Hangul"), max_length=100, required=False)
    victim_name_hanja = forms.CharField(label=_("New victim: name in Hanja"), max_length=100, required=False)
    victim_name_roman = forms.CharField(label=_("New victim: romanized name"), max_length=200, required=False)
    victim_sex = forms.ChoiceField(label=_("New victim: sex"), choices=SEX_CHOICES, required=False)
    victim_birth_date = forms.DateField(label=_("New victim: born"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    victim_death_date = forms.DateField(label=_("New victim: died"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))
    plaintiff = forms.IntegerField(label=_("Plaintiff, when not the victim (person no.)"), required=False, min_value=1)
    principal = forms.IntegerField(label=_("Principal (won)"), min_value=1, max_value=10**15)
    method = forms.ChoiceField(label=_("Interest method"), choices=[
        ("period", _("period method (기간식)")), ("days", _("total days (총일수식)"))], initial="period")
    plaintiff_holds = forms.BooleanField(
        label=_("The plaintiff holds the whole claim now"), required=False, initial=True,
        help_text=_("Leave unticked when the creditor died: record the heirs from a family file afterwards."))

    def clean(self):
        data = super().clean()
        if not data.get("victim") and not data.get("victim_name_hangul"):
            raise forms.ValidationError(_("Give the victim's person number, or the name of a new victim."))
        return data


class PersonForm(forms.Form):
    name_hangul = forms.CharField(label=_("Name in Hangul"), max_length=100)
    name_hanja = forms.CharField(label=_("Name in Hanja"), max_length=100, required=False)
    name_roman = forms.CharField(label=_("Romanized name"), max_length=200, required=False,
                                 help_text=_("As on the passport or as the person writes it, e.g. Park Sun-i."))
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES, required=False)
    birth_date = forms.DateField(label=_("Born"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    death_date = forms.DateField(label=_("Died"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    needs_representative = forms.BooleanField(
        label=_("Cannot decide alone"), required=False,
        help_text=_("E.g. dementia: consent only through a guardian or proxy with a court document."))
    rrn = _personal_field(_("Resident registration number"), "rrn", max_length=20,
                          help_text=_("Encrypted at rest; shown masked afterwards."))
    phone = _personal_field(_("Phone"), "phone", max_length=40)
    address = _personal_field(_("Address"), "address", max_length=300)
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    bank_account = _personal_field(_("Bank account"), "bank_account", max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        born, died = data.get("birth_date"), data.get("death_date")
        if born and died and died < born:
            self.add_error("death_date", _("The date of death is before the date of birth."))
        return data


class PersonEditForm(PersonForm):
    """Changing a person: the name in Hangul stays (it identifies the person in the records); a
    blank box of personal data keeps the stored value. A death is recorded with its evidence
    (:class:`DeathRecordForm`) and a bank account changes by a proposal (:class:`AccountChangeForm`),
    never here."""

    PERSONAL = ("rrn", "phone", "address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name_hangul", "death_date", "bank_name", "bank_account"):
            del self.fields[name]
        for name in self.PERSONAL:
            self.fields[name].help_text = _("Leave empty to keep the stored value.")


class DocumentUploadForm(forms.Form):
    KINDS = [("judgment", _("judgment (판결문)")),
             ("family_relation_certificate", _("family relation certificate (가족관계증명서)")),
             ("consent_form", _("signed consent form")), ("court_decision", _("court decision")),
             ("guardianship", _("guardianship decision")), ("other", _("other"))]
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Empty: the file name."))
    person = forms.IntegerField(label=_("Person no."), required=False, min_value=1)
    judgment = forms.ModelChoiceField(label=_("Judgment"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["judgment"].queryset = Judgment.objects.order_by("case_number")


class DocumentLookupForm(forms.Form):
    id = forms.CharField(label=_("Document no. or SHA-256"), max_length=64,
                         help_text=_("The number, or at least the first 8 hex digits of the SHA-256."))


# --- holders ---------------------------------------------------------------------------------


class FamilyFileForm(forms.Form):
    family_file = forms.FileField(label=_("Family file (JSON)"), required=False,
                                  help_text=_("The family file of docs/succession.md."))
    family_json = forms.CharField(label=_("…or paste it"), required=False, max_length=1_000_000,
                                  widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}))
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: the date of death."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ShareRowForm(forms.Form):
    person = forms.IntegerField(label=_("Person no."), required=False, min_value=1)
    share = forms.CharField(label=_("Share"), required=False, max_length=40, help_text=_("An exact fraction: 3/13."))

    def clean_share(self):

        text = (self.cleaned_data.get("share") or "").strip()
        if not text:
            return None
        try:
            share = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise forms.ValidationError(_("Write the share as an exact fraction such as 3/13.")) from None
        if not 0 < share <= 1:
            raise forms.ValidationError(_("A share is more than 0 and at most 1."))
        return share

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) != bool(data.get("share")) and not self.errors:
            raise forms.ValidationError(_("Give both the person and the share, or neither."))
        return data


ShareRowFormSet = forms.formset_factory(ShareRowForm, extra=6, max_num=60, absolute_max=60)


class DocumentSharesForm(forms.Form):
    document = forms.IntegerField(label=_("Document no."), required=False, min_value=1,
                                  help_text=_("A stored court or registry document; or upload it below."))
    document_file = forms.FileField(label=_("…or upload the document"), required=False)
    document_kind = forms.ChoiceField(label=_("Kind of the uploaded document"), initial="court_decision", choices=[
        ("court_decision", _("court decision")),
        ("family_relation_certificate", _("family relation certificate (가족관계증명서)")), ("other", _("other"))])
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not data.get("document") and not data.get("document_file"):
            raise forms.ValidationError(_("Name the document the shares come from, or upload it."))
        return data


# --- court deposits ---------------------------------------------------------------------------


class DepositFileForm(forms.Form):
    court = forms.CharField(label=_("Deposit office (court)"), max_length=100,
                            widget=forms.TextInput(attrs={"list": "known-courts"}))
    filed_on = forms.DateField(label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}))
    deposit_number = forms.CharField(label=_("Deposit number"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DepositDecisionForm(forms.Form):
    OUTCOMES = [("accepted", _("accepted (수리)")), ("refused", _("refused (불수리)")),
                ("objection_filed", _("objection filed (이의신청)")),
                ("objection_dismissed", _("objection dismissed (기각)")), ("returned", _("returned (회수)"))]
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES)
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))
    deposit_number = forms.CharField(label=_("Deposit number"), max_length=60, required=False)
    document_file = forms.FileField(label=_("Decision document"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, allowed: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["outcome"].choices = [(k, v) for k, v in self.OUTCOMES if k in allowed]


class DepositFilterForm(forms.Form):
    STATES = [("", _("All states")), ("filed", _("filed")), ("accepted", _("accepted")), ("refused", _("refused")),
              ("objection_filed", _("objection filed")), ("objection_dismissed", _("objection dismissed")),
              ("returned", _("returned"))]
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)


# --- indemnity, ledger ------------------------------------------------------------------------


class IndemnityFilterForm(forms.Form):
    debtor = forms.ModelChoiceField(label=_("Debtor"), queryset=None, required=False, empty_label=_("All debtors"))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All states")), ("open", _("open")), ("cancelled", _("cancelled"))])

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["debtor"].queryset = Debtor.objects.order_by("code")


class StatementFilterForm(DateRangeForm):
    """The period of an account statement."""


# --- API tokens, printing --------------------------------------------------------------------


class ApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Acts as user"), queryset=None,
                                  help_text=_("Create a dedicated user with only the roles the integration needs."))
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Which integration uses it, e.g. bank reconciliation."))

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class StatementForm(forms.Form):
    as_of = forms.DateField(label=_("Owed on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_(
        "Why the statement is printed (e.g. requested by the creditor); written to the personal-data access log."))


class DeathRecordForm(forms.Form):
    death_date = forms.DateField(label=_("Died"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("Evidence (e.g. basic certificate)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)


class AccountChangeForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    bank_account = forms.CharField(label=_("Bank account"), max_length=40)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000)


class ProposalDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)
