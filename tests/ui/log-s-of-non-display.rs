fn main() {
    let ids = vec![1, 2, 3];
    logkit::info!("ids %s", ids);
}
