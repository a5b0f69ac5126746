"""The coaching loop over REST. Every queryset starts from what the requester may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from analysis.core.video import marks
from analysis.models import VideoAnalysis
from club.bounds import LONG_TEXT_CHARS, id_field_kwargs
from club.models import Club, CoachLink, User
from coaching import services
from coaching.access import get_thread_target
from coaching.catalogue import METRICS
from coaching.inbox import refilm_comparison
from coaching.models import (
    MAX_DRILL_STAGES,
    MAX_DRILL_STEPS,
    MAX_STAGE_SECONDS,
    MAX_STEP_CHARS,
    Assignment,
    Comment,
    Drill,
    DrillSession,
    Suggestion,
    is_coach,
    schedule_errors,
)


@extend_schema_field(
    {
        "type": "array",
        "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "minItems": 2,
        "maxItems": 2,
        "example": ["hold", 90],
    }
)
class StageField(serializers.Field):
    """One timed stage of a drill: [name, seconds]."""

    def to_internal_value(self, data: object) -> list:
        if not (isinstance(data, list) and len(data) == 2):
            raise ValidationError("A stage is [name, seconds].")
        name = serializers.CharField(max_length=80).run_validation(data[0])
        seconds = serializers.IntegerField(min_value=1, max_value=MAX_STAGE_SECONDS)
        return [name, seconds.run_validation(data[1])]

    def to_representation(self, value: list) -> list:
        return list(value)


class DrillSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    steps = serializers.ListField(
        child=serializers.CharField(max_length=MAX_STEP_CHARS),
        min_length=1,
        max_length=MAX_DRILL_STEPS,
    )
    stages = serializers.ListField(child=StageField(), required=False, max_length=MAX_DRILL_STAGES)
    targets = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(METRICS)),
        required=False,
        max_length=len(METRICS),
    )

    class Meta:
        model = Drill
        fields = [
            "slug",
            "name",
            "category",
            "purpose",
            "steps",
            "dose",
            "stages",
            "equipment",
            "targets",
            "author",
        ]
        read_only_fields = ["slug", "author"]


class DrillViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The catalogue plus the requester's own drills; only the author changes a drill."""

    serializer_class = DrillSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Drill]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Drill.objects.none()
        if self.action in ("update", "partial_update"):
            return Drill.objects.filter(author=self.request.user)
        return Drill.objects.visible_to(self.request.user).select_related("author")

    def perform_create(self, serializer: DrillSerializer) -> None:
        if not is_coach(self.request.user):
            raise PermissionDenied("Only coaches add drills.")
        name = serializer.validated_data["name"]
        serializer.save(author=self.request.user, slug=Drill.new_slug(name))


class ItemSerializer(serializers.Serializer):
    drill = serializers.CharField(source="drill.slug")
    name = serializers.CharField(source="drill.name")
    dose = serializers.SerializerMethodField()

    def get_dose(self, item: object) -> str:
        return item.dose or item.drill.dose


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DrillSession
        fields = ["id", "done_on", "sets_done", "minutes_done", "effort", "note", "created_at"]
        read_only_fields = ["id", "created_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    coach = serializers.CharField(source="coach.username", read_only=True)
    athlete = serializers.CharField(source="athlete.username", read_only=True)
    items = ItemSerializer(many=True, read_only=True)
    adherence = serializers.SerializerMethodField()
    refilm = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "coach",
            "athlete",
            "club",
            "batch",
            "title",
            "note",
            "starts_on",
            "ends_on",
            "sessions_per_week",
            "refilm_after_weeks",
            "refilm_view",
            "baseline",
            "cancelled_at",
            "items",
            "adherence",
            "refilm",
        ]
        read_only_fields = fields

    def get_adherence(self, assignment: Assignment) -> dict:
        adh = assignment.adherence()
        return {"done": adh.done, "due": adh.due, "pct": adh.pct}

    def get_refilm(self, assignment: Assignment) -> dict:
        """Before and after from the analyses the requester may see now."""
        found = refilm_comparison(assignment, self.context["request"].user)
        return {
            "before": _analysis_ref(found["before"]),
            "after": _analysis_ref(found["after"]),
            "metrics": found["comparison"],
        }


def _analysis_ref(analysis: VideoAnalysis | None) -> dict | None:
    if analysis is None:
        return None
    return {"id": analysis.pk, "created_at": analysis.created_at, "score": analysis.score}


MAX_PLAN_DRILLS = 20


