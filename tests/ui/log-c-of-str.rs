fn main() {
    logkit::info!("initial %c", "ab");
}
