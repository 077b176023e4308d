"""`field__among=ids` (core.rows.Among): ids as one parameter, the same SQL whatever their number."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import User
from core.rows import CompiledQuery, IdList
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def test_among_finds_the_same_rows_as_in():
    people = [TraineeFactory() for _ in range(4)]
    for ids in ([], [people[0].pk], [p.pk for p in people[1:]], [people[3].pk, 10**9], (p.pk for p in people)):
        ids = list(ids)
        assert set(User.objects.filter(pk__among=ids)) == set(User.objects.filter(pk__in=ids))
    assert set(User.objects.filter(pk__among=IdList([people[2].pk]))) == {people[2]}
    # Negated and inside a subquery too.
    assert people[0] not in set(User.objects.exclude(pk__among=[people[0].pk]))


def test_among_sends_one_parameter_so_the_sql_does_not_change_with_the_number_of_ids():
    people = [TraineeFactory() for _ in range(3)]
    statements = set()
    for ids in ([people[0].pk], [p.pk for p in people]):
        with CaptureQueriesContext(connection) as captured:
            list(User.objects.filter(pk__among=ids).values_list("pk", flat=True))
        sql = captured.captured_queries[0]["sql"]
        statements.add(sql.split(" WHERE ")[0] + (" ANY(" if " ANY(" in sql else " json_each("))
    assert len(statements) == 1
    compiled = CompiledQuery(lambda ids: User.objects.filter(pk__among=ids).values_list("pk"), IdList([2_000_000_043]))
    assert compiled([]) == []
    assert sorted(compiled([p.pk for p in people])) == sorted((p.pk,) for p in people)
    assert compiled(IdList([people[1].pk])) == [(people[1].pk,)]


def test_among_takes_integers_only():
    with pytest.raises((ValueError, TypeError)):
        list(User.objects.filter(pk__among=["1; DROP TABLE core_user"]))
