fn main() {
    logkit::info!("load %.2f", "high");
}
