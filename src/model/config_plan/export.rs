//! Export the served config as the JSON `databricks serving-endpoints update-config NAME
//! --json` takes (the `PUT …/config` body), and import such a JSON (pasted or uploaded) into an
//! edit. Import never panics: a bad text gives an [`ImportError`] with its line and column.

use super::normalize::{self, config_from_input, Desired};
use super::plan::config_input;
use api_types::EndpointCoreConfigInput;
use serde_json::Value;

/// The served config as pretty JSON (what a repository would keep).
pub fn export(d: &Desired) -> String {
    serde_json::to_string_pretty(&config_input(&d.config)).unwrap_or_else(|_| "{}".into())
}

/// `<endpoint>-config-v<version>.json`, safe as a file name.
pub fn file_name(endpoint: &str, version: Option<i64>) -> String {
    let safe: String = endpoint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match version {
        Some(v) => format!("{safe}-config-v{v}.json"),
        None => format!("{safe}-config.json"),
    }
}

/// Why a text could not be imported; `line`/`column` (1-based) when the parser knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "Line {l}, column {c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// An imported edit and what was noticed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// `current` with its served config replaced by the imported one.
    pub desired: Desired,
    pub warnings: Vec<String>,
}

const KNOWN: &[&str] = &[
    "served_entities",
    "served_models",
    "traffic_config",
    "auto_capture_config",
];

fn at(e: &serde_json::Error, message: String) -> ImportError {
    ImportError {
        line: (e.line() > 0).then_some(e.line()),
        column: (e.line() > 0).then_some(e.column()),
        message,
    }
}

/// Read an `update-config` JSON into an edit of `current` (tags, AI gateway and e-mails are
/// not part of that JSON and stay as they are). Also accepted: an object with the config under
/// `config` (a `create` body or a GET answer). `*_plaintext` secret fields are dropped with a
/// warning: they are write-only and this console never sends one.
pub fn import(text: &str, current: &Desired) -> Result<Imported, ImportError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| at(&e, format!("This is not valid JSON ({}).", syntax(&e))))?;
    let Value::Object(top) = &value else {
        return Err(ImportError {
            line: Some(1),
            column: Some(1),
            message: "Expected a JSON object with served_entities and traffic_config.".into(),
        });
    };
    let mut warnings = Vec::new();
    let wrapped = !KNOWN.iter().any(|k| top.contains_key(*k))
        && top.get("config").is_some_and(Value::is_object);
    let mut input: EndpointCoreConfigInput = if wrapped {
        let inner = top.get("config").cloned().unwrap_or(Value::Null);
        warnings.push("Read the config under “config”; other fields are not imported.".into());
        serde_json::from_value(inner).map_err(|e| ImportError {
            line: None,
            column: None,
            message: format!("“config” does not have the expected shape: {e}."),
        })?
    } else {
        let ignored: Vec<&str> = top
            .keys()
            .map(String::as_str)
            .filter(|k| !KNOWN.contains(k))
            .collect();
        if !ignored.is_empty() {
            warnings.push(format!(
                "Ignored (not part of a config update): {}.",
                ignored.join(", ")
            ));
        }
        serde_json::from_str(text).map_err(|e| at(&e, shape(&e)))?
    };
    if input.served_entities.is_empty() && input.served_models.is_empty() {
        return Err(ImportError {
            line: None,
            column: None,
            message: "No served_entities: a config serves at least one entity.".into(),
        });
    }
    if !input.served_entities.is_empty() && !input.served_models.is_empty() {
        warnings.push("Both served_entities and served_models: served_models ignored.".into());
    }
    if input.served_entities.is_empty() {
        warnings.push("served_models is deprecated: it will be sent as served_entities.".into());
    }
    let mut dropped = 0;
    for e in &mut input.served_entities {
        if let Some(m) = e.external_model.as_mut() {
            dropped += normalize::strip_plaintext_map(&mut m.provider_config);
        }
        if e.burst_scaling_enabled.take().is_some() {
            warnings.push(format!(
                "burst_scaling_enabled of {} is not applied by this console.",
                e.name.as_deref().unwrap_or("an entity")
            ));
        }
    }
    if dropped > 0 {
        warnings.push(format!(
            "{dropped} plaintext secret field(s) dropped: this console never sends secrets; \
             use a secret reference ({{{{secrets/<scope>/<key>}}}}) instead."
        ));
    }
    let unnamed = input
        .served_entities
        .iter()
        .filter(|e| e.name.as_deref().is_none_or(str::is_empty))
        .count();
    if unnamed > 0 {
        warnings.push(format!(
            "{unnamed} served entit{} without a name: give each a name before planning.",
            if unnamed == 1 { "y" } else { "ies" }
        ));
    }
    Ok(Imported {
        desired: Desired {
            config: config_from_input(&input),
            ..current.clone()
        },
        warnings,
    })
}

