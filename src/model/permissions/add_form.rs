//! The add form: the kinds of principal, the levels offered, and the validation of a new grant.

use super::acl::{highest, key};
use super::draft::Draft;
use api_types::{PermissionLevel, PermissionLevelsResponse, Principal};

/// The kind of principal, for the add form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A user, named by e-mail.
    User,
    /// A group, named by its display name.
    Group,
    /// A service principal, named by its application id (a UUID).
    ServicePrincipal,
}

impl Kind {
    /// Every kind, in form order.
    pub const ALL: [Kind; 3] = [Kind::User, Kind::Group, Kind::ServicePrincipal];

    /// "User", "Group", "Service principal".
    pub fn label(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Group => "Group",
            Kind::ServicePrincipal => "Service principal",
        }
    }

    /// Form value.
    pub fn value(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::ServicePrincipal => "service-principal",
        }
    }

    /// From a form value.
    pub fn from_value(v: &str) -> Kind {
        match v {
            "group" => Kind::Group,
            "service-principal" => Kind::ServicePrincipal,
            _ => Kind::User,
        }
    }

    /// Label of the name field.
    pub fn name_label(self) -> &'static str {
        match self {
            Kind::User => "E-mail",
            Kind::Group => "Group name",
            Kind::ServicePrincipal => "Application ID",
        }
    }

    /// The kind of a principal.
    pub fn of(p: &Principal) -> Kind {
        match p {
            Principal::User(_) => Kind::User,
            Principal::Group(_) => Kind::Group,
            Principal::ServicePrincipal(_) => Kind::ServicePrincipal,
        }
    }

    fn principal(self, name: String) -> Principal {
        match self {
            Kind::User => Principal::User(name),
            Kind::Group => Principal::Group(name),
            Kind::ServicePrincipal => Principal::ServicePrincipal(name),
        }
    }
}

/// Why a principal cannot be added.
#[derive(Debug, Clone, PartialEq)]
pub enum AddError {
    /// No name.
    Empty,
    /// A user must be named by e-mail.
    NotEmail,
    /// A service principal must be named by its application id.
    NotUuid,
    /// Already has a direct grant (at this level).
    Duplicate(PermissionLevel),
    /// The `admins` group always keeps Can Manage.
    AdminsBelowManage,
    /// No level chosen.
    NoLevel,
}

impl AddError {
    /// The message shown beside the field.
    pub fn message(&self) -> String {
        match self {
            AddError::Empty => "Enter a name.".into(),
            AddError::NotEmail => "Enter the user's e-mail address, like name@example.com.".into(),
            AddError::NotUuid => "Enter the service principal's application ID, a UUID like \
                                  6d1f0a3e-9c2b-4e8d-a7f5-3b2c1d0e9f8a."
                .into(),
            AddError::Duplicate(l) => format!(
                "Already has a direct grant ({}); change its level in the table instead.",
                l.label()
            ),
            AddError::AdminsBelowManage => {
                "The admins group always has Can Manage; it cannot be given less.".into()
            }
            AddError::NoLevel => "Choose a permission level.".into(),
        }
    }

    /// Does the message belong beside the level field (not the name field)?
    pub fn is_about_level(&self) -> bool {
        matches!(self, AddError::AdminsBelowManage | AddError::NoLevel)
    }
}

/// Is `s` shaped like an e-mail address (`local@domain.tld`, no spaces)?
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && !local.contains('@')
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[],;:\"\\".contains(c))
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Is `s` a UUID (`8-4-4-4-12` hex digits)?
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Check the add form: the principal to add (name trimmed), or what is wrong.
pub fn validate_new(
    kind: Kind,
    name: &str,
    level: Option<&PermissionLevel>,
    draft: &Draft,
) -> Result<(Principal, PermissionLevel), AddError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AddError::Empty);
    }
    match kind {
        Kind::User if !is_email(name) => return Err(AddError::NotEmail),
        Kind::ServicePrincipal if !is_uuid(name) => return Err(AddError::NotUuid),
        _ => {}
    }
    let principal = kind.principal(name.to_string());
    if let Some(l) = highest(&draft.intended(&key(&principal))) {
        return Err(AddError::Duplicate(l.clone()));
    }
    let level = level.cloned().ok_or(AddError::NoLevel)?;
    if kind == Kind::Group && name == "admins" && level != PermissionLevel::CanManage {
        return Err(AddError::AdminsBelowManage);
    }
    Ok((principal, level))
}

