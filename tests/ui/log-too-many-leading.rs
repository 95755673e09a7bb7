fn main() {
    let a = logkit::get_logger("a");
    let b = logkit::get_logger("b");
    logkit::info!(a, b, "two loggers");
}
