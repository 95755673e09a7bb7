fn main() {
    logkit::info!();
}
