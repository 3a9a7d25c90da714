//! The engine's entry point: a set of files and the report over them.
//! The CLI, the WebAssembly API and the page all go through [`Workbook`].

use crate::error::{Error, ErrorKind, Result};
use crate::ingest::csv::TextParser;
#[cfg(feature = "xlsx")]
use crate::ingest::xlsx::read_xlsx_windows;
use crate::ingest::RawTable;
use crate::ingest::{SheetProgress, Sheets};
use crate::metrics::kept::KeptFacts;
use crate::metrics::pipeline::PipelineInputs;
use crate::metrics::{
    self, activities, deals, funnel, leads, pipeline, quota, stages, territory, Context,
    DatasetFacts, Scope,
};
use crate::quality::TableQuality;
use crate::query::Query;
use crate::report::*;
use crate::schema::Kind;
use crate::tables::build::{add_table, Decisions, TableInput};
use crate::tables::stream::{
    reject_all, window_parser, StreamTyper, Streamed, LATER_WINDOW_BYTES, WINDOW_BYTES,
};
use crate::tables::{Dataset, Moved};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Without the spreadsheet reader (the page's first module), a workbook is
/// refused with words the page recognises to load the full module.
#[cfg(not(feature = "xlsx"))]
fn read_xlsx_windows(
    _: &[u8],
    _: usize,
    _: usize,
    _: &mut dyn FnMut(RawTable),
    _: SheetProgress<'_>,
) -> Result<Sheets> {
    Err(Error::new(ErrorKind::Spreadsheet(
        "this build reads no spreadsheets (load the module with the xlsx reader)".into(),
    )))
}

/// A file being read chunk by chunk.
pub struct FileReader {
    name: String,
    head: Vec<u8>,
    state: ReaderState,
    kind: Option<Kind>,
    overrides: BTreeMap<String, Option<String>>,
    pinned: Option<Decisions>,
    window: usize,
    /// Text of each later window (see [`LATER_WINDOW_BYTES`]).
    later_window: usize,
    max_rows: usize,
    budget: Option<(usize, usize)>,
    /// Engaged once the text held reaches `window` bytes.
    typer: Option<StreamTyper>,
}

enum ReaderState {
    /// Fewer than four bytes seen: text or zip is not known yet.
    Undecided,
    Text(Box<TextParser>),
    Zip(Vec<u8>),
    /// Fed windows tokenised elsewhere ([`crate::ingest::wire`]): those
    /// cut at the file's end wait here; `spare` is a typed window whose
    /// buffers the next one reuses, `room` where the next window is copied
    /// to be decoded (see [`crate::ingest::wire::decode_in`]).
    Windows {
        finals: Vec<RawTable>,
        spare: Option<RawTable>,
        room: Vec<u8>,
    },
    Failed(Error),
}

/// What a file holds once read.
enum Content {
    /// Its records as text (small files and spreadsheets), typed when the
    /// dataset is built, so mapping changes need no second read.
    Raw(Vec<RawTable>),
    /// A large text table typed while it streamed.
    Typed(Box<Dataset>),
    /// Typed while streaming, then its kind or mapping changed (or its
    /// values called for other decisions): it must be streamed again.
    Reread(Option<Decisions>),
}

impl FileReader {
    /// Starts reading a file called `name`.
    pub fn new(name: &str) -> Self {
        FileReader {
            name: name.to_string(),
            head: Vec::new(),
            state: ReaderState::Undecided,
            kind: None,
            overrides: BTreeMap::new(),
            pinned: None,
            window: WINDOW_BYTES,
            later_window: LATER_WINDOW_BYTES,
            max_rows: crate::tables::stream::MAX_ROWS,
            budget: None,
            typer: None,
        }
    }

    /// Feeds the next chunk.
    pub fn push(&mut self, chunk: &[u8]) {
        if let ReaderState::Undecided = self.state {
            self.head.extend_from_slice(chunk);
            if self.head.len() >= 4 {
                let head = std::mem::take(&mut self.head);
                self.decide(head);
                self.type_window();
            }
            return;
        }
        let result = match &mut self.state {
            // A later window's worth at a time, each typed before the next
            // is read: a chunk of several windows (the page's one-worker
            // reads are 4 MiB) queued them all, and at a million deals the
            // text and offsets waiting took 8.6 MB at the end of the file,
            // where the high-water mark of wasm memory is set.
            ReaderState::Text(_) if chunk.len() > self.later_window => {
                for piece in chunk.chunks(self.later_window.max(1)) {
                    if let ReaderState::Text(p) = &mut self.state {
                        if let Err(e) = p.push(piece) {
                            self.state = ReaderState::Failed(e);
                            return;
                        }
                    }
                    self.type_window();
                }
                return;
            }
            ReaderState::Text(p) => p.push(chunk),
            ReaderState::Zip(buf) => {
                buf.extend_from_slice(chunk);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.state = ReaderState::Failed(e);
        }
        self.type_window();
    }

    /// Types the windows of records read so far.
    fn type_window(&mut self) {
        if let ReaderState::Text(p) = &mut self.state {
            let windows = p.take_windows();
            for raw in windows {
                self.typer_mut().window(&raw);
                if let ReaderState::Text(p) = &mut self.state {
                    p.recycle(raw);
                }
            }
        }
    }

    /// Feeds the next window tokenised elsewhere (see [`Workbook::push_window`]),
    /// read into a table by `decode` (from bytes borrowed or kept).
    fn push_window(
        &mut self,
        decode: impl FnOnce(&mut RawTable, &mut Vec<u8>) -> Result<bool>,
    ) -> Result<()> {
        if matches!(self.state, ReaderState::Undecided) && self.head.is_empty() {
            self.state = ReaderState::Windows {
                finals: Vec::new(),
                spare: None,
                room: Vec::new(),
            };
        }
        let (raw, decoded) = match &mut self.state {
            ReaderState::Windows { spare, room, .. } => {
                let mut raw = spare.take().unwrap_or_default();
                let decoded = decode(&mut raw, room);
                (raw, decoded)
            }
            ReaderState::Failed(e) => return Err(e.clone()),
            _ => return Err(mixed_feeds()),
        };
        match decoded {
            Ok(last) => {
                if !last {
                    self.typer_mut().window(&raw);
                }
                let later = self.later_window.min(self.window);
                if let ReaderState::Windows { finals, spare, .. } = &mut self.state {
                    if last {
                        finals.push(raw);
                    } else if crate::ingest::csv::fits_later(&raw, later) {
                        *spare = Some(raw);
                    }
                }
                Ok(())
            }
            Err(e) => {
                self.state = ReaderState::Failed(e.clone());
                Err(e)
            }
        }
    }

    /// The file's content from the tables left when its text ended: kept
    /// as text when it is one table none of whose windows was typed yet.
    fn content_of(&mut self, mut tables: Vec<RawTable>) -> Content {
        if self.typer.is_none() && tables.len() == 1 {
            return Content::Raw(tables);
        }
        for t in &tables {
            self.typer_mut().window(t);
        }
        tables.clear();
        match self.typer.take().map(StreamTyper::finish) {
            Some(Streamed::Typed(ds)) => Content::Typed(ds),
            Some(Streamed::Reread(d)) => Content::Reread(Some(d)),
            None => Content::Raw(tables),
        }
    }

    /// A spreadsheet's content: a workbook of one sheet is typed a window
    /// at a time as its cells are read, as a large text file is, so its
    /// text is never held whole (a sheet of a million deals held 200 MB of
    /// text before it was typed); several sheets are kept as text.
    fn spreadsheet(&mut self, bytes: &[u8], progress: SheetProgress<'_>) -> Result<Content> {
        let (first, later) = (self.window, self.later_window);
        let window = &mut |w| self.typer_mut().window(&w);
        let read = read_xlsx_windows(bytes, first, later, window, progress)?;
        Ok(match read {
            Sheets::Rest(t) => self.content_of(vec![*t]),
            Sheets::Whole(tables) => {
                // Windows typed before the sheet turned out to need a whole read.
                self.typer = None;
                Content::Raw(tables)
            }
        })
    }

    fn typer_mut(&mut self) -> &mut StreamTyper {
        let (name, kind, pinned) = (&self.name, self.kind, &mut self.pinned);
        let (overrides, max_rows, budget) = (&self.overrides, self.max_rows, self.budget);
        self.typer.get_or_insert_with(|| {
            let mut t = StreamTyper::new(name, kind, overrides.clone(), pinned.take());
            t.set_max_rows(max_rows);
            if let Some((steady, peak)) = budget {
                t.set_budget(steady, peak);
            }
            t
        })
    }

    /// Decides from the first bytes whether the file is a spreadsheet
    /// (kept whole, as a zip is read from its end; the bytes so far are
    /// its start, not copied: a file given in one piece was held twice) or
    /// text (streamed).
    fn decide(&mut self, head: Vec<u8>) {
        if head.starts_with(b"PK\x03\x04") {
            self.state = ReaderState::Zip(head);
        } else {
            let mut p = window_parser(self.window, self.later_window);
            self.state = match p.push(&head) {
                Ok(()) => ReaderState::Text(Box::new(p)),
                Err(e) => ReaderState::Failed(e),
            };
        }
    }

    /// Ends the file: its tables, or the error that stops it being read at
    /// all; a spreadsheet's rows are told to `progress` as they are read.
    fn finish(mut self, progress: SheetProgress<'_>) -> (String, Result<Content>) {
        if let ReaderState::Undecided = self.state {
            let head = std::mem::take(&mut self.head);
            if head.is_empty() {
                let e = Error::new(ErrorKind::Empty).in_file(&self.name);
                return (self.name, Err(e));
            }
            self.decide(head);
        }
        let state = std::mem::replace(&mut self.state, ReaderState::Undecided);
        let res = match state {
            ReaderState::Text(p) => p.finish().map(|tables| self.content_of(tables)),
            ReaderState::Windows { mut finals, .. } => {
                finals.iter_mut().for_each(RawTable::shrink_to_fit);
                Ok(self.content_of(finals))
            }
            ReaderState::Zip(buf) => self.spreadsheet(&buf, progress),
            ReaderState::Failed(e) => Err(e),
            ReaderState::Undecided => Err(Error::new(ErrorKind::Empty)),
        };
        let name = self.name;
        let res = res.map_err(|e| e.in_file(&name));
        (name, res)
    }
}

struct FileEntry {
    name: String,
    kind: Option<Kind>,
    overrides: BTreeMap<String, Option<String>>,
    content: Result<Content>,
}

fn mixed_feeds() -> Error {
    Error::new(ErrorKind::Usage(
        "a file is fed either in chunks or in windows, not both".into(),
    ))
}

/// A set of uploaded files.
pub struct Workbook {
    files: Vec<FileEntry>,
    streams: BTreeMap<u32, FileReader>,
    next_stream: u32,
    cache: Option<Dataset>,
    /// The facts of `cache` every report needs, worked out once.
    facts: Option<DatasetFacts>,
    /// The last report's range-free facts of the deals its filters kept,
    /// for the next report with the same filters (a range change).
    kept: Option<Arc<KeptFacts>>,
    max_rows: usize,
    budget: Option<(usize, usize)>,
    /// The streamed table moved into `cache`, handed back on invalidation.
    moved: Option<Moved>,
    window: usize,
    later_window: usize,
}

impl Default for Workbook {
    fn default() -> Self {
        Workbook {
            files: Vec::new(),
            streams: BTreeMap::new(),
            next_stream: 0,
            cache: None,
            facts: None,
            kept: None,
            max_rows: crate::tables::stream::MAX_ROWS,
            budget: None,
            moved: None,
            window: WINDOW_BYTES,
            later_window: LATER_WINDOW_BYTES,
        }
    }
}

impl FileEntry {
    /// Its kind or mapping changed: a table typed while streaming must be
    /// read again (its text was not kept).
    fn changed(&mut self) {
        if let Ok(c @ Content::Typed(_)) = &mut self.content {
            *c = Content::Reread(None);
        }
    }
}

impl Workbook {
    /// An empty workbook.
    pub fn new() -> Self {
        Self::default()
    }

    /// Text a table may hold before it is typed while streaming (default
    /// [`WINDOW_BYTES`]); tests lower it to stream small files.
    pub fn set_window_bytes(&mut self, bytes: usize) {
        self.window = bytes.max(1);
    }

    /// Text each window after the first holds (default
    /// [`LATER_WINDOW_BYTES`], at most the first's); tests lower it.
    #[doc(hidden)]
    pub fn set_later_window_bytes(&mut self, bytes: usize) {
        self.later_window = bytes.max(1);
    }

    /// The most rows a streamed table types (see [`crate::tables::stream::MAX_ROWS`]);
    /// tests lower it.
    #[doc(hidden)]
    pub fn set_max_stream_rows(&mut self, n: usize) {
        self.max_rows = n;
    }

    /// The memory budgets of a streamed table, steady and peak (see
    /// [`crate::tables::stream::MAX_BYTES`]); tests lower them.
    #[doc(hidden)]
    pub fn set_stream_budget(&mut self, steady: usize, peak: usize) {
        self.budget = Some((steady, peak));
    }

    /// Adds a whole file. An unreadable file (empty, binary, broken
    /// spreadsheet) is kept so the report lists it, and its error returned.
    pub fn add_file(&mut self, name: &str, bytes: &[u8], kind: Option<Kind>) -> Result<()> {
        let h = self.begin_file(name, kind);
        self.push(h, bytes)?;
        self.finish_file(h, None)?;
        // The bytes are at hand: a file whose later values changed a
        // decision is read again at once.
        if self.needs_reread().iter().any(|n| n == name) {
            let h = self.begin_file(name, kind);
            self.push(h, bytes)?;
            self.finish_file(h, None)?;
        }
        Ok(())
    }

    /// Starts a file to be fed in chunks; returns its handle. A file the
    /// workbook asked to read again ([`Workbook::needs_reread`]) keeps its
    /// place, kind and mapping.
    pub fn begin_file(&mut self, name: &str, kind: Option<Kind>) -> u32 {
        let id = self.next_stream;
        self.next_stream += 1;
        let mut r = FileReader::new(name);
        r.window = self.window;
        r.later_window = self.later_window;
        r.max_rows = self.max_rows;
        r.budget = self.budget;
        r.kind = kind;
        if let Some(f) = self.files.iter().find(|f| f.name == name) {
            if let Ok(Content::Reread(pinned)) = &f.content {
                r.kind = f.kind;
                r.overrides = f.overrides.clone();
                r.pinned = pinned.clone();
            }
        }
        self.streams.insert(id, r);
        id
    }

    /// Feeds a chunk of a file started with [`Workbook::begin_file`].
    pub fn push(&mut self, handle: u32, chunk: &[u8]) -> Result<()> {
        let r = self
            .streams
            .get_mut(&handle)
            .ok_or_else(|| bad_handle(handle))?;
        if let ReaderState::Windows { .. } = r.state {
            return Err(mixed_feeds().in_file(&r.name));
        }
        r.push(chunk);
        Ok(())
    }

    /// A tokeniser cutting windows as this workbook does (for
    /// [`Workbook::push_window`]).
    pub fn tokeniser(&self) -> crate::ingest::wire::Tokeniser {
        crate::ingest::wire::Tokeniser::new(self.window, self.later_window)
    }

    /// Feeds the next window of a file started with [`Workbook::begin_file`],
    /// as a [`crate::ingest::wire::Tokeniser`] elsewhere encoded it (in the
    /// browser, a helper worker tokenises while this one types). A file is
    /// fed in windows or in chunks, not both. A malformed window is an
    /// error, and the file's: [`Workbook::finish_file`] reports it too.
    pub fn push_window(&mut self, handle: u32, window: &[u8]) -> Result<()> {
        self.window_in(handle, |t, _| crate::ingest::wire::decode(window, t))
    }

    /// [`Workbook::push_window`] of a window of `len` bytes that `fill`
    /// appends to the file's room for windows (given empty, with room for
    /// `len` bytes): its text becomes the table's where it lies, and the
    /// buffers are reused window after window (see
    /// [`crate::ingest::wire::decode_in`]). The page's worker feeds windows
    /// this way, copying each from the helper's buffer. Whatever `fill`
    /// leaves is decoded and checked like any window.
    pub fn push_window_with(
        &mut self,
        handle: u32,
        len: usize,
        fill: impl FnOnce(&mut Vec<u8>),
    ) -> Result<()> {
        self.window_in(handle, |t, room| {
            room.clear();
            if room.capacity() < len {
                // A little more than asked: windows differ by a few bytes,
                // and a room grown for each would move each time. A window
                // no memory can hold is the file's error, not a trap.
                if room.try_reserve_exact(len.saturating_add(len / 8)).is_err()
                    && room.try_reserve_exact(len).is_err()
                {
                    return Err(Error::new(ErrorKind::Usage(format!(
                        "a window of {len} bytes does not fit in memory"
                    ))));
                }
            }
            // Appended, not written over zeroes: zeroing the room's new
            // bytes first cost 2 % more instructions to type a file.
            fill(room);
            crate::ingest::wire::decode_in(room, t)
        })
    }

    /// Feeds file `handle` the window `decode` reads into a table; its
    /// errors are the file's.
    fn window_in(
        &mut self,
        handle: u32,
        decode: impl FnOnce(&mut RawTable, &mut Vec<u8>) -> Result<bool>,
    ) -> Result<()> {
        let r = self
            .streams
            .get_mut(&handle)
            .ok_or_else(|| bad_handle(handle))?;
        let name = r.name.clone();
        r.push_window(decode).map_err(|e| e.in_file(&name))
    }

    /// Drops a file being streamed as if it had never been begun: a new
    /// file is not added, a file asked for again keeps waiting to be read.
    /// (The page abandons a helper's stream it cannot finish and reads the
    /// file itself.) Returns whether the handle was open.
    pub fn abandon_file(&mut self, handle: u32) -> bool {
        self.streams.remove(&handle).is_some()
    }

    /// Ends a streamed file and adds it. `kind`, when given, overrides the
    /// one given to [`Workbook::begin_file`].
    pub fn finish_file(&mut self, handle: u32, kind: Option<Kind>) -> Result<()> {
        self.finish_file_told(handle, kind, &mut |_, _| {})
    }

    /// [`Workbook::finish_file`], telling `progress` the rows of a
    /// spreadsheet's sheets as they are read (see [`SheetProgress`]).
    pub fn finish_file_told(
        &mut self,
        handle: u32,
        kind: Option<Kind>,
        progress: SheetProgress<'_>,
    ) -> Result<()> {
        let r = self
            .streams
            .remove(&handle)
            .ok_or_else(|| bad_handle(handle))?;
        self.invalidate();
        let begun = r.kind;
        let overrides = r.overrides.clone();
        let (name, mut content) = r.finish(progress);
        let kind = kind.or(begun);
        if kind != begun {
            if let Ok(c @ Content::Typed(_)) = &mut content {
                *c = Content::Reread(None);
            }
        }
        let err = content.as_ref().err().cloned();
        let entry = FileEntry {
            name,
            kind,
            overrides,
            content,
        };
        // A re-read file keeps its place; a new one goes last.
        match self.files.iter().position(|f| f.name == entry.name) {
            Some(i) if matches!(self.files[i].content, Ok(Content::Reread(_))) => {
                self.files[i] = entry;
            }
            _ => {
                self.files.retain(|f| f.name != entry.name);
                self.files.push(entry);
            }
        }
        match err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Files that must be streamed again (with [`Workbook::begin_file`])
    /// before the next report: large files typed while streaming whose kind
    /// or mapping changed since.
    pub fn needs_reread(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| matches!(f.content, Ok(Content::Reread(_))))
            .map(|f| f.name.clone())
            .collect()
    }

    /// Removes a file.
    pub fn remove_file(&mut self, name: &str) -> bool {
        self.invalidate();
        let before = self.files.len();
        self.files.retain(|f| f.name != name);
        before != self.files.len()
    }

    /// The names of the files, in the order added.
    pub fn file_names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.name.clone()).collect()
    }

    /// Forces the kind of a file (`None` goes back to detection).
    pub fn set_kind(&mut self, name: &str, kind: Option<Kind>) -> Result<()> {
        self.invalidate();
        let f = self.file_mut(name)?;
        f.kind = kind;
        f.overrides.clear();
        f.changed();
        Ok(())
    }

    /// Maps canonical column `column` of a file to source `header`
    /// (`None` unmaps it). Checked when the report is built.
    pub fn set_mapping(&mut self, name: &str, column: &str, header: Option<&str>) -> Result<()> {
        self.invalidate();
        let f = self.file_mut(name)?;
        f.overrides
            .insert(column.to_string(), header.map(str::to_string));
        f.changed();
        Ok(())
    }

    fn file_mut(&mut self, name: &str) -> Result<&mut FileEntry> {
        self.files
            .iter_mut()
            .find(|f| f.name == name)
            .ok_or_else(|| {
                Error::new(ErrorKind::Usage(format!(
                    "no file named {name:?} in the workbook"
                )))
            })
    }

    /// The typed tables (built once, until files or mappings change).
    pub fn dataset(&mut self) -> &Dataset {
        if self.cache.is_none() {
            let ds = self.build();
            self.cache = Some(ds);
            self.facts = None;
            self.kept = None;
        }
        self.cache.get_or_insert_with(Dataset::default)
    }

    /// Drops the built dataset, first handing a streamed table that was
    /// moved into it back to its file.
    fn invalidate(&mut self) {
        self.facts = None;
        self.kept = None;
        let Some(ds) = self.cache.take() else {
            return;
        };
        if let Some(m) = self.moved.take() {
            let table = ds.split_prefix(&m);
            if let Some(f) = self.files.get_mut(m.file) {
                f.content = Ok(Content::Typed(Box::new(table)));
            }
        }
    }

    fn build(&mut self) -> Dataset {
        let mut ds = Dataset::default();
        let first_typed = self
            .files
            .iter()
            .position(|f| matches!(f.content, Ok(Content::Typed(_))));
        for (idx, f) in self.files.iter_mut().enumerate() {
            // The first streamed table is moved in rather than copied: a
            // large file is held once. Its rows and names must start the
            // dataset (so that it can be handed back whole): the rows and
            // names of the files before it, typed by then, go after it,
            // unless one of them has rows of its kinds (theirs must stay
            // first); their quality records keep their places. Copying it
            // after a roster read first took 80 MiB more at a million deals.
            if let Ok(Content::Typed(typed)) = &mut f.content {
                if self.moved.is_none() && Some(idx) == first_typed && !typed.shares_a_kind(&ds) {
                    let mut before = std::mem::take(&mut ds);
                    ds.quality = std::mem::take(&mut before.quality);
                    ds.present = std::mem::take(&mut before.present);
                    let table = std::mem::take(&mut **typed);
                    self.moved = Some(ds.absorb(table, idx));
                    if before.has_rows() || !before.names.is_empty() {
                        ds.append_rows(&before, 0);
                    }
                    continue;
                }
            }
            match &f.content {
                Err(e) => {
                    let mut q = TableQuality::new(&f.name, None);
                    q.error = Some(e.to_string());
                    ds.quality.push(q);
                }
                Ok(Content::Typed(typed)) => ds.append(typed),
                Ok(Content::Reread(_)) => {
                    let mut q = TableQuality::new(&f.name, None);
                    q.error = Some(format!(
                        "{}: must be read again (its kind or mapping changed)",
                        f.name
                    ));
                    ds.quality.push(q);
                }
                Ok(Content::Raw(tables)) => {
                    for raw in tables {
                        let mut q = TableQuality::new(&f.name, raw.format.sheet.clone());
                        let input = TableInput {
                            file: &f.name,
                            raw,
                            kind: f.kind,
                            overrides: &f.overrides,
                        };
                        if let Err(e) = add_table(&mut ds, &input, &mut q) {
                            // Every row of a table that cannot be used is read and
                            // rejected, and listed like any other rejected row.
                            reject_all(&mut q, raw, 1);
                            q.sort_issues();
                            let mut e = e.in_file(&f.name);
                            if let Some(s) = &raw.format.sheet {
                                e.file = Some(format!("{} [{s}]", f.name));
                            }
                            q.error = Some(e.to_string());
                        }
                        ds.quality.push(q);
                    }
                }
            }
        }
        ds
    }

    /// The report for `query`.
    pub fn report(&mut self, query: &Query) -> Result<Report> {
        self.compute(query, Scope::Whole)
    }

    /// The headline figures for `query` alone: the `query` and `summary`
    /// of [`Workbook::report`] for it, without the other sections (what
    /// the page compares a report with).
    pub fn summary(&mut self, query: &Query) -> Result<ReportSummary> {
        let r = self.compute(query, Scope::Summary)?;
        Ok(ReportSummary {
            query: r.query,
            summary: r.summary,
        })
    }

    /// [`compute`] on the tables as read, once every file is.
    fn compute(&mut self, query: &Query, scope: Scope) -> Result<Report> {
        query.validate()?;
        let stale = self.needs_reread();
        if !stale.is_empty() {
            return Err(Error::new(ErrorKind::Reread(stale)));
        }
        self.dataset();
        let ds = self.cache.get_or_insert_with(Dataset::default);
        let facts = self.facts.get_or_insert_with(|| DatasetFacts::of(ds));
        Ok(compute(ds, facts, &mut self.kept, query, scope))
    }

    /// The report as JSON text (what the CLI prints).
    pub fn report_json(&mut self, query: &Query) -> Result<String> {
        let r = self.report(query)?;
        serde_json::to_string_pretty(&r).map_err(|e| Error::new(ErrorKind::Usage(e.to_string())))
    }
}

