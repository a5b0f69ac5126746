from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from rest_framework.authtoken.models import TokenProxy

from club.auth import AdminSignInForm
from club.models import ApiToken, Club, Membership, Notification, Run, User

# The admin's sign-in goes through the same throttle and says so when it refuses.
admin.site.login_form = AdminSignInForm
# DRF's single token is replaced by ApiToken (its rows moved there by a migration).
admin.site.unregister(TokenProxy)


@admin.register(User)
class RunclubUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Body and preferences",
            {"fields": ("height_cm", "leg_length_cm", "sex", "birth_year", "time_zone", "units")},
        ),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Club)
class ClubAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["club", "user", "role", "joined_at"]
    list_filter = ["role", "club"]
    raw_id_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "sport", "start_utc", "distance_m", "avg_cadence_spm", "source"]
    list_filter = ["source", "sport", "visibility", "status"]
    raw_id_fields = ["owner"]
    exclude = ["series"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # a key is made by its member, who alone sees it
