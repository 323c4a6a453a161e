//! Who is calling: bearer tokens mapped to users, groups and a service principal.
//!
//! | token (`Authorization: Bearer …`) | principal | kind | groups | rights in the default seed |
//! |---|---|---|---|---|
//! | `dapi-emulator-admin` | `admin@example.com` (Emulator Admin) | user, workspace admin | `admins`, `users` | `CAN_MANAGE` on every endpoint (inherited from `/serving-endpoints/` through `admins`) |
//! | `dapi-emulator-creator` | `alice.chen@contoso.com` (Alice Chen) | user | `users`, `risk-ml`, `data-science` | creator of several endpoints, `CAN_MANAGE` on those by direct grant; `CAN_QUERY`/`CAN_VIEW` on a few more |
//! | `dapi-emulator-query` | `quinn.query@contoso.com` (Quinn Query) | user | `users`, `risk-analysts` | `CAN_QUERY` grants on several endpoints (direct, and through `risk-analysts`) |
//! | `dapi-emulator-view` | `vera.view@contoso.com` (Vera View) | user | `users` | `CAN_VIEW` grants on several endpoints; no access to the rest (403 on GET, absent from the list) |
//! | `dapi-emulator-sp` | service principal `6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a` (sp-fraud-gateway) | service principal | `users` | `CAN_QUERY` on the fraud endpoints |
//!
//! - The effective level on an endpoint is the maximum over the direct grants to the caller, the
//!   grants to any of the caller's groups (every principal is in `users`, which gets `CAN_VIEW`
//!   or `CAN_QUERY` on a few endpoints), and `CAN_MANAGE` for members of `admins`.
//! - No `Authorization` header: the request acts as the admin, unless the server runs with
//!   `--strict-auth`, in which case it gets 401.
//! - An unknown token (or a header that is not `Bearer <token>`) always gets
//!   401 `{"error_code":"UNAUTHENTICATED","message":"Invalid access token."}`.

use crate::error::ApiError;
use api_types::Principal;

/// The group whose members are workspace admins.
pub const ADMINS_GROUP: &str = "admins";
/// The group every principal belongs to.
pub const USERS_GROUP: &str = "users";

/// User or service principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityKind {
    User,
    ServicePrincipal,
}

/// One known principal of the emulated workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The bearer token that authenticates as this principal.
    pub token: &'static str,
    pub kind: IdentityKind,
    /// E-mail (users) or application id (service principals).
    pub name: &'static str,
    pub display_name: &'static str,
    /// SCIM `id`.
    pub scim_id: &'static str,
    pub groups: &'static [&'static str],
}

/// Token of the workspace admin.
pub const ADMIN_TOKEN: &str = "dapi-emulator-admin";
/// Token of the creator user (alice).
pub const CREATOR_TOKEN: &str = "dapi-emulator-creator";
/// Token of the CAN_QUERY user (quinn).
pub const QUERY_TOKEN: &str = "dapi-emulator-query";
/// Token of the CAN_VIEW user (vera).
pub const VIEW_TOKEN: &str = "dapi-emulator-view";
/// Token of the service principal.
pub const SP_TOKEN: &str = "dapi-emulator-sp";

/// Application id of the service principal `sp-fraud-gateway`.
pub const SP_APPLICATION_ID: &str = "6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a";

/// Every principal that has a token.
pub const IDENTITIES: &[Identity] = &[
    Identity {
        token: ADMIN_TOKEN,
        kind: IdentityKind::User,
        name: "admin@example.com",
        display_name: "Emulator Admin",
        scim_id: "4810075283746511",
        groups: &[ADMINS_GROUP, USERS_GROUP],
    },
    Identity {
        token: CREATOR_TOKEN,
        kind: IdentityKind::User,
        name: "alice.chen@contoso.com",
        display_name: "Alice Chen",
        scim_id: "4810075283746522",
        groups: &[USERS_GROUP, "risk-ml", "data-science"],
    },
    Identity {
        token: QUERY_TOKEN,
        kind: IdentityKind::User,
        name: "quinn.query@contoso.com",
        display_name: "Quinn Query",
        scim_id: "4810075283746533",
        groups: &[USERS_GROUP, "risk-analysts"],
    },
    Identity {
        token: VIEW_TOKEN,
        kind: IdentityKind::User,
        name: "vera.view@contoso.com",
        display_name: "Vera View",
        scim_id: "4810075283746544",
        groups: &[USERS_GROUP],
    },
    Identity {
        token: SP_TOKEN,
        kind: IdentityKind::ServicePrincipal,
        name: SP_APPLICATION_ID,
        display_name: "sp-fraud-gateway",
        scim_id: "4810075283746555",
        groups: &[USERS_GROUP],
    },
];

/// Display names of people who appear in the seed without a token.
const OTHER_PEOPLE: &[(&str, &str)] = &[
    ("bob.okafor@contoso.com", "Bob Okafor"),
    ("carla.mendes@contoso.com", "Carla Mendes"),
    ("dev.patel@contoso.com", "Dev Patel"),
    ("erin.walsh@contoso.com", "Erin Walsh"),
    ("frank.li@contoso.com", "Frank Li"),
    ("gina.rossi@contoso.com", "Gina Rossi"),
    ("henry.adams@contoso.com", "Henry Adams"),
    ("svc-mlops@contoso.com", "MLOps Service Account"),
];

