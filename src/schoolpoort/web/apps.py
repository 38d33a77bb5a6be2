from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "schoolpoort.web"
    label = "web"
