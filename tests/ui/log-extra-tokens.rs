fn main() {
    logkit::info!("one" "two");
}
