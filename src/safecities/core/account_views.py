"""The account's security: password change, two-factor set-up and the second sign-in step."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import two_factor
from .forms import Form
from .permissions import login_required

SETUP_KEY = "_safecities_totp_setup_key"


@login_required
def security(request):
    return render(
        request,
        "core/security.html",
        {
            "has_device": two_factor.has_device(request.user),
            "required": two_factor.required(request.user),
            "codes_left": two_factor.backup_codes_left(request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("core:security")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in
        messages.success(self.request, _("Your password is changed."))
        return response


password_change = login_required(PasswordChangeView.as_view())


class CodeForm(Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy("The six digits your authenticator app shows, or a backup code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def verify(request):
    """The second step of signing in."""
    if not two_factor.has_device(request.user):
        return redirect("core:two-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(two_factor.safe_next(request, reverse("core:start")))
        form.add_error("code", _("This code is wrong or used already. Try the newest code."))
    return render(
        request,
        "core/two_factor_verify.html",
        {"form": form, "next": two_factor.safe_next(request, "")},
        status=400 if form.errors else 200,
    )


@login_required
def setup(request):
    """Set up an authenticator app: QR code and secret, confirmed with a code; backup codes."""
    user = request.user
    if two_factor.owes_second_step(request) == two_factor.VERIFY:
        return redirect("core:two-factor")  # replacing a device needs the old second step first
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = two_factor.new_key()
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = _("The six digits your authenticator app shows now.")
    if request.method == "POST" and form.is_valid():
        if two_factor.code_matches(key, form.cleaned_data["code"]):
            device, codes = two_factor.add_device(actor=user, key_hex=key)
            del request.session[SETUP_KEY]
            two_factor.verify_device(request, device)
            return render(
                request,
                "core/two_factor_codes.html",
                {"codes": codes, "next": two_factor.safe_next(request, reverse("core:security"))},
            )
        form.add_error("code", _("This code does not match. Check the app's clock and try again."))
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "form": form,
            "secret": two_factor.base32(key),
            "qr": two_factor.qr_svg(two_factor.config_url(user, key)),
            "required": two_factor.required(user),
            "next": two_factor.safe_next(request, ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
def backup_codes(request):
    if request.method != "POST" or not two_factor.has_device(request.user):
        return redirect("core:security")
    codes = two_factor.new_backup_codes(actor=request.user)
    return render(
        request, "core/two_factor_codes.html", {"codes": codes, "next": reverse("core:security")}
    )
