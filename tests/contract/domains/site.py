"""The routes of the composition root and the platform: sign-in and the account's pages
(chibo.accounts), the language switch, the home and help pages (chibo.site), the API's own
pages. Public by design: sign-in, sign-out, the language switch, the favicon, the API root (no
page: 404); the account's pages are each signed-in user's own."""

from tests.contract.registry import EVERYONE, DomainFixtures, Route, own, register


def build(world, people) -> None:
    return None


register(DomainFixtures(
    key="site", build=build,
    routes=(
        Route("favicon.ico", "/favicon.ico", public=301),
        Route("login", "/accounts/login/", public=200),
        Route("logout", "/accounts/logout/", method="POST", public=302),
        Route("set_language", "/i18n/setlang/", method="POST", body={"language": "en"},
              public=302),
        Route("api:api-root", "/api/v1/", public=404),  # django-ninja's root has no page
        Route("home", "/", **own(EVERYONE), answers={"member": 302}),  # → the handbook
        Route("help", "/help/", **own(EVERYONE)),
        Route("password_change", "/accounts/password/", **own(EVERYONE)),
        Route("password_change_done", "/accounts/password/done/", **own(EVERYONE)),
        Route("second_factor", "/accounts/second-factor/", **own(EVERYONE)),
        Route("second_factor_enrol", "/accounts/second-factor/enrol/", **own(EVERYONE)),
        # nobody here has a second factor to verify: back to where they came from
        Route("second_factor_verify", "/accounts/second-factor/verify/", **own(EVERYONE),
              success=302),
        Route("second_factor_recovery_codes", "/accounts/second-factor/recovery-codes/",
              method="POST", **own(EVERYONE), success=302),
        Route("second_factor_remove", "/accounts/second-factor/remove/", method="POST",
              **own(EVERYONE), success=302),
        Route("api:openapi-json", "/api/v1/openapi.json", **own(EVERYONE),
              shows="/api/v1/members/{member_code}"),
        Route("api:openapi-view", "/api/v1/docs", **own(EVERYONE)),
    ),
))
