//! Alias grouping: placeholder, filled in below.
