fn main() {
    let _f = logkit::formatter!("%(levelname)*s");
}
