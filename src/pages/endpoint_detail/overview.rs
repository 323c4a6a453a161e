//! Overview tab: served entities, traffic split, pending config, tags, AI gateway.

use crate::model::time_fmt;
use api_types::{
    AiGatewayConfig, EndpointCoreConfigOutput, ServedEntityOutput, ServingEndpointDetailed,
};
use leptos::prelude::*;

/// What an entity serves: `catalog.schema.model v7`, or the external/foundation model.
pub fn entity_label(e: &ServedEntityOutput) -> String {
    if let Some(fm) = &e.foundation_model {
        return fm
            .display_name
            .clone()
            .or_else(|| fm.name.clone())
            .unwrap_or_else(|| e.name.clone());
    }
    if let Some(xm) = &e.external_model {
        let name = xm.name.clone().unwrap_or_default();
        return match &xm.provider {
            Some(p) => format!("{name} ({p})"),
            None => name,
        };
    }
    match (&e.entity_name, &e.entity_version) {
        (Some(n), Some(v)) => format!("{n} v{v}"),
        (Some(n), None) => n.clone(),
        _ => e.name.clone(),
    }
}

fn scaling(e: &ServedEntityOutput) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &e.workload_size {
        parts.push(s.clone());
    }
    if let (Some(a), Some(b)) = (e.min_provisioned_concurrency, e.max_provisioned_concurrency) {
        parts.push(format!("{a}–{b} concurrency"));
    }
    if let (Some(a), Some(b)) = (e.min_provisioned_throughput, e.max_provisioned_throughput) {
        parts.push(format!("{a}–{b} tokens/s"));
    }
    if let Some(u) = e.provisioned_model_units {
        parts.push(format!("{u} model units"));
    }
    if let Some(t) = &e.workload_type {
        parts.push(t.to_string());
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" · ")
    }
}

/// The Overview tab as a route: renders the endpoint from the detail page's context.
#[component]
pub fn OverviewTab() -> impl IntoView {
    let detail = super::DetailCtx::expect();
    move || {
        detail
            .endpoint()
            .map(|d| view! { <Overview endpoint=d.0.clone()/> })
    }
}

