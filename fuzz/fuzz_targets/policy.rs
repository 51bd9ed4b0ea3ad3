//! Fuzz target: arbitrary bytes as a policy file. See vrisk_fuzz::policy.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vrisk_fuzz::policy(data));
