"""An exception-reporter filter that keeps personal data out of error pages and error e-mails.

Django's technical error page (development) and the error reports it mails to ``ADMINS``
show POST data, request headers and the local variables of each frame. Values of encrypted
fields are already :class:`~baesang.pii.fields.Sensitive` and show only their mask; this
filter also masks personal-data-like strings typed into forms, query strings and headers,
and in string variables, by the rules of :mod:`baesang.pii.masking`.

Enable it with ``DEFAULT_EXCEPTION_REPORTER_FILTER = "baesang.pii.reporting.RedactingExceptionReporterFilter"``.
In production (``DEBUG`` off) visitors see only a generic error page in any case.
"""

from __future__ import annotations

from django.views.debug import SafeExceptionReporterFilter

from baesang.pii.masking import redact_text


def _redact(value):
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redact(item) for item in value)
    return value


class RedactingExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        cleansed = super().get_post_parameters(request)
        if not cleansed:
            return cleansed
        cleansed = cleansed.copy()
        if hasattr(cleansed, "setlist"):
            for key in list(cleansed.keys()):
                cleansed.setlist(key, [_redact(v) for v in cleansed.getlist(key)])
        else:
            for key, value in cleansed.items():
                cleansed[key] = _redact(value)
        return cleansed

    def get_safe_request_meta(self, request):
        return {key: _redact(value) for key, value in super().get_safe_request_meta(request).items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, _redact(value)) for name, value in super().get_traceback_frame_variables(request, tb_frame)]
