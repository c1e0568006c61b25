//! Resolution: relative shape ids to absolute ones, elided members to targets, syntax
//! trees to JSON AST documents with a span for every shape, member and trait.

use super::ast::*;
use super::lexer::Pos;
use super::{prelude_names, Document, ExternalShape, IdlError, ParsedFile, Span};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

type RResult<T> = Result<T, IdlError>;

const MAX_MIXIN_DEPTH: usize = 32;

/// The shape types whose annotation traits become `[]` rather than `{}`.
fn is_list_type(t: &str) -> bool {
    matches!(t, "list" | "set")
}

/// Per-file naming context.
struct Ctx<'a> {
    ns: Option<&'a str>,
    uses: HashMap<&'a str, &'a str>,
}

/// Everything the resolver knows about the model.
struct Model<'a> {
    files: &'a [ParsedFile],
    ctxs: Vec<Ctx<'a>>,
    /// Absolute id -> (file index, shape index).
    defined: HashMap<String, (usize, usize)>,
    external: &'a dyn Fn(&str) -> Option<ExternalShape>,
    member_cache: RefCell<HashMap<String, Vec<(String, String)>>>,
    /// Namespace -> shape names, of the files and of `known` (lookups without
    /// building ids).
    names: HashMap<&'a str, HashSet<&'a str>>,
    /// Shapes whose members are being computed (guards against mixin cycles).
    in_progress: RefCell<BTreeSet<String>>,
}

fn split_member(id: &str) -> (&str, Option<&str>) {
    match id.split_once('$') {
        Some((root, m)) => (root, Some(m)),
        None => (id, None),
    }
}

fn err(file: &ParsedFile, pos: Pos, msg: impl Into<String>) -> IdlError {
    IdlError::at(&file.file, &file.text, pos, msg.into())
}

/// Resolves every file into a document.
pub(crate) fn resolve_all(
    files: &[ParsedFile],
    known: &BTreeSet<String>,
    external: &dyn Fn(&str) -> Option<ExternalShape>,
) -> RResult<Vec<Document>> {
    let mut defined: HashMap<String, (usize, usize)> = HashMap::new();
    for (fi, f) in files.iter().enumerate() {
        let Some(ns) = f.namespace.as_deref() else {
            continue;
        };
        for (si, s) in f.shapes.iter().enumerate() {
            // A shape defined again the same way is one shape, as in Smithy; one
            // defined again differently is refused when its file is resolved.
            defined
                .entry(format!("{ns}#{}", s.name))
                .or_insert((fi, si));
        }
    }
    let mut ctxs = Vec::with_capacity(files.len());
    for f in files {
        ctxs.push(make_ctx(f)?);
    }
    let mut names: HashMap<&str, HashSet<&str>> = HashMap::new();
    for id in known {
        if let Some((ns, name)) = id.split_once('#') {
            names.entry(ns).or_default().insert(name);
        }
    }
    for f in files {
        if let Some(ns) = f.namespace.as_deref() {
            let set = names.entry(ns).or_default();
            for s in &f.shapes {
                set.insert(s.name.as_str());
            }
        }
    }
    let model = Model {
        names,
        files,
        ctxs,
        defined,
        external,
        member_cache: RefCell::new(HashMap::new()),
        in_progress: RefCell::new(BTreeSet::new()),
    };
    let mut docs = Vec::with_capacity(files.len());
    for fi in 0..files.len() {
        docs.push(model.document(fi)?);
    }
    Ok(docs)
}

fn make_ctx(f: &ParsedFile) -> RResult<Ctx<'_>> {
    let ns = f.namespace.as_deref();
    let mut uses: HashMap<&str, &str> = HashMap::new();
    for (id, pos) in &f.uses {
        let name = id.rsplit('#').next().unwrap_or(id);
        if let Some(prev) = uses.get(name) {
            if *prev != id.as_str() {
                return Err(err(
                    f,
                    *pos,
                    format!("cannot use name `{id}` because it conflicts with `{prev}`"),
                ));
            }
        }
        if let Some(ns) = ns {
            if id.split('#').next() != Some(ns) && f.shapes.iter().any(|s| s.name == name) {
                let s = f.shapes.iter().find(|s| s.name == name);
                let p = s.map(|s| s.pos).unwrap_or(*pos);
                return Err(err(
                    f,
                    p,
                    format!("shape name `{name}` conflicts with imported shape `{id}`"),
                ));
            }
        }
        uses.insert(name, id.as_str());
    }
    Ok(Ctx { ns, uses })
}

