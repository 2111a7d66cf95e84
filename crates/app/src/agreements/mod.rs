//! Agreements beyond the public record read by `snapshot`: the comparison of
//! two versions and the municipalities' city bodies.

pub mod city_bodies;
pub mod diff;
