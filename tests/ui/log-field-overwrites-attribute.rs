fn main() {
    logkit::info!("login"; name = "bob");
}
