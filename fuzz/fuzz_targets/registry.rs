//! Fuzz target: arbitrary bytes as a registry file. See vrisk_fuzz::registry.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vrisk_fuzz::registry(data));
