fn main() {
    let t = "%(message)s";
    let _f = logkit::formatter!(t);
}
