//! The calls that change what an endpoint serves (issue #15; `docs/serving-api-changes.md`),
//! and the Unity Catalog model-versions list that offers versions to pick. Mutations are never
//! retried: one click, one request. The list is a read and retried per the policy.

use super::{ApiClient, ApiError, Idempotency};
use crate::links::encode_segment;
use crate::model::config_plan::plan::{Call, Step};
use api_types::{
    AiGatewayConfig, EndpointCoreConfigInput, EndpointTags, ListModelVersionsResponse,
    NotificationsResponse, PatchNotificationsRequest, PatchTagsRequest, ServingEndpointDetailed,
};
use serde::Serialize;

fn path(name: &str, tail: &str) -> String {
    format!("/api/2.0/serving-endpoints/{}{tail}", encode_segment(name))
}

fn body<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Decode {
        status: 0,
        message: format!("The request could not be encoded ({e})."),
    })
}

/// What a sent plan step answered.
#[derive(Debug, Clone, PartialEq)]
pub enum StepAnswer {
    Tags(EndpointTags),
    AiGateway(AiGatewayConfig),
    /// The endpoint with its `pending_config`.
    Config(Box<ServingEndpointDetailed>),
    Notifications(NotificationsResponse),
}

impl ApiClient {
    /// `PUT /api/2.0/serving-endpoints/{name}/config`: the whole desired config; answers the
    /// endpoint with `pending_config` while the new version builds. Never retried.
    pub async fn update_config(
        &self,
        name: &str,
        config: &EndpointCoreConfigInput,
    ) -> Result<ServingEndpointDetailed, ApiError> {
        let b = body(config)?;
        self.json(
            "PUT",
            path(name, "/config"),
            Some(b),
            Idempotency::Mutation,
            None,
        )
        .await
    }

    /// `PATCH …/{name}/tags` → the whole resulting tag list. Never retried.
    pub async fn patch_tags(
        &self,
        name: &str,
        req: &PatchTagsRequest,
    ) -> Result<EndpointTags, ApiError> {
        let b = body(req)?;
        self.json(
            "PATCH",
            path(name, "/tags"),
            Some(b),
            Idempotency::Mutation,
            None,
        )
        .await
    }

    /// `PUT …/{name}/ai-gateway`: a full replacement (send the merged whole). Never retried.
    pub async fn put_ai_gateway(
        &self,
        name: &str,
        gateway: &AiGatewayConfig,
    ) -> Result<AiGatewayConfig, ApiError> {
        let b = body(gateway)?;
        self.json(
            "PUT",
            path(name, "/ai-gateway"),
            Some(b),
            Idempotency::Mutation,
            None,
        )
        .await
    }

    /// `PATCH …/{name}/notifications` → `{ name, email_notifications }`. Never retried.
    pub async fn patch_notifications(
        &self,
        name: &str,
        req: &PatchNotificationsRequest,
    ) -> Result<NotificationsResponse, ApiError> {
        let b = body(req)?;
        self.json(
            "PATCH",
            path(name, "/notifications"),
            Some(b),
            Idempotency::Mutation,
            None,
        )
        .await
    }

    /// Send one plan step: exactly its method, path and body, once. The answer is decoded by
    /// the call it makes.
    pub async fn send_step(&self, step: &Step) -> Result<StepAnswer, ApiError> {
        let r = &step.request;
        let b = Some(r.body_text());
        let p = r.path.clone();
        let m = r.method;
        Ok(match step.call {
            Call::Tags => StepAnswer::Tags(self.json(m, p, b, Idempotency::Mutation, None).await?),
            Call::AiGateway => {
                StepAnswer::AiGateway(self.json(m, p, b, Idempotency::Mutation, None).await?)
            }
            Call::Config => StepAnswer::Config(Box::new(
                self.json(m, p, b, Idempotency::Mutation, None).await?,
            )),
            Call::Notifications => {
                StepAnswer::Notifications(self.json(m, p, b, Idempotency::Mutation, None).await?)
            }
        })
    }

