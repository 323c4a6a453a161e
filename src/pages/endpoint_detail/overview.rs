//! Overview tab: metrics sparklines, served entities, traffic split, pending config, tags,
//! AI gateway, and the events timeline.

use crate::api::ApiError;
use crate::components::Sparkline;
use crate::context::Workspace;
use crate::hooks::use_polling::use_polling;
use crate::model::display_state::Tone;
use crate::model::format::api_text;
use crate::model::list_view;
use crate::model::metrics::{self, Snapshot, Window};
use crate::model::time_fmt;
use api_types::{
    AiGatewayConfig, EndpointCoreConfigOutput, ServedEntityOutput, ServingEndpointDetailed,
};
use leptos::prelude::*;

/// What an entity serves (the list's label, plus the provider of an external model).
pub fn entity_label(e: &ServedEntityOutput) -> String {
    let label = list_view::entity_label(&e.spec());
    match e
        .external_model
        .as_ref()
        .and_then(|x| x.provider.as_deref())
    {
        Some(p) => format!("{label} ({})", api_text(p)),
        None => label,
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
    let detail = super::DetailPage::expect();
    let name = detail.name.get_value();
    // Metrics and events stay mounted while the endpoint is re-read by the poller.
    view! {
        <MetricsPanel name=name/>
        {move || detail.endpoint().map(|d| view! { <Overview endpoint=d.0.clone()/> })}
        <EventsTimeline/>
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
                    Some(c) => view! {
                        <EntitiesTable config=c.clone()/> <TrafficBar config=c.clone()/>
                        {crate::model::actions::can_edit(&e).is_ok().then(|| view! { <Shortcuts name=e.name.clone() config=c.clone()/> })}
                    }.into_any(),
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
                        let text = match &t.value { Some(v) if !v.is_empty() => format!("{}: {}", api_text(&t.key), api_text(v)), _ => t.key.clone() };
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
    let version = config
        .config_version
        .map(|v| v.to_string())
        .unwrap_or_else(|| "?".into());
    // A scroll box on narrow screens: focusable, so it scrolls by keyboard; named after its
    // config version (the current and the pending tables are two regions).
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=format!("Served entities, config version {version}")>
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
        .map(|r| format!("{} {}%", api_text(r.target()), r.traffic_percentage))
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
                <li><span class=format!("swatch traffic__seg--{}", i % 4)></span>{format!("{} — {}%", api_text(r.target()), r.traffic_percentage)}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Shortcuts (Can Manage only): each opens the editor's plan prefilled, nothing is applied.
#[component]
fn Shortcuts(name: String, config: EndpointCoreConfigOutput) -> impl IntoView {
    let routes = config.traffic_config.map(|t| t.routes).unwrap_or_default();
    let custom = config
        .served_entities
        .iter()
        .any(|e| e.external_model.is_none());
    let targets: Vec<String> = config
        .served_entities
        .iter()
        .map(|e| e.name.clone())
        .filter(|n| {
            !routes
                .iter()
                .any(|r| r.target() == n && r.traffic_percentage >= 100)
        })
        .collect();
    let link = |k: &'static str, v: &str| crate::links::endpoint_edit(&name, &[(k, v)]);
    view! {
        <div class="shortcuts" data-testid="shortcuts">
            <h3>"Shortcuts"</h3>
            <p class="muted">"Each opens the plan prefilled; nothing is applied until you confirm it."</p>
            <ul class="tag-list">
                {(config.served_entities.len() > 1).then(|| targets.iter().map(|t| view! {
                    <li><a href=link("send_all_to", t)>{format!("Send all traffic to {}", api_text(t))}</a></li>
                }).collect_view())}
                {custom.then(|| view! {
                    <li><a href=link("scale_to_zero", "on")>"Scale to zero on"</a></li>
                    <li><a href=link("scale_to_zero", "off")>"Scale to zero off"</a></li>
                })}
            </ul>
        </div>
    }
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
                format!("keeps {}", api_text(&label))
            } else {
                format!("adds {}", api_text(&label))
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
                .map(|c| format!("removes {}", api_text(c))),
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
                    format!("{}.{}.{}_*", api_text(t.catalog_name.as_deref().unwrap_or_default()), api_text(t.schema_name.as_deref().unwrap_or_default()), api_text(t.table_name_prefix.as_deref().unwrap_or_default()))
                } else { "Off".into() }).unwrap_or_else(|| "Off".into())}</dd>
                <dt>"Rate limits"</dt><dd>{if g.rate_limits.is_empty() { "None".to_string() } else {
                    g.rate_limits.iter().map(|r| {
                        let amount = match (r.calls, r.tokens) { (Some(c), _) => format!("{c} calls"), (None, Some(t)) => format!("{t} tokens"), _ => "?".into() };
                        let key = r.key.clone().unwrap_or_else(|| "endpoint".into());
                        let who = r.principal.as_deref().map(|p| format!(" ({})", api_text(p))).unwrap_or_default();
                        format!("{amount}/{} per {}{who}", api_text(r.renewal_period.as_deref().unwrap_or("minute")), api_text(&key))
                    }).collect::<Vec<_>>().join("; ")
                }}</dd>
                <dt>"Guardrails"</dt><dd>{if g.guardrails.is_some() { "Configured" } else { "None" }}</dd>
                <dt>"Fallbacks"</dt><dd>{on(g.fallback_config.as_ref().and_then(|f| f.enabled))}</dd>
            </dl>
        </section>
    }
}

