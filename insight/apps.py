from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = "Search insight"

    def ready(self):
        # search/ announces each public search (search.events) and never imports insight/:
        # the log listens here. A module-level import would load models before the registry.
        from search.events import searched

        from .search_log import record_search

        searched.connect(record_search, dispatch_uid="insight.record_search")
