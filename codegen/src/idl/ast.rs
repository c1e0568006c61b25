//! The syntax tree of one IDL file, before shape ids are resolved.

use super::lexer::{Num, Pos};

/// A node value as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

/// The kinds of node value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Number(Num),
    /// A quoted string or text block.
    Str(String),
    /// An unquoted shape id (resolved against the model).
    Id(String),
    Array(Vec<Node>),
    /// Keys with their positions, in source order.
    Object(Vec<(String, Pos, Node)>),
}

/// An applied trait.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TraitApp {
    /// The trait's shape id as written.
    pub name: String,
    pub pos: Pos,
    /// `None` for an annotation (`@foo` or `@foo()`), coerced by the trait's type.
    pub value: Option<Node>,
}

/// A `///` documentation block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Doc {
    pub text: String,
    pub pos: Pos,
}

/// A member of a structure, union, enum, intEnum, list or map.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MemberDef {
    pub name: String,
    pub pos: Pos,
    /// The target as written; `None` when elided (`$name`).
    pub target: Option<(String, Pos)>,
    pub traits: Vec<TraitApp>,
    pub doc: Option<Doc>,
    /// `= value`: a default, or an enum value.
    pub value: Option<Node>,
}

/// A property of a service, resource or operation body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prop {
    pub key: String,
    pub pos: Pos,
    pub value: PropValue,
}

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PropValue {
    Node(Node),
    /// `input := ...` / `output := ...`: the name of the inline structure defined
    /// in the same file.
    Inline(String),
}

/// A shape statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShapeDef {
    pub name: String,
    pub pos: Pos,
    /// The shape type keyword (`structure`, `set`, `intEnum`, ...).
    pub kind: String,
    pub traits: Vec<TraitApp>,
    pub doc: Option<Doc>,
    pub mixins: Vec<(String, Pos)>,
    pub for_resource: Option<(String, Pos)>,
    pub members: Vec<MemberDef>,
    pub props: Vec<Prop>,
    /// Whether a member block `{ ... }` was written (lists, maps, aggregates).
    pub has_body: bool,
}

/// An `apply` statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApplyDef {
    pub target: String,
    pub pos: Pos,
    pub traits: Vec<TraitApp>,
}

/// A `metadata` statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MetaDef {
    pub key: String,
    pub pos: Pos,
    pub value: Node,
}
