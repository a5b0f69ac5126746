from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from analysis.access import get_own_analysis
from analysis.core.video.pose_io import VideoRejected
from analysis.models import ClipView, Job, PoseTrack, VideoAnalysis
from analysis.video_analysis import create_analysis
from club.models import Visibility
from config import limits


class PayloadTooLarge(APIException):
    """An uploaded file over its limit (config.limits): 413 with the file's name and the limit."""

    status_code = 413
    default_code = "too_large"

    def __init__(self, limit: limits.BodyLimit, upload: object) -> None:
        size = getattr(upload, "size", None)
        name = getattr(upload, "name", "") or ""
        super().__init__(limits.too_large(limit, size_bytes=size, name=name))

    @classmethod
    def check(cls, upload: UploadedFile, limit: limits.BodyLimit) -> None:
        if upload.size > limit.max_bytes:
            raise cls(limit, upload)


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "queue",
            "state",
            "attempts",
            "max_attempts",
            "error",
            "result",
            "progress_done",
            "progress_total",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The requester's own background jobs and their state."""

    serializer_class = JobSerializer

    def get_queryset(self) -> QuerySet[Job]:
        return Job.objects.for_user(self.request.user)


class VideoAnalysisSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    state = serializers.CharField(read_only=True)
    job = JobSerializer(read_only=True)

    class Meta:
        model = VideoAnalysis
        fields = [
            "id",
            "owner",
            "state",
            "job",
            "visibility",
            "requested_view",
            "view",
            "score",
            "cadence_spm",
            "report",
            "created_at",
        ]
        read_only_fields = fields


class VisibilitySerializer(serializers.Serializer):
    visibility = serializers.ChoiceField(choices=Visibility.choices)


class ClipUploadSerializer(serializers.Serializer):
    clip = serializers.FileField()
    view = serializers.ChoiceField(choices=ClipView.values, default=ClipView.AUTO)


class VideoAnalysisViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Form analyses the requester may see; upload a clip to start one."""

    serializer_class = VideoAnalysisSerializer

    def get_queryset(self) -> QuerySet[VideoAnalysis]:
        return VideoAnalysis.objects.visible_to(self.request.user).select_related("owner", "job")

    @extend_schema(
        request={"multipart/form-data": ClipUploadSerializer},
        responses={202: VideoAnalysisSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request: Request) -> Response:
        """The clip is checked first: a file that is not a usable clip is refused with why."""
        data = ClipUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["clip"]
        PayloadTooLarge.check(upload, limits.CLIP_FILE)
        try:
            analysis = create_analysis(
                owner=request.user,
                upload=upload,
                filename=upload.name,
                view=data.validated_data["view"],
            )
        except VideoRejected as exc:
            raise ValidationError({"clip": [str(exc)]}) from None
        return Response(VideoAnalysisSerializer(analysis).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=VisibilitySerializer, responses={200: VideoAnalysisSerializer})
    @action(detail=True, methods=["post"])
    def visibility(self, request: Request, pk: str) -> Response:
        """The owner widens or narrows who sees this analysis, its clip and pictures."""
        analysis = get_own_analysis(request.user, pk)
        data = VisibilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        analysis.visibility = data.validated_data["visibility"]
        analysis.save(update_fields=["visibility"])
        return Response(VideoAnalysisSerializer(analysis).data)

    @extend_schema(
        responses={
            200: OpenApiResponse(
                description="The clip's pose for drawing: frame times, landmarks per frame in "
                "per mille of the frame with visibility in per cent, gait events per foot "
                "(format runclub-pose version 1; see analysis/pose_track.py). Sent gzipped "
                "to clients that take it, with an ETag."
            ),
            304: OpenApiResponse(description="The copy named by If-None-Match is current."),
            404: OpenApiResponse(description="No such analysis, or it has no stored pose."),
        }
    )
    @action(detail=True, methods=["get"])
    def pose(self, request: Request, pk: str) -> HttpResponse:
        """The skeleton the video room draws over the clip, stored when the analysis was made."""
        # The stored bytes are read only when they are sent, not for a 304.
        track = PoseTrack.objects.filter(analysis=self.get_object()).defer("gzipped").first()
        if track is None:
            raise NotFound(NO_POSE)
        return pose_response(request, track)


NO_POSE = (
    "This analysis has no stored pose: it was made before poses were kept, or no runner was "
    "found in its clip."
)


def pose_response(request: Request, track: PoseTrack) -> HttpResponse:
    """The stored track as it is kept (gzipped) to clients that accept gzip, unpacked to the
    others; each form has its own entity tag. Cached privately and checked on every use, so
    access is decided at each read (a 304 costs a few bytes)."""
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    etag = f'"{track.etag}-gz"' if gzipped else f'"{track.etag}"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        body = bytes(track.gzipped) if gzipped else track.json_bytes()
        response = HttpResponse(body, content_type="application/json")
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Accept-Encoding", "Cookie", "Authorization"])
    return response
