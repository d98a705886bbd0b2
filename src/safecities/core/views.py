from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import selectors, services
from .errors import DomainError
from .forms import DateInput, Form, add_domain_error
from .models import ApiToken
from .paging import paginate
from .permissions import login_required, permission_required, public


@public
def floor(request):
    """The benchmark's floor: the base template, no queries."""
    return render(request, "core/floor.html")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


login = public(LoginView.as_view())
logout = public(auth_views.LogoutView.as_view())
password_reset = public(
    auth_views.PasswordResetView.as_view(
        success_url="/accounts/password-reset/sent/",
        email_template_name="registration/password_reset_mail.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )
)
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(success_url="/accounts/password-reset/complete/")
)
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())


class TokenForm(Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.create_api_token(
                actor=request.user, name=form.cleaned_data["name"]
            )
            form = TokenForm()
        except DomainError as error:
            add_domain_error(form, error)
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
    page, query = paginate(request, events, per_page=50)
    return render(request, "core/audit.html", {"form": form, "page": page, "query": query})