/// Metrics are scraped this often while the Overview is visible (the API's gauges are per minute).
const METRICS_POLL_MS: u64 = 15_000;
/// Snapshots kept in memory (one per minute of data: an hour).
const METRICS_WINDOW: usize = 60;

/// Sparklines of the endpoint's metrics, polled while mounted.
#[component]
fn MetricsPanel(name: String) -> impl IntoView {
    let workspace = Workspace::expect();
    let api = workspace.api.clone();
    let detail = super::DetailPage::expect();
    // An endpoint that serves no configuration has no metrics: the API answers 404, so the
    // console does not ask (`Ok(None)`) until the endpoint as last read serves one.
    let serves_config = move || {
        detail
            .poller
            .data
            .try_with_untracked(|d| d.as_ref().is_some_and(|d| d.0.config.is_some()))
            .unwrap_or(false)
    };
    let poller = use_polling(
        move |signal| {
            let api = api.clone();
            let n = name.clone();
            let ask = serves_config();
            async move {
                if !ask {
                    return Ok(None);
                }
                let text = api.metrics(&n, Some(signal)).await?;
                let (samples, _skipped) = metrics::parse(&text);
                Ok(Some(metrics::snapshot(&samples, crate::api::js_now_ms())))
            }
        },
        |_, _| METRICS_POLL_MS,
    );
    let window = RwSignal::new(Window::new(METRICS_WINDOW));
    Effect::new(move |_| {
        if let Some(Some(s)) = poller.data.get() {
            window.update(|w| w.push(s));
        }
    });
    // When the endpoint's state changes (stopped, started, updated, first served), scrape again
    // right away.
    let state_key = Memo::new(move |_| {
        detail
            .poller
            .data
            .with(|d| d.as_ref().map(|d| (d.1.state.key(), d.0.config.is_some())))
    });
    Effect::new(move |prev: Option<Option<(&'static str, bool)>>| {
        let k = state_key.get();
        if prev.is_some_and(|p| p != k) {
            poller.refresh();
        }
        k
    });
    let series =
        move |f: fn(&Snapshot) -> Option<f64>| Signal::derive(move || window.with(|w| w.series(f)));
    let unavailable = move || {
        (matches!(poller.error.get(), Some(ApiError::Http { status: 404, .. }))
            || matches!(poller.data.get(), Some(None)))
            && window.with(|w| w.is_empty())
    };
    view! {
        <section aria-labelledby="metrics-h" data-testid="metrics">
            <h2 id="metrics-h">"Metrics"</h2>
            {move || {
                if unavailable() {
                    return Some(view! { <p class="muted">"No metrics yet: they appear once the endpoint serves a configuration."</p> }.into_any());
                }
                poller.error.get().map(|e| view! {
                    <p class="inline-error" role="alert">{format!("Metrics unavailable: {} ({})", e.title(), api_text(&e.message()))}</p>
                }.into_any())
            }}
            <div class="metrics">
                <Sparkline label="Latency p50" unit="ms" series=series(|s| s.latency_p50)/>
                <Sparkline label="Latency p99" unit="ms" series=series(|s| s.latency_p99)/>
                <Sparkline label="Requests per second" unit="req/s" series=series(|s| s.requests_per_s)/>
                <Sparkline label="Error rate" unit="%" series=series(|s| s.error_rate)/>
                <Sparkline label="CPU" unit="%" series=series(|s| s.cpu)/>
                <Sparkline label="Memory" unit="%" series=series(|s| s.mem)/>
            </div>
        </section>
    }
}

