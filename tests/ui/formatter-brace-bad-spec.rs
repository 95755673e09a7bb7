fn main() {
    let _f = logkit::formatter!("{created:.2ff}", style = '{');
}
