"""Middleware of the staff application: security headers and the second-factor guard.

- :class:`SecurityHeadersMiddleware` sets a content security policy (``BAESANG_CSP``): pages
  load scripts, styles, images and fonts only from this site, are never framed, and post
  forms only to this site, so injected markup cannot run or exfiltrate personal data. It
  also sets ``Permissions-Policy`` and ``Cache-Control: no-store`` on staff pages, which
  show personal data that must not stay in shared caches.
- :class:`LanguageMiddleware` chooses the language: Korean unless the user chose English,
  with the language switch (Django's ``set_language``, kept in a cookie) or a ``?lang=en``
  link parameter (also kept in the cookie). The browser's Accept-Language is not followed:
  the foundation works in Korean, whatever the browser was installed with.
- :class:`SecondFactorMiddleware` treats a session whose user must pass a second factor but
  has not (signed in by any other path) as anonymous, so no view or endpoint ever serves it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.cache import patch_vary_headers

from baesang.staff.signin import second_factor_required

#: Session key set once the second factor has been passed in this session.
SECOND_FACTOR_SESSION_KEY = "baesang_second_factor_at"

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The interactive API documentation (Swagger UI, served from this site) sets inline styles.
API_DOCS_CSP = DEFAULT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith("/api/docs"):
                policy = getattr(settings, "BAESANG_CSP_API_DOCS", API_DOCS_CSP)
            else:
                policy = getattr(settings, "BAESANG_CSP", DEFAULT_CSP)
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


class SecondFactorMiddleware:
    """Must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(SECOND_FACTOR_SESSION_KEY)
            and second_factor_required(user)
        ):
            logout(request)
            request.user = AnonymousUser()
        return self.get_response(request)


class LanguageMiddleware:
    """Replaces Django's LocaleMiddleware (same place: after SessionMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        requested = request.GET.get("lang")
        if requested not in supported:
            requested = None
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = requested or (chosen if chosen in supported else settings.LANGUAGE_CODE)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if requested and requested != chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, requested, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
