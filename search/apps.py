from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Public search"

    def ready(self):
        # Imported here, not at the top: the receivers need the app registry to be ready.
        from . import signals  # noqa: F401
