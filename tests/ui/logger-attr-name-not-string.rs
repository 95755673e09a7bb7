#[logkit::logger(name = 5)]
fn handler() {}

fn main() {}
