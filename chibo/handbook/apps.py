from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandbookConfig(AppConfig):
    name = "chibo.handbook"
    label = "handbook"
    verbose_name = _("Sổ tay đảng viên")

    def ready(self):
        from django.core import checks

        from chibo.audit.registry import register_actions
        from chibo.core import registry
        from chibo.handbook import cards, lists
        from chibo.handbook.catalogue import check_catalogue
        from chibo.lists.spec import register_list

        registry.register_pages("handbook", "handbook/", "chibo.handbook.urls", order=80)
        registry.add(registry.MEMBER_DATA, registry.MemberData(
            "handbook.self_reviews", _("Bản tự kiểm điểm"), lambda member: list(
                member.self_reviews.order_by("year").values(
                    "year", "status", "achievements", "strengths", "shortcomings", "remedies",
                    "manifestations", "signs", "manifestation_notes", "self_score",
                    "proposed_rating", "submitted_at")),
            order=50))
        # The handbook's own sections are cards too, so that a process's card can stand
        # between them by its order (meetings: 10).
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "handbook.documents", "handbook/documents_card.html", cards.documents_card,
            order=20))
        registry.add(registry.HANDBOOK_CARDS, registry.Card(
            "handbook.review", "handbook/review_card.html", cards.review_card, order=30))

        register_list(lists.CELL_REVIEWS)
        # A province's catalogue file that cannot be used stops the start-up checks (chibo
        # migrate, chibo serve), naming every problem, instead of failing a member's page.
        checks.register(check_catalogue)

        register_actions({
            "handbook.review_save": _("Lưu bản tự kiểm điểm"),
            "handbook.review_submit": _("Nộp bản tự kiểm điểm"),
        })
