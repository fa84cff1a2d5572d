"""One page shape for every API list: {count, next, previous, results}."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

_T = TypeVar("_T")


class Pages(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(
        self,
        queryset: QuerySet[Any, _T] | Sequence[_T],
        request: Request,
        view: APIView | None = None,
    ) -> list[_T] | None:
        # DRF pages any sliceable sequence (Django's Paginator does); its stubs say QuerySet.
        return super().paginate_queryset(queryset, request, view)  # type: ignore[arg-type]


def page_of(
    serializer: type[serializers.Serializer] | serializers.Serializer, name: str
) -> serializers.Serializer:
    """The schema of one page of `serializer` items, for views that paginate by hand."""
    return inline_serializer(
        name=f"{name}Page",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True) if isinstance(serializer, type) else serializer,
        },
    )
