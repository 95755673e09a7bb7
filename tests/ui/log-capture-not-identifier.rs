fn main() {
    logkit::info!("user %(user name)s logged in");
}
