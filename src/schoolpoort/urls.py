from django.contrib import admin
from django.urls import include, path

from schoolpoort.accounts.admin_site import SecondFactorAdminSite

# The admin asks for the second factor like every other page (accounts/admin_site.py).
admin.site.__class__ = SecondFactorAdminSite

urlpatterns = [
    path("", include("schoolpoort.web.urls")),
    path("", include("schoolpoort.accounts.urls")),
    path("school/", include("schoolpoort.core.urls")),
    path("meldingen/", include("schoolpoort.notify.urls")),
    path("nieuws/", include("schoolpoort.news.urls")),
    path("kalender/", include("schoolpoort.calendar.urls")),
    path("gesprekken/", include("schoolpoort.conferences.urls")),
    path("berichten/", include("schoolpoort.messaging.urls")),
    path("absenties/", include("schoolpoort.absences.urls")),
    path("fotoalbums/", include("schoolpoort.albums.urls")),
    path("documenten/", include("schoolpoort.documents.urls")),
    path("intekenen/", include("schoolpoort.signups.urls")),
    path("groepen/", include("schoolpoort.classlist.urls")),
    path("medewerkers/", include("schoolpoort.staff.urls")),
    path("rooster/", include("schoolpoort.timetable.urls")),
    path("import/", include("schoolpoort.imports.urls")),
    path("aanmelding/", include("schoolpoort.onboarding.urls")),
    path("leerling/", include("schoolpoort.records.urls")),
    path("resultaten/", include("schoolpoort.records.results.urls")),
    path("privacy/", include("schoolpoort.privacy.urls")),
    path("api/", include("schoolpoort.api.urls")),
    path("koppelingen/", include("schoolpoort.api.token_urls")),
    path("beheer/django/", admin.site.urls),
]

admin.site.site_header = "Schoolpoort"
admin.site.site_title = "Schoolpoort"


# The product's own error pages (web/errors.py), in the user's language and in the app shell.
handler400 = "schoolpoort.web.errors.bad_request"
handler403 = "schoolpoort.web.errors.permission_denied"
handler404 = "schoolpoort.web.errors.page_not_found"
handler500 = "schoolpoort.web.errors.server_error"
