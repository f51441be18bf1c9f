"""Pages for lists that may hold a million rows.

Django's ``Paginator`` counts every matching row (``SELECT COUNT(*)``) to number the pages: at a
million petition items that count alone costs more than the page. ``CappedPaginator`` counts at
most ``cap`` + 1 rows (``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, read from the same index as the
page), so a list says "more than 10,000" instead of the exact figure, and offers the pages up to
the cap: nobody reads page 201 of a list, they filter it. The exact figures per commune, agency and
handler are on the leaders' overview.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, *args: object, cap: int = DEFAULT_CAP, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``cap`` + 1 when there are more than ``cap``."""
        object_list = self.object_list
        if hasattr(object_list, "query"):  # a QuerySet: count a bounded subquery
            return object_list[: self.cap + 1].count()
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