impl<'a> Model<'a> {
    fn has(&self, ns: &str, name: &str) -> bool {
        self.names.get(ns).is_some_and(|n| n.contains(name))
    }

    fn in_prelude(&self, name: &str) -> Option<String> {
        if self.has("smithy.api", name) || prelude_names::is_prelude_shape(name) {
            Some(format!("smithy.api#{name}"))
        } else {
            None
        }
    }

    /// Resolves a shape id written in file `fi` (use, namespace, prelude, else the
    /// file's namespace). Returns `None` only when nothing matched and the file has no
    /// namespace.
    fn resolve_id(&self, fi: usize, raw: &str, strict: bool) -> Option<String> {
        if raw.contains('#') {
            return Some(raw.to_string());
        }
        let ctx = &self.ctxs[fi];
        let (root, member) = split_member(raw);
        let with_member = |s: String| match member {
            Some(m) => format!("{s}${m}"),
            None => s,
        };
        if let Some(abs) = ctx.uses.get(root) {
            return Some(with_member(abs.to_string()));
        }
        if let Some(ns) = ctx.ns {
            if self.has(ns, root) {
                return Some(with_member(format!("{ns}#{root}")));
            }
        }
        if let Some(p) = self.in_prelude(root) {
            return Some(with_member(p));
        }
        if strict {
            return None;
        }
        ctx.ns.map(|ns| with_member(format!("{ns}#{root}")))
    }

    fn target(&self, fi: usize, raw: &str) -> String {
        self.resolve_id(fi, raw, false)
            .unwrap_or_else(|| format!("smithy.api#{raw}"))
    }

    /// The type of a shape, when known.
    fn shape_type(&self, id: &str) -> Option<String> {
        if let Some(&(f, s)) = self.defined.get(id) {
            return Some(self.files[f].shapes[s].kind.clone());
        }
        if let Some(e) = (self.external)(id) {
            if !e.shape_type.is_empty() {
                return Some(e.shape_type);
            }
        }
        prelude_names::known_trait_type(id).map(str::to_string)
    }

    // ----- nodes -----

