fn main() {
    logkit::info!("took %q ms", 42);
}
