from django.urls import path

from . import account_views, error_views, views

app_name = "core"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", views.logout, name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/signup/sent/", views.signup_sent, name="signup-sent"),
    path("accounts/confirm/<uidb64>/<token>/", views.signup_confirm, name="signup-confirm"),
    path("accounts/security/", account_views.security, name="security"),
    path("accounts/password/", account_views.password_change, name="password-change"),
    path("accounts/two-factor/", account_views.verify, name="two-factor"),
    path("accounts/two-factor/setup/", account_views.setup, name="two-factor-setup"),
    path("accounts/two-factor/backup-codes/", account_views.backup_codes, name="two-factor-backup"),
    path("accounts/password-reset/", views.password_reset, name="password-reset"),
    path("accounts/password-reset/sent/", views.password_reset_done, name="password-reset-sent"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        views.password_reset_complete,
        name="password-reset-complete",
    ),
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("accounts/data/", views.personal_data, name="personal-data"),
    path("accounts/erase/", views.erase_self, name="erase-self"),
    path("accounts/erased/", views.erased, name="erased"),
    path("accounts/erase-account/", views.erase_find, name="erase-find"),
    path("accounts/<int:pk>/erase/", views.erase_account, name="erase-account"),
    path("privacy/", views.privacy, name="privacy"),
    path("audit/", views.audit_trail, name="audit"),
    path("mail/", views.owed_mail, name="mail"),
    path("mail/send-all/", views.owed_mail_send_all, name="mail-send-all"),
    path("mail/<int:pk>/send/", views.owed_mail_send, name="mail-send"),
    path("_floor/", views.floor, name="floor"),
    path("favicon.ico", error_views.favicon, name="favicon"),
]
