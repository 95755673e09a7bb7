fn main() {
    logkit::info!("login"; "bob");
}
