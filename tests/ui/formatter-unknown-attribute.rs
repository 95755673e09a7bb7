fn main() {
    let _f = logkit::formatter!("%(asctme)s - %(message)s");
}