    /// `GET /api/2.1/unity-catalog/models/{full_name}/versions`: one page (`page_token` from
    /// the previous page's `next_page_token`). A 403/404 means the caller may not read the
    /// model: the form then takes a typed version.
    pub async fn list_model_versions(
        &self,
        full_name: &str,
        page_token: Option<&str>,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<ListModelVersionsResponse, ApiError> {
        let mut p = format!(
            "/api/2.1/unity-catalog/models/{}/versions?max_results=100",
            encode_segment(full_name)
        );
        if let Some(t) = page_token.filter(|t| !t.is_empty()) {
            p.push_str("&page_token=");
            p.push_str(&encode_segment(t));
        }
        self.json("GET", p, None, Idempotency::Read, signal).await
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::{FakeTransport, HttpRequest};
    use crate::model::config_plan::{plan, Snapshot};
    use std::future::Future;
    use std::sync::Arc;
    use std::task::{Context, Poll, Waker};

    /// The fake transport answers at once: one poll finishes every call.
    fn run<F: Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        for _ in 0..1000 {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
        panic!("the fake transport never answered")
    }

    fn client(fake: &FakeTransport) -> ApiClient {
        ApiClient::new("/console", Arc::new(fake.clone()), 1000)
    }

    fn only(fake: &FakeTransport) -> HttpRequest {
        let r = fake.requests();
        assert_eq!(r.len(), 1, "one request per call: {r:?}");
        r[0].clone()
    }

    const EP: &str = "/console/api/2.0/serving-endpoints/fraud-detector-prod";

    #[test]
    fn a_refused_config_update_is_sent_once() {
        let fake = FakeTransport::new();
        fake.respond(
            "PUT",
            &format!("{EP}/config"),
            503,
            r#"{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}"#,
        );
        let c = client(&fake);
        let r = run(c.update_config("fraud-detector-prod", &EndpointCoreConfigInput::default()));
        assert!(
            matches!(r, Err(ApiError::Http { status: 503, .. })),
            "{r:?}"
        );
        assert_eq!(only(&fake).method, "PUT");
    }

    #[test]
    fn tags_and_notifications_send_their_bodies() {
        let fake = FakeTransport::new();
        fake.respond(
            "PATCH",
            &format!("{EP}/tags"),
            200,
            r#"{"tags":[{"key":"a"}]}"#,
        );
        let c = client(&fake);
        let req = PatchTagsRequest {
            add_tags: vec![api_types::EndpointTag {
                key: "a".into(),
                value: None,
            }],
            delete_tags: vec!["b".into()],
        };
        let got = run(c.patch_tags("fraud-detector-prod", &req)).unwrap();
        assert_eq!(got.tags[0].key, "a");
        assert_eq!(
            only(&fake).body.as_deref(),
            Some(r#"{"add_tags":[{"key":"a"}],"delete_tags":["b"]}"#)
        );

        let fake = FakeTransport::new();
        fake.respond(
            "PATCH",
            &format!("{EP}/notifications"),
            200,
            r#"{"name":"fraud-detector-prod","email_notifications":{"on_update_failure":["x@y.z"]}}"#,
        );
        let got = run(client(&fake)
            .patch_notifications("fraud-detector-prod", &PatchNotificationsRequest::default()))
        .unwrap();
        assert_eq!(
            got.email_notifications.unwrap().on_update_failure,
            ["x@y.z"]
        );
    }

    #[test]
    fn a_plan_step_is_sent_exactly() {
        let s = Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap(),
        );
        let mut e = s.desired.clone();
        e.config.routes.insert("fraud_xgb-7".into(), 50);
        e.config.routes.insert("fraud_xgb-8".into(), 50);
        let p = plan(&s, &e);
        let fake = FakeTransport::new();
        fake.respond(
            "PUT",
            &format!("{EP}/config"),
            200,
            api_fixtures::get("get_custom_ready.json"),
        );
        let a = run(client(&fake).send_step(&p.steps[0])).unwrap();
        assert!(matches!(a, StepAnswer::Config(_)));
        let r = only(&fake);
        assert_eq!(r.url, format!("{EP}/config"));
        let sent: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(sent, p.steps[0].request.body);
    }

    #[test]
    fn model_versions_are_a_read_with_paging() {
        let fake = FakeTransport::new();
        let url = "/console/api/2.1/unity-catalog/models/main.risk.fraud_xgb/versions";
        fake.respond(
            "GET",
            url,
            503,
            r#"{"error_code":"TEMPORARILY_UNAVAILABLE"}"#,
        );
        fake.respond(
            "GET",
            url,
            200,
            r#"{"model_versions":[{"version":9,"status":"READY"}],"next_page_token":"n 2"}"#,
        );
        let got = run(client(&fake).list_model_versions("main.risk.fraud_xgb", Some("p/1"), None))
            .unwrap();
        assert_eq!(got.model_versions[0].version.as_deref(), Some("9"));
        let reqs = fake.requests();
        assert_eq!(reqs.len(), 2, "a read is retried");
        assert_eq!(
            reqs[1].url,
            format!("{url}?max_results=100&page_token=p%2F1")
        );
    }
}
