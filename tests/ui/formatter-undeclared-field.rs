fn main() {
    let _f = logkit::formatter!("%(user)s: %(message)s");
}
