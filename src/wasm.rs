//! The only file that knows JavaScript: a newtype over [`Workbook`] whose
//! methods convert their input, call the engine and convert the output.
//! Errors cross as real `Error` objects (`JsError`), never as strings.

use crate::ingest::wire::{Tokeniser, Window};
use crate::{Kind, Query, Workbook};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const REPORT_TYPES: &str = include_str!("../types/report.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const TRANSFER_TYPES: &str = r#"
/** A report whose stalled deals' list is its JSON text (see `reportForTransfer`). */
export type TransferReport = Omit<Report, "pipeline"> & {
  pipeline: (Omit<PipelineSection, "stalled"> & { stalled: string }) | null;
};
"#;

/// A set of uploaded files and the report over them.
#[wasm_bindgen(js_name = Workbook)]
pub struct JsWorkbook(Workbook);

fn kind(k: Option<String>) -> Result<Option<Kind>, JsError> {
    match k.as_deref().map(str::trim) {
        None | Some("") | Some("auto") => Ok(None),
        Some(s) => Kind::parse(s).map(Some).ok_or_else(|| {
            JsError::new(&crate::Error::new(crate::ErrorKind::BadKind(s.to_string())).to_string())
        }),
    }
}

fn js(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

/// A report type as a plain object, as `JSON.parse` of its JSON would give.
fn to_js(v: &impl Serialize) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn query(q: JsValue) -> Result<Query, JsError> {
    if q.is_undefined() || q.is_null() {
        return Ok(Query::default());
    }
    let q: Query = serde_wasm_bindgen::from_value(q)
        .map_err(|e| JsError::new(&format!("invalid query: {e}")))?;
    q.validate().map_err(js)?;
    Ok(q)
}

#[wasm_bindgen(js_class = Workbook)]
impl JsWorkbook {
    /// An empty workbook.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsWorkbook {
        JsWorkbook(Workbook::new())
    }

    /// Adds a whole file; `kind` forces the table kind (`"deals"`, ...).
    /// Throws when the file cannot be read at all; it is still listed in
    /// the report's data quality.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        kind_name: Option<String>,
    ) -> Result<(), JsError> {
        let k = kind(kind_name)?;
        self.0.add_file(name, bytes, k).map_err(js)
    }

    /// Starts a file fed in chunks; returns its handle. `kind` forces the
    /// table kind. A file listed by `needsReread()` keeps its place, kind
    /// and mapping.
    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str, kind_name: Option<String>) -> Result<u32, JsError> {
        let k = kind(kind_name)?;
        Ok(self.0.begin_file(name, k))
    }

    /// Text a table may hold before it is typed while streaming (default
    /// 16 MiB); below it a file's text is kept so remapping needs no re-read.
    #[wasm_bindgen(js_name = setWindowBytes)]
    pub fn set_window_bytes(&mut self, bytes: u32) {
        self.0.set_window_bytes(bytes as usize);
    }

    /// Large files (typed while they streamed, their text not kept) whose
    /// kind or mapping changed: stream each again with `beginFile` before
    /// the next report.
    #[wasm_bindgen(js_name = needsReread)]
    pub fn needs_reread(&self) -> Vec<String> {
        self.0.needs_reread()
    }

    /// Feeds the next chunk of a file.
    pub fn push(&mut self, handle: u32, chunk: &[u8]) -> Result<(), JsError> {
        self.0.push(handle, chunk).map_err(js)
    }

    /// Feeds the next window of a file, as a `Tokeniser` (in another
    /// worker) encoded it. A file is fed in windows or chunks, not both.
    ///
    /// The window's bytes are copied into the module's memory once, into
    /// room the file reuses window after window, and its text is kept where
    /// it lands (not copied again while decoded).
    #[wasm_bindgen(js_name = pushWindow)]
    pub fn push_window(&mut self, handle: u32, window: &js_sys::Uint8Array) -> Result<(), JsError> {
        let len = window.length() as usize;
        self.0
            .push_window_with(handle, len, |room| {
                if let Some(spare) = room.spare_capacity_mut().get_mut(..len) {
                    let copied = window.copy_to_uninit(spare).len();
                    // SAFETY: `copy_to_uninit` has initialised the first
                    // `copied` (= `len`) bytes past the room's length,
                    // which is within its capacity.
                    unsafe { room.set_len(room.len() + copied) }
                }
            })
            .map_err(js)
    }

    /// Drops a file being streamed as if never begun (a new file is not
    /// added; one listed by `needsReread()` stays listed).
    #[wasm_bindgen(js_name = abandonFile)]
    pub fn abandon_file(&mut self, handle: u32) -> bool {
        self.0.abandon_file(handle)
    }

    /// Ends a chunked file. `onRows(rows, of)`, when given, is told the rows
    /// of a spreadsheet's sheets as they are read, which starts once its
    /// last byte is in and takes seconds at a million rows (`of`: the rows
    /// the sheet declares, undefined when it does not say).
    #[wasm_bindgen(js_name = finishFile)]
    pub fn finish_file(
        &mut self,
        handle: u32,
        kind_name: Option<String>,
        on_rows: Option<js_sys::Function>,
    ) -> Result<(), JsError> {
        let k = kind(kind_name)?;
        let result = match &on_rows {
            None => self.0.finish_file(handle, k),
            Some(f) => self.0.finish_file_told(handle, k, &mut |rows, of| {
                // A throwing callback only loses its news: the file is read.
                let of = of.map_or(JsValue::UNDEFINED, JsValue::from);
                let _ = f.call2(&JsValue::NULL, &JsValue::from(rows), &of);
            }),
        };
        result.map_err(js)
    }

    /// Removes a file; returns whether it was there.
    #[wasm_bindgen(js_name = removeFile)]
    pub fn remove_file(&mut self, name: &str) -> bool {
        self.0.remove_file(name)
    }

    /// The file names, in the order added.
    #[wasm_bindgen(js_name = fileNames)]
    pub fn file_names(&self) -> Vec<String> {
        self.0.file_names()
    }

    /// Forces (or, with `undefined`, un-forces) a file's table kind.
    #[wasm_bindgen(js_name = setKind)]
    pub fn set_kind(&mut self, name: &str, kind_name: Option<String>) -> Result<(), JsError> {
        let k = kind(kind_name)?;
        self.0.set_kind(name, k).map_err(js)
    }

    /// Maps a canonical column (`"amount"`) to a header of the file, or
    /// unmaps it with `undefined`.
    #[wasm_bindgen(js_name = setMapping)]
    pub fn set_mapping(
        &mut self,
        name: &str,
        column: &str,
        header: Option<String>,
    ) -> Result<(), JsError> {
        self.0
            .set_mapping(name, column, header.as_deref())
            .map_err(js)
    }

    /// The report for a query (every field optional) as a plain object.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Query> | undefined")] q: JsValue,
    ) -> Result<JsValue, JsError> {
        let q = query(q)?;
        // The stalled deals' list made from its JSON text by the JavaScript
        // engine's own parser: quicker than making each object from here (a
        // quarter's report at a million deals 60–64 → 52 ms in Node), and
        // the module holds one way of handing the list over, not two.
        self.report_with_stalled(&q, true)
    }

    /// The same report, its `pipeline.stalled` as the list's JSON text
    /// (`JSON.parse` of it is the list `report` gives), for posting to
    /// another thread.
    ///
    /// # Why
    /// At a million deals the list holds ~7,000 deals, most of the report:
    /// made into objects here (6–9 ms), copied object by object when posted
    /// (~4 ms) and rebuilt on the receiving thread (8–15 ms in Node, before
    /// the page can draw its tiles), where one string is copied whole in
    /// about a millisecond and read only when the list is shown.
    #[wasm_bindgen(js_name = reportForTransfer, unchecked_return_type = "TransferReport")]
    pub fn report_for_transfer(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Query> | undefined")] q: JsValue,
    ) -> Result<JsValue, JsError> {
        let q = query(q)?;
        self.report_with_stalled(&q, false)
    }

    /// The headline figures alone for a query: the report's `query` and
    /// `summary`, without its other sections (for a comparison).
    #[wasm_bindgen(unchecked_return_type = "ReportSummary")]
    pub fn summary(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Query> | undefined")] q: JsValue,
    ) -> Result<JsValue, JsError> {
        let q = query(q)?;
        to_js(&self.0.summary(&q).map_err(js)?)
    }

    /// The report as the same JSON text the CLI prints.
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Partial<Query> | undefined")] q: JsValue,
    ) -> Result<String, JsError> {
        let q = query(q)?;
        self.0.report_json(&q).map_err(js)
    }
}

