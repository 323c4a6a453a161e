"""MLflow's deployments client (`mlflow-skinny`) against `serving-console demo`, unchanged:
`get_deploy_client("databricks")` configured by DATABRICKS_HOST / DATABRICKS_TOKEN (conftest)."""

import pytest
from mlflow.deployments import get_deploy_client
from requests.exceptions import HTTPError


@pytest.fixture
def client():
    return get_deploy_client("databricks")


def test_list_endpoints(emulator, client):
    endpoints = client.list_endpoints()
    names = [e["name"] for e in endpoints]
    assert len(names) == 17
    assert names == sorted(names)
    fraud = next(e for e in endpoints if e["name"] == "fraud-detector-prod")
    assert fraud["state"] == {"ready": "READY", "config_update": "NOT_UPDATING"}
    assert fraud["creator"] == "alice.chen@contoso.com"
    assert ("GET", "/api/2.0/serving-endpoints/") in emulator.requests()


def test_get_endpoint(client):
    e = client.get_endpoint("fraud-detector-prod")
    assert e["name"] == "fraud-detector-prod"
    assert e["permission_level"] == "CAN_MANAGE"
    assert [s["name"] for s in e["config"]["served_entities"]] == ["fraud_xgb-7", "fraud_xgb-8"]
    # The result also reads as attributes (MLflow's DatabricksEndpoint).
    assert e.name == "fraud-detector-prod"


def _error(err):
    """(status, error_code, message) of the HTTPError MLflow's deployments client raises."""
    res = err.value.response
    body = res.json()
    return res.status_code, body["error_code"], body["message"]


def test_get_unknown_endpoint_raises(client):
    with pytest.raises(HTTPError) as err:
        client.get_endpoint("no-such-endpoint")
    status, code, message = _error(err)
    assert (status, code) == (404, "RESOURCE_DOES_NOT_EXIST")
    assert "no-such-endpoint" in message


def test_delete_endpoint(client):
    assert dict(client.delete_endpoint("ltv-regressor")) == {}
    names = {e["name"] for e in client.list_endpoints()}
    assert "ltv-regressor" not in names
    assert len(names) == 16
    with pytest.raises(HTTPError) as err:
        client.get_endpoint("ltv-regressor")
    assert _error(err)[:2] == (404, "RESOURCE_DOES_NOT_EXIST")


def test_predict(client):
    res = client.predict(
        endpoint="churn-model",
        inputs={
            "dataframe_records": [
                {"tenure_months": 3, "monthly_charges": 99.0, "contract": "monthly", "has_tech_support": False}
            ]
        },
    )
    assert len(res["predictions"]) == 1
    assert isinstance(res["predictions"][0], float)
