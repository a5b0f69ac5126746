"""Forms of the coaching loop. Choices are always built from what the requester may see."""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.utils import timezone

from analysis.core import metrics as registry
from analysis.core.video import marks
from club.bounds import LONG_TEXT_CHARS
from club.models import Club, User
from coaching.models import (
    MAX_DRILL_STEPS,
    MAX_STEP_CHARS,
    Assignment,
    Comment,
    Drill,
    DrillSession,
    schedule_errors,
)
from coaching.services import Plan

# Every metric a drill can work on: the registry's, with its plain label.
TARGET_METRICS = [(m.key, m.label) for m in registry.METRICS]


class DrillForm(forms.ModelForm):
    steps_text = forms.CharField(
        label="Steps",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"One step per line, at most {MAX_DRILL_STEPS}.",
        max_length=MAX_DRILL_STEPS * (MAX_STEP_CHARS + 1),
    )
    targets = forms.MultipleChoiceField(
        choices=TARGET_METRICS, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Drill
        fields = ["name", "category", "purpose", "dose", "equipment", "targets"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["steps_text"] = "\n".join(self.instance.steps)

    def clean_steps_text(self) -> list[str]:
        steps = [s.strip() for s in self.cleaned_data["steps_text"].splitlines() if s.strip()]
        if not steps:
            raise forms.ValidationError("Write at least one step.")
        if len(steps) > MAX_DRILL_STEPS:
            raise forms.ValidationError(f"At most {MAX_DRILL_STEPS} steps, please.")
        if any(len(step) > MAX_STEP_CHARS for step in steps):
            raise forms.ValidationError(f"Keep each step under {MAX_STEP_CHARS} characters.")
        return steps

    def save_for(self, author: User) -> Drill:
        drill = self.save(commit=False)
        drill.steps = self.cleaned_data["steps_text"]
        if not drill.pk:
            drill.author, drill.slug = author, Drill.new_slug(drill.name)
        drill.save()
        return drill


class AssignForm(forms.Form):
    athlete = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    club = forms.ModelChoiceField(
        queryset=Club.objects.none(), required=False, help_text="Or everyone in a club you coach."
    )
    drills = forms.ModelMultipleChoiceField(
        queryset=Drill.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    dose = forms.CharField(
        max_length=120, required=False, help_text="Leave empty to use each drill's own dose."
    )
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    sessions_per_week = forms.IntegerField(min_value=1, max_value=14, initial=3)
    title = forms.CharField(max_length=120, required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=LONG_TEXT_CHARS
    )
    refilm_after_weeks = forms.IntegerField(min_value=1, max_value=52, required=False)
    refilm_view = forms.ChoiceField(choices=Assignment.REFILM_VIEWS, required=False)

    def __init__(self, *args: object, coach: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["athlete"].queryset = User.objects.athletes_of(coach).order_by("username")
        self.fields["athlete"].label_from_instance = lambda u: u.display_name
        self.fields["club"].queryset = Club.objects.coached_by(coach)
        self.fields["drills"].queryset = Drill.objects.visible_to(coach)
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(weeks=4)

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("athlete")) == bool(data.get("club")):
            raise forms.ValidationError("Choose one athlete or one club.")
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            today = timezone.localdate()
            for name, message in schedule_errors(starts, ends, today=today).items():
                self.add_error(name, message)
        if data.get("refilm_after_weeks") and not data.get("refilm_view"):
            self.add_error("refilm_view", "Say which view to re-film.")
        return data

    def plan(self, *, baseline: object = None) -> Plan:
        data = self.cleaned_data
        drills = list(data["drills"])
        return Plan(
            drills=drills,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            sessions_per_week=data["sessions_per_week"],
            doses={d.slug: data["dose"] for d in drills} if data["dose"] else {},
            title=data["title"],
            note=data["note"],
            refilm_after_weeks=data["refilm_after_weeks"],
            refilm_view=data["refilm_view"] or "",
            baseline=baseline,
        )


class SessionForm(forms.ModelForm):
    class Meta:
        model = DrillSession
        fields = ["done_on", "sets_done", "minutes_done", "effort", "note"]
        widgets = {
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"done_on": "Date", "effort": "How hard (1-10)"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class CommentForm(forms.ModelForm):
    """A comment, optionally about one metric or one keyframe of the analysis, or pinned to a
    moment of its clip with a line or an angle drawn on that frame (the video room fills the
    hidden moment and drawing in)."""

    at_s = forms.FloatField(required=False, min_value=0.0, widget=forms.HiddenInput)
    drawing = forms.CharField(required=False, max_length=600, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["body", "metric", "keyframe"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "placeholder": "Your feedback"})}
        labels = {"body": "", "metric": "About the metric", "keyframe": "About the picture"}
        error_messages = {"body": {"required": "Write something first."}}

    def clean_drawing(self) -> dict | None:
        """The drawing as the room sends it: JSON of its kind and points."""
        text = self.cleaned_data["drawing"].strip()
        if not text:
            return None
        try:
            return marks.parse(json.loads(text))
        except (ValueError, RecursionError) as exc:  # BadDrawing is a ValueError
            message = str(exc) if isinstance(exc, marks.BadDrawing) else "Draw it again."
            raise forms.ValidationError(message) from None

    def __init__(self, *args: object, target: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        metrics = sorted((getattr(target, "report", None) or {}).get("metrics") or {})
        keyframes = target.keyframe_names() if hasattr(target, "keyframe_names") else []
        self.fields["metric"] = forms.ChoiceField(
            required=False, label="About", choices=[("", "the whole item")] + _labelled(metrics)
        )
        self.fields["keyframe"] = forms.ChoiceField(
            required=False,
            label="Picture",
            choices=[("", "none")] + [(k, k) for k in keyframes],
        )
        if not metrics:
            self.fields["metric"].widget = forms.HiddenInput()
        if not keyframes:
            self.fields["keyframe"].widget = forms.HiddenInput()


def _labelled(metrics: list[str]) -> list[tuple[str, str]]:
    return [(m, registry.label(m)) for m in metrics]


class CoachInviteForm(forms.Form):
    username = forms.CharField(max_length=150, label="Athlete's username")

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError("No member with that username.")
        return user
