//! The PostgreSQL backend of the Gerbang storage trait (being written).
