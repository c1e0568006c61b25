//! One model from many files: each format has its reader (the JSON AST in
//! [`crate::model`], the IDL in [`crate::idl`]), both give JSON AST documents; this
//! module merges them by the spec's rules and keeps, for every shape, the file it came
//! from, so that a diagnostic names the file, line and column.
//!
//! Merging: a shape defined in two files must be defined the same way; `apply`
//! entries from any file add their traits (a trait applied twice must agree, and
//! list-valued traits are concatenated); metadata keys merge (equal values are kept,
//! two lists are concatenated, anything else is a conflict). [`crate::model::load_value`]
//! then adds the prelude, copies mixins in and applies what is left to apply.

use crate::error::{Diagnostic, Error, Result};
use crate::idl;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One model file: its name (a path, as shown in messages) and its text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file name, as diagnostics show it; `.smithy` files are read as IDL, every
    /// other file as the JSON AST.
    pub name: String,
    /// The file's text.
    pub text: String,
}

impl Source {
    /// A source from a name and text. A byte order mark at the start of the text is
    /// not part of it (JSON parsers may ignore one, and editors on Windows write one).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Source {
            name: name.into(),
            text,
        }
    }

    fn is_idl(&self) -> bool {
        self.name.ends_with(".smithy")
    }
}

/// Where the parts of an assembled model were written.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    /// For each shape id: the index of the file that defines it.
    owners: BTreeMap<String, usize>,
    /// The files: name, and either the JSON text or the IDL spans.
    files: Vec<(String, FileSpans)>,
}

#[derive(Debug, Clone)]
enum FileSpans {
    /// The JSON text, and the (line, column) of each object key by JSON path: found
    /// only when a diagnostic needs them (see [`json_spans`]).
    Json(String, std::sync::OnceLock<BTreeMap<String, (u32, u32)>>),
    Idl(BTreeMap<String, idl::Span>),
}

/// How deep into a JSON AST document key positions are recorded: shapes, their
/// members, and the traits of both (`$.shapes[id].members.m.traits[t]`), plus one
/// level into a trait's value.
const SPAN_DEPTH: usize = 7;

/// The position (1-based line and column, in chars) of every object key of a JSON
/// document down to `SPAN_DEPTH`, by the key's JSON path (`$.shapes["ns#A"].members.b`).
/// The text has already been parsed, so it is well-formed; anything unexpected ends
/// the scan early rather than failing.
pub fn json_spans(text: &str) -> BTreeMap<String, (u32, u32)> {
    struct Scan<'t> {
        b: &'t [u8],
        text: &'t str,
        i: usize,
        line: u32,
        col: u32,
        out: BTreeMap<String, (u32, u32)>,
    }
    impl Scan<'_> {
        fn bump(&mut self) {
            if let Some(&c) = self.b.get(self.i) {
                if c == b'\n' {
                    self.line += 1;
                    self.col = 1;
                } else if c & 0xC0 != 0x80 {
                    self.col += 1;
                }
                self.i += 1;
            }
        }
        fn ws(&mut self) {
            while self.b.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
                self.bump();
            }
        }
        /// A string starting at `"`; returns its text (escapes decoded by serde_json).
        fn string(&mut self) -> Option<String> {
            let start = self.i;
            self.bump();
            while let Some(&c) = self.b.get(self.i) {
                match c {
                    b'\\' => {
                        self.bump();
                        self.bump();
                    }
                    b'"' => {
                        self.bump();
                        return serde_json::from_str(self.text.get(start..self.i)?).ok();
                    }
                    _ => self.bump(),
                }
            }
            None
        }
        fn value(&mut self, path: &str, depth: usize) -> Option<()> {
            self.ws();
            match *self.b.get(self.i)? {
                b'{' => {
                    self.bump();
                    loop {
                        self.ws();
                        match *self.b.get(self.i)? {
                            b'}' => {
                                self.bump();
                                return Some(());
                            }
                            b',' => self.bump(),
                            b'"' => {
                                let at = (self.line, self.col);
                                let key = self.string()?;
                                let p = crate::model::json_path_key(path, &key);
                                self.ws();
                                if self.b.get(self.i) == Some(&b':') {
                                    self.bump();
                                }
                                if depth < SPAN_DEPTH {
                                    self.out.insert(p.clone(), at);
                                    self.value(&p, depth + 1)?;
                                } else {
                                    self.value("", depth + 1)?;
                                }
                            }
                            _ => return None,
                        }
                    }
                }
                b'[' => {
                    self.bump();
                    let mut n = 0;
                    loop {
                        self.ws();
                        match *self.b.get(self.i)? {
                            b']' => {
                                self.bump();
                                return Some(());
                            }
                            b',' => self.bump(),
                            _ => {
                                let p = if depth < SPAN_DEPTH {
                                    format!("{path}[{n}]")
                                } else {
                                    String::new()
                                };
                                self.value(&p, depth + 1)?;
                                n += 1;
                            }
                        }
                    }
                }
                b'"' => self.string().map(drop),
                _ => {
                    while self.b.get(self.i).is_some_and(|c| {
                        !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace()
                    }) {
                        self.bump();
                    }
                    Some(())
                }
            }
        }
    }
    let mut s = Scan {
        b: text.as_bytes(),
        text,
        i: 0,
        line: 1,
        col: 1,
        out: BTreeMap::new(),
    };
    let _ = s.value("$", 0);
    s.out
}

