"""REST API for people, clubs and notifications. Every queryset starts from the requester."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from analysis.core.metrics import SCORE_MDC, SCORE_REPEATABILITY
from club import throttle
from club.auth import throttled_for
from club.bounds import LONG_TEXT_CHARS, id_field_kwargs
from club.life.leaderboard import Boards, club_boards, parse_period
from club.models import ApiToken, Club, FeedItem, Membership, Notification, User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", *User.PROFILE_FIELDS]
        read_only_fields = ["id", "username"]


class MembershipSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(source="user.id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["user_id", "username", "name", "role", "joined_at"]


class ClubSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField()
    invite_code = serializers.SerializerMethodField()

    class Meta:
        model = Club
        fields = ["id", "name", "slug", "description", "my_role", "invite_code", "created_at"]
        read_only_fields = ["id", "slug", "created_at"]
        extra_kwargs = {"description": {"max_length": LONG_TEXT_CHARS}}

    def get_my_role(self, club: Club) -> str | None:
        return club.role_of(self.context["request"].user)

    def get_invite_code(self, club: Club) -> str:
        return club.invite_code


class ClubDetailSerializer(ClubSerializer):
    members = MembershipSerializer(source="memberships", many=True, read_only=True)

    class Meta(ClubSerializer.Meta):
        fields = [*ClubSerializer.Meta.fields, "members"]


class JoinSerializer(serializers.Serializer):
    invite_code = serializers.CharField(max_length=200)


class RoleSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(**id_field_kwargs())
    role = serializers.ChoiceField(choices=[Membership.Role.COACH, Membership.Role.MEMBER])


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at"]
        read_only_fields = fields


@extend_schema(request=MeSerializer, responses=MeSerializer)
@api_view(["GET", "PATCH"])
def me(request: Request) -> Response:
    if request.method == "PATCH":
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
    return Response(MeSerializer(request.user).data)


class ClubViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Clubs the requester belongs to. Joining goes by invite code."""

    def get_queryset(self) -> QuerySet[Club]:
        return Club.objects.for_user(self.request.user).prefetch_related("memberships__user")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return {
            "retrieve": ClubDetailSerializer,
            "join": JoinSerializer,
            "role": RoleSerializer,
        }.get(self.action, ClubSerializer)

    def perform_create(self, serializer: ClubSerializer) -> None:
        serializer.instance = Club.create_with_owner(
            owner=self.request.user,
            name=serializer.validated_data["name"],
            description=serializer.validated_data.get("description", ""),
        )

    @action(detail=False, methods=["post"])
    def join(self, request: Request) -> Response:
        data = JoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        club = Club.objects.filter(invite_code=data.validated_data["invite_code"]).first()
        if club is None:
            raise NotFound("No club has that invite code.")
        club.join(request.user)
        return Response(ClubSerializer(club, context={"request": request}).data, status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str) -> Response:
        club = self.get_object()
        club.leave(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="4w, 8w (default) or 12w")],
        responses={200: dict},
    )
    @action(detail=True, methods=["get"])
    def leaderboard(self, request: Request, pk: str) -> Response:
        boards = club_boards(self.get_object(), weeks=parse_period(request.GET.get("period")))
        return Response(leaderboard_payload(boards))

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def feed(self, request: Request, pk: str) -> Response:
        items = FeedItem.objects.for_club(self.get_object(), request.user)[:50]
        return Response([feed_payload(item) for item in items])

    @action(detail=True, methods=["post"])
    def role(self, request: Request, pk: str) -> Response:
        club = self.get_object()
        data = RoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = User.objects.filter(
            memberships__club=club, pk=data.validated_data["user_id"]
        ).first()
        if member is None:
            raise NotFound("That person is not a member of this club.")
        membership = club.set_role(
            actor=request.user, member=member, role=data.validated_data["role"]
        )
        return Response(MembershipSerializer(membership).data)


def leaderboard_payload(boards: Boards) -> dict:
    """Scores and changes only: nothing here links to a clip, a run or a keyframe."""
    return {
        "period_weeks": boards.weeks,
        "since": boards.start,
        "noise_points": SCORE_MDC,
        "noise_measured": SCORE_REPEATABILITY.how,
        "form": boards.form_rows,
        "not_ranked": boards.missing_rows,
        "metrics": {name: rows for name, _, rows in boards.metric_tables},
        "adherence": boards.adherence,
    }


def feed_payload(item: FeedItem) -> dict:
    """What a feed item shows: a run's headline figures, an analysis's score only."""
    body = {
        "id": item.id,
        "kind": item.kind,
        "actor": item.actor.display_name,
        "created_at": item.created_at,
        "text": item.text,
        "kudos": len(item.kudos.all()),
        "comments": [
            {"author": c.author.display_name, "body": c.body} for c in item.comments.all()
        ],
    }
    if item.run_id:
        body["run"] = {"id": item.run_id, "distance_m": item.run.distance_m}
    if item.analysis_id:
        body["analysis"] = {"score": item.analysis.score}
    if item.session_id:
        body["drill"] = item.session.assignment.title
    return body


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        mine = Notification.objects.for_user(self.request.user)
        return mine.unread() if self.request.query_params.get("unread") == "1" else mine

    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = self.get_object()
        Notification.objects.filter(pk=notification.pk).mark_read()
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        count = Notification.objects.for_user(request.user).mark_read()
        return Response({"marked_read": count})


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at"]


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The key; shown this once only.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class SignInSerializer(AuthTokenSerializer):
    name = serializers.CharField(required=False, max_length=60, write_only=True)


@extend_schema(request=SignInSerializer, responses={200: dict, 429: dict})
@api_view(["POST"])
@authentication_classes([])
@permission_classes([])
def obtain_token(request: Request) -> Response:
    """Username and password in, `{"token": key}` out: a new named token each time (see
    `/api/tokens/`). Failed attempts are throttled per account and per address (429)."""
    data = SignInSerializer(data=request.data, context={"request": request})
    if not data.is_valid():
        wait = throttled_for(request)
        if wait:
            refused = Throttled(detail=throttle.message(wait))
            refused.wait = wait  # Retry-After, without DRF's second sentence about it
            raise refused
        raise ValidationError(data.errors)
    name = data.validated_data.get("name") or "API sign-in"
    _, key = ApiToken.issue(user=data.validated_data["user"], name=name)
    return Response({"token": key})


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The requester's API tokens: list them, make a named one (its key is in this answer
    only), revoke one (DELETE)."""

    serializer_class = TokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.for_user(self.request.user)

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request: Request) -> Response:
        data = TokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = ApiToken.issue(user=request.user, name=data.validated_data["name"])
        body = {**TokenSerializer(token).data, "token": key}
        return Response(body, status=status.HTTP_201_CREATED)
