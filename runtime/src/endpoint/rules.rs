//! The data model of an endpoint rule set; its reader from the JSON value of a
//! `smithy.rules#endpointRuleSet` trait (`json`, with the `endpoint-json` feature); and
//! the compact form a generated client carries its rule set in (`compact`).
//!
//! Reading the JSON resolves every reference to a parameter or variable once, so
//! evaluation never looks a name up; it also checks function names, argument counts,
//! templates and `getAttr` paths, and reports where a malformed rule set goes wrong.
//! The generator does that when it reads a model, and writes the checked rule set into
//! the client in the compact form, which a client reads with a much smaller reader
//! than the JSON one (it is most of the endpoint code a client would otherwise build).

use crate::types::Number;
use std::fmt;

use super::ParamValue;

/// A rule set that cannot be used, with where in its JSON the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetError {
    path: String,
    message: String,
}

impl RuleSetError {
    fn new(path: &str, message: impl Into<String>) -> Self {
        RuleSetError {
            path: path.to_string(),
            message: message.into(),
        }
    }

    /// Where the problem is, as a path into the rule set (`rules[2].conditions[0].argv[1]`);
    /// empty for the top level.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid endpoint rule set: {}", self.message)
        } else {
            write!(
                f,
                "invalid endpoint rule set at {}: {}",
                self.path, self.message
            )
        }
    }
}

impl std::error::Error for RuleSetError {}

type Result<T> = std::result::Result<T, RuleSetError>;

/// The type of a rule set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `stringArray`.
    StringArray,
}

impl ParameterType {
    /// The name the rules language uses (`string`, `boolean`, `stringArray`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterType::String => "string",
            ParameterType::Boolean => "boolean",
            ParameterType::StringArray => "stringArray",
        }
    }
}

impl fmt::Display for ParameterType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A deprecation notice on a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecated {
    /// What to do instead.
    pub message: Option<String>,
    /// When it was deprecated.
    pub since: Option<String>,
}

/// A rule set parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    name: String,
    kind: ParameterType,
    built_in: Option<String>,
    required: bool,
    default: Option<ParamValue>,
    documentation: Option<String>,
    deprecated: Option<Deprecated>,
}

impl Parameter {
    /// The parameter's name, as rules and callers refer to it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its type.
    pub fn kind(&self) -> ParameterType {
        self.kind
    }

    /// The built-in it is bound to (`AWS::Region`, `SDK::Endpoint`, ...), if any.
    pub fn built_in(&self) -> Option<&str> {
        self.built_in.as_deref()
    }

    /// Whether a value must be present (after the default is applied).
    pub fn required(&self) -> bool {
        self.required
    }

    /// The value used when the caller gives none.
    pub fn default(&self) -> Option<&ParamValue> {
        self.default.as_ref()
    }

    /// The parameter's documentation.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// The deprecation notice, if the parameter is deprecated.
    pub fn deprecated(&self) -> Option<&Deprecated> {
        self.deprecated.as_ref()
    }
}

/// A parsed rule set, ready to evaluate with [`resolve`](super::resolve).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    version: String,
    parameters: Vec<Parameter>,
    rules: Vec<Rule>,
    slots: usize,
}

impl RuleSet {
    /// The rules engine version the rule set declares (`1.0`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The parameters, sorted by name.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The parameter bound to the built-in `built_in` (`AWS::Region`).
    pub fn parameter_for_built_in(&self, built_in: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.built_in.as_deref() == Some(built_in))
    }

    /// The top-level rules, in evaluation order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// How many value slots evaluation needs (parameters plus the deepest nesting of
    /// assigned variables).
    pub(crate) fn slots(&self) -> usize {
        self.slots
    }
}

/// A rule: its conditions, and what it yields when they all hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Yields an endpoint.
    Endpoint {
        /// Conditions that must all hold, in order.
        conditions: Vec<Condition>,
        /// The endpoint.
        endpoint: EndpointTemplate,
        /// The rule's documentation.
        documentation: Option<String>,
    },
    /// Fails resolution with a message.
    Error {
        /// Conditions that must all hold, in order.
        conditions: Vec<Condition>,
        /// The error message (usually a template).
        message: Expr,
        /// The rule's documentation.
        documentation: Option<String>,
    },
    /// Evaluates nested rules; if none of them applies, resolution fails.
    Tree {
        /// Conditions that must all hold, in order.
        conditions: Vec<Condition>,
        /// The nested rules.
        rules: Vec<Rule>,
        /// The rule's documentation.
        documentation: Option<String>,
    },
}

impl Rule {
    /// The rule's conditions.
    pub fn conditions(&self) -> &[Condition] {
        match self {
            Rule::Endpoint { conditions, .. }
            | Rule::Error { conditions, .. }
            | Rule::Tree { conditions, .. } => conditions,
        }
    }
}

/// The endpoint an endpoint rule yields, before its templates are filled.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointTemplate {
    /// The URL.
    pub url: Expr,
    /// Header names and their values.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Endpoint properties (`authSchemes`, ...).
    pub properties: Vec<(String, Property)>,
}

