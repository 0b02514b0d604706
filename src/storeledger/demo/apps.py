from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "storeledger.demo"
    label = "demo"
    verbose_name = "Demo data"
