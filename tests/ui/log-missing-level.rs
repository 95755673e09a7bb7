fn main() {
    logkit::log!("no level");
}
