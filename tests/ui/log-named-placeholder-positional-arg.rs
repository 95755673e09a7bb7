fn main() {
    logkit::info!("user %(user)s", "bob");
}
