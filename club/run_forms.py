from __future__ import annotations

import datetime as dt

from django import forms
from django.db import transaction
from django.utils import timezone

from club.bounds import LONG_TEXT_CHARS, not_before_earliest
from club.events import RunAdded, publish
from club.models import Run, User, Visibility


class ManualRunForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}), initial=dt.time(7, 0)
    )
    distance_km = forms.DecimalField(min_value=0.01, max_value=500, decimal_places=3)
    duration = forms.DurationField(help_text="hh:mm:ss, e.g. 0:45:30")
    perceived_effort = forms.IntegerField(
        min_value=1, max_value=10, required=False, help_text="1 = very easy, 10 = flat out"
    )
    title = forms.CharField(max_length=120, required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=LONG_TEXT_CHARS
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.COACHES)

    def clean_duration(self) -> dt.timedelta:
        duration = self.cleaned_data["duration"]
        if not dt.timedelta(seconds=30) <= duration <= dt.timedelta(hours=48):
            raise forms.ValidationError("A run lasts between 30 seconds and 48 hours.")
        return duration

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        not_before_earliest(date)
        if date > timezone.now().date() + dt.timedelta(days=1):
            raise forms.ValidationError("That date is in the future.")
        return date

    @transaction.atomic
    def save(self, owner: User) -> Run:
        """The run and its feed item, together or not at all."""
        data = self.cleaned_data
        local = dt.datetime.combine(data["date"], data["start_time"] or dt.time(12, 0))
        start = local.replace(tzinfo=owner.zone)
        run = Run.objects.create(
            owner=owner,
            source=Run.Source.MANUAL,
            start_utc=start.astimezone(dt.UTC),
            utc_offset_s=int(start.utcoffset().total_seconds()),
            distance_m=float(data["distance_km"]) * 1000,
            moving_time_s=data["duration"].total_seconds(),
            elapsed_time_s=data["duration"].total_seconds(),
            perceived_effort=data["perceived_effort"],
            title=data["title"],
            notes=data["notes"],
            visibility=data["visibility"],
        )
        publish(RunAdded(run))
        return run


class RunSettingsForm(forms.ModelForm):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=LONG_TEXT_CHARS
    )

    class Meta:
        model = Run
        fields = ["title", "visibility", "perceived_effort", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class FitUploadForm(forms.Form):
    file = forms.FileField()
