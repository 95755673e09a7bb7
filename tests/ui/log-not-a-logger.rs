fn main() {
    logkit::info!(5, "five is not a logger");
}