fn bad_handle(h: u32) -> Error {
    Error::new(ErrorKind::Usage(format!(
        "no file is being read with handle {h}"
    )))
}

fn data_quality(ds: &Dataset, ctx: Option<&Context<'_>>) -> DataQuality {
    let mut tables = ds.quality.clone();
    let (mut no_rate, mut list, mut missing) = (0, 0, 0);
    if let Some(ctx) = ctx {
        // Every deal the filters keep, whatever the range.
        let kept = &ctx.kept;
        for &(origin, currency) in &kept.no_rate {
            no_rate += 1;
            let ccy = currency.map_or("?".into(), |c| ctx.name(c));
            if let Some(t) = tables.get_mut(ds.quality_index(origin)) {
                t.warn(
                    origin.line,
                    None,
                    None,
                    "no_fx_rate",
                    format!(
                        "amount in {ccy} has no exchange rate to {}; left out of money figures",
                        ctx.currency.as_deref().unwrap_or("the report currency")
                    ),
                );
            }
        }
        list = kept.list_priced;
        missing = kept.missing;
    }
    let sum = |f: fn(&TableQuality) -> u32| tables.iter().map(f).sum();
    DataQuality {
        rows_read: sum(|t| t.rows_read),
        rows_used: sum(|t| t.rows_used),
        rows_rejected: sum(|t| t.rows_rejected),
        tables,
        excluded_for_currency: no_rate,
        currencies: ctx.map(|c| c.currencies.clone()).unwrap_or_default(),
        valued_at_list_price: list,
        without_amount: missing,
    }
}

