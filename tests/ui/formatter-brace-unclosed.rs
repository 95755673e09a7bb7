fn main() {
    let _f = logkit::formatter!("{message", style = '{');
}