class AssignSerializer(serializers.Serializer):
    """One athlete (`athlete_id`) or every athlete of a club the coach coaches (`club_id`)."""

    athlete_id = serializers.IntegerField(required=False, **id_field_kwargs())
    club_id = serializers.IntegerField(required=False, **id_field_kwargs())
    drills = serializers.ListField(
        child=serializers.SlugField(max_length=80), min_length=1, max_length=MAX_PLAN_DRILLS
    )
    dose = serializers.CharField(required=False, allow_blank=True, max_length=120)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    sessions_per_week = serializers.IntegerField(min_value=1, max_value=14, default=3)
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    note = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT_CHARS)
    refilm_after_weeks = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=52
    )
    refilm_view = serializers.ChoiceField(choices=Assignment.REFILM_VIEWS, default="")

    def validate(self, data: dict) -> dict:
        if ("athlete_id" in data) == ("club_id" in data):
            raise ValidationError("Give exactly one of athlete_id and club_id.")
        today = timezone.localdate()
        errors = schedule_errors(data["starts_on"], data["ends_on"], today=today)
        if errors:
            raise ValidationError(errors)
        return data


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An athlete sees the assignments given to them, a coach the ones they gave."""

    serializer_class = AssignmentSerializer

    def get_queryset(self) -> QuerySet[Assignment]:
        return (
            Assignment.objects.visible_to(self.request.user)
            .select_related("coach", "athlete")
            .prefetch_related("items__drill")
        )

    @extend_schema(request=AssignSerializer, responses={201: AssignmentSerializer(many=True)})
    def create(self, request: Request) -> Response:
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        coach, values = request.user, data.validated_data
        club = _coached_club(coach, values.get("club_id"))
        athletes = services.athletes_in_club(coach, club) if club else [_athlete(coach, values)]
        made = services.assign(coach=coach, athletes=athletes, plan=_plan(coach, values), club=club)
        body = AssignmentSerializer(made, many=True, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionSerializer, responses={201: SessionSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def sessions(self, request: Request, pk: str) -> Response:
        assignment = self.get_object()
        if request.method == "GET":
            return Response(SessionSerializer(assignment.sessions.all(), many=True).data)
        data = SessionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.log_session(
            athlete=request.user, assignment=assignment, **data.validated_data
        )
        return Response(SessionSerializer(made).data, status=status.HTTP_201_CREATED)


def _coached_club(coach: User, club_id: int | None) -> Club | None:
    if club_id is None:
        return None
    club = Club.objects.coached_by(coach).filter(pk=club_id).first()
    if club is None:
        raise NotFound("No club that you coach has this id.")
    return club


def _athlete(coach: User, values: dict) -> User:
    athlete = User.objects.athletes_of(coach).filter(pk=values["athlete_id"]).first()
    if athlete is None:
        raise NotFound("No athlete of yours has this id.")
    return athlete


def _plan(coach: User, values: dict) -> services.Plan:
    slugs = list(dict.fromkeys(values["drills"]))  # a drill named twice is in the plan once
    by_slug = Drill.objects.visible_to(coach).in_bulk(slugs, field_name="slug")
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        raise ValidationError({"drills": [f"Unknown drill: {', '.join(unknown)}."]})
    dose = values.get("dose") or ""
    return services.Plan(
        drills=[by_slug[s] for s in slugs],
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        sessions_per_week=values["sessions_per_week"],
        doses={s: dose for s in slugs} if dose else {},
        title=values.get("title", ""),
        note=values.get("note", ""),
        refilm_after_weeks=values.get("refilm_after_weeks"),
        refilm_view=values.get("refilm_view", ""),
    )


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "analysis",
            "run",
            "metric",
            "keyframe",
            "body",
            "at_s",
            "drawing",
            "drawing_deg",
            "created_at",
        ]
        read_only_fields = fields


class DrawingSerializer(serializers.Serializer):
    """A line (two points) or an angle (three, the middle one its vertex) on the pinned frame,
    each point [x, y] in fractions of the frame's width and height."""

    kind = serializers.ChoiceField(choices=sorted(marks.POINTS))
    points = serializers.ListField(
        child=serializers.ListField(
            child=serializers.FloatField(min_value=0.0, max_value=1.0), min_length=2, max_length=2
        ),
        min_length=2,
        max_length=3,
    )


