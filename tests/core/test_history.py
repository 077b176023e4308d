from decimal import Decimal

import pytest

from core import history
from core.models import ChangeRecord, Township, Village
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_keeps_who_when_old_and_new_values_and_why():
    office = UserFactory(real_name="王主任")
    person = UserFactory(real_name="李四", preferred_language="zh-hans")
    before = history.snapshot(person, ["real_name", "preferred_language"])
    person.real_name = "李思"
    person.save()

    change = history.record(person, actor=office, reason="村民电话更正", before=before)

    assert change.actor == office
    assert change.reason == "村民电话更正"
    assert change.changes == {"real_name": ["李四", "李思"]}
    [entry] = history.entries(person)
    assert entry.actor == office and entry.reason == "村民电话更正"
    assert [(str(label), old, new) for label, old, new in entry.lines] == [
        (str(type(person)._meta.get_field("real_name").verbose_name), "李四", "李思")
    ]


def test_nothing_changed_records_nothing_and_history_is_per_object():
    person, other = UserFactory(), UserFactory()
    before = history.snapshot(person, ["real_name"])
    assert history.record(person, actor=None, before=before) is None
    other_before = history.snapshot(other, ["real_name"])
    other.real_name = "新名字"
    history.record(other, actor=None, before=other_before)
    assert history.entries(person) == []
    assert len(history.entries(other)) == 1


def test_choices_read_as_their_labels_and_foreign_keys_as_text():
    person = UserFactory(preferred_language="zh-hans")
    before = history.snapshot(person, ["preferred_language"])
    person.preferred_language = "en"
    history.record(person, actor=None, before=before)
    assert ChangeRecord.objects.get().changes == {"preferred_language": ["zh-hans", "en"]}
    [entry] = history.entries(person)
    [(_label, old, new)] = entry.lines
    labels = dict(type(person)._meta.get_field("preferred_language").flatchoices)
    assert (old, new) == (labels["zh-hans"], labels["en"])

    township = Township.objects.create(code="t-h", name="历史镇")
    village = Village.objects.create(township=township, name="老村", code="laocun")
    before = history.snapshot(village, ["township", "name"])
    village.township = Township.objects.create(code="t-i", name="新镇")
    village.save()
    history.record(village, actor=None, before=before)
    assert ChangeRecord.objects.for_object(village).get().changes == {"township": ["历史镇", "新镇"]}


def test_decimals_and_dates_are_stored_exactly():
    from datetime import date

    assert history._value(type("R", (), {"x": Decimal("12.50")})(), type("F", (), {"attname": "x"})()) == "12.50"
    assert history._value(type("R", (), {"x": date(2026, 11, 1)})(), type("F", (), {"attname": "x"})()) == "2026-11-01"


def test_a_creation_records_every_filled_field():
    person = UserFactory(real_name="张三")
    change = history.record(person, actor=None, action=ChangeRecord.Action.CREATED, fields=["real_name", "email"])
    assert change.changes["real_name"] == [None, "张三"]


def test_booleans_read_as_yes_or_no():
    from django.utils import translation

    person = UserFactory(phone_verified=False)
    before = history.snapshot(person, ["phone_verified"])
    person.phone_verified = True
    history.record(person, actor=None, before=before)
    with translation.override("en"):
        [entry] = history.entries(person)
    [(_label, old, new)] = entry.lines
    assert (old, new) == ("No", "Yes")
