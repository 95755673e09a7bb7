fn main() {
    logkit::log!(trace, "entering");
}
