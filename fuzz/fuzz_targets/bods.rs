//! Fuzz target: arbitrary bytes as a BODS registry input. See vrisk_fuzz::bods.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| vrisk_fuzz::bods(data));
