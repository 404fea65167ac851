"""The root URLconf: sign-in, the language switch, the API, and each registered domain's pages."""

from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from chibo.accounts.forms import LoginForm, StyledPasswordChangeForm
from chibo.api import api
from chibo.core import views as core_views
from chibo.core.registry import URLS
from chibo.site import help as site_help
from chibo.site import views as site_views

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url="/static/chibo/favicon.svg", permanent=True)),
    path("", site_views.home, name="home"),
    path("help/", site_help.help_page, name="help"),
    path("accounts/login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=LoginForm),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(
        form_class=StyledPasswordChangeForm), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/", include("chibo.accounts.urls")),  # the second factor
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("api/v1/", api.urls),
    # every domain's pages, registered in its app's ready() (chibo.core.registry.URLS)
    *(path(entry.prefix, include(entry.module)) for entry in URLS.ordered()),
]
