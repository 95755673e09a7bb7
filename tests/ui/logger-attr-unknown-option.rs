#[logkit::logger(level = "info")]
fn handler() {}

fn main() {}
