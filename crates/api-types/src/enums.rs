//! Open enums: known values as variants, anything else kept verbatim in `Unknown`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version does not know; shown as is, never a failure.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The wire text.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Unknown(s) => s.as_str(),
                }
            }

            /// Parse wire text; unknown text becomes `Unknown`.
            pub fn parse(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)*
                    other => $name::Unknown(other.to_string()),
                }
            }

            /// Is this a value this version does not know?
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                Ok($name::parse(&s))
            }
        }
    };
}

open_enum! {
    /// `state.ready` (§4.1).
    ReadyState { Ready = "READY", NotReady = "NOT_READY" }
}

open_enum! {
    /// `state.config_update` (§4.2).
    ConfigUpdateState {
        NotUpdating = "NOT_UPDATING",
        InProgress = "IN_PROGRESS",
        UpdateFailed = "UPDATE_FAILED",
        UpdateCanceled = "UPDATE_CANCELED",
    }
}

open_enum! {
    /// `served_entities[].state.deployment` (§4.3).
    DeploymentState {
        Creating = "DEPLOYMENT_CREATING",
        Recovering = "DEPLOYMENT_RECOVERING",
        Ready = "DEPLOYMENT_READY",
        Failed = "DEPLOYMENT_FAILED",
        Aborted = "DEPLOYMENT_ABORTED",
        Stopped = "DEPLOYMENT_STOPPED",
        DeploymentUnknown = "DEPLOYMENT_UNKNOWN",
    }
}

open_enum! {
    /// Serving-endpoint permission levels (§4.6).
    PermissionLevel { CanManage = "CAN_MANAGE", CanQuery = "CAN_QUERY", CanView = "CAN_VIEW" }
}

impl PermissionLevel {
    /// Rank for comparisons: manage > query > view > unknown.
    pub fn rank(&self) -> u8 {
        match self {
            PermissionLevel::CanManage => 3,
            PermissionLevel::CanQuery => 2,
            PermissionLevel::CanView => 1,
            PermissionLevel::Unknown(_) => 0,
        }
    }

    /// Databricks UI wording ("Can Manage").
    pub fn label(&self) -> &str {
        match self {
            PermissionLevel::CanManage => "Can Manage",
            PermissionLevel::CanQuery => "Can Query",
            PermissionLevel::CanView => "Can View",
            PermissionLevel::Unknown(s) => s.as_str(),
        }
    }
}

open_enum! {
    /// `workload_type` (§4.4).
    WorkloadType {
        Cpu = "CPU",
        CpuMedium = "CPU_MEDIUM",
        CpuLarge = "CPU_LARGE",
        GpuSmall = "GPU_SMALL",
        GpuMedium = "GPU_MEDIUM",
        GpuLarge = "GPU_LARGE",
        GpuXlarge = "GPU_XLARGE",
        GpuXlarge8 = "GPU_XLARGE_8",
        MultigpuMedium = "MULTIGPU_MEDIUM",
    }
}

open_enum! {
    /// Served-entity `type` (OBSERVED, §3.10); absent for plain custom models.
    EntityType {
        FoundationModel = "FOUNDATION_MODEL",
        ExternalModel = "EXTERNAL_MODEL",
        FeatureSpec = "FEATURE_SPEC",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_round_trip() {
        let v: ConfigUpdateState = serde_json::from_str("\"PAUSED_FOR_MAINTENANCE\"").unwrap();
        assert_eq!(
            v,
            ConfigUpdateState::Unknown("PAUSED_FOR_MAINTENANCE".into())
        );
        assert!(v.is_unknown());
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            "\"PAUSED_FOR_MAINTENANCE\""
        );
        let k: DeploymentState = serde_json::from_str("\"DEPLOYMENT_STOPPED\"").unwrap();
        assert_eq!(k, DeploymentState::Stopped);
    }

    #[test]
    fn non_string_enum_is_a_decode_error_not_a_panic() {
        assert!(serde_json::from_str::<ReadyState>("42").is_err());
    }

    #[test]
    fn permission_rank_orders_levels() {
        assert!(PermissionLevel::CanManage.rank() > PermissionLevel::CanQuery.rank());
        assert!(PermissionLevel::CanQuery.rank() > PermissionLevel::CanView.rank());
        assert_eq!(PermissionLevel::Unknown("X".into()).rank(), 0);
    }
}
