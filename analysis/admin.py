from django.contrib import admin

from analysis.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "queue",
        "state",
        "attempts",
        "owner",
        "created_at",
        "finished_at",
    ]
    list_filter = ["state", "kind", "queue"]
    readonly_fields = ["created_at", "started_at", "finished_at"]
    raw_id_fields = ["owner"]