impl JsWorkbook {
    /// The report as a plain object, its `pipeline.stalled` the list's
    /// JSON text, or with `parse` the list that text is.
    #[inline(never)]
    fn report_with_stalled(&mut self, q: &Query, parse: bool) -> Result<JsValue, JsError> {
        let mut report = self.0.report(q).map_err(js)?;
        let stalled = report
            .pipeline
            .as_mut()
            .map(|p| std::mem::take(&mut p.stalled));
        let out = to_js(&report)?;
        if let Some(stalled) = stalled {
            let text = serde_json::to_string(&stalled).map_err(|e| JsError::new(&e.to_string()))?;
            let list = if parse {
                js_sys::JSON::parse(&text)
                    .map_err(|_| JsError::new("the stalled deals' list could not be read"))?
            } else {
                JsValue::from_str(&text)
            };
            let pipeline = js_sys::Reflect::get(&out, &JsValue::from_str("pipeline"))
                .map_err(|_| JsError::new("the report has no pipeline"))?;
            js_sys::Reflect::set(&pipeline, &JsValue::from_str("stalled"), &list)
                .map_err(|_| JsError::new("the report's pipeline could not be written"))?;
        }
        Ok(out)
    }
}

/// Reads and tokenises a text file in windows for `Workbook.pushWindow`:
/// in a helper worker, so one core tokenises while the engine's types.
#[wasm_bindgen(js_name = Tokeniser)]
pub struct JsTokeniser(Option<Tokeniser>);

