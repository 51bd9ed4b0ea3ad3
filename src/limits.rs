//! Safety limits on input size and shape; each one is documented in the README and can be raised
//! from the command line.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of YAML collections.
    pub max_depth: usize,
    /// Most YAML nodes (scalars and collections) in one file.
    pub max_nodes: usize,
    /// Most alias (`*name`) uses in one file.
    pub max_aliases: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 512 * 1024 * 1024,
            max_depth: 64,
            max_nodes: 50_000_000,
            max_aliases: 1_000,
        }
    }
}
