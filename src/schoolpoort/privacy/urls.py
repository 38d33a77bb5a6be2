from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.statements, name="statements"),
    path("<str:brin>/", views.statement, name="statement"),
    path("school/<int:school_id>/", views.register_page, name="register"),
    path("school/<int:school_id>/wissen/", views.request_erasure, name="request_erasure"),
    path("school/<int:school_id>/wissen/<int:request_id>/", views.erasure, name="erasure"),
]
