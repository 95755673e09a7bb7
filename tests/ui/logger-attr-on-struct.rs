#[logkit::logger]
struct Cart;

fn main() {}
