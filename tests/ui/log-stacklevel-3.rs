#[track_caller]
fn helper() {
    logkit::info!("from a helper"; stacklevel = 3);
}

fn main() {
    helper();
}
