fn main() {
    logkit::info!("%s and %s", "a", b = "b");
}
