"""Forms of the staff application's own pages (sign-in, second factor, audit-log filter)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=80,
                             widget=forms.TextInput(attrs={"list": "known-actions"}))
    entity_type = forms.CharField(label=_("Entity type"), required=False, max_length=80,
                                  widget=forms.TextInput(attrs={"list": "known-entity-types"}))
    entity_id = forms.CharField(label=_("Entity id"), required=False, max_length=80)
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class AccessLogFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    entity_type = forms.CharField(label=_("Entity type"), required=False, max_length=80)
    entity_id = forms.CharField(label=_("Entity id"), required=False, max_length=80)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


# --- case work -------------------------------------------------------------------------------


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ClaimFilterForm(AsOfForm):
    STATES = [("", _("All states")), ("registered", _("registered")), ("offered", _("offered")),
              ("accepted", _("accepted")), ("refused", _("refused")), ("deposited", _("deposited")),
              ("paid", _("paid"))]
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, help_text=_(
                            "Hangul, Hanja or romanized: 박순이, Park Sun-i and Pak Suni find the same person."),
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
        from baesang.donations.models import Donor

        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = Donor.objects.order_by("name")
