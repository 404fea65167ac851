from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    """The one list pattern (chibo.lists.spec): paging, filters, search, export and phone cards
    for every list of every app; the background exports' runs and pages."""

    name = "chibo.lists"
    label = "lists"
    verbose_name = _("Danh sách")

    def ready(self):
        from chibo.core.registry import register_pages

        register_pages("lists", "exports/", "chibo.lists.urls")
