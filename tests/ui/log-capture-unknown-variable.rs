fn main() {
    logkit::info!("user %(user)s logged in");
}
