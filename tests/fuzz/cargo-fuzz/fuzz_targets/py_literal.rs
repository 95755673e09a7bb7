//! `logkit_core::fuzz::py_literal` under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logkit_core::fuzz::py_literal(data));
