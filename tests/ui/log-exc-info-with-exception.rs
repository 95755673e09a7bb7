fn main() {
    let err = std::io::Error::other("disk full");
    logkit::exception!(err, "write failed"; exc_info = err);
}
