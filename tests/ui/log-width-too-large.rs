fn main() {
    let id = 7;
    logkit::info!("id %070000d", id);
}