impl Locator {
    /// The file, line and column a JSON path of the merged document points at.
    pub fn locate(&self, path: &str) -> Option<(String, usize, usize)> {
        let owner = shape_of_path(path).and_then(|id| self.owners.get(&id));
        if let Some(found) = owner.and_then(|&fi| self.locate_in(fi, path)) {
            return Some(found);
        }
        // A path under no shape of the model (an `apply` entry, a key that is no shape
        // id, the document's top): the first file that has it exactly, else, in a model
        // of one file, the nearest part of it there.
        (0..self.files.len())
            .find_map(|fi| self.locate_exact(fi, path))
            .or_else(|| {
                if self.files.len() == 1 {
                    self.locate_in(0, path)
                } else {
                    None
                }
            })
    }

    /// Where the `fi`th file has exactly `path`.
    fn locate_exact(&self, fi: usize, path: &str) -> Option<(String, usize, usize)> {
        let (name, spans) = self.files.get(fi)?;
        let (line, column) = match spans {
            FileSpans::Json(text, spans) => spans
                .get_or_init(|| json_spans(text))
                .get(path)
                .map(|&(line, col)| (line as usize, col as usize))?,
            FileSpans::Idl(spans) => spans
                .get(path)
                .map(|s| (s.line as usize, s.column as usize))?,
        };
        Some((name.clone(), line, column))
    }

    /// The file, line and column a JSON path points at in the `fi`th file.
    fn locate_in(&self, fi: usize, path: &str) -> Option<(String, usize, usize)> {
        let (name, spans) = self.files.get(fi)?;
        match spans {
            FileSpans::Json(text, spans) => {
                crate::error::position_in(spans.get_or_init(|| json_spans(text)), path)
                    .map(|(line, col)| (name.clone(), line, col))
            }
            FileSpans::Idl(spans) => crate::error::longest_prefix(path, |p| {
                spans
                    .get(p)
                    .map(|s| (name.clone(), s.line as usize, s.column as usize))
            }),
        }
    }

    /// Adds file positions to the diagnostics of an error.
    pub fn annotate(&self, mut e: Error) -> Error {
        if let Error::Invalid(ds) = &mut e {
            for d in ds {
                self.annotate_one(d);
            }
        }
        e
    }

    /// Adds the file position to one diagnostic.
    pub fn annotate_one(&self, d: &mut Diagnostic) {
        if let Some((file, line, column)) = self.locate(&d.path) {
            d.file = Some(file);
            d.line = Some(line);
            d.column = Some(column);
        }
    }
}

