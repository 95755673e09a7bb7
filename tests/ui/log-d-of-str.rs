fn main() {
    logkit::info!("took %d ms", "fast");
}
