fn main() {
    logkit::info!("login"; message = "hi");
}