fn tone_marker(t: Tone) -> (&'static str, &'static str) {
    match t {
        Tone::Ok => ("●", "events__marker events__marker--ok"),
        Tone::Progress => ("◐", "events__marker events__marker--progress"),
        Tone::Warning => ("▲", "events__marker events__marker--warning"),
        Tone::Error => ("✕", "events__marker events__marker--error"),
        Tone::Neutral => ("■", "events__marker events__marker--neutral"),
    }
}

/// Announcements of new events are at most this frequent.
const ANNOUNCE_EVERY_MS: i64 = 10_000;

/// Changes observed while this page was open, newest first, with a polite (throttled)
/// announcement of the newest.
#[component]
fn EventsTimeline() -> impl IntoView {
    let detail = super::DetailPage::expect();
    let events = detail.events;
    let announce = RwSignal::new(String::new());
    let last_announced = StoredValue::new(0i64);
    let pending = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(newest) = events.with(|t| t.events().first().map(|e| e.text.clone())) else {
            return;
        };
        let now = crate::api::js_now_ms();
        let wait = last_announced.get_value() + ANNOUNCE_EVERY_MS - now;
        if wait <= 0 {
            last_announced.set_value(now);
            announce.set(newest);
        } else if !pending.get_value() {
            pending.set_value(true);
            set_timeout(
                move || {
                    pending.try_set_value(false);
                    last_announced.try_set_value(crate::api::js_now_ms());
                    if let Some(t) = events
                        .try_with(|t| t.events().first().map(|e| e.text.clone()))
                        .flatten()
                    {
                        announce.try_set(t);
                    }
                },
                std::time::Duration::from_millis(wait as u64),
            );
        }
    });
    view! {
        <section aria-labelledby="events-h" data-testid="events">
            <h2 id="events-h">"Events"</h2>
            <div class="visually-hidden" aria-live="polite" data-testid="events-live">{move || announce.get()}</div>
            {move || events.with(|t| {
                if t.events().is_empty() {
                    return view! { <p class="muted">"No changes observed since this page was opened. State, configuration and deployment changes appear here as they happen."</p> }.into_any();
                }
                view! {
                    <ol class="events">
                        {t.events().iter().map(|e| {
                            let (icon, class) = tone_marker(e.tone);
                            let exact = time_fmt::iso_utc(e.at_ms);
                            view! {
                                <li class="events__item" data-testid="event">
                                    <span class=class aria-hidden="true">{icon}</span>
                                    <time class="events__time" datetime=exact.clone()>{exact.clone()}</time>
                                    <span>{e.text.clone()}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            })}
        </section>
    }
}
