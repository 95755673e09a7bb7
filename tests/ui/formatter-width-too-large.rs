fn main() {
    let _f = logkit::formatter!("%(asctime)s %(message)9999999999s");
}
