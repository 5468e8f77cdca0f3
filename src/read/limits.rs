//! Bounds on what one input may cost. Every limit has its own diagnostic when exceeded.

/// What one file may cost to read. Defaults fit a county's returns with a wide margin.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file read at all.
    pub max_file_bytes: u64,
    /// Largest inflated size of one zip entry (.xlsx/.ods are zip containers).
    pub max_entry_bytes: u64,
    /// Largest inflated size of all zip entries together.
    pub max_inflated_bytes: u64,
    /// Largest inflated/compressed ratio of an entry bigger than 1 MiB.
    pub max_ratio: u64,
    /// Most non-empty cells kept from one sheet.
    pub max_cells: usize,
    /// Most rows scanned below the last row of a table before the rest is summarised.
    pub max_rows_after_table: u32,
}

pub const MB: u64 = 1024 * 1024;

impl Limits {
    /// The documented defaults (the command line's `--max-*` options start from these).
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 50 * MB,
        max_entry_bytes: 200 * MB,
        max_inflated_bytes: 400 * MB,
        max_ratio: 200,
        max_cells: 1_000_000,
        max_rows_after_table: 10_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
