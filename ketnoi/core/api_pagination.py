"""The one pagination every API list uses: ?limit and ?offset within bounds a database holds.

django-ninja's LimitOffsetPagination takes any offset, and an offset past what a 64-bit column
holds (2^63 − 1) reaches the database and ends in a 500. Here the offset is bounded in the
schema itself, so a client sees the limit in the OpenAPI document and gets a 422 past it; a
limit above the list's maximum is cut to it, as before.
"""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, paginate

# Far beyond any list the platform holds, and far below where `offset + limit` overflows.
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            description="how many items to return; a number above the list's maximum is cut to it",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="how many items to skip")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        # A limit of 10^30 is valid input (cut to max_limit): cut it before any arithmetic.
        pagination.limit = min(pagination.limit, self.max_limit)
        return super().paginate_queryset(queryset, pagination, request, **params)


def paginated(max_limit: int):
    """@paginated(200) under @router.get(..., response=list[X]): the list as {items, count}."""
    return paginate(BoundedLimitOffset, max_limit=max_limit)
