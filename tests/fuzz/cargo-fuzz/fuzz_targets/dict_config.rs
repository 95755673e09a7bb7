//! `logkit_core::fuzz::dict_config` under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logkit_core::fuzz::dict_config(data));
