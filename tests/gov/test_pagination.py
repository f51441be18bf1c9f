import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gov.models import Sector
from gov.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


def test_counts_exactly_under_the_cap() -> None:
    qs = Sector.objects.order_by("pk")
    total = qs.count()
    paginator = CappedPaginator(qs, 5, cap=100)
    assert paginator.count == total
    assert not paginator.is_capped
    assert paginator.num_pages == -(-total // 5)


def test_stops_counting_past_the_cap_and_offers_the_pages_up_to_it() -> None:
    qs = Sector.objects.order_by("pk")
    assert qs.count() > 10
    paginator = CappedPaginator(qs, 2, cap=6)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.count == 7
    assert "LIMIT 7" in ctx.captured_queries[0]["sql"]
    assert paginator.is_capped
    assert paginator.num_pages == 3
    last = paginator.get_page(99)
    assert last.number == 3
    assert [s.pk for s in last.object_list] == list(qs.values_list("pk", flat=True)[4:6])


def test_lists_are_capped_too() -> None:
    paginator = CappedPaginator(list(range(30)), 10, cap=20)
    assert paginator.count == 21 and paginator.is_capped and paginator.num_pages == 2