/// The levels offered: those `permissionLevels` lists, else the three serving-endpoint levels.
pub fn offered_levels(r: Option<&PermissionLevelsResponse>) -> Vec<(PermissionLevel, String)> {
    let listed: Vec<(PermissionLevel, String)> = r
        .map(|r| {
            r.permission_levels
                .iter()
                .filter_map(|d| {
                    let l = d.permission_level.clone()?;
                    let desc = d.description.clone().unwrap_or_default();
                    Some((l, desc))
                })
                .collect()
        })
        .unwrap_or_default();
    if listed.is_empty() {
        vec![
            (PermissionLevel::CanManage, String::new()),
            (PermissionLevel::CanQuery, String::new()),
            (PermissionLevel::CanView, String::new()),
        ]
    } else {
        listed
    }
}

/// Parse a level from a form value (the wire string).
pub fn level_from_value(v: &str) -> Option<PermissionLevel> {
    if v.is_empty() {
        return None;
    }
    serde_json::from_value(serde_json::Value::String(v.to_string())).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::model::permissions::test_support::*;

    #[test]
    fn add_form_validation() {
        let d = Draft::new(clean_fixture());
        let v = |k, n: &str, l: Option<PermissionLevel>| validate_new(k, n, l.as_ref(), &d);
        assert_eq!(v(Kind::User, "  ", Some(Q)), Err(AddError::Empty));
        for bad in [
            "zoe",
            "zoe@",
            "@x.org",
            "zoe@x",
            "zo e@x.org",
            "a@b@c.org",
            "z@x..org",
            "z@-x.org",
        ] {
            assert_eq!(
                v(Kind::User, bad, Some(Q)),
                Err(AddError::NotEmail),
                "{bad}"
            );
        }
        assert_eq!(
            v(Kind::User, " zoe.q@x.org ", Some(Q)),
            Ok((user("zoe.q@x.org"), Q))
        );
        assert_eq!(
            v(Kind::ServicePrincipal, "robot", Some(Q)),
            Err(AddError::NotUuid)
        );
        assert_eq!(
            v(
                Kind::ServicePrincipal,
                "6D1F0A3E-9C2B-4E8D-A7F5-3B2C1D0E9F8A",
                Some(V)
            ),
            Err(AddError::Duplicate(Q)),
            "same SP in other case"
        );
        assert_eq!(
            v(Kind::User, "ALICE.CHEN@contoso.com", Some(V)),
            Err(AddError::Duplicate(M))
        );
        // Inherited-only principals can get a direct grant.
        assert_eq!(v(Kind::Group, "admins", Some(M)), Ok((group("admins"), M)));
        assert_eq!(
            v(Kind::Group, "admins", Some(V)),
            Err(AddError::AdminsBelowManage)
        );
        assert_eq!(v(Kind::Group, "ds", None), Err(AddError::NoLevel));
        // A principal pending removal can be added again.
        let mut d2 = Draft::new(clean_fixture());
        d2.remove(&group("risk-analysts"));
        assert!(validate_new(Kind::Group, "risk-analysts", Some(&V), &d2).is_ok());
        assert!(AddError::NotUuid.message().contains("application ID"));
    }

    #[test]
    fn levels_offered_and_parsed() {
        let r: PermissionLevelsResponse = serde_json::from_str(
            r#"{"permission_levels":[{"permission_level":"CAN_MANAGE","description":"d"},{"permission_level":"CAN_VIEW"}]}"#,
        )
        .unwrap();
        let o = offered_levels(Some(&r));
        assert_eq!(o.len(), 2);
        assert_eq!(o[0], (M, "d".to_string()));
        assert_eq!(offered_levels(None).len(), 3);
        assert_eq!(level_from_value("CAN_QUERY"), Some(Q));
        assert_eq!(level_from_value(""), None);
    }
}
