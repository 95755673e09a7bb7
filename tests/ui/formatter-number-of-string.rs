fn main() {
    let _f = logkit::formatter!("%(name)d");
}
