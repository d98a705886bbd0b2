from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import outbox, selectors, services, throttle, workspace
from .auth import LoginForm, client_ip
from .forms import DateInput, Form
from .models import ApiToken, OwedMail, User
from .paging import paginate
from .permissions import login_required, permission_required, public
from .refusals import refusals


@public
def floor(request):
    """The benchmark's floor: the base template, no queries."""
    return render(request, "core/floor.html")


@login_required
def start(request):
    """What needs the signed-in person now: the panels the apps registered, for their roles."""
    return render(request, "core/start.html", {"panels": workspace.panels_for(request.user)})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.wait:  # the account waits: 429 with the message, and a Retry-After
            response.status_code = 429
            response["Retry-After"] = str(form.wait)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, which answers the same whether or not the address has an account, with at
    most SAFECITIES_RESET_MAILS_PER_ADDRESS mails per address and
    SAFECITIES_RESET_MAILS_PER_CLIENT per client address an hour; past that the page answers
    the same and sends nothing."""

    success_url = reverse_lazy("core:password-reset-sent")
    email_template_name = "registration/password_reset_mail.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        allowed = throttle.allow_mail(
            bucket=throttle.RESET_ADDRESS,
            address=form.cleaned_data["email"],
            client=client_ip(self.request),
            per_address=settings.SAFECITIES_RESET_MAILS_PER_ADDRESS,
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


login = public(LoginView.as_view())
logout = public(auth_views.LogoutView.as_view())
password_reset = public(PasswordResetView.as_view())
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(success_url="/accounts/password-reset/complete/")
)
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())


class SignupForm(Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    password = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 12 characters, not only digits, not a common password."),
    )

    def clean(self):
        data = super().clean()
        if data.get("password"):
            # An unsaved user, so the validators can compare the password with name and e-mail.
            probe = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except ValidationError as error:
                self.add_error("password", error)
        return data


@public
def signup(request):
    """Anyone may create a login; membership is applied for afterwards."""
    if request.user.is_authenticated:
        return redirect("core:start")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address has an account: a new account waits for
        # the link mailed to it; the owner of a taken address is told by mail instead.
        services.register_user(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
            preferred_language=(request.LANGUAGE_CODE or "en")[:2],
            site=request.build_absolute_uri("/").rstrip("/"),
        )
        return redirect("core:signup-sent")
    return render(request, "registration/signup.html", {"form": form})


@public
def signup_sent(request):
    return render(request, "registration/signup_sent.html")


@public
def signup_confirm(request, uidb64: str, token: str):
    """The link of the sign-up mail: activates the account once and signs its owner in."""
    user = services.confirm_signup(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "registration/signup_invalid.html")
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome! Your account is ready."))
    return redirect("network:apply")


class TokenForm(Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        with refusals(request, form) as outcome:
            _token, raw = services.create_api_token(
                actor=request.user, name=form.cleaned_data["name"]
            )
        if outcome.ok:
            form = TokenForm()
    return render(
        request,
        "core/tokens.html",
        {"form": form, "raw": raw, "tokens": selectors.tokens_of(request.user)},
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("core:tokens")


class AuditFilter(Form):
    q = forms.CharField(label=gettext_lazy("Who or what"), required=False)
    action = forms.CharField(label=gettext_lazy("Action starts with"), required=False)
    target_type = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput)
    until = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DateInput)


@permission_required("core.view_audit")
def audit_trail(request):
    form = AuditFilter(request.GET or None)
    form.fields["target_type"].choices = [("", _("All"))] + [
        (t, t) for t in selectors.audit_target_types()
    ]
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(**{k: v for k, v in filters.items() if v})
    page, query = paginate(request, events)
    return render(request, "core/audit.html", {"form": form, "page": page, "query": query})


# --- mail owed: the secretariat sees it and sends it again ---------------------------------


class MailFilter(Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("owed", gettext_lazy("Not sent yet")),
            ("failed", gettext_lazy("Failed: not sent after an attempt")),
            ("dropped", gettext_lazy("Dropped: no longer true or its record is gone")),
            ("sent", gettext_lazy("Sent")),
        ],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("since", gettext_lazy("Owed since, oldest first")),
            ("-since", gettext_lazy("Owed since, newest first")),
            ("attempts", gettext_lazy("Most attempts first")),
            ("last", gettext_lazy("Last attempt, newest first")),
            ("kind", gettext_lazy("Kind")),
        ],
    )


@permission_required("core.manage_mail")
def owed_mail(request):
    form = MailFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    shown, sort = filters.get("status") or "owed", filters.get("sort") or "since"
    page, query = paginate(request, selectors.owed_mails(status=shown, sort=sort), per_page=50)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "rows": selectors.mail_rows(page.object_list),
        "showing_owed": shown == "owed",
        "owed_count": outbox.owed_count(),
    }
    return render(request, "core/mail.html", context)


def _back_to_mail(request):
    """Back to the page of mail the button was pressed on (its filters and page kept)."""
    query = QueryDict(request.POST.get("query", "")).urlencode()  # re-encoded: nothing else passes
    return redirect(reverse("core:mail") + (f"?{query}" if query else ""))


# What the secretariat is told after "Send again now", by what came of it (`outbox.Outcome`).
SEND_AGAIN_MESSAGES = {
    "sent": (messages.success, gettext_lazy("Mail %(id)s was sent.")),
    "dropped": (
        messages.success,
        gettext_lazy("Mail %(id)s was dropped: what it would tell is no longer so (%(why)s)."),
    ),
    "owed": (
        messages.error,
        gettext_lazy("Mail %(id)s could not be sent; it stays owed: %(error)s"),
    ),
    "busy": (messages.warning, gettext_lazy("Mail %(id)s is being sent by another run just now.")),
    "done": (messages.warning, gettext_lazy("Mail %(id)s is no longer owed.")),
}


@permission_required("core.manage_mail")
@require_POST
def owed_mail_send(request, pk: int):
    mail = get_object_or_404(OwedMail, pk=pk)
    outcome = outbox.send_again(mail)
    show, text = SEND_AGAIN_MESSAGES.get(outcome.result, SEND_AGAIN_MESSAGES["done"])
    show(request, text % {"id": pk, "why": outcome.error, "error": outcome.error})
    return _back_to_mail(request)


@permission_required("core.manage_mail")
@require_POST
def owed_mail_send_all(request):
    run = outbox.send_all_again()
    if run.sent or not (run.failed or run.left):
        messages.success(
            request,
            ngettext("%(count)d owed mail was sent.", "%(count)d owed mails were sent.", run.sent)
            % {"count": run.sent},
        )
    if run.failed:
        messages.error(
            request,
            ngettext(
                "%(count)d mail could not be sent; it stays owed (see its last error below).",
                "%(count)d mails could not be sent; they stay owed (see their last errors below).",
                len(run.failed),
            )
            % {"count": len(run.failed)},
        )
    if run.left:
        messages.warning(
            request,
            ngettext(
                "%(count)d mail was not tried for lack of time; the next run sends it.",
                "%(count)d mails were not tried for lack of time; the next run sends them.",
                run.left,
            )
            % {"count": run.left},
        )
    return _back_to_mail(request)


# --- personal data: download, erasure, the privacy page -----------------------------------------


@public
def privacy(request):
    """What the platform holds about people, how long, and how to download or erase it."""
    from . import retention

    return render(request, "core/privacy.html", {"rules": retention.rules()})


@login_required
def personal_data(request):
    """The member's own data: GET shows the page, POST downloads the JSON."""
    if request.method == "POST":
        data = services.export_personal_data(actor=request.user, user=request.user)
        response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="safecities-my-data-{stamp}.json"'
        return response
    return render(request, "core/personal_data.html")