/// Computes every section of the report (or its summary alone, see
/// [`Scope`]).
fn compute(
    ds: &Dataset,
    facts: &DatasetFacts,
    last_kept: &mut Option<Arc<KeptFacts>>,
    query: &Query,
    scope: Scope,
) -> Report {
    let whole = scope == Scope::Whole;
    // Declared first: the context may point into it (see `kept_rows`).
    let copies;
    let Some(mut ctx) = Context::with_facts(ds, facts, last_kept.take(), query) else {
        return empty_report(ds, query);
    };
    *last_kept = Some(Arc::clone(&ctx.kept));
    if let Some(rows) = ctx.kept_rows() {
        copies = rows;
        ctx.rebase(&copies);
    }
    let roster_reps: Vec<_> = ds
        .reps
        .iter()
        .map(|r| r.rep)
        .filter(|&r| ctx.rep_passes(r))
        .collect();
    let hist = &facts.hist;
    // Without one asked for, the order depends only on the kept deals and
    // the histories: it is decided once per filter.
    let kept = Arc::clone(&ctx.kept);
    let asked;
    let order = match query.stage_order {
        None => kept
            .default_order
            .get_or_init(|| stages::stage_order(&ctx, hist)),
        Some(_) => {
            asked = stages::stage_order(&ctx, hist);
            &asked
        }
    };
    // One walk over the deals for every family that only counts them.
    let mut totals = deals::TotalsPass::new(&ctx, &roster_reps);
    let mut series = whole.then(|| deals::SeriesPass::new(&ctx));
    let mut funnel_pass = funnel::FunnelPass::new(&ctx, order, hist, scope);
    ctx.deals.walk(|part| {
        totals.add(&ctx, part);
        if let Some(s) = series.as_mut() {
            s.add(&ctx, part);
        }
        funnel_pass.add(&ctx, part);
    });
    let (mut totals, [by_rep, by_team, by_region, by_product, by_source], regions) =
        totals.finish(&ctx, scope);
    let series = series.map(deals::SeriesPass::finish).unwrap_or_default();
    let counts = funnel_pass.finish();
    let trend = (!series.is_empty()).then(|| deals::trend(&series));
    let rev = totals.revenue;
    let mut keyed = |name: &str, what: &str, rows: Vec<Breakdown>| {
        if !rows.is_empty() && rows.iter().all(|r| r.name.is_none()) {
            ctx.note(
                name,
                format!("no deal has {what}: map a column to it to see this breakdown"),
            );
            Vec::new()
        } else {
            rows
        }
    };
    let by_rep = keyed("byRep", "an owner", by_rep);
    let by_team = keyed("byTeam", "a team (from the deal or the roster)", by_team);
    let by_region = keyed(
        "byRegion",
        "a region (from the deal or the roster)",
        by_region,
    );
    let by_product = keyed("byProduct", "a product", by_product);
    let by_source = keyed("bySource", "a source", by_source);
    let quota = quota::quota(&mut ctx);
    let (target, target_source) = match (query.target, &quota) {
        (Some(t), _) => (Some(t), Some("query".to_string())),
        (None, Some(q)) if q.quota_total > 0.0 => (Some(q.quota_total), Some("quotas".to_string())),
        _ => (None, None),
    };
    let cycle = totals.cycle();
    let funnel = funnel::funnel(&mut ctx, order, hist, &counts);
    let inputs = PipelineInputs {
        order,
        hist,
        funnel: funnel.as_ref(),
        stage_p90: pipeline::p90s(&counts.times),
        quota: quota.as_ref(),
        win_rate: totals.win_rate(),
        avg_deal_size: totals.avg(),
        cycle_p90: cycle.map(|c| c.p90),
        cycle_mean: cycle.map(|c| c.mean),
        activities: &facts.activities,
        scope,
    };
    let pipeline = pipeline::pipeline(&mut ctx, &inputs);
    let leads = whole
        .then(|| leads::leads(&mut ctx, &facts.leads))
        .flatten();
    let leads_needed = whole
        .then(|| {
            leads::leads_needed(
                &mut ctx,
                target.zip(target_source.clone()),
                totals.avg(),
                totals.win_rate(),
                leads.as_ref(),
            )
        })
        .flatten();
    let velocity = pipeline.as_ref().and_then(|p| p.velocity_per_day);
    let activities = activities::activities(&mut ctx, &facts.activities, scope);
    let territories = whole
        .then(|| territory::territories_of(&mut ctx, quota.as_ref(), regions))
        .flatten();
    let mut by_rep = by_rep;
    if let Some(a) = &activities {
        // The leaderboard carries each rep's activity count and selling share.
        for row in &mut by_rep {
            let found = row
                .name
                .as_deref()
                .and_then(|n| a.by_rep.iter().find(|r| r.name == n));
            row.activities = Some(found.map_or(0, |r| r.count));
            row.selling_time_share = found.and_then(|r| r.selling_time_share);
        }
    }
    let summary = Summary {
        revenue: rev,
        deals_won: totals.won,
        deals_lost: totals.lost,
        deals_open: totals.open,
        open_pipeline: totals.open_pipeline,
        weighted_pipeline: pipeline.as_ref().map(|p| p.weighted_pipeline),
        avg_deal_size: totals.avg(),
        median_deal_size: totals.median(),
        win_rate: totals.win_rate(),
        win_rate_created_cohort: metrics::stats::ratio(
            totals.created_won as f64,
            totals.created as f64,
        ),
        sales_cycle_days: cycle,
        quota_attainment: quota.as_ref().and_then(|q| q.team_attainment),
        pipeline_coverage: pipeline
            .as_ref()
            .and_then(|p| p.coverage.as_ref())
            .and_then(|c| c.coverage),
        pipeline_velocity_per_day: velocity,
        selling_time_share: activities.as_ref().and_then(|a| a.selling_time_share),
    };
    if whole {
        explain_nulls(&mut ctx, &summary);
    }
    let resolved = ResolvedQuery {
        from: Some(ctx.from.to_string()),
        to: Some(ctx.to.to_string()),
        as_of: Some(ctx.as_of.to_string()),
        granularity: granularity_name(query),
        fiscal_year_start_month: ctx.calendar.fy_start,
        target,
        target_source,
        filters: query.filters.clone(),
        stage_order: query.stage_order.clone(),
        selling_categories: query.selling_categories.clone(),
        activity_categories: query.activity_categories.clone(),
        currency: ctx.currency.clone(),
    };
    let data_quality = if whole {
        data_quality(ds, Some(&ctx))
    } else {
        DataQuality::default()
    };
    Report {
        query: resolved,
        summary,
        series,
        avg_deal_size_trend: trend,
        by_rep,
        by_team,
        by_region,
        by_product,
        by_source,
        quota,
        funnel,
        pipeline,
        leads,
        leads_needed,
        activities,
        territories,
        data_quality,
        notes: ctx.notes,
    }
}

