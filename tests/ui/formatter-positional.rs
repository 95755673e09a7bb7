fn main() {
    let _f = logkit::formatter!("%s %(message)s");
}