/// The windows given to `emit`, each written straight into a JS buffer
/// (which the caller can transfer to another worker): no second copy of a
/// window is made in wasm memory. A window goes into the first buffer of
/// `pool` large enough for it (taken out of the pool; the window is a view
/// of its first bytes), else into a new one. Buffers sent back and reused
/// spare the helper a fresh allocation a window: new memory is paid page by
/// page on first touch, and the transferred buffers left behind are
/// garbage to collect (see docs/performance.md, twenty-first session).
fn windows(
    pool: Option<js_sys::Array>,
    run: impl FnOnce(&mut dyn FnMut(Window<'_>)) -> crate::Result<()>,
) -> Result<js_sys::Array, JsError> {
    let out = js_sys::Array::new();
    run(&mut |mut w: Window<'_>| {
        let len = w.encoded_len() as u32;
        let buf = pooled(pool.as_ref(), len).unwrap_or_else(|| {
            // Room for a later window a little larger than this one.
            js_sys::Uint8Array::new_with_length(len + len / 8)
        });
        let buf = buf.subarray(0, len);
        let mut at = 0u32;
        w.write(|part| {
            let end = at + part.len() as u32;
            buf.subarray(at, end).copy_from(part);
            at = end;
        });
        out.push(&buf);
    })
    .map_err(js)?;
    Ok(out)
}

/// The first buffer of `pool` that holds `len` bytes, taken out of it, as
/// a view of its whole `ArrayBuffer`. Anything in the pool that is not a
/// `Uint8Array` is skipped.
fn pooled(pool: Option<&js_sys::Array>, len: u32) -> Option<js_sys::Uint8Array> {
    let pool = pool?;
    let at = pool.find_index(&mut |v, _, _| {
        v.dyn_ref::<js_sys::Uint8Array>()
            .is_some_and(|b| b.buffer().byte_length() >= len)
    });
    let at = u32::try_from(at).ok()?;
    let b = pool.get(at);
    // Taken out by putting the last in its place (the order does not
    // matter; `splice` would put something else there).
    let last = pool.pop();
    if at < pool.length() {
        pool.set(at, last);
    }
    let b: js_sys::Uint8Array = b.dyn_into().ok()?;
    Some(js_sys::Uint8Array::new(&b.buffer()))
}

#[wasm_bindgen(js_class = Tokeniser)]
impl JsTokeniser {
    /// A tokeniser cutting windows as a `Workbook` does; `windowBytes`
    /// matches a workbook's `setWindowBytes`.
    #[wasm_bindgen(constructor)]
    pub fn new(window_bytes: Option<u32>) -> JsTokeniser {
        let t = match window_bytes {
            Some(first) => Tokeniser::new(
                (first as usize).max(1),
                crate::tables::stream::LATER_WINDOW_BYTES,
            ),
            None => Tokeniser::default(),
        };
        JsTokeniser(Some(t))
    }

    /// Feeds the next chunk; returns the windows it completed (Uint8Arrays).
    /// Each is written into the first buffer of `pool` that holds it (taken
    /// out of the pool; the window a view of its first bytes), else into a
    /// new one. Throws when the bytes are not a text table (a spreadsheet,
    /// binary).
    #[wasm_bindgen(unchecked_return_type = "Uint8Array[]")]
    pub fn push(
        &mut self,
        chunk: &[u8],
        #[wasm_bindgen(unchecked_param_type = "Uint8Array[] | undefined")] pool: Option<
            js_sys::Array,
        >,
    ) -> Result<js_sys::Array, JsError> {
        let t = self.0.as_mut().ok_or_else(finished)?;
        windows(pool, |emit| t.push(chunk, emit))
    }

    /// Ends the file; returns its last windows (written as `push` writes them).
    #[wasm_bindgen(unchecked_return_type = "Uint8Array[]")]
    pub fn finish(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array[] | undefined")] pool: Option<
            js_sys::Array,
        >,
    ) -> Result<js_sys::Array, JsError> {
        let t = self.0.take().ok_or_else(finished)?;
        windows(pool, |emit| t.finish(emit))
    }
}

fn finished() -> JsError {
    JsError::new("the tokeniser has finished its file")
}

impl Default for JsWorkbook {
    fn default() -> Self {
        Self::new()
    }
}
