//! See `tests/moto.rs`.
