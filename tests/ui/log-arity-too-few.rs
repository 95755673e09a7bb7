fn main() {
    let path = "/api";
    logkit::info!("request %s took %d ms", path);
}