class FeedbackSerializer(serializers.Serializer):
    analysis = serializers.IntegerField(required=False, **id_field_kwargs())
    run = serializers.IntegerField(required=False, **id_field_kwargs())
    body = serializers.CharField(max_length=2000)
    metric = serializers.CharField(required=False, allow_blank=True, max_length=64)
    keyframe = serializers.CharField(required=False, allow_blank=True, max_length=32)
    at_s = serializers.FloatField(
        required=False, min_value=0.0, help_text="pin to this moment of the clip, in seconds"
    )
    drawing = DrawingSerializer(required=False, help_text="a line or an angle on that frame")

    def validate(self, data: dict) -> dict:
        if ("analysis" in data) == ("run" in data):
            raise ValidationError("Give exactly one of analysis and run.")
        return data


class FeedbackViewSet(viewsets.GenericViewSet):
    """Threads on analyses and runs: `?analysis=ID` or `?run=ID` to read one; POST to add."""

    serializer_class = CommentSerializer
    queryset = Comment.objects.none()

    def list(self, request: Request) -> Response:
        kind = "analysis" if "analysis" in request.query_params else "run"
        target = _thread(request.user, kind, request.query_params.get(kind, ""))
        return Response(CommentSerializer(Comment.objects.on(target), many=True).data)

    @extend_schema(request=FeedbackSerializer, responses={201: CommentSerializer})
    def create(self, request: Request) -> Response:
        data = FeedbackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        kind = "analysis" if "analysis" in values else "run"
        target = _thread(request.user, kind, str(values.pop(kind)))
        made = services.comment(author=request.user, target=target, **values)
        return Response(CommentSerializer(made).data, status=status.HTTP_201_CREATED)


def _thread(user: User, kind: str, raw_id: str) -> object:
    if not raw_id.isdigit():
        raise ValidationError("Give ?analysis=ID or ?run=ID.")
    try:
        return get_thread_target(user, kind, int(raw_id))
    except Http404:
        raise NotFound(f"No such {kind}.") from None


class SuggestionSerializer(serializers.ModelSerializer):
    athlete = serializers.CharField(source="athlete.username", read_only=True)
    planned_by = serializers.CharField(
        source="planned_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "analysis",
            "athlete",
            "finding_code",
            "severity",
            "message",
            "drills",
            "status",
            "assignment",
            "planned_by",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class SuggestionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Drills proposed to the requesting coach; approve turns one into an assignment."""

    serializer_class = SuggestionSerializer

    def get_queryset(self) -> QuerySet[Suggestion]:
        return Suggestion.objects.for_coach(self.request.user).select_related(
            "athlete", "assignment__coach"
        )

    @extend_schema(request=None, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        suggestion = self.get_object()
        plan = services.default_plan(suggestion)
        made = services.approve_suggestion(coach=request.user, suggestion=suggestion, plan=plan)
        body = AssignmentSerializer(made, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        services.dismiss_suggestion(coach=request.user, suggestion=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CoachLinkSerializer(serializers.ModelSerializer):
    coach = serializers.CharField(source="coach.username", read_only=True)
    athlete = serializers.CharField(source="athlete.username")

    class Meta:
        model = CoachLink
        fields = ["id", "coach", "athlete", "status", "created_at", "responded_at"]
        read_only_fields = ["id", "coach", "status", "created_at", "responded_at"]


class CoachLinkViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """One-to-one coaching: a coach invites by username, the athlete accepts or declines."""

    serializer_class = CoachLinkSerializer

    def get_queryset(self) -> QuerySet[CoachLink]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return CoachLink.objects.none()
        me = self.request.user
        return CoachLink.objects.filter(Q(coach=me) | Q(athlete=me)).select_related(
            "coach", "athlete"
        )

    @extend_schema(request=CoachLinkSerializer, responses={201: CoachLinkSerializer})
    def create(self, request: Request) -> Response:
        athlete = User.objects.filter(username=request.data.get("athlete", "")).first()
        if athlete is None:
            raise ValidationError({"athlete": ["No member with that username."]})
        link = services.invite_athlete(coach=request.user, athlete=athlete)
        return Response(CoachLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CoachLinkSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._answer(pk, accept=True)

    @extend_schema(request=None, responses={200: CoachLinkSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self._answer(pk, accept=False)

    def _answer(self, pk: str, *, accept: bool) -> Response:
        link = CoachLink.objects.filter(pk=pk, athlete=self.request.user).first()
        if link is None:
            raise NotFound("No such invitation.")
        services.answer_invitation(link=link, accept=accept)
        return Response(CoachLinkSerializer(link).data)
