"""One page shape for every API list: {count, next, previous, results}."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def page_of(serializer: type[serializers.Serializer] | serializers.Serializer, name: str):
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
