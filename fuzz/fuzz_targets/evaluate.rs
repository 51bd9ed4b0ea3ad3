//! Fuzz target: a random registry and policy built from structured input, evaluated. See
//! vrisk_fuzz::evaluate.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut input = arbitrary::Unstructured::new(data);
    vrisk_fuzz::evaluate(&mut input);
});
