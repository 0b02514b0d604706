from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "storeledger.web"
    label = "web"
    verbose_name = "Web UI"
