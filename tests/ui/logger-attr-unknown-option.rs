#[logkit::attr::logger(level = "info")]
fn handler() {}

fn main() {}
