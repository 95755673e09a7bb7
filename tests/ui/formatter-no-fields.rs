fn main() {
    let _f = logkit::formatter!("plain text, no field");
    let _ok = logkit::formatter!("plain text, no field", validate = false);
}
