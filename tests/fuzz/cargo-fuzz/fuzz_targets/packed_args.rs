//! `logkit_core::fuzz::packed_args` under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logkit_core::fuzz::packed_args(data));
