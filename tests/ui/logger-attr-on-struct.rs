#[logkit::attr::logger]
struct Cart;

fn main() {}