/// The shape id a JSON path of the document is under (`$.shapes["ns#A"].members.b`).
fn shape_of_path(path: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix("$.shapes.") {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        return Some(rest[..end].to_string());
    }
    let rest = path.strip_prefix("$.shapes[")?;
    let mut de = serde_json::Deserializer::from_str(rest).into_iter::<String>();
    de.next()?.ok()
}

/// An assembled model: one JSON AST document (prelude not included) and where its
/// parts were written.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The merged JSON AST.
    pub document: Value,
    /// Where each shape was written.
    pub locator: Locator,
}

/// Reads and merges the files of one model.
pub fn assemble(sources: &[Source]) -> Result<Assembled> {
    // Read each file: JSON documents now; IDL files are parsed, then resolved together
    // once every shape id of the model is known.
    let mut json_docs: Vec<(usize, Value)> = Vec::new();
    let mut parsed: Vec<(usize, idl::ParsedFile)> = Vec::new();
    for (i, s) in sources.iter().enumerate() {
        if s.is_idl() {
            parsed.push((i, idl::parse(&s.name, &s.text).map_err(Error::Idl)?));
        } else {
            let mut v =
                crate::model::parse_json(s.text.as_bytes()).map_err(|e| e.in_file(&s.name))?;
            let problems = document_problems(&v);
            if !problems.is_empty() {
                let mut e = Error::Invalid(problems).with_lines(s.text.as_bytes());
                if let Error::Invalid(ds) = &mut e {
                    ds.iter_mut().for_each(|d| d.file = Some(s.name.clone()));
                }
                return Err(e);
            }
            if matches!(v.get("smithy").and_then(Value::as_str), Some("1" | "1.0")) {
                idl::upgrade_v1(&mut v);
            }
            json_docs.push((i, v));
        }
    }
    let mut known = idl::prelude_and_known_traits();
    for (_, v) in &json_docs {
        if let Some(shapes) = v.get("shapes").and_then(Value::as_object) {
            known.extend(shapes.keys().filter(|k| !k.contains('$')).cloned());
        }
    }
    for (_, p) in &parsed {
        known.extend(p.defined_shapes());
    }
    let external = |id: &str| -> Option<idl::ExternalShape> {
        json_docs.iter().find_map(|(_, v)| {
            let shape = v.get("shapes")?.get(id)?;
            Some(external_shape(shape))
        })
    };
    let files: Vec<idl::ParsedFile> = parsed.iter().map(|(_, p)| p.clone()).collect();
    let idl_docs = idl::resolve(&files, &known, &external).map_err(Error::Idl)?;

    let mut locator = Locator::default();
    let mut docs: Vec<(usize, Value)> = Vec::new();
    for (i, v) in json_docs {
        docs.push((i, v));
    }
    for ((i, _), d) in parsed.iter().zip(idl_docs) {
        docs.push((*i, d.value));
        locator
            .files
            .push((sources[*i].name.clone(), FileSpans::Idl(d.spans)));
    }
    // Index the files in source order.
    let mut file_index: BTreeMap<usize, usize> = BTreeMap::new();
    let mut ordered_files = Vec::new();
    let mut idl_spans = locator.files.into_iter();
    for (i, s) in sources.iter().enumerate() {
        file_index.insert(i, ordered_files.len());
        if s.is_idl() {
            if let Some(f) = idl_spans.next() {
                ordered_files.push(f);
            }
        } else {
            ordered_files.push((
                s.name.clone(),
                FileSpans::Json(s.text.clone(), std::sync::OnceLock::new()),
            ));
        }
    }
    locator.files = ordered_files;
    docs.sort_by_key(|(i, _)| *i);

    let mut problems = Vec::new();
    let mut shapes = Map::new();
    let mut applies: Vec<(String, Map<String, Value>, usize)> = Vec::new();
    let mut metadata = Map::new();
    let mut metadata_from: BTreeMap<String, usize> = BTreeMap::new();
    // The documents are taken apart: their shapes move into the merged model.
    for (i, mut doc) in docs {
        let fi = file_index.get(&i).copied().unwrap_or_default();
        let name = &sources[i].name;
        if let Some(Value::Object(m)) = doc.get("metadata") {
            for (k, v) in m {
                match metadata.get_mut(k) {
                    None => {
                        metadata.insert(k.clone(), v.clone());
                        metadata_from.insert(k.clone(), i);
                    }
                    Some(existing) if existing == v => {}
                    Some(Value::Array(existing)) if v.is_array() => {
                        if let Value::Array(more) = v {
                            existing.extend(more.iter().cloned());
                        }
                    }
                    Some(_) => {
                        let first = metadata_from
                            .get(k)
                            .map(|f| sources[*f].name.as_str())
                            .unwrap_or_default();
                        problems.push(Diagnostic::new(
                            format!("metadata `{k}`"),
                            format!("$.metadata[{}]", Value::String(k.clone())),
                            format!("`{name}` and `{first}` give the metadata key different values that cannot be merged (only equal values and lists merge)"),
                        ));
                    }
                }
            }
        }
        let Some(Value::Object(doc_shapes)) = doc.get_mut("shapes").map(Value::take) else {
            continue;
        };
        for (id, mut shape) in doc_shapes {
            if shape.get("type").and_then(Value::as_str) == Some("apply") {
                let traits = match shape.get_mut("traits").map(Value::take) {
                    Some(Value::Object(traits)) => traits,
                    _ => Map::new(),
                };
                applies.push((id, traits, fi));
                continue;
            }
            match shapes.get(&id) {
                Some(existing) if *existing == shape => {}
                Some(_) => {
                    let first = locator
                        .owners
                        .get(&id)
                        .and_then(|f| locator.files.get(*f))
                        .map(|(n, _)| n.as_str())
                        .unwrap_or_default();
                    problems.push(Diagnostic::new(
                        id.as_str(),
                        format!("$.shapes[{}]", Value::String(id.clone())),
                        format!("defined differently in `{first}` and `{name}`"),
                    ));
                }
                None => {
                    locator.owners.insert(id.clone(), fi);
                    shapes.insert(id, shape);
                }
            }
        }
    }
    // Apply: fold the traits into the shape or member where it is defined here; what
    // targets a member that comes from a mixin stays an `apply` entry, merged per target.
    let mut left: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (id, traits, fi) in applies {
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s.to_string(), Some(m.to_string())),
            None => (id.clone(), None),
        };
        if !shapes.contains_key(&shape_id) {
            let why = if shape_id.starts_with("smithy.api#") {
                format!(
                    "traits cannot be applied to `{id}`: the shapes of the prelude cannot change"
                )
            } else {
                format!("traits are applied to `{id}`, but the model defines no shape `{shape_id}`")
            };
            let path = format!("$.shapes[{}]", Value::String(id.clone()));
            let mut d = Diagnostic::new(id.as_str(), path.clone(), why);
            if let Some((file, line, column)) = locator.locate_in(fi, &path) {
                d.file = Some(file);
                d.line = Some(line);
                d.column = Some(column);
            }
            problems.push(d);
            continue;
        }
        let target = shapes.get_mut(&shape_id).and_then(|s| match &member {
            None => Some(s),
            // A list's or map's members stand beside its other properties.
            Some(m)
                if matches!(m.as_str(), "member" | "key" | "value")
                    && matches!(
                        s.get("type").and_then(Value::as_str),
                        Some("list" | "set" | "map")
                    ) =>
            {
                s.get_mut(m.as_str())
            }
            Some(m) => s.get_mut("members").and_then(|ms| ms.get_mut(m.as_str())),
        });
        let file = locator
            .files
            .get(fi)
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        match target {
            Some(t) => {
                let Some(obj) = t.as_object_mut() else {
                    continue;
                };
                let entry = obj
                    .entry("traits")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(existing) = entry.as_object_mut() {
                    merge_traits(existing, traits, &id, &file, &mut problems);
                }
            }
            None => {
                let existing = left.entry(id.clone()).or_default();
                merge_traits(existing, traits, &id, &file, &mut problems);
            }
        }
    }
    for (id, traits) in left {
        let mut entry = Map::new();
        entry.insert("type".into(), Value::String("apply".into()));
        entry.insert("traits".into(), Value::Object(traits));
        shapes.insert(id, Value::Object(entry));
    }
    if !problems.is_empty() {
        let e = Error::Invalid(problems);
        return Err(locator.annotate(e));
    }
    name_enum_values(&mut shapes);
    add_framework_shapes(&mut shapes);
    let mut document = Map::new();
    document.insert("smithy".into(), Value::String("2.0".into()));
    if !metadata.is_empty() {
        document.insert("metadata".into(), Value::Object(metadata));
    }
    document.insert("shapes".into(), Value::Object(shapes));
    Ok(Assembled {
        document: Value::Object(document),
        locator,
    })
}

