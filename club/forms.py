from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from club.bounds import LONG_TEXT_CHARS
from club.models import Club, Membership, User


class SignUpForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "email"]
        labels = {"first_name": "Name shown to your club"}


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=60, help_text="What uses it, so you can tell your tokens apart later."
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = list(User.PROFILE_FIELDS)
        labels = {"height_cm": "Height (cm)", "leg_length_cm": "Leg length (cm)"}


class ClubForm(forms.ModelForm):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=LONG_TEXT_CHARS
    )

    class Meta:
        model = Club
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class JoinForm(forms.Form):
    code = forms.CharField(label="Invite code", max_length=200)

    def clean_code(self) -> str:
        # Accept a pasted invite link as well as the bare code.
        code = self.cleaned_data["code"].strip().rstrip("/").rsplit("/", 1)[-1]
        if not Club.objects.filter(invite_code=code).exists():
            raise forms.ValidationError(
                "No club has that invite code. Check it with the club owner."
            )
        return code


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(Membership.Role.COACH, "Coach"), (Membership.Role.MEMBER, "Member")]
    )


class AnnouncementForm(forms.Form):
    title = forms.CharField(max_length=120)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class FeedCommentForm(forms.Form):
    body = forms.CharField(max_length=1000)


class ShoutOutForm(forms.Form):
    text = forms.CharField(max_length=1000)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput, help_text="Your password, to confirm it is you."
    )

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password.")
        return self.cleaned_data["password"]
