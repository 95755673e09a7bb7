fn main() {
    logkit::log!(notset, "inherit?");
}