    fn node(&self, fi: usize, n: &Node) -> RResult<Value> {
        Ok(match &n.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(num) => num.value.clone(),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Id(raw) => match self.resolve_id(fi, raw, true) {
                Some(id) => Value::String(id),
                None if self.files[fi].v2 => {
                    let guess = match self.ctxs[fi].ns {
                        Some(ns) => format!("{ns}#{raw}` or `smithy.api#{raw}"),
                        None => format!("smithy.api#{raw}"),
                    };
                    return Err(err(
                        &self.files[fi],
                        n.pos,
                        format!(
                            "syntactic shape id `{raw}` does not resolve to a shape (no `{guess}`); quote it to write a string"
                        ),
                    ));
                }
                None => Value::String(raw.clone()),
            },
            NodeKind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.node(fi, i)?);
                }
                Value::Array(out)
            }
            NodeKind::Object(entries) => {
                let mut out = Map::new();
                for (k, _, v) in entries {
                    out.insert(k.clone(), self.node(fi, v)?);
                }
                Value::Object(out)
            }
        })
    }

    fn trait_value(&self, fi: usize, name: &str, t: &TraitApp) -> RResult<Value> {
        match &t.value {
            Some(n) => self.node(fi, n),
            None => {
                let list = self.shape_type(name).is_some_and(|k| is_list_type(&k));
                Ok(if list {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Map::new())
                })
            }
        }
    }

    // ----- members, mixins, elision -----

    /// Members of a resource's identifiers and properties.
    fn resource_bindings(&self, id: &str) -> Vec<(String, String)> {
        if let Some(&(f, s)) = self.defined.get(id) {
            let shape = &self.files[f].shapes[s];
            let mut out = Vec::new();
            for key in ["identifiers", "properties"] {
                for p in shape.props.iter().filter(|p| p.key == key) {
                    if let PropValue::Node(Node {
                        kind: NodeKind::Object(entries),
                        ..
                    }) = &p.value
                    {
                        for (name, _, v) in entries {
                            if let NodeKind::Id(raw) | NodeKind::Str(raw) = &v.kind {
                                out.push((name.clone(), self.target(f, raw)));
                            }
                        }
                    }
                }
            }
            return out;
        }
        match (self.external)(id) {
            Some(e) => e.identifiers.into_iter().chain(e.properties).collect(),
            None => Vec::new(),
        }
    }

    /// All members of a shape, inherited ones included (name, absolute target).
    fn all_members(&self, id: &str, depth: usize) -> Vec<(String, String)> {
        if depth > MAX_MIXIN_DEPTH {
            return Vec::new();
        }
        if let Some(v) = self.member_cache.borrow().get(id) {
            return v.clone();
        }
        if !self.in_progress.borrow_mut().insert(id.to_string()) {
            return Vec::new();
        }
        let mut out: Vec<(String, String)> = Vec::new();
        if let Some(&(f, s)) = self.defined.get(id) {
            let shape = &self.files[f].shapes[s];
            let inherited = self.inherited(f, shape, depth + 1);
            for (n, t) in &inherited {
                if !out.iter().any(|(m, _)| m == n) {
                    out.push((n.clone(), t.clone()));
                }
            }
            for m in &shape.members {
                let t = match &m.target {
                    Some((raw, _)) => Some(self.target(f, raw)),
                    None => self.elided(f, shape, &m.name, &inherited),
                };
                if let Some(t) = t {
                    if let Some(e) = out.iter_mut().find(|(n, _)| *n == m.name) {
                        e.1 = t;
                    } else {
                        out.push((m.name.clone(), t));
                    }
                }
            }
        } else if let Some(e) = (self.external)(id) {
            for mx in &e.mixins {
                for (n, t) in self.all_members(mx, depth + 1) {
                    if !out.iter().any(|(m, _)| *m == n) {
                        out.push((n, t));
                    }
                }
            }
            for (n, t) in e.members {
                if let Some(x) = out.iter_mut().find(|(m, _)| *m == n) {
                    x.1 = t;
                } else {
                    out.push((n, t));
                }
            }
        }
        self.in_progress.borrow_mut().remove(id);
        self.member_cache
            .borrow_mut()
            .insert(id.to_string(), out.clone());
        out
    }

    /// The members a shape inherits from its mixins, in mixin order.
    fn inherited(&self, fi: usize, shape: &ShapeDef, depth: usize) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (raw, _) in &shape.mixins {
            let id = self.target(fi, raw);
            for (n, t) in self.all_members(&id, depth) {
                if !out.iter().any(|(m, _)| *m == n) {
                    out.push((n, t));
                }
            }
        }
        out
    }

    /// The target of an elided member: the bound resource's identifiers and
    /// properties first, then the mixins.
    fn elided(
        &self,
        fi: usize,
        shape: &ShapeDef,
        name: &str,
        inherited: &[(String, String)],
    ) -> Option<String> {
        if let Some((raw, _)) = &shape.for_resource {
            let rid = self.target(fi, raw);
            if let Some((_, t)) = self
                .resource_bindings(&rid)
                .into_iter()
                .find(|(n, _)| n == name)
            {
                return Some(t);
            }
        }
        inherited
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    }

    // ----- documents -----

    fn document(&self, fi: usize) -> RResult<Document> {
        let f = &self.files[fi];
        let mut b = Builder {
            file: f,
            spans: BTreeMap::new(),
        };
        let mut metadata = Map::new();
        for m in &f.metadata {
            let v = self.node(fi, &m.value)?;
            let path = format!("$.metadata{}", key_path(&m.key));
            match metadata.get_mut(&m.key) {
                Some(Value::Array(old)) if v.is_array() => {
                    if let Value::Array(more) = v {
                        old.extend(more);
                    }
                }
                Some(old) if *old == v => {}
                Some(_) => {
                    return Err(err(
                        f,
                        m.pos,
                        format!(
                            "metadata `{}` is defined more than once with different values",
                            m.key
                        ),
                    ))
                }
                None => {
                    metadata.insert(m.key.clone(), v);
                    b.span(path, m.pos);
                }
            }
        }
        let mut shapes = Map::new();
        if let Some(ns) = f.namespace.as_deref() {
            for (si, s) in f.shapes.iter().enumerate() {
                let id = format!("{ns}#{}", s.name);
                let v = self.shape(fi, &id, s, &mut b)?;
                // (A first definition in another file: the two files' documents are
                // compared when the model is assembled.)
                if shapes.get(&id).is_some_and(|earlier| *earlier != v) {
                    let first = self.defined.get(&id).copied().unwrap_or((fi, si));
                    let other = &self.files[first.0];
                    let op = other.shapes[first.1].pos;
                    return Err(err(
                        f,
                        s.pos,
                        format!(
                            "shape `{id}` is defined more than once, differently (also at {}:{}:{})",
                            other.file, op.line, op.col
                        ),
                    ));
                }
                shapes.insert(id, v);
            }
            for a in &f.applies {
                self.apply(fi, a, &mut shapes, &mut b)?;
            }
        }
        let mut doc = Map::new();
        doc.insert(
            "smithy".into(),
            Value::String(if f.v2 { "2.0" } else { "1.0" }.into()),
        );
        if !metadata.is_empty() {
            doc.insert("metadata".into(), Value::Object(metadata));
        }
        doc.insert("shapes".into(), Value::Object(shapes));
        let mut value = Value::Object(doc);
        if !f.v2 {
            super::upgrade::upgrade_v1(&mut value);
        }
        Ok(Document {
            value,
            spans: b.spans,
        })
    }

    /// Adds traits (with their spans) to a trait map.
    fn add_traits(
        &self,
        fi: usize,
        traits: &[TraitApp],
        out: &mut Map<String, Value>,
        path: &str,
        b: &mut Builder,
        doc_from_comment: bool,
    ) -> RResult<()> {
        let f = &self.files[fi];
        for t in traits {
            let name = self.target(fi, &t.name);
            if name == "smithy.api#mixin" && !f.v2 {
                return Err(err(
                    f,
                    t.pos,
                    "mixins can only be used in Smithy 2.0 or later (this file uses IDL 1.0)",
                ));
            }
            if name == "smithy.api#default" && !f.v2 {
                return Err(err(
                    f,
                    t.pos,
                    "the @default trait can only be used in Smithy 2.0 or later (this file uses IDL 1.0)",
                ));
            }
            let value = self.trait_value(fi, &name, t)?;
            let tpath = format!("{path}.traits{}", key_path(&name));
            // A `///` comment is the documentation trait written another way: an
            // explicit @documentation with another text conflicts with it, as in Smithy.
            if name == "smithy.api#documentation"
                && doc_from_comment
                && out.get(&name) != Some(&value)
            {
                return Err(err(
                    f,
                    t.pos,
                    "conflicting values for trait `smithy.api#documentation`: a `///` comment gives it one text, this @documentation another",
                ));
            }
            merge_trait(f, out, name, value, t.pos)?;
            b.span_if_absent(tpath, t.pos);
        }
        Ok(())
    }

    fn shape(&self, fi: usize, id: &str, s: &ShapeDef, b: &mut Builder) -> RResult<Value> {
        let f = &self.files[fi];
        let path = format!("$.shapes{}", key_path(id));
        b.span(path.clone(), s.pos);
        let mut obj = Map::new();
        obj.insert("type".into(), Value::String(s.kind.clone()));
        // Mixins.
        if !s.mixins.is_empty() {
            let mut list = Vec::new();
            for (raw, pos) in &s.mixins {
                let mid = self.target(fi, raw);
                if let Some(t) = self.shape_type(&mid) {
                    let same = t == s.kind || (is_list_type(&t) && is_list_type(&s.kind));
                    if !same {
                        return Err(err(
                            f,
                            *pos,
                            format!(
                                "mixins may only be mixed into shapes of the same type: `{mid}` is a {t}, `{id}` is a {}",
                                s.kind
                            ),
                        ));
                    }
                }
                list.push(target_obj(mid));
            }
            obj.insert("mixins".into(), Value::Array(list));
            b.span(format!("{path}.mixins"), s.mixins[0].1);
        }
        if !s.mixins.is_empty() && self.mixes_in_itself(id) {
            return Err(err(
                f,
                s.pos,
                format!("`{id}` mixes itself in (a mixin cycle)"),
            ));
        }
        // Members.
        let inherited = if s.mixins.is_empty() {
            Vec::new()
        } else {
            self.inherited_checked(fi, id, s)?
        };
        match s.kind.as_str() {
            "structure" | "union" | "enum" | "intEnum" => {
                let mut members = Map::new();
                for m in &s.members {
                    let mpath = format!("{path}.members{}", key_path(&m.name));
                    let v = self.member(fi, id, s, m, &inherited, &mpath, b)?;
                    members.insert(m.name.clone(), v);
                }
                obj.insert("members".into(), Value::Object(members));
            }
            "list" | "set" | "map" => {
                for m in &s.members {
                    let mpath = format!("{path}{}", key_path(&m.name));
                    let v = self.member(fi, id, s, m, &inherited, &mpath, b)?;
                    obj.insert(m.name.clone(), v);
                }
            }
            "operation" | "service" | "resource" => {
                self.props(fi, id, s, &mut obj, &path, b)?;
            }
            _ => {}
        }
        // Traits.
        let mut traits = Map::new();
        if let Some(d) = &s.doc {
            traits.insert(
                "smithy.api#documentation".into(),
                Value::String(d.text.clone()),
            );
            b.span(
                format!("{path}.traits[\"smithy.api#documentation\"]"),
                d.pos,
            );
        }
        self.add_traits(fi, &s.traits, &mut traits, &path, b, s.doc.is_some())?;
        if s.kind == "resource" && traits.contains_key("smithy.api#mixin") {
            if let Some(p) = s
                .props
                .iter()
                .find(|p| p.key == "identifiers" || p.key == "properties")
            {
                return Err(err(
                    f,
                    p.pos,
                    format!("resource mixin `{id}` may not define identifiers or properties"),
                ));
            }
        }
        if !traits.is_empty() {
            obj.insert("traits".into(), Value::Object(traits));
        }
        Ok(Value::Object(obj))
    }

    /// The mixins of a shape, as absolute ids.
    fn mixins_of(&self, id: &str) -> Vec<String> {
        if let Some(&(f, s)) = self.defined.get(id) {
            return self.files[f].shapes[s]
                .mixins
                .iter()
                .map(|(raw, _)| self.target(f, raw))
                .collect();
        }
        (self.external)(id).map(|e| e.mixins).unwrap_or_default()
    }

    /// Whether following mixins from `id` leads back to `id`.
    fn mixes_in_itself(&self, id: &str) -> bool {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack = self.mixins_of(id);
        while let Some(m) = stack.pop() {
            if m == id {
                return true;
            }
            if seen.insert(m.clone()) {
                stack.extend(self.mixins_of(&m));
            }
        }
        false
    }

    /// The members inherited from mixins, checking that mixins agree on targets.
    fn inherited_checked(
        &self,
        fi: usize,
        id: &str,
        s: &ShapeDef,
    ) -> RResult<Vec<(String, String)>> {
        let f = &self.files[fi];
        let mut out: Vec<(String, String, String)> = Vec::new();
        for (raw, pos) in &s.mixins {
            let mid = self.target(fi, raw);
            for (n, t) in self.all_members(&mid, 1) {
                if let Some((_, t0, from)) = out.iter().find(|(m, _, _)| *m == n) {
                    if *t0 != t {
                        return Err(err(
                            f,
                            *pos,
                            format!(
                                "member `{id}${n}` conflicts with an inherited mixin member: `{from}${n}` targets `{t0}`, `{mid}${n}` targets `{t}`"
                            ),
                        ));
                    }
                    continue;
                }
                out.push((n, t, mid.clone()));
            }
        }
        Ok(out.into_iter().map(|(n, t, _)| (n, t)).collect())
    }

    #[allow(clippy::too_many_arguments)]
    fn member(
        &self,
        fi: usize,
        id: &str,
        s: &ShapeDef,
        m: &MemberDef,
        inherited: &[(String, String)],
        mpath: &str,
        b: &mut Builder,
    ) -> RResult<Value> {
        let f = &self.files[fi];
        b.span(mpath.to_string(), m.pos);
        let is_enum = matches!(s.kind.as_str(), "enum" | "intEnum");
        let target = if is_enum {
            "smithy.api#Unit".to_string()
        } else {
            match &m.target {
                Some((raw, _)) => self.target(fi, raw),
                None => match self.elided(fi, s, &m.name, inherited) {
                    Some(t) => t,
                    None => {
                        return Err(err(
                            f,
                            m.pos,
                            format!(
                                "cannot elide the target of `{id}${}`: no mixin member or resource identifier or property has that name",
                                m.name
                            ),
                        ))
                    }
                },
            }
        };
        if !is_enum {
            if let Some((_, t0)) = inherited.iter().find(|(n, _)| *n == m.name) {
                if *t0 != target {
                    return Err(err(
                        f,
                        m.pos,
                        format!(
                            "member `{id}${}` conflicts with an inherited mixin member that targets `{t0}`",
                            m.name
                        ),
                    ));
                }
            }
        }
        let mut obj = Map::new();
        obj.insert("target".into(), Value::String(target));
        let mut traits = Map::new();
        if let Some(d) = &m.doc {
            traits.insert(
                "smithy.api#documentation".into(),
                Value::String(d.text.clone()),
            );
            b.span(
                format!("{mpath}.traits[\"smithy.api#documentation\"]"),
                d.pos,
            );
        }
        self.add_traits(fi, &m.traits, &mut traits, mpath, b, m.doc.is_some())?;
        let (vname, value) = if is_enum {
            ("smithy.api#enumValue", m.value.as_ref())
        } else {
            ("smithy.api#default", m.value.as_ref())
        };
        if let Some(v) = value {
            let jv = self.node(fi, v)?;
            if traits.contains_key(vname) {
                return Err(err(
                    f,
                    v.pos,
                    format!(
                        "`{id}${}` has both `= value` and a `@{vname}` trait",
                        m.name
                    ),
                ));
            }
            traits.insert(vname.into(), jv);
            b.span(format!("{mpath}.traits{}", key_path(vname)), v.pos);
        }
        // An enum member written without a value may still get one: from an `apply`,
        // or from the mixin whose member it redeclares. The model's assembly gives a
        // string enum's member its name when it has none in the end; an intEnum
        // member without a value is refused when the model is validated.
        if !traits.is_empty() {
            obj.insert("traits".into(), Value::Object(traits));
        }
        Ok(Value::Object(obj))
    }

    fn props(
        &self,
        fi: usize,
        id: &str,
        s: &ShapeDef,
        obj: &mut Map<String, Value>,
        path: &str,
        b: &mut Builder,
    ) -> RResult<()> {
        let f = &self.files[fi];
        let ns = f.namespace.as_deref().unwrap_or("");
        for p in &s.props {
            let ppath = format!("{path}{}", key_path(&p.key));
            b.span(ppath, p.pos);
            let node = match &p.value {
                PropValue::Inline(name) => {
                    obj.insert(p.key.clone(), target_obj(format!("{ns}#{name}")));
                    continue;
                }
                PropValue::Node(n) => n,
            };
            let v = match p.key.as_str() {
                "version" => match &node.kind {
                    NodeKind::Str(v) => Value::String(v.clone()),
                    _ => return Err(err(f, node.pos, "the service `version` must be a string")),
                },
                "input" | "output" | "create" | "put" | "read" | "update" | "delete" | "list" => {
                    self.ref_node(fi, node)?
                }
                "operations" | "resources" | "errors" | "collectionOperations" => {
                    let NodeKind::Array(items) = &node.kind else {
                        return Err(err(
                            f,
                            node.pos,
                            format!("`{}` must be a list of shape ids", p.key),
                        ));
                    };
                    let mut out = Vec::new();
                    for i in items {
                        out.push(self.ref_node(fi, i)?);
                    }
                    Value::Array(out)
                }
                "identifiers" | "properties" => {
                    let NodeKind::Object(entries) = &node.kind else {
                        return Err(err(
                            f,
                            node.pos,
                            format!("`{}` must be an object of names to shape ids", p.key),
                        ));
                    };
                    let mut out = Map::new();
                    for (k, _, v) in entries {
                        out.insert(k.clone(), self.ref_node(fi, v)?);
                    }
                    Value::Object(out)
                }
                "rename" => {
                    let NodeKind::Object(entries) = &node.kind else {
                        return Err(err(f, node.pos, "`rename` must be an object"));
                    };
                    let mut out = Map::new();
                    for (k, _, v) in entries {
                        let NodeKind::Str(name) = &v.kind else {
                            return Err(err(f, v.pos, "`rename` values must be strings"));
                        };
                        out.insert(self.target(fi, k), Value::String(name.clone()));
                    }
                    Value::Object(out)
                }
                _ => {
                    return Err(err(
                        f,
                        p.pos,
                        format!("unknown property `{}` of `{id}`", p.key),
                    ))
                }
            };
            obj.insert(p.key.clone(), v);
        }
        if s.kind == "operation" && s.mixins.is_empty() {
            for k in ["input", "output"] {
                if !obj.contains_key(k) {
                    obj.insert(k.into(), target_obj("smithy.api#Unit".into()));
                }
            }
        }
        Ok(())
    }

    fn ref_node(&self, fi: usize, n: &Node) -> RResult<Value> {
        match &n.kind {
            NodeKind::Id(raw) | NodeKind::Str(raw) => Ok(target_obj(self.target(fi, raw))),
            _ => Err(err(&self.files[fi], n.pos, "expected a shape id")),
        }
    }

    fn apply(
        &self,
        fi: usize,
        a: &ApplyDef,
        shapes: &mut Map<String, Value>,
        b: &mut Builder,
    ) -> RResult<()> {
        let f = &self.files[fi];
        let full = self.target(fi, &a.target);
        let (root, member) = split_member(&full);
        if root.starts_with("smithy.api#") && !shapes.contains_key(root) {
            return Err(err(
                f,
                a.pos,
                format!(
                    "traits cannot be applied to `{full}`: the shapes of the prelude cannot change"
                ),
            ));
        }
        // Where do the traits go: into a shape or member of this document, or an
        // `apply` entry.
        let local_path: Option<(String, Vec<&str>)> = match shapes.get(root) {
            Some(shape) => {
                let path = format!("$.shapes{}", key_path(root));
                match member {
                    None => Some((path, vec![])),
                    Some(m) => {
                        if shape.get("members").and_then(|ms| ms.get(m)).is_some() {
                            Some((format!("{path}.members{}", key_path(m)), vec!["members", m]))
                        } else if matches!(m, "member" | "key" | "value") && shape.get(m).is_some()
                        {
                            Some((format!("{path}{}", key_path(m)), vec![m]))
                        } else {
                            None
                        }
                    }
                }
            }
            None => None,
        };
        let (path, target_obj_ref): (String, &mut Map<String, Value>) = match local_path {
            Some((path, keys)) => {
                let mut cur = shapes.get_mut(root);
                for k in keys {
                    cur = cur.and_then(|v| v.get_mut(k));
                }
                let Some(Value::Object(o)) = cur else {
                    return Err(err(f, a.pos, "internal error: apply target vanished"));
                };
                (path, o)
            }
            None => {
                let path = format!("$.shapes{}", key_path(&full));
                b.span_if_absent(path.clone(), a.pos);
                let entry = shapes.entry(full.clone()).or_insert_with(|| {
                    let mut m = Map::new();
                    m.insert("type".into(), Value::String("apply".into()));
                    m.insert("traits".into(), Value::Object(Map::new()));
                    Value::Object(m)
                });
                let Value::Object(o) = entry else {
                    return Err(err(f, a.pos, "internal error: bad apply entry"));
                };
                (path, o)
            }
        };
        if a.traits.is_empty() {
            return Ok(());
        }
        let traits = target_obj_ref
            .entry("traits")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(traits) = traits else {
            return Err(err(f, a.pos, "internal error: traits is not an object"));
        };
        self.add_traits(fi, &a.traits, traits, &path, b, false)?;
        Ok(())
    }
}

