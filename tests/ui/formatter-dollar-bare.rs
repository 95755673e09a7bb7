fn main() {
    let _f = logkit::formatter!("cost: $5 $message", style = '$');
}
