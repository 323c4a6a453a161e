//! Validation of a request body against one input format's schema, with every problem located
//! at its field (instance path and byte offset in the editor's text).
//!
//! Hand-written for the JSON Schema subset OpenAPI documents of serving endpoints use: `type`
//! (incl. `integer`, lists, OpenAPI 3.0 `nullable`), `enum`, `const`, `properties`, `required`,
//! `additionalProperties`, `items`, `prefixItems` (and 3.0 tuple `items`), `min/maxItems`,
//! `uniqueItems`, `min/maxProperties`, `minimum`/`maximum`/`exclusive*` (both forms),
//! `multipleOf`, `min/maxLength`, `format` (`int32`, `int64`, `date-time`, `date`, `byte`),
//! `oneOf`/`anyOf`/`allOf`/`not`, local `$ref`s. `pattern`/`patternProperties` are not checked:
//! that needs a regex engine, and the maintained JSON Schema crates (`jsonschema`,
//! `boon`, `valico`) pull in `regex`/`fancy-regex` and URL/IDN crates — hundreds of KB of wasm,
//! far over the console's size budget — for keywords these documents do not use.

mod keywords;
mod serving;
mod validator;
mod values;

pub use serving::serving_checks;
pub use validator::{validate, Issue, MAX_ISSUES};
pub use values::json_eq;

/// The module as the Schema tab uses it: `validate` and `serving_checks` on the documented example.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::json_doc::{Doc, NodeId};
    use crate::model::openapi::Spec;

    const FIXTURE: &str = api_fixtures::get("openapi.json");

    fn variant(spec: &Spec, i: usize) -> NodeId {
        let op = spec.operations()[0].node;
        let (_, _, schema) = spec.request_schema(op).unwrap_or_default();
        spec.variants(schema).map(|(_, v)| v[i].1).unwrap_or(0)
    }

    fn issues(spec: &Spec, schema: NodeId, body: &str) -> Vec<Issue> {
        let d = Doc::parse(body).unwrap_or_else(|e| panic!("{e}"));
        let mut v = validate(spec, schema, &d);
        v.extend(serving_checks(spec, schema, &d));
        v
    }

    #[test]
    fn the_example_body_is_valid() {
        let spec = Spec::parse(FIXTURE).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..2 {
            let v = variant(&spec, i);
            let body = spec.example_body(v);
            assert_eq!(issues(&spec, v, &body), [], "variant {i}: {body}");
        }
    }

    #[test]
    fn errors_point_at_the_field() {
        let spec = Spec::parse(FIXTURE).unwrap_or_else(|e| panic!("{e}"));
        let v = variant(&spec, 0);
        let body = "{\"dataframe_split\": {\"columns\": [\"int_col\", \"bogus\"],\n \"data\": [[1, 2.5, \"a\"], [\"x\", 1.5, \"b\"], [1.5, 2]]}}";
        let found = issues(&spec, v, body);
        let by_field: Vec<(&str, &str)> = found
            .iter()
            .map(|i| (i.field.as_str(), i.message.as_str()))
            .collect();
        assert!(
            by_field.contains(&(
                "dataframe_split.columns[1]",
                "string \"bogus\" is not one of: \"int_col\", \"float_col\", \"string_col\"."
            )),
            "{by_field:?}"
        );
        assert!(
            by_field.contains(&(
                "dataframe_split.data[1][0]",
                "Expected integer, got string \"x\"."
            )),
            "{by_field:?}"
        );
        assert!(
            by_field.contains(&(
                "dataframe_split.data[2][0]",
                "Expected integer (no decimals), got number 1.5."
            )),
            "{by_field:?}"
        );
        let x = found
            .iter()
            .find(|i| i.field == "dataframe_split.data[1][0]")
            .map(|i| i.offset)
            .unwrap_or(0);
        assert_eq!(&body[x..x + 3], "\"x\"");
        assert_eq!(
            found
                .iter()
                .find(|i| i.field == "dataframe_split.data[1][0]")
                .map(|i| i.pointer.as_str()),
            Some("/dataframe_split/data/1/0")
        );
        // Rows must have one value per column.
        assert!(found.iter().any(|i| i.field == "dataframe_split.data[0]"
            && i.message.contains("3 values but there are 2 columns")));
    }

    #[test]
    fn records_required_and_missing_format() {
        let spec = Spec::parse(FIXTURE).unwrap_or_else(|e| panic!("{e}"));
        let v = variant(&spec, 1);
        let found = issues(
            &spec,
            v,
            r#"{"dataframe_records": [{"int_col": 1, "float_col": 1}]}"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].field, "dataframe_records[0]");
        assert_eq!(found[0].message, "Missing required property “string_col”.");
        let found = issues(&spec, v, r#"{"params": {"sentiment": "high"}}"#);
        let msgs: Vec<&str> = found.iter().map(|i| i.message.as_str()).collect();
        assert!(
            msgs.contains(&"This input format needs the key “dataframe_records”."),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"Expected number, got string \"high\"."),
            "{msgs:?}"
        );
        let found = issues(&spec, v, "[]");
        assert_eq!(found[0].message, "Expected object, got an array of 0.");
    }
}
