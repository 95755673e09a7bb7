#[logkit::logger]
#[path = "support/items.rs"]
mod items;

fn main() {}
