"""The official Python SDK (`databricks-sdk`) against `serving-console demo`, unchanged.

Each test calls the SDK as a user would and asserts what it returns, parsed by the SDK's own
types: a shape the SDK rejects or mis-parses fails here.
"""

import json
import logging

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import InvalidState, NotFound, PermissionDenied, ResourceDoesNotExist
from databricks.sdk.service.serving import (
    EndpointStateConfigUpdate,
    EndpointStateReady,
    ServingEndpointAccessControlRequest,
    ServingEndpointDetailedPermissionLevel,
    ServingEndpointPermissionLevel,
)

from conftest import ADMIN_TOKEN

FRAUD = "fraud-detector-prod"
FRAUD_ID = "3f1b9c2e8d4a4f6b9e0c7a5d2b1e4f8a"
LTV = "ltv-regressor"
LTV_ID = "1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6"


def test_start_up_discovery_reads_the_workspace_metadata(emulator, caplog):
    """The SDK asks /.well-known/databricks-config when a client is made; the emulator answers
    it as a workspace does, so the SDK takes the workspace id and logs no fallback warning."""
    with caplog.at_level(logging.WARNING, logger="databricks.sdk"):
        w = WorkspaceClient(host=emulator.base, token=ADMIN_TOKEN)
    assert ("GET", "/.well-known/databricks-config") in emulator.requests()
    assert not [r for r in caplog.records if "host metadata" in r.getMessage()]
    assert w.config.workspace_id == "1234567890123456"
    assert w.config.discovery_url == f"{emulator.base}/oidc/.well-known/oauth-authorization-server"
    assert w.config.is_aws
    # The id is the same one the workspace API reports.
    assert w.get_workspace_id() == 1234567890123456


def test_current_user_and_the_workspace_id_header(workspace):
    me = workspace.current_user.me()
    assert me.user_name == "admin@example.com"
    assert "admins" in {g.display for g in me.groups}
    # Where the SDK reads the workspace id when no metadata gave it (get_workspace_id).
    raw = workspace.api_client.do(
        "GET", "/api/2.0/preview/scim/v2/Me", response_headers=["X-Databricks-Org-Id"]
    )
    assert raw["X-Databricks-Org-Id"] == "1234567890123456"


def test_list_endpoints(workspace):
    endpoints = list(workspace.serving_endpoints.list())
    names = [e.name for e in endpoints]
    assert len(names) == 17
    assert names == sorted(names)
    assert {"churn-model", "openai-gpt-4o-chat", "forecast-batch-scorer"} <= set(names)
    fraud = next(e for e in endpoints if e.name == FRAUD)
    assert fraud.id == FRAUD_ID
    assert fraud.creator == "alice.chen@contoso.com"
    assert fraud.state.ready == EndpointStateReady.READY
    assert fraud.state.config_update == EndpointStateConfigUpdate.NOT_UPDATING
    assert {(t.key, t.value) for t in fraud.tags} == {("team", "risk-ml"), ("env", "prod"), ("pii", None)}


def test_get_endpoint(workspace):
    e = workspace.serving_endpoints.get(FRAUD)
    assert e.name == FRAUD
    assert e.id == FRAUD_ID
    assert e.permission_level == ServingEndpointDetailedPermissionLevel.CAN_MANAGE
    entities = e.config.served_entities
    assert [s.name for s in entities] == ["fraud_xgb-7", "fraud_xgb-8"]
    assert entities[0].entity_name == "main.risk.fraud_xgb"
    assert entities[0].entity_version == "7"
    assert entities[0].workload_size == "Medium"
    routes = {r.served_model_name: r.traffic_percentage for r in e.config.traffic_config.routes}
    assert sum(routes.values()) == 100


def test_get_unknown_endpoint_raises_not_found(workspace):
    with pytest.raises(ResourceDoesNotExist) as err:
        workspace.serving_endpoints.get("no-such-endpoint")
    assert isinstance(err.value, NotFound)
    assert err.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert "no-such-endpoint" in str(err.value)


def test_permission_denied_for_a_viewer(emulator):
    """vera.view may view forecast-batch-scorer, not delete it; ltv-regressor she may not see."""
    viewer = WorkspaceClient(host=emulator.base, token="dapi-emulator-view")
    with pytest.raises(PermissionDenied) as err:
        viewer.serving_endpoints.delete("forecast-batch-scorer")
    assert err.value.error_code == "PERMISSION_DENIED"
    assert "'Manage'" in str(err.value)
    # Nothing was deleted.
    e = viewer.serving_endpoints.get("forecast-batch-scorer")
    assert e.permission_level == ServingEndpointDetailedPermissionLevel.CAN_VIEW
    with pytest.raises(PermissionDenied):
        viewer.serving_endpoints.get(LTV)


def test_stop_then_start(emulator, workspace):
    """The SDK has no stop/start method (databricks-sdk-py #752): its generic client calls the
    REST routes, and the typed `get` reads the result."""
    api = workspace.api_client
    stopped = api.do("POST", f"/api/2.0/serving-endpoints/{LTV}/config:stop")
    assert stopped["name"] == LTV
    assert stopped["state"] == {"ready": "NOT_READY", "config_update": "IN_PROGRESS"}
    emulator.advance(60)
    e = workspace.serving_endpoints.get(LTV)
    assert e.state.ready == EndpointStateReady.NOT_READY
    assert e.state.config_update == EndpointStateConfigUpdate.NOT_UPDATING
    # A second stop is refused with the SDK's error for INVALID_STATE.
    with pytest.raises(InvalidState):
        api.do("POST", f"/api/2.0/serving-endpoints/{LTV}/config:stop")

    started = api.do("POST", f"/api/2.0/serving-endpoints/{LTV}/config:start")
    assert started["state"]["config_update"] == "IN_PROGRESS"
    emulator.advance(60)
    e = workspace.serving_endpoints.get(LTV)
    assert e.state.ready == EndpointStateReady.READY
    assert e.state.config_update == EndpointStateConfigUpdate.NOT_UPDATING
    assert e.config.config_version == 8  # the seed's 7, rolled out again


