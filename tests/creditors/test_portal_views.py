"""The portal's screens (issue 16): sign-in by invitation and TOTP, what a creditor sees, and
that every portal URL refuses anonymous visitors and another creditor's ids."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, reverse
from portal_support import code_at, invite_path, sign_in_by_invitation

from baesang.creditors import services
from baesang.creditors.models import PortalAccount, PortalActivity, PortalRequest
from baesang.creditors.scanning import EICAR
from baesang.web.portal import urls as portal_urls

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a family relation certificate\n%%EOF\n"
#: Portal pages that anyone may open: the sign-in steps.
OPEN_PAGES = {"sign_in", "invitation", "enrol", "passkey_options", "passkey_sign_in"}


def _portal_urls(sample: int) -> list[tuple[str, str]]:
    found = []
    for pattern in portal_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {key: (sample if type(conv).__name__ == "IntConverter" else "zz")
                  for key, conv in pattern.pattern.converters.items()}
        found.append((pattern.name, reverse(f"portal:{pattern.name}", kwargs=kwargs)))
    return found


def test_anonymous_visitors_see_the_sign_in_page_and_nothing_else(pw):
    client = Client()
    page = client.get("/portal/")
    assert page.status_code == 200 and 'lang="ko"' in page.content.decode()
    for name, url in _portal_urls(pw.claim.pk):
        if name in OPEN_PAGES:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 405), f"{method} {url}"
            if response.status_code == 302:
                assert response["Location"] == reverse("portal:sign_in"), url


def test_a_heir_signs_in_and_sees_their_share_why_and_what_is_owed(pw, django_capture_on_commit_callbacks):
    client, account = sign_in_by_invitation(pw, django_capture_on_commit_callbacks)
    home = client.get(reverse("portal:home")).content.decode()
    assert "3/5" in home and "정대한" in home  # the widow's share (Civil Code Art. 1009(2)), the victim
    claim = client.get(reverse("portal:claim", args=[pw.claim.pk]))
    text = claim.content.decode()
    assert claim.status_code == 200 and "3/5" in text
    assert "1009" in text  # the succession explanation in Korean names the article
    assert "정대한의 배우자" in text and "V의" not in text  # with names, not the family file's ids
    pdf = client.get(reverse("portal:statement", args=[pw.claim.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    seen = set(PortalActivity.objects.filter(account=account, personal_data=True).values_list("action", flat=True))
    assert {"claims_viewed", "claim_viewed", "statement_downloaded"} <= seen


def test_another_creditors_ids_answer_404_on_every_portal_url(pw, django_capture_on_commit_callbacks):
    other_client, other_account = sign_in_by_invitation(pw, django_capture_on_commit_callbacks, pw.other,
                                                         "other@example.org")
    other_client.post(reverse("portal:requests"), {"form": "wish", "wish-kind": "call"})
    theirs = PortalRequest.objects.get(account=other_account)
    client, _account = sign_in_by_invitation(pw, django_capture_on_commit_callbacks)
    #: the other creditor's record for each kind of id in an address
    theirs_by_name = {"claim": pw.other_claim.pk, "statement": pw.other_claim.pk, "request": theirs.pk,
                      "receipt": 999_999}
    walked = 0
    for pattern in portal_urls.urlpatterns:
        if not pattern.pattern.converters or pattern.name in OPEN_PAGES:
            continue
        key = next(iter(pattern.pattern.converters))
        url = reverse(f"portal:{pattern.name}", kwargs={key: theirs_by_name[pattern.name]})
        response = client.get(url)
        walked += 1
        assert response.status_code in (403, 404), url
        assert "김다른" not in response.content.decode("utf-8", "replace"), url
    assert walked == len(theirs_by_name)


def test_a_creditor_is_refused_staff_pages_and_the_api(pw, django_capture_on_commit_callbacks):
    client, _account = sign_in_by_invitation(pw, django_capture_on_commit_callbacks)
    dashboard = client.get("/")
    assert dashboard.status_code == 302 and dashboard["Location"].startswith("/accounts/login/")
    assert client.get(f"/claims/{pw.claim.pk}/").status_code == 302
    assert client.get("/api/claims").status_code == 401


def test_a_signed_in_staff_user_is_not_a_creditor(pw, django_capture_on_commit_callbacks):
    client, _account = sign_in_by_invitation(pw, django_capture_on_commit_callbacks)
    client.force_login(pw.case)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:sign_in")


def test_a_reused_code_and_a_used_link_are_refused(pw, django_capture_on_commit_callbacks):
    client = Client()
    link = invite_path(pw, django_capture_on_commit_callbacks, pw.widow, "widow@example.org")
    client.post(link)
    account = PortalAccount.objects.get(person=pw.widow)
    code = code_at(account)
    assert client.post(reverse("portal:enrol"), {"code": code}).status_code == 302
    client.post(reverse("portal:sign_out"))
    again = client.post("/portal/", {"contact": "widow@example.org", "code": code})
    assert again.status_code == 400 and reverse("portal:home") not in again.get("Location", "")
    assert Client().post(link).status_code == 403
    ok = client.post("/portal/", {"contact": "widow@example.org", "code": code_at(account, 1)})
    assert ok.status_code == 302 and ok["Location"] == reverse("portal:home")


def test_upload_then_a_case_officer_accepts_it(pw, django_capture_on_commit_callbacks):
    client, account = sign_in_by_invitation(pw, django_capture_on_commit_callbacks)
    page = client.get(reverse("portal:documents")).content.decode()
    assert "가족관계증명서" in page  # a share by succession: the certificate is still needed
    refused = client.post(reverse("portal:documents"), {
        "document_kind": "family_relation_certificate",
        "upload": _file("virus.pdf", PDF + EICAR)})
    assert refused.status_code == 400 and not PortalRequest.objects.exists()
    sent = client.post(reverse("portal:documents"), {"document_kind": "family_relation_certificate",
                                                     "upload": _file("family.pdf", PDF)})
    assert sent.status_code == 302
    item = PortalRequest.objects.get(account=account)
    services.portal_request_decide(portal_request=item, actor=pw.case, accept=True)
    assert "state-accepted" in client.get(reverse("portal:request", args=[item.pk])).content.decode()


def _file(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_large_text_high_contrast_and_japanese(pw):
    client = Client()
    page = client.get("/portal/?text=large&contrast=high&lang=ja")
    body = page.content.decode()
    assert "large-text" in body and "high-contrast" in body and 'lang="ja"' in body
    assert "large-text" in client.get("/portal/").content.decode()  # kept in the cookie
