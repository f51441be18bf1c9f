from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
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
    # Counted in no order: any 7 rows count the same, and the database need not sort them all.
    assert "ORDER BY" not in ctx.captured_queries[0]["sql"]
    assert paginator.is_capped
    assert paginator.num_pages == 3
    last = paginator.get_page(99)
    assert last.number == 3
    assert [s.pk for s in last.object_list] == list(qs.values_list("pk", flat=True)[4:6])


def test_lists_are_capped_too() -> None:
    paginator = CappedPaginator(list(range(30)), 10, cap=20)
    assert paginator.count == 21 and paginator.is_capped and paginator.num_pages == 2


class CappedAtFour(CappedPaginator):
    cap = 4


def test_api_pages_say_whether_their_count_is_exact(rf: RequestFactory) -> None:
    from rest_framework.request import Request

    from gov.pagination import CappedPageNumberPagination

    qs = Sector.objects.order_by("pk")
    pagination = CappedPageNumberPagination()
    pagination.page_size = 2
    pagination.django_paginator_class = CappedAtFour
    request = Request(rf.get("/api/v1/sectors/", {"page": "1"}))
    page = pagination.paginate_queryset(qs, request)
    assert page is not None
    body = pagination.get_paginated_response([s.code for s in page]).data
    assert body["count"] == 5 and body["count_is_exact"] is False
    assert "page=2" in body["next"]
    pagination.paginate_queryset(qs, Request(rf.get("/api/v1/sectors/", {"page": "2"})))
    assert pagination.get_next_link() is None  # the pages end at the cap: filter to see more
    qs = qs[:3]
    exact = CappedPageNumberPagination()
    exact.page_size = 2
    exact.paginate_queryset(Sector.objects.filter(pk__in=qs.values("pk")).order_by("pk"), request)
    body = exact.get_paginated_response([]).data
    assert (body["count"], body["count_is_exact"]) == (3, True)
