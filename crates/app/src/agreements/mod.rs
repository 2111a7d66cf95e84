//! Agreements beyond the public record read by `snapshot`: the comparison of
//! two versions, the municipalities and regions, and their city bodies.

pub mod city_bodies;
pub mod diff;
pub mod municipalities;
