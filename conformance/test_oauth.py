"""OAuth against the emulated workspace's `/oidc/…`, with the official SDK unchanged.

The SDK's machine-to-machine sign-in (`client_id` + `client_secret`, auth type `oauth-m2m`)
discovers the token endpoint through `/.well-known/databricks-config` and
`/oidc/.well-known/oauth-authorization-server`, gets a token with `client_credentials` and calls
the API with it, as the service principal.
"""

from databricks.sdk import WorkspaceClient

# The emulator's OAuth client for the service principal sp-fraud-gateway (README).
SP_CLIENT_ID = "6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a"
SP_CLIENT_SECRET = "dose-emulator-sp-secret"


def test_m2m_sign_in_lists_endpoints_as_the_service_principal(emulator, monkeypatch):
    monkeypatch.delenv("DATABRICKS_TOKEN", raising=False)
    w = WorkspaceClient(host=emulator.base, client_id=SP_CLIENT_ID, client_secret=SP_CLIENT_SECRET)
    assert w.config.auth_type == "oauth-m2m"
    names = [e.name for e in w.serving_endpoints.list()]
    # The service principal sees what it may see: its CAN_QUERY endpoints, not everything.
    assert "fraud-detector-prod" in names
    me = w.current_user.me()
    assert me.user_name == SP_CLIENT_ID
    requests = emulator.requests()
    assert ("GET", "/oidc/.well-known/oauth-authorization-server") in requests
    assert ("POST", "/oidc/v1/token") in requests


def test_m2m_with_a_wrong_secret_fails_with_the_servers_reason(emulator, monkeypatch):
    monkeypatch.delenv("DATABRICKS_TOKEN", raising=False)
    w = WorkspaceClient(host=emulator.base, client_id=SP_CLIENT_ID, client_secret="wrong")
    try:
        list(w.serving_endpoints.list())
    except Exception as e:  # the SDK wraps the token error in its own types
        assert "invalid_client" in str(e)
    else:
        raise AssertionError("a wrong client secret must not sign in")