class EraseForm(Form):
    email = forms.EmailField(
        label=gettext_lazy("Type the account's e-mail address to confirm"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, account: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.account.email.lower():
            raise ValidationError(_("This is not the account's e-mail address."))
        return email


def _erase(request, account: User, form: EraseForm) -> bool:
    """Erase `account` if the form confirms it; False (with the message on the form) if not."""
    if not form.is_valid():
        return False
    with refusals(request, form) as outcome:
        services.erase_account(actor=request.user, user=account)
    return outcome.ok


@login_required
def erase_self(request):
    account = request.user
    form = EraseForm(request.POST or None, account=account)
    if request.method == "POST" and _erase(request, account, form):
        auth_logout(request)
        return redirect("core:erased")
    return render(request, "core/erase.html", {"form": form, "account": account, "own": True})


@public
def erased(request):
    return render(request, "core/erased.html")


class FindAccountForm(Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the account"))


@permission_required("core.erase_account")
def erase_find(request):
    """The secretariat looks up the account to erase by its e-mail address."""
    form = FindAccountForm(request.POST or None)  # posted: no e-mail address in addresses or logs
    if request.method == "POST" and form.is_valid():
        account = selectors.user_by_email(form.cleaned_data["email"])
        if account is None or account.erased_at:
            form.add_error("email", _("No account uses this e-mail address."))
        else:
            return redirect("core:erase-account", pk=account.pk)
    return render(request, "core/erase_find.html", {"form": form})


def _account(request, pk):
    return selectors.erasable_account(pk)


@permission_required("core.erase_account", obj=_account)
def erase_account(request, pk: int):
    account = request.permission_object
    if account.pk == request.user.pk:
        return redirect("core:erase-self")
    form = EraseForm(request.POST or None, account=account)
    if request.method == "POST" and _erase(request, account, form):
        messages.success(request, _("The account is erased."))
        return redirect("core:erase-find")
    return render(request, "core/erase.html", {"form": form, "account": account, "own": False})
