from django.urls import path

from . import (
    account_views,
    export_views,
    passkey_views,
    phone_link_views,
    second_factor_views,
    staff_views,
    views,
)

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("inloggen/tweede-factor/", second_factor_views.verify, name="second_factor"),
    path("inloggen/tweede-factor/instellen/", second_factor_views.enrol, name="second_factor_enrol"),
    path("inloggen/tweede-factor/qr.svg", second_factor_views.qr, name="second_factor_qr"),
    path("inloggen/tweede-factor/passkey/begin/", passkey_views.SignInBegin.as_view(), name="passkey_sign_in_begin"),
    path("inloggen/tweede-factor/passkey/", passkey_views.SignInComplete.as_view(), name="passkey_sign_in"),
    path("registreren/", views.register, name="register"),
    path("activeren/<str:token>/", views.activate, name="activate"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord-vergeten/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-vergeten/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mijn-account/", account_views.account, name="account"),
    path("mijn-account/gegevens/", export_views.data_export_page, name="data_export"),
    path(
        "mijn-account/gegevens/<uuid:token>/download/", export_views.data_export_download, name="data_export_download"
    ),
    path("mijn-account/e-mail/<str:token>/", account_views.confirm_email, name="confirm_email"),
    path("mijn-account/herstelcodes/", second_factor_views.recovery_codes, name="recovery_codes"),
    path("mijn-account/app/<int:device_id>/verwijderen/", second_factor_views.remove_app, name="remove_app"),
    path("mijn-account/passkey/begin/", passkey_views.RegisterBegin.as_view(), name="passkey_register_begin"),
    path("mijn-account/passkey/", passkey_views.RegisterComplete.as_view(), name="passkey_register"),
    path("mijn-account/passkey/<int:device_id>/verwijderen/", passkey_views.remove_passkey, name="remove_passkey"),
    path("mijn-account/telefoon/", phone_link_views.start, name="phone_link_start"),
    path("mijn-account/telefoon/<int:pk>/", phone_link_views.computer_status, name="phone_link_status"),
    path("mijn-account/telefoon/<int:pk>/antwoord/", phone_link_views.answer, name="phone_link_answer"),
    path("mijn-account/telefoon/<int:pk>/uitloggen/", phone_link_views.end, name="phone_link_end"),
    path("mijn-account/apparaat/<int:pk>/uitloggen/", phone_link_views.end_device, name="device_end"),
    path("inloggen/telefoon/", phone_link_views.phone_wait, name="phone_link_wait"),
    path("inloggen/telefoon/<str:token>/", phone_link_views.phone_open, name="phone_link_open"),
    path("school/<int:school_id>/tweede-factor/", second_factor_views.reset, name="second_factor_reset"),
    path("school/<int:school_id>/ouders/", staff_views.guardians, name="guardians"),
]
