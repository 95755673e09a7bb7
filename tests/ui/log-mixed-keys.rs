fn main() {
    logkit::info!("%s logged in as %(role)s", "bob", role = "admin");
}
