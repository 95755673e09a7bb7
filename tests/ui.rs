//! Compile errors of the macros: each case in `ui/` must fail to compile with exactly the
//! message in its `.stderr` (regenerate with `TRYBUILD=overwrite` after a toolchain change
//! and review the diff like code).

#[test]
fn compile_errors_point_at_the_call_and_say_what_to_write() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
