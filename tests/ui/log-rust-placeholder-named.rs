fn main() {
    let x = 1;
    logkit::info!("x = {x}");
}