impl Identity {
    /// The admin identity (used when no token is sent without `--strict-auth`).
    pub fn admin() -> &'static Identity {
        &IDENTITIES[0]
    }

    /// The identity of `token`, if known.
    pub fn by_token(token: &str) -> Option<&'static Identity> {
        IDENTITIES.iter().find(|i| i.token == token)
    }

    /// The ACL principal naming this identity.
    pub fn principal(&self) -> Principal {
        match self.kind {
            IdentityKind::User => Principal::User(self.name.to_string()),
            IdentityKind::ServicePrincipal => Principal::ServicePrincipal(self.name.to_string()),
        }
    }

    /// Is this principal a workspace admin?
    pub fn is_admin(&self) -> bool {
        self.groups.contains(&ADMINS_GROUP)
    }

    /// Does an ACL entry for `p` apply to this identity (directly or through a group)?
    pub fn is_covered_by(&self, p: &Principal) -> bool {
        match p {
            Principal::User(u) => {
                self.kind == IdentityKind::User && u.eq_ignore_ascii_case(self.name)
            }
            Principal::ServicePrincipal(s) => {
                self.kind == IdentityKind::ServicePrincipal && s.eq_ignore_ascii_case(self.name)
            }
            Principal::Group(g) => self.groups.iter().any(|mine| mine == g),
        }
    }
}

/// Display name of a principal as the Permissions API shows it (users and SPs only).
pub fn display_name_of(p: &Principal) -> Option<String> {
    match p {
        Principal::Group(_) => None,
        Principal::User(email) => {
            if let Some(i) = IDENTITIES
                .iter()
                .find(|i| i.name.eq_ignore_ascii_case(email))
            {
                return Some(i.display_name.to_string());
            }
            if let Some((_, d)) = OTHER_PEOPLE
                .iter()
                .find(|(e, _)| e.eq_ignore_ascii_case(email))
            {
                return Some((*d).to_string());
            }
            Some(name_from_email(email))
        }
        Principal::ServicePrincipal(id) => IDENTITIES
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(id))
            .map(|i| i.display_name.to_string())
            .or_else(|| Some(id.clone())),
    }
}

/// "gina.rossi@contoso.com" → "Gina Rossi".
fn name_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    local
        .split(['.', '_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Does `name` look like a service principal application id (a UUID)?
pub fn looks_like_application_id(name: &str) -> bool {
    uuid::Uuid::parse_str(name).is_ok()
}

/// The principal a creator string names: a UUID is a service principal, anything else a user.
pub fn principal_of_creator(creator: &str) -> Principal {
    if looks_like_application_id(creator) {
        Principal::ServicePrincipal(creator.to_string())
    } else {
        Principal::User(creator.to_string())
    }
}

/// The token of an `Authorization: Bearer <token>` header value.
pub fn bearer(header: &str) -> Option<&str> {
    header
        .trim()
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
}

/// The authenticated caller of a request (extractor).
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub &'static Identity);

impl Caller {
    /// Resolve the caller from an `Authorization` header value.
    pub fn resolve(header: Option<&str>, strict_auth: bool) -> Result<Caller, ApiError> {
        match header {
            None if strict_auth => Err(ApiError::unauthenticated()),
            None => Ok(Caller(Identity::admin())),
            Some(h) => {
                let token = bearer(h).ok_or_else(ApiError::unauthenticated)?;
                Identity::by_token(token)
                    .map(Caller)
                    .ok_or_else(ApiError::unauthenticated)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_resolve() {
        assert_eq!(
            Caller::resolve(None, false).map(|c| c.0.name).ok(),
            Some("admin@example.com")
        );
        assert!(Caller::resolve(None, true).is_err());
        let c = Caller::resolve(Some("Bearer dapi-emulator-view"), true).ok();
        assert_eq!(c.map(|c| c.0.name), Some("vera.view@contoso.com"));
        assert!(Caller::resolve(Some("Bearer nope"), false).is_err());
        assert!(Caller::resolve(Some("dapi-emulator-admin"), false).is_err());
    }

    #[test]
    fn display_names() {
        assert_eq!(
            display_name_of(&Principal::User("gina.rossi@contoso.com".into())).as_deref(),
            Some("Gina Rossi")
        );
        assert_eq!(
            display_name_of(&Principal::User("zoe.q-smith@x.org".into())).as_deref(),
            Some("Zoe Q Smith")
        );
        assert_eq!(
            display_name_of(&Principal::ServicePrincipal(SP_APPLICATION_ID.into())).as_deref(),
            Some("sp-fraud-gateway")
        );
        assert_eq!(display_name_of(&Principal::Group("admins".into())), None);
    }

    #[test]
    fn coverage_by_group_and_name() {
        let q = Identity::by_token(QUERY_TOKEN)
            .map(|i| i.is_covered_by(&Principal::Group("risk-analysts".into())));
        assert_eq!(q, Some(true));
        let sp = Identity::by_token(SP_TOKEN);
        assert_eq!(
            sp.map(|i| i.is_covered_by(&Principal::User(SP_APPLICATION_ID.into()))),
            Some(false)
        );
    }
}