/// Merges a trait value into a trait map: a repeated list trait concatenates, an equal
/// value is fine, anything else conflicts.
fn merge_trait(
    f: &ParsedFile,
    out: &mut Map<String, Value>,
    name: String,
    value: Value,
    pos: Pos,
) -> RResult<()> {
    match out.get_mut(&name) {
        None => {
            out.insert(name, value);
        }
        Some(Value::Array(old)) if value.is_array() => {
            if let Value::Array(more) = value {
                old.extend(more);
            }
        }
        Some(old) if *old == value => {}
        Some(_) => {
            return Err(err(
                f,
                pos,
                format!("conflicting values for trait `{name}`"),
            ))
        }
    }
    Ok(())
}

fn target_obj(id: String) -> Value {
    let mut m = Map::new();
    m.insert("target".into(), Value::String(id));
    Value::Object(m)
}

/// `.key` for plain keys, `["key"]` otherwise.
pub(crate) fn key_path(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        format!(".{key}")
    } else {
        format!("[{}]", Value::String(key.to_string()))
    }
}

struct Builder<'a> {
    file: &'a ParsedFile,
    spans: BTreeMap<String, Span>,
}

impl Builder<'_> {
    fn span(&mut self, path: String, pos: Pos) {
        let s = Span {
            file: Arc::clone(&self.file.file),
            line: pos.line,
            column: pos.col,
        };
        self.spans.insert(path, s);
    }

    fn span_if_absent(&mut self, path: String, pos: Pos) {
        if !self.spans.contains_key(&path) {
            self.span(path, pos);
        }
    }
}
