"""Documents go through Django's storage API only (docs/deploy.md): with a storage that is not
a folder of this machine (Django's InMemoryStorage, standing for an S3-compatible store),
a document is stored, found again by its name and read back by the judgment check, and
nothing is written under MEDIA_ROOT. The environment chooses the storage."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from test_reading import APPEAL, _register

from baesang.judgments import reading as check
from baesang.judgments import services as registry
from baesang.judgments.models import Document

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def memory_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = IN_MEMORY
    yield tmp_path / "media"


@pytest.mark.django_db
def test_documents_are_stored_and_read_through_the_storage_api(officer, memory_storage):
    content = "가족관계증명서 (demo)".encode()
    document = registry.document_store(kind=Document.FAMILY_RELATION_CERTIFICATE, title="certificate",
                                       content=content, filename="certificate.PDF", actor=officer)
    assert isinstance(Document.file.field.storage._wrapped, InMemoryStorage)
    digest = hashlib.sha256(content).hexdigest()
    assert document.file.name.startswith("documents/") and document.file.name.endswith(f"{digest}.pdf")
    assert default_storage.exists(document.file.name)
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == content
    assert not memory_storage.exists()  # not one byte on this machine's disk

    # a judgment registered from its text keeps the text in the storage; the check reads it back
    judgment = _register(officer)
    kept = Document.objects.get(judgment=judgment, kind=Document.JUDGMENT)
    with default_storage.open(kept.file.name, "rb") as stored:
        assert stored.read() == APPEAL.encode()
    assert check.judgment_check(judgment=judgment).clean
    assert not memory_storage.exists()


@pytest.mark.django_db
def test_a_document_missing_from_the_storage_is_reported_not_a_crash(officer, memory_storage):
    judgment = _register(officer)
    kept = Document.objects.get(judgment=judgment, kind=Document.JUDGMENT)
    default_storage.delete(kept.file.name)
    result = check.judgment_check(judgment=judgment)
    assert not result.clean
    assert any(f"document {kept.pk}" in problem.detail for problem in result.differences)


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES['default']))"
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "baesang.settings", **env}
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=full,
                          capture_output=True, text=True, timeout=120)


def test_the_environment_chooses_an_s3_compatible_store(tmp_path):
    done = _settings_in({"BAESANG_VAR_DIR": str(tmp_path), "BAESANG_DOCUMENT_STORAGE": "s3",
                         "BAESANG_S3_BUCKET": "baesang-documents",
                         "BAESANG_S3_ENDPOINT_URL": "https://objects.example.org"})
    assert done.returncode == 0, done.stderr
    assert '"BACKEND": "storages.backends.s3.S3Storage"' in done.stdout
    assert '"bucket_name": "baesang-documents"' in done.stdout
    assert '"endpoint_url": "https://objects.example.org"' in done.stdout
    assert '"default_acl": null' in done.stdout  # never public-read

    local = _settings_in({"BAESANG_VAR_DIR": str(tmp_path)})
    assert '"BACKEND": "django.core.files.storage.FileSystemStorage"' in local.stdout

    no_bucket = _settings_in({"BAESANG_VAR_DIR": str(tmp_path), "BAESANG_DOCUMENT_STORAGE": "s3"})
    assert no_bucket.returncode != 0 and "BAESANG_S3_BUCKET" in no_bucket.stderr
