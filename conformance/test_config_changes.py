"""Changing an endpoint with the official Python SDK (docs/serving-api-changes.md): the config
update and its waiter, tags, the AI gateway, notifications, and the refusals, each parsed by the
SDK's own types and errors.

The clock is frozen: a test moves it past the update delay (`POST /__emulator/time`) from the
waiter's callback, or from a thread once the emulator has recorded the PUT.
"""

import threading
import time

import pytest
from databricks.sdk.errors import (
    InvalidParameterValue,
    OperationFailed,
    PermissionDenied,
    ResourceConflict,
    ResourceDoesNotExist,
)
from databricks.sdk.service.serving import (
    AiGatewayRateLimit,
    AiGatewayRateLimitKey,
    AiGatewayRateLimitRenewalPeriod,
    AiGatewayUsageTrackingConfig,
    EmailNotifications,
    EndpointStateConfigUpdate,
    EndpointStateReady,
    EndpointTag,
    Route,
    ServedEntityInput,
    TrafficConfig,
)

FRAUD = "fraud-detector-prod"
MODEL = "main.risk.fraud_xgb"


def entity(name, version, size="Small"):
    return ServedEntityInput(
        name=name,
        entity_name=MODEL,
        entity_version=version,
        workload_size=size,
        scale_to_zero_enabled=False,
    )


def split(a, b, pa, pb):
    return TrafficConfig(
        routes=[
            Route(served_entity_name=a, traffic_percentage=pa),
            Route(served_entity_name=b, traffic_percentage=pb),
        ]
    )


def test_update_config_result_reaches_not_updating(emulator, workspace):
    """`update_config(...)` answers the endpoint with the pending config; `.result()` polls
    GET until NOT_UPDATING and returns the endpoint serving the new version."""
    wait = workspace.serving_endpoints.update_config(
        FRAUD,
        served_entities=[entity("fraud_xgb-7", "7", "Medium"), entity("fraud_xgb-8", "8")],
        traffic_config=split("fraud_xgb-7", "fraud_xgb-8", 50, 50),
    )
    first = wait.response
    assert first.state.config_update == EndpointStateConfigUpdate.IN_PROGRESS
    assert first.pending_config.config_version == 13
    assert first.config.config_version == 12
    polls = []

    def land(e):
        polls.append(e.state.config_update)
        emulator.advance(25)

    done = wait.result(callback=land)
    assert polls == [EndpointStateConfigUpdate.IN_PROGRESS]
    assert done.state.ready == EndpointStateReady.READY
    assert done.state.config_update == EndpointStateConfigUpdate.NOT_UPDATING
    assert done.config.config_version == 13
    assert [(r.served_entity_name, r.traffic_percentage) for r in done.config.traffic_config.routes] == [
        ("fraud_xgb-7", 50),
        ("fraud_xgb-8", 50),
    ]
    assert done.pending_config is None


def test_update_config_and_wait(emulator, workspace):
    path = f"/api/2.0/serving-endpoints/{FRAUD}/config"

    def advance_once_put():
        deadline = time.monotonic() + 20
        while ("PUT", path) not in emulator.requests() and time.monotonic() < deadline:
            time.sleep(0.05)
        emulator.advance(25)

    t = threading.Thread(target=advance_once_put)
    t.start()
    try:
        done = workspace.serving_endpoints.update_config_and_wait(
            FRAUD, served_entities=[ServedEntityInput(
                entity_name=MODEL, entity_version="8",
                workload_size="Small",
                scale_to_zero_enabled=True)]
        )
    finally:
        t.join()
    assert done.state.config_update == EndpointStateConfigUpdate.NOT_UPDATING
    # The entity got its default name, and the lone entity the implied 100 % route.
    assert [e.name for e in done.config.served_entities] == ["fraud_xgb-8"]
    assert [(r.served_entity_name, r.traffic_percentage) for r in done.config.traffic_config.routes] == [
        ("fraud_xgb-8", 100)
    ]


def test_an_update_to_a_failing_version_raises_and_the_old_config_serves(emulator, workspace):
    wait = workspace.serving_endpoints.update_config(
        FRAUD,
        served_entities=[entity("fraud_xgb-7", "7", "Medium"), entity("fraud_xgb-9", "9")],
        traffic_config=split("fraud_xgb-7", "fraud_xgb-9", 90, 10),
    )
    with pytest.raises(OperationFailed, match="UPDATE_FAILED"):
        wait.result(callback=lambda _: emulator.advance(25))
    e = workspace.serving_endpoints.get(FRAUD)
    assert e.state.ready == EndpointStateReady.READY
    assert e.config.config_version == 12
    failed = {x.name: x.state for x in e.pending_config.served_entities}
    assert failed["fraud_xgb-9"].deployment.value == "DEPLOYMENT_FAILED"
    assert "service logs" in failed["fraud_xgb-9"].deployment_state_message
    logs = workspace.serving_endpoints.logs(FRAUD, "fraud_xgb-9")
    assert "Traceback" in logs.logs


