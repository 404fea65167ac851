"""Sign-in, lockout, passwords, sessions, security headers and API tokens."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from chibo.accounts.choices import Role
from chibo.accounts.models import ApiToken
from chibo.accounts.policy import (
    CAPABILITIES,
    MATRIX,
    Capability,
    can,
    capabilities_of,
    register_capability,
)
from chibo.accounts.services import create_token
from tests.conftest import PASSWORD


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_sign_in_and_out(world, client):
    response = sign_in(client, "commune", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_an_error(world, client):
    response = sign_in(client, "commune", "wrong")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


# The lockout counts by account and address (tests/test_signin_security.py).


def test_lockout_ends_after_fifteen_minutes(world, client):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in(client, "commune", "wrong")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time
                                 - timedelta(minutes=16))
    assert sign_in(client, "commune", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2_in_production():
    assert settings.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from chibo import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_change(world, client):
    client.force_login(world.users["commune"])
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "mật-khẩu-mới-2026",
        "new_password2": "mật-khẩu-mới-2026"})
    assert response.status_code == 302
    world.users["commune"].refresh_from_db()
    assert world.users["commune"].check_password("mật-khẩu-mới-2026")


def test_security_headers(world, client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "csrftoken" in response.cookies


def test_session_expires_within_a_working_day():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def test_csrf_is_enforced(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["province"])
    response = client.post("/org/D1.X1/change/rename/", {"effective_on": "01/01/2024",
                                                         "new_name": "X"})
    assert response.status_code == 403
    assert world.org("D1.X1").name == "Đảng bộ xã An Phú"


def test_https_settings_mark_cookies_secure(monkeypatch):
    import importlib

    import chibo.settings as module

    monkeypatch.setenv("CHIBO_HTTPS", "1")
    secure = importlib.reload(module)
    try:
        assert secure.SESSION_COOKIE_SECURE and secure.CSRF_COOKIE_SECURE
        assert secure.SECURE_SSL_REDIRECT and secure.SECURE_HSTS_SECONDS > 0
    finally:
        monkeypatch.delenv("CHIBO_HTTPS")
        importlib.reload(module)


def test_bearer_token(world, client):
    token, raw = create_token(world.users["commune"], actor=world.users["commune"])
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/organizations/D1.X1", headers=headers).status_code == 200
    assert client.get("/api/v1/organizations/D2.X1", headers=headers).status_code == 404
    assert client.get("/api/v1/organizations/D1.X1",
                      headers={"Authorization": "Bearer nope"}).status_code == 401
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.key_hash, stored.prefix) and stored.last_used_at is not None


def test_token_cli_create_and_revoke(world, client):
    out = io.StringIO()
    call_command("token", "create", "commune", stdout=out, stderr=io.StringIO())
    raw = out.getvalue().strip()
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/organizations/D1.X1", headers=headers).status_code == 200
    call_command("token", "revoke", raw, stdout=io.StringIO())
    assert client.get("/api/v1/organizations/D1.X1", headers=headers).status_code == 401


def test_token_cli_unknown_user(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("token", "create", "ghost", stdout=io.StringIO())


# The policy of docs/permissions.md, written out by hand (not from MATRIX): what each role may
# do, the processes' capabilities (meetings, documents, admission, courses, inspection, ratings,
# removal, badges, dues, residence liaison, the test-only sample domain) included.
PROCESSES = {"meeting.manage", "document.manage", "admission.manage"}
RATINGS = {"rating.manage", "rating.propose", "removal.decide", "removal.propose"}
BADGES = {"badge.manage", "badge.propose"}
DUES = {"dues.view", "dues.record"}
LIAISON = {"liaison.residence", "liaison.feedback"}
POLICY = {
    Role.ADMIN: {"org.view", "org.manage", "member.view", "member.manage", "member.sensitive",
                 "stats.view", "audit.history", "audit.trail", "bundle.import", "bundle.export",
                 "account.manage", *PROCESSES, "courses.manage", "sample.manage", "inspection.view",
                 "inspection.manage", *RATINGS, *BADGES, *DUES, "dues.configure", *LIAISON},
    Role.ORGANIZER: {"org.view", "org.manage", "member.view", "member.manage",
                     "member.sensitive", "stats.view", "audit.history", "bundle.import",
                     "bundle.export", *PROCESSES, "courses.manage", "sample.manage", *RATINGS,
                     *BADGES, "dues.view", "liaison.residence"},
    Role.INSPECTOR: {"org.view", "member.view", "stats.view", "audit.history", "inspection.view",
                     "inspection.manage", "dues.view"},
    Role.CLERK: {"org.view", "member.view", "member.manage", "stats.view", "audit.history",
                 "bundle.export", *PROCESSES, "courses.manage", "sample.manage", *RATINGS,
                 *BADGES, *DUES, "liaison.residence"},
    Role.SECRETARY: {"org.view", "member.view", "stats.view", *PROCESSES, "rating.propose",
                     "removal.propose", "badge.propose", "dues.view", *LIAISON},
    # The cell's treasurer (chibo.dues): the cell's dues, not its member files.
    Role.TREASURER: {"org.view", *DUES},
    Role.VIEWER: {"org.view", "stats.view"},
    Role.MEMBER: {"org.view"},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_carries_exactly_the_documented_capabilities(role):
    assert {str(c) for c in capabilities_of(role)} == POLICY[role]


def test_matrix_is_the_single_source():
    """The records core's capabilities come from MATRIX alone; the processes' from their
    registrations: the administrator carries every one of both, nothing else does."""
    assert {*Capability, *CAPABILITIES} == POLICY[Role.ADMIN]
    for role, capabilities in MATRIX.items():
        assert {str(c) for c in capabilities} == POLICY[role] & {*Capability}, role


def test_a_capability_registered_twice_or_for_an_unknown_role_is_refused():
    from chibo.core.registry import AlreadyRegistered

    with pytest.raises(AlreadyRegistered):
        register_capability("meeting.manage", "again", roles=(Role.CLERK,))
    with pytest.raises(ValueError, match="unknown roles"):
        register_capability("x.y", "x", roles=("pope",))
    with pytest.raises(ValueError, match="records core"):
        register_capability(Capability.VIEW_ORGS, "x", roles=(Role.CLERK,))


def test_grant_covers_the_subtree(world):
    commune = world.users["commune"]
    assert can(commune, Capability.VIEW_ORGS, world.org("D1.X1.C1"))
    assert not can(commune, Capability.VIEW_ORGS, world.org("D1"))
    assert not can(commune, Capability.MANAGE_ORGS, world.org("D1.X1"))
    assert can(world.users["admin"], Capability.MANAGE_ORGS, world.org("TQ"))


def test_a_deactivated_account_has_no_rights(world):
    """Work queued by an account (a bundle import) re-checks its rights when it runs."""
    from chibo.interchange.importer import may_import

    admin, commune = world.users["admin"], world.users["commune"]
    assert may_import(admin) and can(commune, Capability.VIEW_ORGS, world.org("D1.X1.C1"))
    for user in (admin, commune):
        user.is_active = False
    assert not may_import(admin)
    assert not can(admin, Capability.MANAGE_ORGS, world.org("TQ"))
    assert not can(commune, Capability.VIEW_ORGS, world.org("D1.X1.C1"))
