fn main() {
    logkit::info!("took {} ms", 5);
}