/// A value inside endpoint `properties`: JSON whose strings are templates.
#[derive(Debug, Clone, PartialEq)]
pub enum Property {
    /// A string, which may be a template.
    String(Template),
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(Number),
    /// An array.
    Array(Vec<Property>),
    /// An object.
    Object(Vec<(String, Property)>),
}

/// A condition: a function call whose result must be set and not `false`, optionally
/// bound to a variable for later conditions and the rule's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The function call.
    pub call: Expr,
    /// The variable the result is assigned to.
    pub assign: Option<Reference>,
}

/// A named parameter or variable, resolved to where its value lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    name: String,
    slot: usize,
}

impl Reference {
    /// The parameter or variable name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn slot(&self) -> usize {
        self.slot
    }
}

/// A library function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Function {
    /// `booleanEquals(bool, bool)`.
    BooleanEquals,
    /// `stringEquals(string, string)`.
    StringEquals,
    /// `isSet(option)`.
    IsSet,
    /// `not(bool)`.
    Not,
    /// `isValidHostLabel(string, bool)`.
    IsValidHostLabel,
    /// `parseURL(string)`.
    ParseUrl,
    /// `substring(string, int, int, bool)`.
    Substring,
    /// `uriEncode(string)`.
    UriEncode,
    /// `split(string, string, int)` (1.1).
    Split,
    /// `ite(bool, T, T)` (1.1).
    Ite,
    /// `coalesce(T, T, ...)` (1.1).
    Coalesce,
    /// `aws.partition(string)`.
    AwsPartition,
    /// `aws.parseArn(string)`.
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket(string, bool)`.
    AwsIsVirtualHostableS3Bucket,
}

impl Function {
    /// The function for a name of the rules language.
    pub fn from_name(name: &str) -> Option<Function> {
        Some(match name {
            "booleanEquals" => Function::BooleanEquals,
            "stringEquals" => Function::StringEquals,
            "isSet" => Function::IsSet,
            "not" => Function::Not,
            "isValidHostLabel" => Function::IsValidHostLabel,
            "parseURL" => Function::ParseUrl,
            "substring" => Function::Substring,
            "uriEncode" => Function::UriEncode,
            "split" => Function::Split,
            "ite" => Function::Ite,
            "coalesce" => Function::Coalesce,
            "aws.partition" => Function::AwsPartition,
            "aws.parseArn" => Function::AwsParseArn,
            "aws.isVirtualHostableS3Bucket" => Function::AwsIsVirtualHostableS3Bucket,
            _ => return None,
        })
    }

    /// The function's name in the rules language.
    pub fn name(self) -> &'static str {
        match self {
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::ParseUrl => "parseURL",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::Split => "split",
            Function::Ite => "ite",
            Function::Coalesce => "coalesce",
            Function::AwsPartition => "aws.partition",
            Function::AwsParseArn => "aws.parseArn",
            Function::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
        }
    }

    /// How many arguments it takes: (minimum, maximum).
    fn arity(self) -> (usize, usize) {
        match self {
            Function::IsSet
            | Function::Not
            | Function::ParseUrl
            | Function::UriEncode
            | Function::AwsPartition
            | Function::AwsParseArn => (1, 1),
            Function::BooleanEquals
            | Function::StringEquals
            | Function::IsValidHostLabel
            | Function::AwsIsVirtualHostableS3Bucket => (2, 2),
            Function::Split | Function::Ite => (3, 3),
            Function::Substring => (4, 4),
            Function::Coalesce => (2, usize::MAX),
        }
    }
}

/// One step of a `getAttr` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// A field of a record (`scheme`).
    Key(String),
    /// An array element; negative counts from the end (`[0]`, `[-1]`).
    Index(i64),
}

/// An expression: a literal, a reference, or a function call.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A string, possibly a template.
    String(Template),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array of expressions.
    Array(Vec<Expr>),
    /// A parameter or variable.
    Ref(Reference),
    /// `getAttr(target, path)`, also written `{target#path}` in templates.
    GetAttr {
        /// The record or array to read.
        target: Box<Expr>,
        /// The path to the value.
        path: Vec<PathPart>,
    },
    /// Any other function call.
    Call {
        /// The function.
        function: Function,
        /// Its arguments.
        args: Vec<Expr>,
    },
}

/// A string with `{name}` / `{name#path}` placeholders (`{{` and `}}` stand for braces).
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<TemplatePart>,
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Text copied as is.
    Text(String),
    /// A placeholder: a reference or a `getAttr`.
    Value(Expr),
}

impl Template {
    /// The pieces, in order.
    pub fn parts(&self) -> &[TemplatePart] {
        &self.parts
    }

    /// The text, when the template has no placeholder.
    pub fn as_static(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [TemplatePart::Text(t)] => Some(t),
            _ => None,
        }
    }
}

mod compact;
#[cfg(feature = "endpoint-json")]
mod json;