def test_a_second_update_while_one_runs_is_a_conflict(workspace):
    workspace.serving_endpoints.update_config(FRAUD, served_entities=[entity("fraud_xgb-8", "8")])
    with pytest.raises(ResourceConflict):
        workspace.serving_endpoints.update_config(FRAUD, served_entities=[entity("fraud_xgb-8", "8")])


def test_a_rule_broken_is_invalid_parameter_value(workspace):
    with pytest.raises(InvalidParameterValue, match="sum to 100"):
        workspace.serving_endpoints.update_config(
            FRAUD,
            served_entities=[entity("a", "7"), entity("b", "8")],
            traffic_config=split("a", "b", 60, 30),
        )
    with pytest.raises(InvalidParameterValue, match="scaleToZeroEnabled is undefined"):
        workspace.serving_endpoints.update_config(
            FRAUD,
            served_entities=[ServedEntityInput(entity_name=MODEL, entity_version="8", workload_size="Small")],
        )
    with pytest.raises(ResourceDoesNotExist):
        workspace.serving_endpoints.update_config("nope", served_entities=[entity("a", "7")])


def test_patch_tags(workspace):
    tags = workspace.serving_endpoints.patch(
        FRAUD,
        add_tags=[EndpointTag(key="env", value="staging"), EndpointTag(key="owner", value="risk")],
        delete_tags=["pii"],
    )
    assert [(t.key, t.value) for t in tags.tags] == [
        ("team", "risk-ml"),
        ("env", "staging"),
        ("owner", "risk"),
    ]
    e = workspace.serving_endpoints.get(FRAUD)
    assert {t.key: t.value for t in e.tags} == {"team": "risk-ml", "env": "staging", "owner": "risk"}
    assert e.config.config_version == 12


def test_put_ai_gateway_replaces_the_whole_gateway(workspace):
    r = workspace.serving_endpoints.put_ai_gateway(
        FRAUD,
        usage_tracking_config=AiGatewayUsageTrackingConfig(enabled=False),
        rate_limits=[
            AiGatewayRateLimit(
                calls=100,
                key=AiGatewayRateLimitKey.USER,
                renewal_period=AiGatewayRateLimitRenewalPeriod.MINUTE,
            )
        ],
    )
    assert r.usage_tracking_config.enabled is False
    assert r.rate_limits[0].calls == 100
    assert r.rate_limits[0].key == AiGatewayRateLimitKey.USER
    e = workspace.serving_endpoints.get(FRAUD)
    assert e.ai_gateway.inference_table_config is None  # left out: dropped
    assert e.ai_gateway.rate_limits[0].renewal_period == AiGatewayRateLimitRenewalPeriod.MINUTE


def test_update_notifications(workspace):
    r = workspace.serving_endpoints.update_notifications(
        FRAUD,
        email_notifications=EmailNotifications(
            on_update_failure=["oncall@contoso.com"], on_update_success=[]
        ),
    )
    assert r.name == FRAUD
    assert r.email_notifications.on_update_failure == ["oncall@contoso.com"]
    assert not r.email_notifications.on_update_success
    e = workspace.serving_endpoints.get(FRAUD)
    assert e.email_notifications.on_update_failure == ["oncall@contoso.com"]


def test_a_query_user_cannot_change_anything(emulator):
    from databricks.sdk import WorkspaceClient

    q = WorkspaceClient(host=emulator.base, token="dapi-emulator-sp")
    with pytest.raises(PermissionDenied):
        q.serving_endpoints.patch(FRAUD, add_tags=[EndpointTag(key="x")])
    with pytest.raises(PermissionDenied):
        q.serving_endpoints.update_config(FRAUD, served_entities=[entity("fraud_xgb-8", "8")])


def test_model_versions_of_a_seeded_model(workspace):
    """The Unity Catalog model versions the console offers in its version picker; the SDK
    follows the pages until the token is absent."""
    versions = list(workspace.model_versions.list("main.risk.fraud_xgb", max_results=3))
    assert [v.version for v in versions] == list(range(10, 0, -1))
    assert {v.catalog_name for v in versions} == {"main"}
    assert {v.model_name for v in versions} == {"fraud_xgb"}
    with pytest.raises(ResourceDoesNotExist):
        list(workspace.model_versions.list("main.risk.nothing"))
