"""POST /api/dicom/inspect/: the DICOM inspector for scripts (multipart upload, field `file`)."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, throttle_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from ..live_exercises.throttle import DicomInspectThrottle
from .serializers import ErrorSerializer


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A DICOM Part 10 file, up to 1 MB.")


class AttributeSerializer(serializers.Serializer):
    tag = serializers.CharField()
    keyword = serializers.CharField()
    value = serializers.CharField(allow_blank=True)


class PixelSummarySerializer(serializers.Serializer):
    shape = serializers.ListField(child=serializers.IntegerField())
    stored_min = serializers.FloatField()
    stored_max = serializers.FloatField()
    hu_min = serializers.FloatField()
    hu_max = serializers.FloatField()
    hu_mean = serializers.FloatField()
    centre_hu = serializers.FloatField()


class InspectionSerializer(serializers.Serializer):
    transfer_syntax = serializers.CharField()
    attributes = AttributeSerializer(many=True)
    pixels = PixelSummarySerializer(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())


@extend_schema(
    request={"multipart/form-data": UploadSerializer},
    responses={200: InspectionSerializer, 400: ErrorSerializer},
)
@api_view(["POST"])
@parser_classes([MultiPartParser])
# The API's own rates, and the inspector's per-address budget that the page shares.
@throttle_classes(
    [*cast(list[type[BaseThrottle]], api_settings.DEFAULT_THROTTLE_CLASSES), DicomInspectThrottle]
)
def dicom_inspect(request: Request) -> Response:
    from ..exercises.dicom_inspect import DicomProblem, inspect_dicom

    upload = UploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    try:
        inspection = inspect_dicom(upload.validated_data["file"].read())
    except DicomProblem as error:
        return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
    return Response(InspectionSerializer(inspection).data)
