fn main() {
    logkit::log!(warn, "disk full");
}
