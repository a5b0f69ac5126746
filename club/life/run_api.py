"""REST API for runs: list and detail of what the requester may see, FIT upload, manual runs."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from analysis.api import JobSerializer, PayloadTooLarge
from analysis.fit_import import enqueue_fit_import
from club.bounds import LONG_TEXT_CHARS
from club.models import Run
from club.run_forms import ManualRunForm
from config import limits


class RunSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    start_local = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Run
        fields = [
            "id",
            "owner",
            "source",
            "status",
            "visibility",
            "title",
            *Run.HEADLINE,
            "start_local",
            "target_low_spm",
            "target_high_spm",
            "perceived_effort",
            "notes",
            "warnings",
            "created_at",
        ]
        read_only_fields = [
            f for f in fields if f not in ("visibility", "title", "perceived_effort", "notes")
        ]
        extra_kwargs = {"notes": {"max_length": LONG_TEXT_CHARS}}


class RunDetailSerializer(RunSerializer):
    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "summary", "series"]


class ManualRunSerializer(serializers.Serializer):
    """The schema of a manual run; the values are checked by ManualRunForm, as on the page."""

    date = serializers.DateField()
    start_time = serializers.TimeField(required=False)
    distance_km = serializers.DecimalField(
        max_digits=7, decimal_places=3, min_value=Decimal("0.01"), max_value=500
    )
    duration = serializers.DurationField(help_text="30 seconds to 48 hours, hh:mm:ss")
    perceived_effort = serializers.IntegerField(required=False, min_value=1, max_value=10)
    title = serializers.CharField(required=False, max_length=120)
    notes = serializers.CharField(required=False, max_length=LONG_TEXT_CHARS)
    visibility = serializers.ChoiceField(
        choices=Run._meta.get_field("visibility").choices, required=False
    )


class FitUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Runs the requester may see: their own, and those shared with them as coach or clubmate."""

    def get_queryset(self) -> QuerySet[Run]:
        runs = Run.objects.visible_to(self.request.user).select_related("owner")
        return (
            runs.filter(owner=self.request.user) if self.request.query_params.get("mine") else runs
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return RunDetailSerializer if self.action == "retrieve" else RunSerializer

    def perform_update(self, serializer: RunSerializer) -> None:
        self._only_owner(serializer.instance)
        serializer.save()

    def perform_destroy(self, run: Run) -> None:
        self._only_owner(run)
        run.delete()

    def _only_owner(self, run: Run) -> None:
        if run.owner_id != self.request.user.pk:
            raise PermissionDenied("Only the owner can change or delete a run.")

    @extend_schema(request=ManualRunSerializer, responses={201: RunSerializer})
    def create(self, request: Request) -> Response:
        """Log a run without a file (validated by the same form as the web page)."""
        form = ManualRunForm(
            {
                "visibility": request.user.default_visibility,
                **{k: str(v) for k, v in request.data.items()},
            }
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        run = form.save(owner=request.user)
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": FitUploadSerializer},
        responses={
            202: OpenApiResponse(JobSerializer, description="the import job; poll /api/jobs/{id}/")
        },
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request: Request) -> Response:
        """Upload one FIT file (or .fit.gz). The import runs as a job; its result names the run."""
        data = FitUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        PayloadTooLarge.check(upload, limits.FIT_FILE)
        job = enqueue_fit_import(owner=request.user, upload=upload, filename=upload.name)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
