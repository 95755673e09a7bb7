fn main() {
    logkit::info!("%*d", "wide", 5);
}
