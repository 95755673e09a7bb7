fn main() {
    logkit::exception!("something failed");
}
