//! The events timeline: changes the console observes between two successive reads of an
//! endpoint (state, config version, pending config, served-entity deployment states and messages).
//! The real `/events` API is undocumented (serving-api.md §5.10), so the console records what it
//! sees itself.

use crate::model::display_state::{derive_detailed, Tone};
use api_types::{EndpointCoreConfigOutput, ServingEndpointDetailed};

/// One observed change.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// When it was observed (ms since epoch).
    pub at_ms: i64,
    /// What changed, in words.
    pub text: String,
    /// How it reads (colour of its marker).
    pub tone: Tone,
}

fn entity_states(c: Option<&EndpointCoreConfigOutput>) -> Vec<(String, String, String)> {
    c.map(|c| {
        c.served_entities
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    e.deployment().map(|d| d.to_string()).unwrap_or_default(),
                    e.message().unwrap_or("").to_string(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

fn pretty(dep: &str) -> String {
    dep.strip_prefix("DEPLOYMENT_")
        .map(|s| {
            let lower = s.to_ascii_lowercase();
            let mut c = lower.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .unwrap_or_else(|| dep.to_string())
}

/// The changes from `prev` to `next`, observed at `now_ms`, in the order they read best.
pub fn diff(
    prev: &ServingEndpointDetailed,
    next: &ServingEndpointDetailed,
    now_ms: i64,
) -> Vec<Event> {
    let mut out = Vec::new();
    let (a, b) = (derive_detailed(prev), derive_detailed(next));
    if a.state != b.state {
        out.push(Event {
            at_ms: now_ms,
            text: format!(
                "State changed from {} to {}",
                a.state.label(),
                b.state.label()
            ),
            tone: b.state.tone(),
        });
    }
    let (va, vb) = (
        prev.config.as_ref().and_then(|c| c.config_version),
        next.config.as_ref().and_then(|c| c.config_version),
    );
    if va != vb {
        if let Some(v) = vb {
            out.push(Event {
                at_ms: now_ms,
                text: match va {
                    Some(old) => format!("Config version {v} is now served (was {old})"),
                    None => format!("Config version {v} is now served"),
                },
                tone: Tone::Ok,
            });
        }
    }
    let (pa, pb) = (
        prev.pending_config.as_ref().map(|p| p.config_version),
        next.pending_config.as_ref().map(|p| p.config_version),
    );
    match (pa, pb) {
        (None, Some(v)) => out.push(Event {
            at_ms: now_ms,
            text: format!(
                "Update to config version {} started",
                v.map(|v| v.to_string()).unwrap_or_else(|| "?".into())
            ),
            tone: Tone::Progress,
        }),
        (Some(v), None) => out.push(Event {
            at_ms: now_ms,
            text: format!(
                "Pending config version {} is no longer pending",
                v.map(|v| v.to_string()).unwrap_or_else(|| "?".into())
            ),
            tone: Tone::Neutral,
        }),
        (Some(x), Some(y)) if x != y => out.push(Event {
            at_ms: now_ms,
            text: format!(
                "Pending config version changed to {}",
                y.map(|v| v.to_string()).unwrap_or_else(|| "?".into())
            ),
            tone: Tone::Progress,
        }),
        _ => {}
    }
    for (label, pc, nc) in [
        ("", prev.config.as_ref(), next.config.as_ref()),
        (
            " (pending)",
            prev.pending_config.as_ref(),
            next.pending_config.as_ref(),
        ),
    ] {
        let before = entity_states(pc);
        for (name, dep, msg) in entity_states(nc) {
            let old = before.iter().find(|(n, _, _)| *n == name);
            let changed = match old {
                Some((_, d, m)) => *d != dep || *m != msg,
                None => false,
            };
            if changed && !dep.is_empty() {
                let tone = match dep.as_str() {
                    "DEPLOYMENT_READY" => Tone::Ok,
                    "DEPLOYMENT_FAILED" | "DEPLOYMENT_ABORTED" => Tone::Error,
                    "DEPLOYMENT_CREATING" | "DEPLOYMENT_RECOVERING" => Tone::Progress,
                    _ => Tone::Neutral,
                };
                let text = if msg.is_empty() {
                    format!("{name}{label}: {}", pretty(&dep))
                } else {
                    format!("{name}{label}: {} — {msg}", pretty(&dep))
                };
                out.push(Event {
                    at_ms: now_ms,
                    text,
                    tone,
                });
            }
        }
    }
    out
}

/// Newest-first log of events, capped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    events: Vec<Event>,
}

/// At most this many events are kept.
pub const TIMELINE_CAP: usize = 200;

impl Timeline {
    /// Record new events (given oldest first), keeping the newest first.
    pub fn record(&mut self, new: Vec<Event>) {
        for e in new {
            self.events.insert(0, e);
        }
        self.events.truncate(TIMELINE_CAP);
    }

    /// Events, newest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> ServingEndpointDetailed {
        serde_json::from_str(api_fixtures::get(name)).unwrap()
    }

    #[test]
    fn stop_is_observed_as_state_and_entity_changes() {
        let ready = load("get_custom_ready.json");
        let mut stopped = ready.clone();
        stopped.state = Some(
            serde_json::from_value(
                serde_json::json!({"ready":"NOT_READY","config_update":"NOT_UPDATING"}),
            )
            .unwrap(),
        );
        for e in &mut stopped.config.as_mut().unwrap().served_entities {
            e.state = Some(serde_json::from_value(serde_json::json!({"deployment":"DEPLOYMENT_STOPPED","deployment_state_message":"Served entity is stopped."})).unwrap());
        }
        let ev = diff(&ready, &stopped, 42);
        assert_eq!(
            ev[0].text,
            "State changed from Ready to Not ready (Stopped)"
        );
        assert!(ev
            .iter()
            .any(|e| e.text == "fraud_xgb-7: Stopped — Served entity is stopped."));
        assert!(ev.iter().all(|e| e.at_ms == 42));
    }

    #[test]
    fn update_start_and_finish() {
        let ready = load("get_custom_ready.json");
        let updating = load("get_custom_ready_updating.json");
        let mut a = ready.clone();
        a.pending_config = updating.pending_config.clone();
        let ev = diff(&ready, &a, 1);
        assert!(
            ev.iter()
                .any(|e| e.text.starts_with("Update to config version")),
            "{ev:?}"
        );
        let mut b = a.clone();
        b.pending_config = None;
        b.config.as_mut().unwrap().config_version = Some(13);
        let ev = diff(&a, &b, 2);
        assert!(
            ev.iter()
                .any(|e| e.text == "Config version 13 is now served (was 12)"),
            "{ev:?}"
        );
    }

    #[test]
    fn no_change_no_event_and_timeline_is_newest_first() {
        let r = load("get_custom_ready.json");
        assert!(diff(&r, &r, 0).is_empty());
        let mut t = Timeline::default();
        t.record(vec![
            Event {
                at_ms: 1,
                text: "a".into(),
                tone: Tone::Ok,
            },
            Event {
                at_ms: 1,
                text: "b".into(),
                tone: Tone::Ok,
            },
        ]);
        t.record(vec![Event {
            at_ms: 2,
            text: "c".into(),
            tone: Tone::Ok,
        }]);
        let texts: Vec<&str> = t.events().iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, vec!["c", "b", "a"]);
    }
}
