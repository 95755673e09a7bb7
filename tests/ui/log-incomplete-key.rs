fn main() {
    logkit::info!("user %(user", user = "bob");
}