/// What is wrong with the top of a JSON AST document: its version, and the kinds of
/// `shapes` and `metadata` (the shapes themselves are read later).
fn document_problems(doc: &Value) -> Vec<Diagnostic> {
    let Some(top) = doc.as_object() else {
        return vec![Diagnostic::new(
            "",
            "$",
            "a JSON AST model must be an object",
        )];
    };
    let mut problems: Vec<Diagnostic> = crate::model::version_problem(top).into_iter().collect();
    for key in ["shapes", "metadata"] {
        if top.get(key).is_some_and(|v| !v.is_object()) {
            problems.push(Diagnostic::new(
                "",
                format!("$.{key}"),
                format!("`{key}` must be an object"),
            ));
        }
    }
    problems
}

/// Gives each member of a string enum that has no `enumValue` (an IDL member written
/// without `= "value"`, and given none by an `apply`) its own name, as Smithy does,
/// except a member that redeclares one of a mixin's: that keeps the mixin's value.
fn name_enum_values(shapes: &mut Map<String, Value>) {
    fn in_mixins(shapes: &Map<String, Value>, shape: &Value, member: &str, depth: usize) -> bool {
        let Some(Value::Array(mixins)) = shape.get("mixins") else {
            return false;
        };
        depth < 64
            && mixins.iter().any(|m| {
                let Some(mixin) = m
                    .get("target")
                    .and_then(Value::as_str)
                    .and_then(|t| shapes.get(t))
                else {
                    return false;
                };
                mixin.get("members").and_then(|ms| ms.get(member)).is_some()
                    || in_mixins(shapes, mixin, member, depth + 1)
            })
    }
    let mut named: Vec<(String, String)> = Vec::new();
    for (id, shape) in shapes.iter() {
        if shape.get("type").and_then(Value::as_str) != Some("enum") {
            continue;
        }
        let Some(Value::Object(members)) = shape.get("members") else {
            continue;
        };
        for (name, member) in members {
            if !idl::has_trait(member, "smithy.api#enumValue") && !in_mixins(shapes, shape, name, 0)
            {
                named.push((id.clone(), name.clone()));
            }
        }
    }
    for (id, name) in named {
        let Some(Value::Object(member)) = shapes
            .get_mut(&id)
            .and_then(|s| s.get_mut("members"))
            .and_then(|ms| ms.get_mut(&name))
        else {
            continue;
        };
        idl::add_trait(member, "smithy.api#enumValue", Value::String(name));
    }
}