def test_delete_endpoint(workspace):
    assert workspace.serving_endpoints.delete(LTV) is None
    names = {e.name for e in workspace.serving_endpoints.list()}
    assert LTV not in names
    assert len(names) == 16
    with pytest.raises(ResourceDoesNotExist):
        workspace.serving_endpoints.get(LTV)


def test_server_logs_and_build_logs(workspace):
    server = workspace.serving_endpoints.logs(FRAUD, "fraud_xgb-7")
    assert isinstance(server.logs, str)
    assert server.logs.count("\n") > 10
    build = workspace.serving_endpoints.build_logs(FRAUD, "fraud_xgb-7")
    assert isinstance(build.logs, str)
    assert build.logs.count("\n") > 5
    assert build.logs != server.logs
    with pytest.raises(ResourceDoesNotExist):
        workspace.serving_endpoints.logs(FRAUD, "no_such_model-1")


def test_openapi_document(emulator, workspace):
    res = workspace.serving_endpoints.get_open_api(LTV)
    doc = json.loads(res.contents.read())
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == LTV
    assert doc["servers"][0]["url"].startswith(emulator.base)
    assert any(p.endswith("/invocations") for p in doc["paths"])


def test_permission_levels(workspace):
    res = workspace.serving_endpoints.get_permission_levels(FRAUD_ID)
    assert [(l.permission_level, l.description) for l in res.permission_levels] == [
        (ServingEndpointPermissionLevel.CAN_MANAGE, "Can manage the serving endpoint"),
        (ServingEndpointPermissionLevel.CAN_QUERY, "Can query the serving endpoint"),
        (ServingEndpointPermissionLevel.CAN_VIEW, "Can view the serving endpoint"),
    ]


def _grants(perms):
    """{principal: {(level, inherited)}} of an SDK ServingEndpointPermissions."""
    out = {}
    for acl in perms.access_control_list:
        who = acl.user_name or acl.group_name or acl.service_principal_name
        out[who] = {(p.permission_level, bool(p.inherited)) for p in acl.all_permissions}
    return out


def test_permissions_get_update_set(workspace):
    sep = workspace.serving_endpoints
    before = sep.get_permissions(LTV_ID)
    assert before.object_id == f"/serving-endpoints/{LTV_ID}"
    assert before.object_type == "serving-endpoint"
    grants = _grants(before)
    assert grants["gina.rossi@contoso.com"] == {(ServingEndpointPermissionLevel.CAN_MANAGE, False)}
    assert grants["data-science"] == {(ServingEndpointPermissionLevel.CAN_QUERY, False)}
    assert (ServingEndpointPermissionLevel.CAN_MANAGE, True) in grants["admins"]

    # update (PATCH): adds one grant, keeps the others.
    updated = sep.update_permissions(
        LTV_ID,
        access_control_list=[
            ServingEndpointAccessControlRequest(
                user_name="vera.view@contoso.com",
                permission_level=ServingEndpointPermissionLevel.CAN_VIEW,
            )
        ],
    )
    grants = _grants(updated)
    assert grants["vera.view@contoso.com"] == {(ServingEndpointPermissionLevel.CAN_VIEW, False)}
    assert "gina.rossi@contoso.com" in grants and "data-science" in grants

    # set (PUT): replaces every direct grant; the inherited admins grant stays.
    replaced = sep.set_permissions(
        LTV_ID,
        access_control_list=[
            ServingEndpointAccessControlRequest(
                group_name="data-science",
                permission_level=ServingEndpointPermissionLevel.CAN_MANAGE,
            )
        ],
    )
    grants = _grants(replaced)
    assert grants["data-science"] == {(ServingEndpointPermissionLevel.CAN_MANAGE, False)}
    assert "gina.rossi@contoso.com" not in grants
    assert "vera.view@contoso.com" not in grants
    assert (ServingEndpointPermissionLevel.CAN_MANAGE, True) in grants["admins"]
    # A re-read shows the same.
    assert _grants(sep.get_permissions(LTV_ID)) == grants


def test_query_custom_model(workspace):
    res = workspace.serving_endpoints.query(
        "churn-model",
        dataframe_records=[
            {"tenure_months": 12, "monthly_charges": 70.5, "contract": "monthly", "has_tech_support": False},
            {"tenure_months": 40, "monthly_charges": 20.0, "contract": "two_year", "has_tech_support": True},
        ],
    )
    assert len(res.predictions) == 2
    assert all(isinstance(p, float) for p in res.predictions)
    assert res.served_model_name == "churn_lgbm-4"


def test_query_with_bad_input_is_a_bad_request(workspace):
    from databricks.sdk.errors import BadRequest

    with pytest.raises(BadRequest) as err:
        workspace.serving_endpoints.query("churn-model", dataframe_records=[{"contract": "monthly"}])
    assert "tenure_months" in str(err.value)


def test_export_metrics(workspace):
    res = workspace.serving_endpoints.export_metrics(FRAUD)
    text = res.contents.read().decode()
    samples = [l for l in text.splitlines() if l and not l.startswith("#")]
    assert samples
    assert "# TYPE request_latency_ms histogram" in text
    # Every sample is `name{labels} value`, with one label per served entity.
    assert all(float(l.rsplit(" ", 1)[1]) >= 0 for l in samples)
    assert any('served_entity_name="fraud_xgb-7"' in l for l in samples)
