"""The audit log's filter suggestions: the distinct actions and entity types found by one index
look-up per value (a recursive query) are exactly those a DISTINCT over every row gives, in order."""

from __future__ import annotations

import pytest

from baesang.core.models import AuditEvent
from baesang.web.views.audit import _distinct_by_index

pytestmark = pytest.mark.django_db


def test_the_suggestions_are_the_distinct_values_in_order():
    assert _distinct_by_index("action", 200) == list(
        AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
    for action, entity in [("z.last", "b.two"), ("a.first", "a.one"), ("m.middle", "b.two"), ("a.first", "c.three"),
                           ("m.middle", "")]:
        AuditEvent.objects.create(action=action, entity_type=entity, entity_id="1", actor_label="test")
    for column in ("action", "entity_type"):
        expected = list(AuditEvent.objects.order_by(column).values_list(column, flat=True).distinct())
        assert _distinct_by_index(column, 200) == expected
        assert _distinct_by_index(column, 2) == expected[:2]
    assert {"a.first", "m.middle", "z.last"} <= set(_distinct_by_index("action", 200))


def test_only_the_offered_columns():
    with pytest.raises(ValueError):
        _distinct_by_index("actor_label; DROP TABLE core_auditevent", 200)
