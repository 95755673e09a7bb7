fn main() {
    let _f = logkit::formatter!("%(message)s", escape = "all");
}
