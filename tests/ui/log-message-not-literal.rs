fn main() {
    let msg = "hello";
    logkit::info!(msg);
}
