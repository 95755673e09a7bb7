fn main() {
    logkit::exception!(5, "five is not an error");
}