/// The Overview of an endpoint.
#[component]
pub fn Overview(
    /// The endpoint as last fetched.
    endpoint: ServingEndpointDetailed,
) -> impl IntoView {
    let e = endpoint;
    view! {
        <div class="overview">
            <section aria-labelledby="served-h">
                <h2 id="served-h">"Served entities"</h2>
                {match &e.config {
                    Some(c) => view! { <EntitiesTable config=c.clone()/> <TrafficBar config=c.clone()/> }.into_any(),
                    None => view! { <p class="muted">"No configuration is being served yet: the first configuration is still deploying or never succeeded."</p> }.into_any(),
                }}
            </section>
            {e.pending_config.clone().map(|p| view! { <PendingConfig pending=p current=e.config.clone()/> })}
            <section aria-labelledby="about-h">
                <h2 id="about-h">"Details"</h2>
                <dl class="facts">
                    <dt>"Endpoint ID"</dt><dd><code>{e.id.clone().unwrap_or_else(|| "—".into())}</code></dd>
                    <dt>"Creator"</dt><dd>{e.creator.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Created"</dt><dd>{e.creation_timestamp.map(time_fmt::iso_utc).unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Last updated"</dt><dd>{e.last_updated_timestamp.map(time_fmt::iso_utc).unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Task"</dt><dd>{e.task.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Your permission"</dt><dd>{e.permission_level.as_ref().map(|p| p.label().to_string()).unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Route optimized"</dt><dd>{if e.route_optimized == Some(true) { "Yes" } else { "No" }}</dd>
                    {e.endpoint_url.clone().map(|u| view! { <dt>"Query URL"</dt><dd><code class="break">{u}</code></dd> })}
                </dl>
            </section>
            <section aria-labelledby="tags-h">
                <h2 id="tags-h">"Tags"</h2>
                {if e.tags.is_empty() {
                    view! { <p class="muted">"No tags."</p> }.into_any()
                } else {
                    view! { <ul class="tag-list">{e.tags.iter().map(|t| {
                        let text = match &t.value { Some(v) if !v.is_empty() => format!("{}: {}", t.key, v), _ => t.key.clone() };
                        view! { <li class="tag">{text}</li> }
                    }).collect_view()}</ul> }.into_any()
                }}
            </section>
            {e.ai_gateway.clone().map(|g| view! { <Gateway gateway=g/> })}
        </div>
    }
}

#[component]
fn EntitiesTable(config: EndpointCoreConfigOutput) -> impl IntoView {
    let legacy = config.served_entities.is_empty() && !config.served_models.is_empty();
    let entities: Vec<ServedEntityOutput> = if legacy {
        config
            .served_models
            .iter()
            .map(|m| ServedEntityOutput {
                name: m.name.clone(),
                entity_name: m.model_name.clone(),
                entity_version: m.model_version.clone(),
                workload_size: m.workload_size.clone(),
                workload_type: m.workload_type.clone(),
                scale_to_zero_enabled: m.scale_to_zero_enabled,
                state: m.state.clone(),
                ..Default::default()
            })
            .collect()
    } else {
        config.served_entities.clone()
    };
    view! {
        <div class="table-scroll">
            <table class="data-table" data-testid="entities-table">
                <caption class="visually-hidden">{format!("Served entities of config version {}", config.config_version.map(|v| v.to_string()).unwrap_or_else(|| "?".into()))}</caption>
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Serves"</th><th scope="col">"Compute"</th>
                    <th scope="col">"Scale to zero"</th><th scope="col">"Deployment"</th>
                </tr></thead>
                <tbody>
                    {entities.into_iter().map(|e| {
                        let dep = e.deployment().map(|d| d.to_string()).unwrap_or_else(|| "—".into());
                        let msg = e.message().map(str::to_string);
                        view! { <tr>
                            <td><code>{e.name.clone()}</code></td>
                            <td>{entity_label(&e)}</td>
                            <td>{scaling(&e)}</td>
                            <td>{match e.scale_to_zero_enabled { Some(true) => "On", Some(false) => "Off", None => "—" }}</td>
                            <td><span class="deployment">{pretty_deployment(&dep)}</span>{msg.map(|m| view! { <span class="deployment__msg">{m}</span> })}</td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {legacy.then(|| view! { <p class="muted">"This endpoint uses the legacy served_models configuration."</p> })}
    }
}

/// `DEPLOYMENT_READY` → `Ready`; unknown values shown verbatim.
pub fn pretty_deployment(raw: &str) -> String {
    match raw {
        "DEPLOYMENT_READY" => "Ready".into(),
        "DEPLOYMENT_CREATING" => "Creating".into(),
        "DEPLOYMENT_RECOVERING" => "Recovering".into(),
        "DEPLOYMENT_FAILED" => "Failed".into(),
        "DEPLOYMENT_ABORTED" => "Aborted".into(),
        "DEPLOYMENT_STOPPED" => "Stopped".into(),
        other => other.to_string(),
    }
}

#[component]
fn TrafficBar(config: EndpointCoreConfigOutput) -> impl IntoView {
    let routes = config.traffic_config.map(|t| t.routes).unwrap_or_default();
    if routes.is_empty() {
        return view! { <p class="muted">"No traffic routes reported."</p> }.into_any();
    }
    let total: i64 = routes.iter().map(|r| r.traffic_percentage.max(0)).sum();
    let desc = routes
        .iter()
        .map(|r| format!("{} {}%", r.target(), r.traffic_percentage))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <h3>"Traffic split"</h3>
        <div class="traffic" role="img" aria-label=format!("Traffic split: {desc}") data-testid="traffic">
            {routes.iter().enumerate().map(|(i, r)| {
                let w = if total > 0 { r.traffic_percentage.max(0) as f64 * 100.0 / total as f64 } else { 0.0 };
                view! { <span class=format!("traffic__seg traffic__seg--{}", i % 4) style:width=format!("{w:.2}%")></span> }
            }).collect_view()}
        </div>
        <ul class="traffic__legend" aria-hidden="true">
            {routes.iter().enumerate().map(|(i, r)| view! {
                <li><span class=format!("swatch traffic__seg--{}", i % 4)></span>{format!("{} — {}%", r.target(), r.traffic_percentage)}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PendingConfig(
    pending: EndpointCoreConfigOutput,
    current: Option<EndpointCoreConfigOutput>,
) -> impl IntoView {
    let now = crate::api::js_now_ms();
    let current_names: Vec<String> = current
        .as_ref()
        .map(|c| c.served_entities.iter().map(entity_label).collect())
        .unwrap_or_default();
    let changes: Vec<String> = pending
        .served_entities
        .iter()
        .map(|e| {
            let label = entity_label(e);
            if current_names.contains(&label) {
                format!("keeps {label}")
            } else {
                format!("adds {label}")
            }
        })
        .chain(
            current_names
                .iter()
                .filter(|c| {
                    !pending
                        .served_entities
                        .iter()
                        .any(|e| &entity_label(e) == *c)
                })
                .map(|c| format!("removes {c}")),
        )
        .collect();
    view! {
        <section aria-labelledby="pending-h" class="pending" data-testid="pending-config">
            <h2 id="pending-h">{format!("Pending configuration (version {})", pending.config_version.map(|v| v.to_string()).unwrap_or_else(|| "?".into()))}</h2>
            {pending.start_time.map(|t| view! { <p>{format!("Started {} ({})", time_fmt::relative(t, now), time_fmt::iso_utc(t))}</p> })}
            {(!changes.is_empty()).then(|| view! { <p>{format!("This update {}.", changes.join(", "))}</p> })}
            <EntitiesTable config=pending.clone()/>
        </section>
    }
}

#[component]
fn Gateway(gateway: AiGatewayConfig) -> impl IntoView {
    let g = gateway;
    let on = |b: Option<bool>| if b == Some(true) { "On" } else { "Off" };
    view! {
        <section aria-labelledby="gw-h">
            <h2 id="gw-h">"AI Gateway"</h2>
            <dl class="facts">
                <dt>"Usage tracking"</dt><dd>{on(g.usage_tracking_config.as_ref().and_then(|u| u.enabled))}</dd>
                <dt>"Inference table"</dt><dd>{g.inference_table_config.as_ref().map(|t| if t.enabled == Some(true) {
                    format!("{}.{}.{}_*", t.catalog_name.clone().unwrap_or_default(), t.schema_name.clone().unwrap_or_default(), t.table_name_prefix.clone().unwrap_or_default())
                } else { "Off".into() }).unwrap_or_else(|| "Off".into())}</dd>
                <dt>"Rate limits"</dt><dd>{if g.rate_limits.is_empty() { "None".to_string() } else {
                    g.rate_limits.iter().map(|r| {
                        let amount = match (r.calls, r.tokens) { (Some(c), _) => format!("{c} calls"), (None, Some(t)) => format!("{t} tokens"), _ => "?".into() };
                        let key = r.key.clone().unwrap_or_else(|| "endpoint".into());
                        let who = r.principal.clone().map(|p| format!(" ({p})")).unwrap_or_default();
                        format!("{amount}/{} per {key}{who}", r.renewal_period.clone().unwrap_or_else(|| "minute".into()))
                    }).collect::<Vec<_>>().join("; ")
                }}</dd>
                <dt>"Guardrails"</dt><dd>{if g.guardrails.is_some() { "Configured" } else { "None" }}</dd>
                <dt>"Fallbacks"</dt><dd>{on(g.fallback_config.as_ref().and_then(|f| f.enabled))}</dd>
            </dl>
        </section>
    }
}
