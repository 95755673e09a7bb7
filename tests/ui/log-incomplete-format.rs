fn main() {
    logkit::info!("progress %d%", 50);
}
