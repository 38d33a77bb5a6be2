from django.urls import path

from . import views

app_name = "apitokens"

urlpatterns = [
    path("<int:school_id>/", views.token_list, name="list"),
    path("<int:school_id>/<int:token_id>/intrekken/", views.revoke, name="revoke"),
]
