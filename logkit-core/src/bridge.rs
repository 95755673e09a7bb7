//! What the `log` and `tracing` bridges share: the logger of a target (`targets`), the
//! names of fields (`fields`), keeping the facades' own level checks in step with the tree,
//! and the bridges the configuration calls install.

#[cfg(any(feature = "log", feature = "tracing"))]
mod fields;
#[cfg(any(feature = "log", feature = "tracing"))]
mod targets;

#[cfg(any(feature = "log", feature = "tracing"))]
pub(crate) use fields::{FieldList, field_name};
#[cfg(any(feature = "log", feature = "tracing"))]
pub(crate) use targets::node_of_target;
#[cfg(feature = "tracing")]
pub(crate) use targets::threshold_of_target;

/// Tells the bridges that a threshold moved (called after the tree's writer lock is
/// released): `log`'s maximum level and `tracing`'s interest in each call site are brought
/// in step with the tree.
pub(crate) fn thresholds_moved() {
    #[cfg(feature = "log")]
    crate::log_bridge::sync_max_level();
    #[cfg(feature = "tracing")]
    crate::tracing_bridge::rebuild_interest();
}

/// Installs the bridges built in, each only where its facade has no logger or subscriber
/// yet (what `basic_config`, `file_config` and `dict_config` do unless told not to).
pub(crate) fn install_defaults() {
    #[cfg(feature = "log")]
    crate::log_bridge::install_if_free();
    #[cfg(feature = "tracing")]
    crate::tracing_bridge::install_if_free();
}
