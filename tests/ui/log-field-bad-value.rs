fn main() {
    logkit::info!("login"; ids = vec![1, 2]);
}