/// Whether a key or string anywhere in the value contains the text (which needs no
/// escaping in JSON: as the value's JSON text containing it).
fn mentions(value: &Value, text: &str) -> bool {
    match value {
        Value::String(s) => s.contains(text),
        Value::Array(items) => items.iter().any(|v| mentions(v, text)),
        Value::Object(m) => m.iter().any(|(k, v)| k.contains(text) || mentions(v, text)),
        _ => false,
    }
}

/// Smithy's standard `smithy.framework` shapes (the `ValidationException` that
/// servers return for invalid input), written here in our own form, added when the
/// model names them and does not define them, as Smithy's loader does.
fn add_framework_shapes(shapes: &mut Map<String, Value>) {
    const EXCEPTION: &str = "smithy.framework#ValidationException";
    if shapes.contains_key(EXCEPTION) {
        return;
    }
    let referenced = shapes.values().any(|s| mentions(s, EXCEPTION));
    if !referenced {
        return;
    }
    let defs = serde_json::json!({
        "smithy.framework#ValidationException": {
            "type": "structure",
            "members": {
                "message": {
                    "target": "smithy.api#String",
                    "traits": {
                        "smithy.api#required": {},
                        "smithy.api#documentation": "What was wrong with the input, for a person."
                    }
                },
                "fieldList": {
                    "target": "smithy.framework#ValidationExceptionFieldList",
                    "traits": {"smithy.api#documentation": "Each member that failed, and why."}
                }
            },
            "traits": {
                "smithy.api#error": "client",
                "smithy.api#documentation": "The input did not satisfy the constraints of the model."
            }
        },
        "smithy.framework#ValidationExceptionFieldList": {
            "type": "list",
            "member": {"target": "smithy.framework#ValidationExceptionField"}
        },
        "smithy.framework#ValidationExceptionField": {
            "type": "structure",
            "members": {
                "path": {
                    "target": "smithy.api#String",
                    "traits": {
                        "smithy.api#required": {},
                        "smithy.api#documentation": "A JSON pointer to the member that failed."
                    }
                },
                "message": {
                    "target": "smithy.api#String",
                    "traits": {
                        "smithy.api#required": {},
                        "smithy.api#documentation": "Why it failed."
                    }
                }
            },
            "traits": {"smithy.api#documentation": "One member that failed validation."}
        }
    });
    if let Value::Object(defs) = defs {
        for (k, v) in defs {
            shapes.entry(k).or_insert(v);
        }
    }
}

