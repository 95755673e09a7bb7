fn main() {
    logkit::info!("user %(user)s", user = "bob", role = "admin");
}
