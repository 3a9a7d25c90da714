//! Pelacak: a sales-tracking analytics engine. CRM and spreadsheet exports
//! go in as bytes, a report with every sales KPI comes out, natively or in
//! the browser through WebAssembly.
//!
//! ```
//! use pelacak::{Query, Workbook};
//!
//! let mut wb = Workbook::new();
//! wb.add_file(
//!     "deals.csv",
//!     b"id,owner,stage,amount,created_date,close_date\n\
//!       1,Ayu,Closed Won,1000,2024-01-02,2024-01-20\n\
//!       2,Budi,Closed Lost,500,2024-01-05,2024-02-01\n\
//!       3,Ayu,Closed Won,3000,2024-01-10,2024-02-10\n",
//!     None,
//! )?;
//! let report = wb.report(&Query::default())?;
//! assert_eq!(report.summary.revenue, 4000.0);
//! assert_eq!(report.summary.win_rate, Some(2.0 / 3.0));
//! assert_eq!(report.series.len(), 2); // 2024-01 and 2024-02
//! # Ok::<(), pelacak::Error>(())
//! ```
//!
//! The pieces, in the order data flows: [`ingest`] (bytes to raw records),
//! [`schema`] (which table, which columns), [`tables`] (typed rows and data
//! quality), [`metrics`] (one family per module), [`report`] (the output).
#![deny(missing_docs)]

pub mod error;
pub mod ingest;
pub mod metrics;
pub mod period;
pub mod quality;
pub mod query;
pub mod report;
pub mod rows_order;
pub mod sample;
pub mod schema;
pub mod tables;
pub mod workbook;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorKind, Result};
pub use query::{Filters, Query};
pub use report::Report;
pub use schema::Kind;
pub use workbook::{FileReader, Workbook};
