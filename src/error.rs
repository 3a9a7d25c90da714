//! One error type for everything that stops a file from being read at all.
//!
//! Problems with single rows or values are not errors: they are data-quality
//! issues (see [`crate::quality`]) so one bad row never hides the rest.

use std::fmt;

/// What went wrong, without the location (that lives in [`Error`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file has no bytes.
    Empty,
    /// The bytes are not text nor a spreadsheet this engine reads.
    Binary(String),
    /// The spreadsheet container could not be opened.
    Spreadsheet(String),
    /// The file has a header but no data rows.
    NoRows,
    /// The headers match no known table kind.
    UnknownKind {
        /// The headers the file has, to show the user what was seen.
        headers: Vec<String>,
    },
    /// A table kind named by the caller does not exist.
    BadKind(String),
    /// A column override names a column that does not exist.
    BadMapping(String),
    /// A query field has an invalid value.
    BadQuery(String),
    /// Large files typed while streaming whose kind or mapping changed:
    /// they must be streamed again before the next report.
    Reread(Vec<String>),
    /// The caller used the API out of order (for example pushing after finish).
    Usage(String),
}

/// An error with the file, line and column it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The file name as the caller gave it.
    pub file: Option<String>,
    /// 1-based physical line, when known.
    pub line: Option<u64>,
    /// The column header, when known.
    pub column: Option<String>,
}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error of `kind` with no location yet.
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            kind,
            file: None,
            line: None,
            column: None,
        }
    }

    /// Attach the file name.
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self
    }

    /// Attach the line number.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(line) = self.line {
                write!(f, ", line {line}")?;
            }
            if let Some(col) = &self.column {
                write!(f, ", column {col:?}")?;
            }
            write!(f, ": ")?;
        }
        match &self.kind {
            ErrorKind::Empty => write!(f, "the file is empty"),
            ErrorKind::Binary(what) => write!(f, "not a text or .xlsx file ({what})"),
            ErrorKind::Spreadsheet(msg) => write!(f, "cannot open the spreadsheet: {msg}"),
            ErrorKind::NoRows => write!(f, "the file has a header but no data rows"),
            ErrorKind::UnknownKind { headers } => write!(
                f,
                "cannot tell which table this is from its headers ({}); name the kind, e.g. deals=FILE",
                headers.join(", ")
            ),
            ErrorKind::BadKind(k) => write!(
                f,
                "unknown table kind {k:?} (expected deals, stage_history, activities, leads, quotas, reps, products or fx_rates)"
            ),
            ErrorKind::BadMapping(msg) => write!(f, "{msg}"),
            ErrorKind::BadQuery(msg) => write!(f, "invalid query: {msg}"),
            ErrorKind::Reread(names) => write!(
                f,
                "{} must be read again before the next report: a large file's kind or mapping changed and its text is not kept (stream it again with beginFile)",
                names.join(", ")
            ),
            ErrorKind::Usage(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {}
