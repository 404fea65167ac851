from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, open before sign-in too."""
    return django_set_language(request)
