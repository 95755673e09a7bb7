fn main() {
    logkit::info!("mask %x", 1.5);
}