fn syntax(e: &serde_json::Error) -> String {
    let s = e.to_string();
    // serde_json appends " at line L column C"; the position is reported separately.
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn shape(e: &serde_json::Error) -> String {
    format!("Unexpected value: {}.", syntax(e))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::normalize::Snapshot;
    use super::super::plan::plan;
    use super::*;

    fn ready() -> Snapshot {
        Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap(),
        )
    }

    #[test]
    fn export_then_import_is_no_change() {
        let s = ready();
        let text = export(&s.desired);
        assert!(text.contains("\"scale_to_zero_enabled\": false"), "{text}");
        assert!(!text.contains("DEPLOYMENT_READY") && !text.contains("creator"));
        let i = import(&text, &s.desired).unwrap();
        assert_eq!(i.warnings, Vec::<String>::new());
        assert_eq!(i.desired, s.desired);
        assert!(plan(&s, &i.desired).is_empty());
    }

    #[test]
    fn syntax_errors_carry_their_position() {
        let s = ready();
        let e = import("{\n  \"served_entities\": [,]\n}", &s.desired).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(23)));
        assert!(
            e.message.starts_with("This is not valid JSON"),
            "{}",
            e.message
        );
        assert!(e.to_string().starts_with("Line 2, column 23: "));
    }

    #[test]
    fn wrong_types_carry_their_position() {
        let s = ready();
        let e = import(
            "{\"served_entities\": [{\"name\": \"a\",\n \"scale_to_zero_enabled\": \"yes\"}]}",
            &s.desired,
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("Unexpected value"), "{}", e.message);
    }

    #[test]
    fn not_a_config_is_refused() {
        let s = ready();
        for text in ["[]", "42", "\"x\"", "{}", "{\"traffic_config\": {}}", ""] {
            assert!(import(text, &s.desired).is_err(), "{text:?}");
        }
    }

    #[test]
    fn a_get_answer_or_create_body_is_read_from_config() {
        let s = ready();
        let i = import(api_fixtures::get("get_custom_ready.json"), &s.desired).unwrap();
        assert_eq!(i.desired, s.desired);
        assert_eq!(i.warnings.len(), 1);
    }

    #[test]
    fn plaintext_secrets_are_dropped_with_a_warning() {
        let s = Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_external_model_ai_gateway.json")).unwrap(),
        );
        let text = r#"{"served_entities": [{"name": "gpt-4o", "external_model": {
            "provider": "openai", "name": "gpt-4o", "task": "llm/v1/chat",
            "openai_config": {"openai_api_key_plaintext": "sk-live-123",
                "openai_api_type": "azure"}}}], "name": "x"}"#;
        let i = import(text, &s.desired).unwrap();
        assert!(i.warnings.iter().any(|w| w.contains("1 plaintext secret")));
        assert!(i
            .warnings
            .iter()
            .any(|w| w.contains("Ignored") && w.contains("name")));
        let p = format!("{:?}", plan(&s, &i.desired));
        assert!(
            !p.contains("sk-live-123") && !p.contains("plaintext"),
            "{p}"
        );
    }

    #[test]
    fn legacy_served_models_import_as_entities() {
        let s = ready();
        let text = r#"{"served_models": [{"name": "m-1", "model_name": "m", "model_version": "1",
            "workload_size": "Small", "scale_to_zero_enabled": true}]}"#;
        let i = import(text, &s.desired).unwrap();
        assert_eq!(i.desired.config.entities[0].entity_name, "m");
        assert_eq!(i.desired.config.routes["m-1"], 100);
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("a/b c", Some(3)), "a_b_c-config-v3.json");
        assert_eq!(file_name("ep", None), "ep-config.json");
    }
}
