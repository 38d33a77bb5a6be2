from django.urls import path

from . import manage_views, square_views, views

app_name = "signups"

urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", manage_views.create, name="create"),
    path("<int:form_id>/", views.detail, name="form"),
    path("<int:form_id>/antwoorden/", views.respond, name="respond"),
    path("<int:form_id>/afmelden/", views.withdraw, name="withdraw"),
    path("<int:form_id>/bewerken/", manage_views.edit, name="edit"),
    path("<int:form_id>/vragen/nieuw/", manage_views.add_question, name="add_question"),
    path("<int:form_id>/vragen/<int:question_id>/", manage_views.edit_question, name="edit_question"),
    path("<int:form_id>/vragen/<int:question_id>/verwijderen/", manage_views.delete_question, name="delete_question"),
    path("<int:form_id>/plaatsen/<int:option_id>/", manage_views.capacity, name="capacity"),
    path("<int:form_id>/publiceren/", manage_views.publish, name="publish"),
    path("<int:form_id>/verwijderen/", manage_views.delete, name="delete"),
    path("<int:form_id>/resultaten/", manage_views.results_page, name="results"),
    path("<int:form_id>/resultaten.csv", manage_views.export, name="export"),
    path("<int:form_id>/herinneren/", manage_views.remind, name="remind"),
    path("plein/nieuw/", square_views.create, name="square_create"),
    path("plein/<int:post_id>/", square_views.square_post, name="square_post"),
    path("plein/<int:post_id>/stemmen/", square_views.vote, name="vote"),
    path("plein/<int:post_id>/reacties/<int:reaction_id>/verwijderen/", square_views.remove_reaction,
         name="remove_reaction"),
    path("plein/<int:post_id>/reacties-aan-uit/", square_views.toggle_reactions, name="toggle_reactions"),
    path("plein/<int:post_id>/verwijderen/", square_views.delete, name="square_delete"),
]
