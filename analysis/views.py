"""Pages for jobs and form analyses. Views do HTTP only."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from analysis import room
from analysis.access import get_analysis_for_user, get_job_for_user, get_own_analysis
from analysis.core import metrics as registry
from analysis.core.video import presentation
from analysis.core.video.pose_io import VideoRejected
from analysis.models import ClipView, Job, VideoAnalysis
from analysis.video_analysis import create_analysis
from club import charts
from club.access import can_comment
from club.files import refuse_oversized
from club.models import Visibility
from config import limits
from config.media import stored_file_response


@login_required
def job_row(request: HttpRequest, job_id: int) -> HttpResponse:
    """The current state of one of my jobs, as the row the pages show."""
    job = get_job_for_user(request.user, job_id)
    return render(request, "analysis/partials/job_row.html", {"job": job})


@login_required
def analysis_list(request: HttpRequest) -> HttpResponse:
    analyses = VideoAnalysis.objects.filter(owner=request.user).select_related("job")[:100]
    context = {
        "analyses": analyses,
        "max_bytes": limits.CLIP_FILE.max_bytes,
        "max_shown": limits.CLIP_FILE.shown,
        "clip_views": ClipView.choices,
    }
    return render(request, "analysis/analysis_list.html", context)


@login_required
@require_POST
def analysis_upload(request: HttpRequest) -> HttpResponse:
    """Probe first: a file that is not a usable clip is refused with its reason, nothing kept."""
    upload = request.FILES.get("clip")
    if upload is None:
        return HttpResponseBadRequest("Choose a video file to upload.")
    if refused := refuse_oversized(upload, limits.CLIP_FILE):
        return refused
    view = request.POST.get("view")
    view = view if view in ClipView.values else ClipView.AUTO
    try:
        analysis = create_analysis(
            owner=request.user, upload=upload, filename=upload.name, view=view
        )
    except VideoRejected as exc:
        # Plain text: the uploader's file name is echoed, and must never be read as markup.
        return HttpResponseBadRequest(f"{upload.name}: {exc}", content_type="text/plain")
    if request.htmx:
        return render(request, "analysis/partials/job_row.html", {"job": analysis.job})
    messages.success(request, "Clip received; the analysis is running.")
    return redirect(analysis)


@login_required
def analysis_detail(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = get_analysis_for_user(request.user, analysis_id)
    report = analysis.report or {}
    before = analysis.previous_of_same_view(request.user)
    context = {
        "analysis": analysis,
        "metrics": (rows := presentation.metric_rows(report)),
        "borderline": any(row.band == "borderline" for row in rows),
        "not_measured": presentation.not_measured_rows(report),
        "cadence": presentation.headline_cadence(report),
        "keyframes": [(n, analysis.KEYFRAME_CAPTIONS[n]) for n in analysis.keyframe_names()],
        "charts": _metric_charts(report.get("series") or {}),
        "before": before,
        "comparison": analysis.compare_with(before) if before else [],
        "score_mdc": registry.SCORE_MDC,
        "is_owner": analysis.owner_id == request.user.pk,
        "can_comment": can_comment(request.user, analysis),
        "visibilities": Visibility.choices,
        "room": room.player(analysis) if analysis.state == Job.State.DONE else None,
        "chart_axis": _chart_axis(report.get("series") or {}),
    }
    return render(request, "analysis/analysis_detail.html", context)


def _chart_axis(series: dict) -> dict | None:
    """Where the charts' time axis lies in their drawing (club.charts), so the room can put
    its playhead on them and seek from a click."""
    t = series.get("t_s") or []
    if len(t) < 2:
        return None
    return {"t0": t[0], "t1": t[-1], "left": charts.PAD, "right": charts.PLOT_RIGHT}


def _metric_charts(series: dict) -> list[tuple[str, charts.Chart]]:
    """The registry's per-frame series, each with its metric's good band where it has one."""
    t = series.get("t_s") or []
    out = []
    for chart in registry.SERIES:
        if not series.get(chart.key):
            continue
        metric = registry.get(chart.band_of)
        band = metric.band.good if metric and metric.band else None
        out.append(
            (
                chart.label,
                charts.line_chart(
                    xs=t, ys=series[chart.key], band=band, x_label=lambda s: f"{s:.0f}s"
                ),
            )
        )
    return out


@login_required
def analysis_clip(request: HttpRequest, analysis_id: int) -> HttpResponse:
    """The clip itself, under the same access rule as the analysis (no public media URL)."""
    analysis = get_analysis_for_user(request.user, analysis_id)
    container = analysis.clip_container()
    if container is None:
        raise Http404("This analysis has no clip.")
    return stored_file_response(
        request,
        Path(analysis.clip.path),
        content_type=container.media_type,
        filename=f"clip-{analysis.pk}{container.suffix}",
    )


@login_required
def analysis_keyframe(request: HttpRequest, analysis_id: int, name: str) -> HttpResponse:
    """An annotated keyframe, under the same access rule as the analysis."""
    analysis = get_analysis_for_user(request.user, analysis_id)
    if name not in analysis.keyframe_names():
        raise Http404("No such keyframe.")
    return stored_file_response(
        request,
        analysis.keyframe_dir / f"{name}.png",
        content_type="image/png",
        filename=f"analysis-{analysis.pk}-{name}.png",
    )


@login_required
@require_POST
def analysis_visibility(request: HttpRequest, analysis_id: int) -> HttpResponse:
    """The owner chooses who sees this analysis, its clip and its pictures."""
    analysis = get_own_analysis(request.user, analysis_id)
    choice = request.POST.get("visibility", "")
    if choice not in Visibility.values:
        messages.error(request, "Choose who may see it: only you, your coaches or your clubs.")
    else:
        analysis.visibility = choice
        analysis.save(update_fields=["visibility"])
        messages.success(request, f"Now visible to: {Visibility(choice).label.lower()}.")
    return redirect(analysis)


@login_required
@require_POST
def analysis_delete(request: HttpRequest, analysis_id: int) -> HttpResponse:
    analysis = get_own_analysis(request.user, analysis_id)
    analysis.delete()
    messages.success(request, "Analysis deleted.")
    return redirect("analysis-list")
