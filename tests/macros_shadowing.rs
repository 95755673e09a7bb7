//! The macros keep working when the caller shadows what their expansion might name:
//! std macros, prelude types, and logkit's own type names.

#![allow(unused_macros, dead_code, non_camel_case_types)]

macro_rules! format_args {
    ($($t:tt)*) => {
        compile_error!("the user's format_args! was used")
    };
}
macro_rules! file {
    () => {
        compile_error!("the user's file! was used")
    };
}
macro_rules! line {
    () => {
        compile_error!("the user's line! was used")
    };
}
macro_rules! module_path {
    () => {
        compile_error!("the user's module_path! was used")
    };
}
macro_rules! concat {
    ($($t:tt)*) => {
        compile_error!("the user's concat! was used")
    };
}

struct Option;
struct Some;
struct None;
struct Result;
struct Ok;
struct String;
struct Level;
struct Logger;
struct Message;
struct Value;
struct Record;
struct Location;
struct Backtrace;
struct LazyLogger;
type __lk_level = ();

#[test]
fn macros_ignore_shadowed_names() {
    let __lk_logger = 5;
    let __lk_arg0 = "not the argument";
    let x = 1;
    logkit::info!("x=%(x)d y=%(y)s", x = x, y = __lk_logger);
    logkit::warning!("%s %d", "a", x);
    logkit::debug!(logkit::get_logger("shadow"), "%r", __lk_arg0);
    logkit::log!(info, "plain");
    logkit::exception!(std::io::Error::other("e"), "failed %s", "now"; field = 1);
    let _f = logkit::formatter!("%(asctime)s %(levelname)-8s %(message)s");
}
