fn main() {
    logkit::info!("user %s", user = "bob");
}
