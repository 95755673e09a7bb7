struct Secret;

fn main() {
    logkit::info!("secret %r", Secret);
}
