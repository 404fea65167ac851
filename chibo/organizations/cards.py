"""The officers' home card of the tree (registered in apps.py): the organizations the user
holds a role on, highest first, each with the role."""


def home_card(request) -> dict | None:
    """The user's grants with their organizations (one query); None without any grant."""
    grants = list(request.user.grants.select_related("organization")
                  .order_by("organization__depth", "organization__sort_key",
                            "organization__code"))
    return {"grants": grants} if grants else None
