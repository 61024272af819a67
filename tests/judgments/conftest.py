"""Fixtures of the judgments tests: a case officer, a judgment of DOMAIN.md §4."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group
from factories import JudgmentFactory

from baesang.core import roles


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(db, django_user_model):
    roles.ensure_role_groups()
    user = django_user_model.objects.create_user("case")
    user.groups.add(Group.objects.get(name=roles.CASE_OFFICER))
    return user


@pytest.fixture
def judgment(officer):
    # MHI Hiroshima, Supreme Court 2013다67587, decided and final 2018-11-29 (DOMAIN.md §4).
    return JudgmentFactory(case_number="2013다67587", debtor_code="MHI", debtor_name="미쓰비시중공업",
                           debtor_name_en="Mitsubishi Heavy Industries", decided_on=date(2018, 11, 29),
                           final_on=date(2018, 11, 29), plaintiffs_count=5, actor=officer)
