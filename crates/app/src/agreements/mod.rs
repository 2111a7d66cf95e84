//! Agreements beyond the public record read by `snapshot`: writing them and
//! their life cycle, their public history, the comparison of two versions,
//! the municipalities and regions, and their city bodies.

pub mod body_import;
pub mod city_bodies;
pub mod diff;
pub mod history;
pub mod life_cycle;
pub mod municipalities;
pub mod parts;
pub mod translated;
pub mod writing;