/// Adds applied traits to a trait map: a trait given again must have the same value,
/// except lists, which are concatenated.
fn merge_traits(
    existing: &mut Map<String, Value>,
    traits: Map<String, Value>,
    id: &str,
    file: &str,
    problems: &mut Vec<Diagnostic>,
) {
    for (k, v) in traits {
        match existing.get_mut(&k) {
            None => {
                existing.insert(k, v);
            }
            Some(old) if *old == v => {}
            Some(Value::Array(old)) if v.is_array() => {
                if let Value::Array(more) = v {
                    old.extend(more);
                }
            }
            Some(_) => problems.push(Diagnostic::new(
                format!("{id} @{k}"),
                format!("$.shapes[{}]", Value::String(id.split('$').next().unwrap_or(id).to_string())),
                format!("`{file}` applies the trait with a value that conflicts with the one already there"),
            )),
        }
    }
}

fn external_shape(shape: &Value) -> idl::ExternalShape {
    let pairs = |key: &str| -> Vec<(String, String)> {
        shape
            .get(key)
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| {
                        let t = v.get("target").and_then(Value::as_str).or(v.as_str())?;
                        Some((k.clone(), t.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    idl::ExternalShape {
        shape_type: shape
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        members: pairs("members"),
        identifiers: pairs("identifiers"),
        properties: pairs("properties"),
        mixins: shape
            .get("mixins")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.get("target").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The JSON AST of an assembled model, as `smithy ast` prints it (no prelude).
pub fn to_json_ast(assembled: &Assembled) -> String {
    serde_json::to_string_pretty(&assembled.document).unwrap_or_default()
}

/// Every `.smithy` and `.json` file of the given files and folders (folders searched
/// recursively, files in name order).
pub fn collect_files(paths: &[std::path::PathBuf]) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = BTreeSet::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.insert(p.clone());
        }
    }
    Ok(out.into_iter().collect())
}

fn walk(dir: &std::path::Path, out: &mut BTreeSet<std::path::PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "smithy" || x == "json") {
            out.insert(p);
        }
    }
    Ok(())
}
