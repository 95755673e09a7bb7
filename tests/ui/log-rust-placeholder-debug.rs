fn main() {
    let state = vec![1, 2];
    logkit::warn!("state {:?}", state);
}
