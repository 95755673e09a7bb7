//! Configuring logging from dictConfig files: `examples/logging.json` (a coloured console,
//! a dependency's logger quietened) and `examples/logging.toml` (JSON lines), each installed
//! whole with one call, the second replacing the first.
//!
//! ```text
//! cargo run --example dictconfig
//! ```

use logkit::config::dict_config_file;
use logkit::{get_logger, info, warning};

/// Stands in for a dependency that logs through the `log` facade.
mod hyper_like {
    pub(crate) fn connect() {
        log::info!(target: "hyper::client", "connecting"); // below `hyper`'s WARNING
        log::warn!(target: "hyper::client", "connection reset");
    }
}

fn main() -> Result<(), logkit::Error> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let shop = get_logger("shop");

    // JSON: the schema of Python's `logging.config.dictConfig`, colorlog's formatter
    // included. The colours show on a terminal only.
    dict_config_file(format!("{dir}/logging.json"))?;
    info!(shop, "order %d shipped", 1);
    warning!(shop, "stock low: %s", "umbrellas");
    hyper_like::connect();

    // TOML: the same schema; a JSON line per record, the call's fields included.
    dict_config_file(format!("{dir}/logging.toml"))?;
    info!(shop, "order %d shipped", 2; carrier = "post");
    hyper_like::connect();
    Ok(())
}
