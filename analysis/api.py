from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from analysis.models import Job


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
