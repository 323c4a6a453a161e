//! The signature folder's tests: documents, input checks, predictions.

use super::*;
use crate::emulator::ordered_json::J;
use serde_json::Value;

fn sig(text: &str) -> Signature {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("bad signature ({e}): {text}"))
}

fn example_sig() -> Signature {
    sig(
        r#"{"inputs":[{"name":"int_col","type":"long"},{"name":"float_col","type":"double","required":false},
            {"name":"string_col","type":"string","required":false}],
           "outputs":[{"type":"double"}],
           "params":[{"name":"sentiment","type":"double","default":0.5}]}"#,
    )
}

#[test]
fn documented_example_shape() {
    let doc = document(
        "example-endpoint",
        "https://example.databricks.com",
        "2",
        &[("vanilla_simple_model-2", &example_sig())],
    );
    let v: Value = serde_json::from_str(&doc).unwrap_or_default();
    assert_eq!(v["openapi"], "3.1.0");
    assert_eq!(v["info"]["title"], "example-endpoint");
    assert_eq!(v["info"]["version"], "2");
    assert_eq!(
        v["servers"][0]["url"],
        "https://example.databricks.com/serving-endpoints/example-endpoint"
    );
    let op = &v["paths"]["/served-models/vanilla_simple_model-2/invocations"]["post"];
    let one_of = &op["requestBody"]["content"]["application/json"]["schema"]["oneOf"];
    let split = &one_of[0]["properties"]["dataframe_split"]["properties"];
    assert_eq!(split["columns"]["description"], "required fields: int_col");
    assert_eq!(split["columns"]["items"]["enum"][1], "float_col");
    assert_eq!(split["data"]["items"]["prefixItems"][0]["format"], "int64");
    assert_eq!(
        one_of[0]["properties"]["params"]["properties"]["sentiment"]["default"],
        "0.5"
    );
    assert_eq!(one_of[0]["examples"][0]["data"][0][0], 3);
    let rec = &one_of[1]["properties"]["dataframe_records"]["items"];
    assert_eq!(rec["required"], serde_json::json!(["int_col"]));
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
            ["predictions"]["items"]["format"],
        "double"
    );
    // Column order is kept (serde_json::Value would sort the keys).
    assert!(doc.find("\"int_col\":{").unwrap_or(0) < doc.find("\"float_col\":{").unwrap_or(0));
}

#[test]
fn every_column_type_maps_to_a_schema() {
    let s = sig(
        r#"{"inputs":[{"name":"b","type":"boolean"},{"name":"i","type":"integer"},{"name":"f","type":"float"},
        {"name":"bin","type":"binary"},{"name":"dt","type":"datetime"},{"name":"any","type":"any"},
        {"name":"arr","type":"array","items":{"type":"long"}},
        {"name":"obj","type":"object","properties":[{"name":"x","type":"double"},{"name":"y","type":"string","required":false}]},
        {"name":"m","type":"map","values":{"type":"double"}}]}"#,
    );
    let v: Value = serde_json::from_str(&J::Arr(input_variants(&s)).to_json()).unwrap_or_default();
    let p = &v[1]["properties"]["dataframe_records"]["items"]["properties"];
    assert_eq!(p["i"]["format"], "int32");
    assert_eq!(p["f"]["format"], "float");
    assert_eq!(p["bin"]["format"], "byte");
    assert_eq!(p["dt"]["format"], "date-time");
    assert_eq!(p["arr"]["items"]["format"], "int64");
    assert_eq!(p["obj"]["required"], serde_json::json!(["x"]));
    assert_eq!(p["m"]["additionalProperties"]["type"], "number");
    assert!(p["any"].get("type").is_none());
}

#[test]
fn tensor_signatures_get_instances_and_inputs() {
    let s = sig(
        r#"{"inputs":[{"type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1,2,3]}}],
                    "outputs":[{"type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1,4]}}]}"#,
    );
    let v: Value = serde_json::from_str(&J::Arr(input_variants(&s)).to_json()).unwrap_or_default();
    let inst = &v[0]["properties"]["instances"];
    assert_eq!(inst["items"]["minItems"], 2);
    assert_eq!(inst["items"]["items"]["maxItems"], 3);
    assert!(v[0]["examples"][0][0][1][2].is_number());
    assert!(
        v[1]["properties"]["inputs"]["minItems"].is_null(),
        "-1 is unbounded"
    );
    let body = serde_json::json!({"instances": [[[1,2,3],[4,5,6]], [[1,2,3],[4,5,6]]]});
    assert_eq!(check_input(&body, Some(&s)), Ok(2));
    let bad = serde_json::json!({"instances": [[[1,2],[4,5,6]]]});
    assert!(check_input(&bad, Some(&s)).is_err());
    let out: Value = serde_json::from_str(&predictions(Some(&s), 2, 1)).unwrap_or_default();
    assert_eq!(out["predictions"][1].as_array().map(Vec::len), Some(4));
}

#[test]
fn input_checks_name_the_problem() {
    let s = example_sig();
    let ok = serde_json::json!({"dataframe_split": {"columns": ["int_col", "float_col"], "data": [[1, 2.5], [2, null]]}, "params": {"sentiment": 0.7}});
    assert_eq!(check_input(&ok, Some(&s)), Ok(2));
    let two = serde_json::json!({"dataframe_split": {}, "instances": []});
    assert!(check_input(&two, Some(&s))
        .unwrap_err()
        .contains("exactly one"));
    let none = serde_json::json!({"foo": 1});
    assert!(check_input(&none, Some(&s))
        .unwrap_err()
        .contains("['foo']"));
    let missing = serde_json::json!({"dataframe_records": [{"float_col": 1.0}]});
    assert!(check_input(&missing, Some(&s))
        .unwrap_err()
        .contains("missing inputs ['int_col']"));
    let wrong = serde_json::json!({"dataframe_records": [{"int_col": "x"}]});
    assert!(check_input(&wrong, Some(&s))
        .unwrap_err()
        .contains("'int_col'"));
    let ragged = serde_json::json!({"dataframe_split": {"columns": ["int_col"], "data": [[1, 2]]}});
    assert!(check_input(&ragged, Some(&s))
        .unwrap_err()
        .contains("data[0]"));
    let bad_param =
        serde_json::json!({"dataframe_records": [{"int_col": 1}], "params": {"sentiment": "high"}});
    assert!(check_input(&bad_param, Some(&s))
        .unwrap_err()
        .contains("sentiment"));
    assert!(check_input(&serde_json::json!([1]), Some(&s)).is_err());
}

#[test]
fn predictions_follow_outputs_and_rows() {
    let s = sig(r#"{"inputs":[{"name":"a","type":"double"}],
        "outputs":[{"name":"label","type":"string"},{"name":"score","type":"double"}]}"#);
    let v: Value = serde_json::from_str(&predictions(Some(&s), 3, 42)).unwrap_or_default();
    let p = v["predictions"].as_array().cloned().unwrap_or_default();
    assert_eq!(p.len(), 3);
    assert!(p[0]["label"].is_string() && p[0]["score"].is_number());
    assert_eq!(predictions(Some(&s), 3, 42), predictions(Some(&s), 3, 42));
}
