//! A stand-in for a networking dependency such as hyper or h2: it logs through the `log`
//! facade (module `conn`) and through `tracing` (module `codec`), with the targets, levels,
//! key-values, fields and spans such crates use, and knows nothing of logkit.

/// Connections, logged through the `log` facade (target `wire::conn`).
pub mod conn {
    /// Opens a connection: one record at each `log` level, the INFO one with key-values.
    pub fn open(peer: &str, attempt: u32) {
        log::trace!("resolving {peer}");
        log::debug!("connecting to {peer}");
        log::info!(peer, attempt, secure = true; "connected to {}", peer);
        log::warn!("connection to {peer} is slow");
        log::error!("connection to {peer} lost");
    }

    /// A record whose key names a record attribute.
    pub fn with_clashing_key() {
        log::warn!(name = "clash"; "a key named like a record attribute");
    }

    /// One DEBUG record (for benchmarks and level tests).
    #[inline]
    pub fn chatter(n: u64) {
        log::debug!("chatter {n}");
    }

    /// One INFO record with a formatted message (for benchmarks).
    #[inline]
    pub fn request(path: &str, ms: u64) {
        log::info!("request {path} took {ms} ms");
    }
}

/// Frames, logged through `tracing` (target `wire::codec`), inside spans.
pub mod codec {
    /// Sends a frame inside a `connection` span (INFO) and a `frame` span (DEBUG): one event
    /// at each level, with fields.
    #[tracing::instrument(level = "info", name = "connection", skip_all, fields(peer = %peer, stream = stream))]
    pub fn send(peer: &str, stream: u64, bytes: usize) {
        let frame = tracing::debug_span!("frame", kind = "data");
        let _in_frame = frame.enter();
        tracing::trace!(bytes, "encoding frame");
        tracing::debug!(bytes, "frame encoded");
        tracing::info!(bytes, flags = 0x1_u8, "frame sent");
        tracing::warn!(bytes, limit = 512_u64, "frame larger than the limit");
        tracing::error!(error = %std::io::Error::other("broken pipe"), "frame lost");
    }

    /// An event with no message, only fields.
    pub fn only_fields() {
        tracing::warn!(window = 0_i64, "");
    }

    /// An event whose field names a record attribute.
    pub fn with_clashing_field() {
        tracing::warn!(name = "clash", "a field named like a record attribute");
    }

    /// One DEBUG event (for benchmarks and level tests).
    #[inline]
    pub fn chatter(n: u64) {
        tracing::debug!("chatter {n}");
    }

    /// One INFO event with a formatted message (for benchmarks).
    #[inline]
    pub fn request(path: &str, ms: u64) {
        tracing::info!("request {path} took {ms} ms");
    }
}