fn granularity_name(q: &Query) -> String {
    serde_json::to_value(q.granularity)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn explain_nulls(ctx: &mut Context<'_>, s: &Summary) {
    if !ctx.has(Kind::Deals) {
        ctx.note(
            "summary",
            "no deals table: upload deals, opportunities or orders to see revenue and win rates",
        );
        return;
    }
    if s.win_rate.is_none() {
        ctx.note("summary.winRate", "no deal was won or lost in the range");
    }
    if s.deals_won > 0 && s.avg_deal_size.is_none() {
        ctx.note("summary.revenue", "no won deal in the range has an amount (or a list price), so revenue shows 0: map an amount column or upload products with list prices");
    }
    if s.avg_deal_size.is_none() {
        ctx.note(
            "summary.avgDealSize",
            "no won deal with an amount in the range",
        );
    }
    if s.sales_cycle_days.is_none() {
        ctx.note(
            "summary.salesCycleDays",
            "no won deal in the range has both a created and a close date",
        );
    }
    if s.win_rate_created_cohort.is_none() {
        ctx.note(
            "summary.winRateCreatedCohort",
            "no deal was created in the range (or the file has no created date)",
        );
    }
    if s.pipeline_coverage.is_none() {
        ctx.note("summary.pipelineCoverage", "see pipeline.coverage");
    }
    if s.pipeline_velocity_per_day.is_none() {
        ctx.note(
            "summary.pipelineVelocityPerDay",
            "needs the average deal size, the win rate and a sales cycle above zero days",
        );
    }
    if s.selling_time_share.is_none() {
        ctx.note(
            "summary.sellingTimeShare",
            "needs an activities table with activities in the range (see activities)",
        );
    }
}

fn empty_report(ds: &Dataset, query: &Query) -> Report {
    let fy = query.fiscal_year_start_month.unwrap_or(1);
    Report {
        query: ResolvedQuery {
            from: query.from.map(|d| d.to_string()),
            to: query.to.map(|d| d.to_string()),
            as_of: query.as_of.map(|d| d.to_string()),
            granularity: granularity_name(query),
            fiscal_year_start_month: fy,
            target: query.target,
            target_source: query.target.map(|_| "query".to_string()),
            filters: query.filters.clone(),
            stage_order: query.stage_order.clone(),
            selling_categories: query.selling_categories.clone(),
            activity_categories: query.activity_categories.clone(),
            currency: query.currency.clone(),
        },
        summary: Summary {
            revenue: 0.0,
            deals_won: 0,
            deals_lost: 0,
            deals_open: 0,
            open_pipeline: 0.0,
            weighted_pipeline: None,
            avg_deal_size: None,
            median_deal_size: None,
            win_rate: None,
            win_rate_created_cohort: None,
            sales_cycle_days: None,
            quota_attainment: None,
            pipeline_coverage: None,
            pipeline_velocity_per_day: None,
            selling_time_share: None,
        },
        series: Vec::new(),
        avg_deal_size_trend: None,
        by_rep: Vec::new(),
        by_team: Vec::new(),
        by_region: Vec::new(),
        by_product: Vec::new(),
        by_source: Vec::new(),
        quota: None,
        funnel: None,
        pipeline: None,
        leads: None,
        leads_needed: None,
        activities: None,
        territories: None,
        data_quality: data_quality(ds, None),
        notes: vec![Note {
            metric: "report".into(),
            message: "no dated rows were read: add a deals, activities or leads file with dates"
                .into(),
        }],
    }
}
