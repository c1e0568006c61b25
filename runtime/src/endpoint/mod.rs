//! Endpoint resolution with the Smithy rules engine
//! (<https://smithy.io/2.0/additional-specs/rules-engine/>).
//!
//! A service's `smithy.rules#endpointRuleSet` trait is parsed once into a [`RuleSet`];
//! each request then calls [`resolve`] with the endpoint [`Params`] (region, FIPS,
//! dual-stack, a custom endpoint, ...) and gets an [`Endpoint`] or the rule set's error.
//!
//! ```
//! use smithy_runtime::endpoint::{resolve, Params, RuleSet};
//!
//! let rules = RuleSet::from_json(r#"{
//!     "version": "1.0",
//!     "parameters": {"Region": {"type": "string", "required": true, "documentation": "The region."}},
//!     "rules": [
//!         {"type": "endpoint",
//!          "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
//!          "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}"}},
//!         {"type": "error", "conditions": [], "error": "no partition"}
//!     ]
//! }"#).unwrap();
//! let endpoint = resolve(&rules, &Params::new().with("Region", "eu-west-1")).unwrap();
//! assert_eq!(endpoint.url, "https://svc.eu-west-1.amazonaws.com");
//! ```
//!
//! Supported: rules engine versions 1.0 and 1.1 (`endpointRuleSet`), every standard
//! library function (`booleanEquals`, `stringEquals`, `isSet`, `not`, `getAttr`,
//! `isValidHostLabel`, `parseURL`, `substring`, `uriEncode`, and 1.1's `split`, `ite`,
//! `coalesce`) and the AWS functions (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`). The `endpointBdd` trait is not supported.

mod eval;
pub mod functions;
pub mod partitions;
pub mod rules;

use std::fmt;

use crate::types::Document;

pub use partitions::Partitions;
pub use rules::{Parameter, ParameterType, RuleSet, RuleSetError};

/// A parameter value given to [`resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// For a `string` parameter.
    String(String),
    /// For a `boolean` parameter.
    Bool(bool),
    /// For a `stringArray` parameter.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The parameter type this value fits.
    pub fn kind(&self) -> ParameterType {
        match self {
            ParamValue::String(_) => ParameterType::String,
            ParamValue::Bool(_) => ParameterType::Boolean,
            ParamValue::StringArray(_) => ParameterType::StringArray,
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_string())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(v: Vec<String>) -> Self {
        ParamValue::StringArray(v)
    }
}

impl From<&[&str]> for ParamValue {
    fn from(v: &[&str]) -> Self {
        ParamValue::StringArray(v.iter().map(|s| (*s).to_string()).collect())
    }
}

/// The values of endpoint parameters, by parameter name. Names the rule set does not
/// declare are ignored, so one set of built-ins can serve every service.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Params {
    values: Vec<(String, ParamValue)>,
}

impl Params {
    /// No values.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets `name` to `value`, replacing an earlier value.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> &mut Self {
        crate::types::set_by_name(&mut self.values, name.into(), value.into());
        self
    }

    /// Sets `name` to `value` (builder style).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.set(name, value);
        self
    }

    /// Removes the value of `name`, returning it.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        let i = self.values.iter().position(|(n, _)| n == name)?;
        Some(self.values.remove(i).1)
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        crate::types::by_name(&self.values, name)
    }

    /// All values, in the order they were first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.values.iter().map(|(n, v)| (n.as_str(), v))
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Endpoint {
    /// The URL requests go to (`https://dynamodb.us-east-1.amazonaws.com`).
    pub url: String,
    /// Headers to add to requests, by name: sorted, each name once.
    pub headers: Vec<(String, Vec<String>)>,
    /// Endpoint properties, such as `authSchemes` (signing name and region overrides),
    /// by name: sorted, each name once.
    pub properties: Vec<(String, Document)>,
}

impl Endpoint {
    /// The values of header `name`.
    pub fn header(&self, name: &str) -> Option<&[String]> {
        crate::types::by_name(&self.headers, name).map(Vec::as_slice)
    }

    /// Property `name`.
    pub fn property(&self, name: &str) -> Option<&Document> {
        crate::types::by_name(&self.properties, name)
    }
}

/// Why an endpoint could not be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An error rule of the rule set applied; the message is the rule's.
    Rule,
    /// A required parameter has no value and no default.
    MissingParameter,
    /// A parameter value has the wrong type.
    InvalidParameter,
    /// No rule applied (the rules, or those of a tree rule, ran out).
    NoMatch,
    /// The rule set did something it may not (a type error, an unset value where one is
    /// needed): a bug in the rule set.
    Evaluation,
}

/// Why an endpoint could not be resolved, with a message for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    kind: ErrorKind,
    message: String,
}

impl EndpointError {
    pub(crate) fn new(kind: ErrorKind, message: String) -> Self {
        EndpointError { kind, message }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message: for [`ErrorKind::Rule`], exactly the rule set's error text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Rule => f.write_str(&self.message),
            _ => write!(f, "endpoint resolution failed: {}", self.message),
        }
    }
}

impl std::error::Error for EndpointError {}

/// Resolves the endpoint for `params` with the built-in AWS partitions.
pub fn resolve(rules: &RuleSet, params: &Params) -> Result<Endpoint, EndpointError> {
    resolve_with(rules, params, Partitions::aws())
}

/// Resolves the endpoint for `params`, with `partitions` for `aws.partition`.
pub fn resolve_with(
    rules: &RuleSet,
    params: &Params,
    partitions: &Partitions,
) -> Result<Endpoint, EndpointError> {
    let mut evaluator = eval::Evaluator::new(rules, params, partitions)?;
    match evaluator.rules(rules.rules())? {
        Some(endpoint) => Ok(endpoint),
        None => Err(EndpointError::new(
            ErrorKind::NoMatch,
            "no endpoint rule matched the parameters".to_string(),
        )),
    }
}
