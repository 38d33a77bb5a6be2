from django.urls import path

from . import views

app_name = "apitokens"

urlpatterns = [
    path("<int:school_id>/", views.token_list, name="list"),
    path("<int:school_id>/<int:token_id>/intrekken/", views.revoke, name="revoke"),
    path("<int:school_id>/webhooks/", views.add_webhook, name="add_webhook"),
    path("<int:school_id>/webhooks/<int:webhook_id>/verwijderen/", views.delete_webhook, name="delete_webhook"),
]
