struct Point {
    x: i32,
}

fn main() {
    let p = Point { x: 1 };
    logkit::info!("at %s", p);
    let _ = p.x;
}
