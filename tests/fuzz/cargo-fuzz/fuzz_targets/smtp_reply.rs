//! `logkit_core::fuzz::smtp_reply` under libFuzzer.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logkit_core::fuzz::smtp_reply(data));
