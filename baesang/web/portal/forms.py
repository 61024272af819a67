"""Forms of the creditors' portal: few fields, large labels, each with its help text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from baesang.creditors.scanning import max_upload_bytes
from baesang.creditors.services import UPLOAD_KINDS
from baesang.judgments.models import Document

DOCUMENT_LABELS = {
    Document.FAMILY_RELATION_CERTIFICATE: _("Family relation certificate (가족관계증명서)"),
    Document.GUARDIANSHIP: _("Guardianship decision (후견 개시 심판)"),
    Document.OTHER: _("Other document, e.g. a bank account confirmation (통장 사본)"),
}


class SignInForm(forms.Form):
    contact = forms.CharField(label=_("Mobile number or e-mail address"), max_length=120,
                              widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}))
    code = forms.CharField(label=_("6-digit code from your authenticator app"), max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "pattern": "[0-9 ]*"}))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("6-digit code from your authenticator app"), max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "pattern": "[0-9 ]*"}))


class UploadForm(forms.Form):
    document_kind = forms.ChoiceField(label=_("Kind of document"),
                                      choices=[(kind, DOCUMENT_LABELS[kind]) for kind in UPLOAD_KINDS])
    upload = forms.FileField(label=_("File (PDF, JPEG or PNG, up to 10 MB)"),
                             widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    message = forms.CharField(label=_("Note for the foundation (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ContactForm(forms.Form):
    new_phone = forms.CharField(label=_("New mobile number"), required=False, max_length=40)
    new_email = forms.EmailField(label=_("New e-mail address"), required=False, max_length=120)


class BankForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    bank_account = forms.CharField(label=_("Account number"), max_length=40)
    message = forms.CharField(label=_("Note for the foundation (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class WishForm(forms.Form):
    kind = forms.ChoiceField(label=_("What would you like?"), widget=forms.RadioSelect, choices=[
        ("wish_accept", _("I wish to accept the payment")),
        ("wish_refuse", _("I wish to refuse the payment")),
        ("visit", _("Please visit me")),
        ("call", _("Please call me")),
    ])
    claim = forms.TypedChoiceField(label=_("Which claim"), coerce=int, required=False, empty_value=None)
    message = forms.CharField(label=_("Note for the foundation (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
