"""Pages for runs: my runs, FIT upload, manual logging, run detail."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from analysis.core.runs.cadence import DEFAULT_TARGET_SPM
from analysis.fit_import import enqueue_fit_import
from analysis.models import Job
from club import charts
from club.access import can_comment, get_athlete_for_user, get_own_run, get_run_for_user
from club.files import refuse_oversized
from club.models import Run
from club.run_forms import FitUploadForm, ManualRunForm, RunSettingsForm
from config import limits
from config.media import stored_file_response


@login_required
@vary_on_headers("HX-Request")
def run_list(request: HttpRequest) -> HttpResponse:
    runs = list(Run.objects.filter(owner=request.user)[:200])
    imports = Job.objects.for_user(request.user).filter(kind="fit.import")[:30]
    context = {
        "runs": runs,
        "imports": imports,
        "trend": _cadence_trend(runs),
        "max_bytes": limits.FIT_FILE.max_bytes,
        "max_shown": limits.FIT_FILE.shown,
    }
    if request.htmx and request.GET.get("part") == "imports":
        return render(request, "club/runs/partials/import_list.html", context)
    return render(request, "club/runs/run_list.html", context)


@login_required
def athlete_runs(request: HttpRequest, athlete_id: int) -> HttpResponse:
    """A coach's view of one athlete's runs: only those the athlete shares with coaches."""
    athlete = get_athlete_for_user(request.user, athlete_id)
    runs = list(Run.objects.visible_to(request.user).filter(owner=athlete)[:200])
    context = {"athlete": athlete, "runs": runs, "trend": _cadence_trend(runs)}
    return render(request, "club/runs/athlete_runs.html", context)


def _cadence_trend(runs: list[Run]) -> charts.Chart:
    recent = [r for r in reversed(runs) if r.avg_cadence_spm][-40:]
    labels = [f"{r.start_local:%d %b}: {r.avg_cadence_spm:.0f} spm" for r in recent]
    return charts.trend_chart(
        labels=labels, ys=[r.avg_cadence_spm for r in recent], band=DEFAULT_TARGET_SPM
    )


@login_required
@require_POST
def run_upload(request: HttpRequest) -> HttpResponse:
    """One file per request, so the page can show a progress bar per file."""
    form = FitUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return HttpResponseBadRequest("Choose a .fit or .fit.gz file to upload.")
    upload = form.cleaned_data["file"]
    if refused := refuse_oversized(upload, limits.FIT_FILE):
        return refused
    job = enqueue_fit_import(owner=request.user, upload=upload, filename=upload.name)
    if request.htmx:
        return render(request, "analysis/partials/job_row.html", {"job": job})
    messages.success(request, f"{upload.name} is being imported.")
    return redirect("run-list")


@login_required
def run_new(request: HttpRequest) -> HttpResponse:
    form = ManualRunForm(
        request.POST or None, initial={"visibility": request.user.default_visibility}
    )
    if request.method == "POST" and form.is_valid():
        run = form.save(owner=request.user)
        messages.success(request, "Run logged.")
        return redirect(run)
    return render(request, "club/runs/run_new.html", {"form": form})


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    context = {
        "run": run,
        "is_owner": run.owner_id == request.user.pk,
        "settings_form": RunSettingsForm(instance=run),
        "can_comment": can_comment(request.user, run),
        **_run_charts(run),
    }
    return render(request, "club/runs/run_detail.html", context)


def _run_charts(run: Run) -> dict:
    series, summary = run.series or {}, run.summary or {}
    band = (run.target_low_spm, run.target_high_spm) if run.target_low_spm else None
    histogram = summary.get("histogram") or {}
    return {
        "cadence_chart": charts.line_chart(
            xs=series.get("t_s", []),
            ys=series.get("cadence_spm", []),
            band=band,
            x_label=lambda s: f"{s / 60:.0f}′",
        ),
        "histogram_chart": charts.bar_chart(
            edges=histogram.get("edges", []), heights=histogram.get("seconds", []), highlight=band
        ),
    }


@login_required
@require_POST
def run_settings(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_own_run(request.user, run_id)
    form = RunSettingsForm(request.POST, instance=run)
    if form.is_valid():
        form.save()
        messages.success(request, "Saved.")
    else:
        messages.error(
            request, "Not saved: " + "; ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(run)


@login_required
@require_POST
def run_delete(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_own_run(request.user, run_id)
    run.delete()
    messages.success(request, "Run deleted.")
    return redirect("run-list")


@login_required
def run_original(request: HttpRequest, run_id: int) -> HttpResponse:
    """The uploaded file, for its owner only."""
    run = get_own_run(request.user, run_id)
    if not run.original:
        return HttpResponseBadRequest("This run was entered by hand; there is no file.")
    gzipped = run.original.name.endswith(".gz")  # the stored name is server-made
    return stored_file_response(
        request,
        Path(run.original.path),
        content_type="application/gzip" if gzipped else "application/vnd.ant.fit",
        filename=f"run-{run.pk}.fit.gz" if gzipped else f"run-{run.pk}.fit",
        as_attachment=True,
    )
