"""Pages for lists that may hold a million rows.

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) to number the pages: at a
million petition items that count alone costs more than the page. ``CappedPaginator`` counts at
most ``cap`` + 1 rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, read from the same index as the
page), so a list says "more than 10,000" instead of the exact figure, and offers the pages up to
the cap: nobody reads page 201 of a list, they filter it. The exact figures per commune, agency and
handler are on the leaders' overview.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = DEFAULT_CAP

    def __init__(
        self,
        object_list: QuerySet[Any, Any] | Sequence[Any],
        per_page: int | str,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        *,
        cap: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap`` + 1 when there are more than ``cap``."""
        object_list = self.object_list
        if isinstance(object_list, QuerySet):  # count a bounded subquery
            # In no particular order: any cap + 1 rows count the same, and PostgreSQL may then
            # stop at the cap instead of sorting every match first (a search for a common word
            # at a million items: 185 → 85 ms).
            return object_list.order_by()[: self.cap + 1].count()
        return min(len(object_list), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        """More rows match than were counted."""
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        if self.is_capped:
            return max(1, self.cap // self.per_page)
        return super().num_pages


class CappedPageNumberPagination(PageNumberPagination):
    """The API's pages, counted as ``CappedPaginator`` counts: past ``cap`` rows, ``count`` is
    ``cap`` + 1 and ``count_is_exact`` false; ``next`` still leads on, up to the cap."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: list[Any]) -> Response:
        page = cast("Page[Any]", self.page)  # set by paginate_queryset(), which DRF calls first
        paginator = cast("CappedPaginator", page.paginator)  # django_paginator_class
        return Response(
            {
                "count": paginator.count,
                "count_is_exact": not paginator.is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_exact"] = {"type": "boolean", "example": True}
        return response
