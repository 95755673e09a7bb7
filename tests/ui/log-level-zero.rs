fn main() {
    logkit::log!(0, "never emitted");
}
