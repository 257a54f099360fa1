//! Wire types of Gerbang: the bodies that cross the network. The compatible
//! Dukcapil web service (WIRE.md) joins here with the access plane, beside
//! its face recognition service (`face_recognition`); `v1` is Gerbang's own
//! versioned JSON API.

pub mod compat;
pub mod face_recognition;
pub mod v1;
