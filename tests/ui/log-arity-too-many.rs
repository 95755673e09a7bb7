fn main() {
    logkit::info!("request %s", "/api", 42);
}
