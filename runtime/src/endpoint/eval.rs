//! The evaluator: walks a parsed [`RuleSet`] with a set of parameter values.
//!
//! Values borrow from the parameters, the rule set and the partition table wherever
//! they can, so a typical resolution allocates little beyond the resulting endpoint.

use std::borrow::Cow;
use std::collections::HashMap;

use super::functions::{self, Arn, Url};
use super::partitions::Partitions;
use super::rules::{EndpointTemplate, Expr, Function, PathPart, Property, Rule, RuleSet, Template};
use super::rules::{ParameterType, TemplatePart};
use super::{Endpoint, EndpointError, ErrorKind, ParamValue, Params};
use crate::types::Document;

/// A value during evaluation. `'a` is how long what it borrows lives.
#[derive(Debug, Clone)]
enum Value<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i64),
    Array(Vec<Value<'a>>),
    Url(Cow<'a, Url>),
    Arn(Cow<'a, Arn>),
    /// An index into the evaluator's partitions.
    Partition(usize),
}

impl Value<'_> {
    /// The same value, borrowing what `self` owns.
    fn reborrow(&self) -> Value<'_> {
        match self {
            Value::Str(s) => Value::Str(Cow::Borrowed(s)),
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(i) => Value::Int(*i),
            Value::Array(items) => Value::Array(items.iter().map(Value::reborrow).collect()),
            Value::Url(u) => Value::Url(Cow::Borrowed(u)),
            Value::Arn(a) => Value::Arn(Cow::Borrowed(a)),
            Value::Partition(i) => Value::Partition(*i),
        }
    }

    /// The same value, owning everything (copies only what is borrowed).
    fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Url(u) => Value::Url(Cow::Owned(u.into_owned())),
            Value::Arn(a) => Value::Arn(Cow::Owned(a.into_owned())),
            Value::Partition(i) => Value::Partition(i),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Array(_) => "an array",
            Value::Url(_) => "a URL",
            Value::Arn(_) => "an ARN",
            Value::Partition(_) => "a partition",
        }
    }
}

/// A string field of a record that is either borrowed (so the field can be too) or owned
/// (so the field can be moved out).
fn field<'s, T: Clone>(
    record: Cow<'s, T>,
    get: impl Fn(&T) -> &String,
    take: impl FnOnce(T) -> String,
) -> Value<'s> {
    match record {
        Cow::Borrowed(r) => Value::Str(Cow::Borrowed(get(r).as_str())),
        Cow::Owned(r) => Value::Str(Cow::Owned(take(r))),
    }
}

fn eval_error(message: String) -> EndpointError {
    EndpointError::new(ErrorKind::Evaluation, message)
}

type Result<T> = std::result::Result<T, EndpointError>;

pub(crate) struct Evaluator<'a> {
    partitions: &'a Partitions,
    slots: Vec<Option<Value<'a>>>,
}

impl<'a> Evaluator<'a> {
    /// Binds the parameters (defaults applied, required and types checked).
    pub(crate) fn new(
        rules: &'a RuleSet,
        params: &'a Params,
        partitions: &'a Partitions,
    ) -> Result<Self> {
        let mut slots: Vec<Option<Value<'a>>> = Vec::with_capacity(rules.slots());
        for p in rules.parameters() {
            let value = params.get(p.name()).or(p.default());
            let value = match value {
                None if p.required() => {
                    return Err(EndpointError::new(
                        ErrorKind::MissingParameter,
                        format!("the required endpoint parameter `{}` is not set", p.name()),
                    ))
                }
                None => None,
                Some(v) => Some(match (p.kind(), v) {
                    (ParameterType::String, ParamValue::String(s)) => {
                        Value::Str(Cow::Borrowed(s.as_str()))
                    }
                    (ParameterType::Boolean, ParamValue::Bool(b)) => Value::Bool(*b),
                    (ParameterType::StringArray, ParamValue::StringArray(items)) => Value::Array(
                        items
                            .iter()
                            .map(|s| Value::Str(Cow::Borrowed(s.as_str())))
                            .collect(),
                    ),
                    (kind, v) => {
                        return Err(EndpointError::new(
                            ErrorKind::InvalidParameter,
                            format!(
                                "the endpoint parameter `{}` must be a {kind}, not a {}",
                                p.name(),
                                v.kind()
                            ),
                        ))
                    }
                }),
            };
            slots.push(value);
        }
        slots.resize_with(rules.slots(), || None);
        Ok(Evaluator { partitions, slots })
    }

    /// Evaluates `rules` in order: `Ok(None)` when none applies.
    pub(crate) fn rules(&mut self, rules: &'a [Rule]) -> Result<Option<Endpoint>> {
        for rule in rules {
            if !self.conditions(rule)? {
                continue;
            }
            return match rule {
                Rule::Endpoint { endpoint, .. } => self.endpoint(endpoint).map(Some),
                Rule::Error { message, .. } => {
                    let message = match self.eval(message)? {
                        Some(Value::Str(s)) => s.into_owned(),
                        Some(other) => {
                            return Err(eval_error(format!(
                                "an error rule's message is {}, not a string",
                                other.type_name()
                            )))
                        }
                        None => {
                            return Err(eval_error("an error rule's message is not set".into()))
                        }
                    };
                    Err(EndpointError::new(ErrorKind::Rule, message))
                }
                Rule::Tree { rules, .. } => match self.rules(rules)? {
                    Some(endpoint) => Ok(Some(endpoint)),
                    None => Err(EndpointError::new(
                        ErrorKind::NoMatch,
                        "no rule matched inside a tree rule whose conditions held".to_string(),
                    )),
                },
            };
        }
        Ok(None)
    }

    /// Whether all of a rule's conditions hold, assigning variables on the way.
    fn conditions(&mut self, rule: &'a Rule) -> Result<bool> {
        for condition in rule.conditions() {
            let value = self.eval(&condition.call)?;
            let holds = !matches!(value, None | Some(Value::Bool(false)));
            if !holds {
                return Ok(false);
            }
            if let Some(var) = &condition.assign {
                let owned = value.map(Value::into_owned);
                if let Some(slot) = self.slots.get_mut(var.slot()) {
                    *slot = owned;
                }
            }
        }
        Ok(true)
    }

    fn endpoint(&self, t: &'a EndpointTemplate) -> Result<Endpoint> {
        let url = self.string(&t.url, "the endpoint URL")?.into_owned();
        // The template's names are sorted and each there once (see `rules::endpoint`).
        let mut headers = Vec::with_capacity(t.headers.len());
        for (name, values) in &t.headers {
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                out.push(self.string(v, "a header value")?.into_owned());
            }
            headers.push((name.clone(), out));
        }
        let mut properties = Vec::with_capacity(t.properties.len());
        for (name, p) in &t.properties {
            properties.push((name.clone(), self.property(p)?));
        }
        Ok(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn property(&self, p: &Property) -> Result<Document> {
        Ok(match p {
            Property::String(t) => Document::String(self.template(t)?.into_owned()),
            Property::Bool(b) => Document::Bool(*b),
            Property::Number(n) => Document::Number(n.clone()),
            Property::Array(items) => Document::Array(
                items
                    .iter()
                    .map(|i| self.property(i))
                    .collect::<Result<_>>()?,
            ),
            Property::Object(fields) => {
                let mut map = HashMap::with_capacity(fields.len());
                for (k, v) in fields {
                    map.insert(k.clone(), self.property(v)?);
                }
                Document::Object(map)
            }
        })
    }

    /// Fills a template.
    fn template<'s>(&'s self, t: &'s Template) -> Result<Cow<'s, str>> {
        if let Some(text) = t.as_static() {
            return Ok(Cow::Borrowed(text));
        }
        if let [TemplatePart::Value(e)] = t.parts() {
            return self.string(e, "a template placeholder");
        }
        let mut out = String::new();
        for part in t.parts() {
            match part {
                TemplatePart::Text(text) => out.push_str(text),
                TemplatePart::Value(e) => out.push_str(&self.string(e, "a template placeholder")?),
            }
        }
        Ok(Cow::Owned(out))
    }

    /// Evaluates an expression that must give a string.
    fn string<'s>(&'s self, e: &'s Expr, what: &str) -> Result<Cow<'s, str>> {
        match self.eval(e)? {
            Some(Value::Str(s)) => Ok(s),
            Some(other) => Err(eval_error(format!(
                "{what} ({}) is {}, not a string",
                describe(e),
                other.type_name()
            ))),
            None => Err(eval_error(format!("{what} ({}) is not set", describe(e)))),
        }
    }

    fn arg<'s>(&'s self, f: Function, args: &'s [Expr], i: usize) -> Result<Value<'s>> {
        let Some(e) = args.get(i) else {
            return Err(eval_error(format!(
                "{} is missing argument {}",
                f.name(),
                i + 1
            )));
        };
        self.eval(e)?.ok_or_else(|| {
            eval_error(format!(
                "argument {} of {} ({}) is not set",
                i + 1,
                f.name(),
                describe(e)
            ))
        })
    }

    fn str_arg<'s>(&'s self, f: Function, args: &'s [Expr], i: usize) -> Result<Cow<'s, str>> {
        match self.arg(f, args, i)? {
            Value::Str(s) => Ok(s),
            other => Err(self.wrong_type(f, i, "a string", &other)),
        }
    }

    fn bool_arg(&self, f: Function, args: &[Expr], i: usize) -> Result<bool> {
        match self.arg(f, args, i)? {
            Value::Bool(b) => Ok(b),
            other => Err(self.wrong_type(f, i, "a boolean", &other)),
        }
    }

    fn int_arg(&self, f: Function, args: &[Expr], i: usize) -> Result<i64> {
        match self.arg(f, args, i)? {
            Value::Int(n) => Ok(n),
            other => Err(self.wrong_type(f, i, "an integer", &other)),
        }
    }

    fn wrong_type(
        &self,
        f: Function,
        i: usize,
        expected: &str,
        found: &Value<'_>,
    ) -> EndpointError {
        eval_error(format!(
            "argument {} of {} must be {expected}, not {}",
            i + 1,
            f.name(),
            found.type_name()
        ))
    }

    /// Evaluates an expression; `None` is the rules language's empty optional.
    fn eval<'s>(&'s self, e: &'s Expr) -> Result<Option<Value<'s>>> {
        Ok(Some(match e {
            Expr::String(t) => Value::Str(self.template(t)?),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Int(i) => Value::Int(*i),
            Expr::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match self.eval(item)? {
                        Some(v) => out.push(v),
                        None => return Err(eval_error("an array element is not set".into())),
                    }
                }
                Value::Array(out)
            }
            Expr::Ref(r) => match self.slots.get(r.slot()) {
                Some(Some(v)) => v.reborrow(),
                _ => return Ok(None),
            },
            Expr::GetAttr { target, path } => match self.eval(target)? {
                Some(v) => return self.get_attr(v, path),
                None => return Ok(None),
            },
            Expr::Call { function, args } => return self.call(*function, args),
        }))
    }

    fn get_attr<'s>(
        &'s self,
        mut value: Value<'s>,
        path: &[PathPart],
    ) -> Result<Option<Value<'s>>> {
        for part in path {
            value = match (part, value) {
                (PathPart::Index(i), Value::Array(mut items)) => {
                    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    let index = if *i < 0 { len + i } else { *i };
                    match usize::try_from(index) {
                        Ok(index) if index < items.len() => items.swap_remove(index),
                        _ => return Ok(None),
                    }
                }
                (PathPart::Key(key), Value::Url(url)) => match key.as_str() {
                    "scheme" => field(url, |u| &u.scheme, |u| u.scheme),
                    "authority" => field(url, |u| &u.authority, |u| u.authority),
                    "path" => field(url, |u| &u.path, |u| u.path),
                    "normalizedPath" => field(url, |u| &u.normalized_path, |u| u.normalized_path),
                    "isIp" => Value::Bool(url.is_ip),
                    _ => return Ok(None),
                },
                (PathPart::Key(key), Value::Arn(arn)) => match key.as_str() {
                    "partition" => field(arn, |a| &a.partition, |a| a.partition),
                    "service" => field(arn, |a| &a.service, |a| a.service),
                    "region" => field(arn, |a| &a.region, |a| a.region),
                    "accountId" => field(arn, |a| &a.account_id, |a| a.account_id),
                    "resourceId" => Value::Array(match arn {
                        Cow::Borrowed(a) => a
                            .resource_id
                            .iter()
                            .map(|s| Value::Str(Cow::Borrowed(s.as_str())))
                            .collect(),
                        Cow::Owned(a) => a
                            .resource_id
                            .into_iter()
                            .map(|s| Value::Str(Cow::Owned(s)))
                            .collect(),
                    }),
                    _ => return Ok(None),
                },
                (PathPart::Key(key), Value::Partition(i)) => {
                    let Some(p) = self.partitions.partitions().get(i) else {
                        return Ok(None);
                    };
                    let o = &p.outputs;
                    match key.as_str() {
                        "name" => Value::Str(Cow::Borrowed(&o.name)),
                        "dnsSuffix" => Value::Str(Cow::Borrowed(&o.dns_suffix)),
                        "dualStackDnsSuffix" => Value::Str(Cow::Borrowed(&o.dual_stack_dns_suffix)),
                        "supportsFIPS" => Value::Bool(o.supports_fips),
                        "supportsDualStack" => Value::Bool(o.supports_dual_stack),
                        "implicitGlobalRegion" => {
                            Value::Str(Cow::Borrowed(&o.implicit_global_region))
                        }
                        _ => return Ok(None),
                    }
                }
                (part, other) => {
                    let what = match part {
                        PathPart::Key(k) => format!("key `{k}`"),
                        PathPart::Index(i) => format!("index [{i}]"),
                    };
                    return Err(eval_error(format!(
                        "getAttr cannot read {what} of {}",
                        other.type_name()
                    )));
                }
            };
        }
        Ok(Some(value))
    }

    fn call<'s>(&'s self, f: Function, args: &'s [Expr]) -> Result<Option<Value<'s>>> {
        Ok(Some(match f {
            Function::IsSet => {
                let Some(e) = args.first() else {
                    return Err(eval_error("isSet needs an argument".into()));
                };
                Value::Bool(self.eval(e)?.is_some())
            }
            Function::Not => Value::Bool(!self.bool_arg(f, args, 0)?),
            Function::BooleanEquals => {
                Value::Bool(self.bool_arg(f, args, 0)? == self.bool_arg(f, args, 1)?)
            }
            Function::StringEquals => {
                Value::Bool(self.str_arg(f, args, 0)? == self.str_arg(f, args, 1)?)
            }
            Function::IsValidHostLabel => Value::Bool(functions::is_valid_host_label(
                &self.str_arg(f, args, 0)?,
                self.bool_arg(f, args, 1)?,
            )),
            Function::AwsIsVirtualHostableS3Bucket => {
                Value::Bool(functions::is_virtual_hostable_s3_bucket(
                    &self.str_arg(f, args, 0)?,
                    self.bool_arg(f, args, 1)?,
                ))
            }
            Function::ParseUrl => match functions::parse_url(&self.str_arg(f, args, 0)?) {
                Some(url) => Value::Url(Cow::Owned(url)),
                None => return Ok(None),
            },
            Function::AwsParseArn => match functions::parse_arn(&self.str_arg(f, args, 0)?) {
                Some(arn) => Value::Arn(Cow::Owned(arn)),
                None => return Ok(None),
            },
            Function::UriEncode => Value::Str(Cow::Owned(functions::uri_encode(
                &self.str_arg(f, args, 0)?,
            ))),
            Function::Substring => {
                let input = self.str_arg(f, args, 0)?;
                let start = self.int_arg(f, args, 1)?;
                let stop = self.int_arg(f, args, 2)?;
                let reverse = self.bool_arg(f, args, 3)?;
                match input {
                    Cow::Borrowed(s) => match functions::substring(s, start, stop, reverse) {
                        Some(sub) => Value::Str(Cow::Borrowed(sub)),
                        None => return Ok(None),
                    },
                    Cow::Owned(s) => match functions::substring(&s, start, stop, reverse) {
                        Some(sub) => Value::Str(Cow::Owned(sub.to_string())),
                        None => return Ok(None),
                    },
                }
            }
            Function::Split => {
                let input = self.str_arg(f, args, 0)?;
                let delimiter = self.str_arg(f, args, 1)?;
                let limit = self.int_arg(f, args, 2)?;
                let Some(parts) = functions::split(&input, &delimiter, limit) else {
                    return Err(eval_error(format!(
                        "split needs a non-empty delimiter and a limit of 0 or more, not {delimiter:?} and {limit}"
                    )));
                };
                Value::Array(
                    parts
                        .into_iter()
                        .map(|p| Value::Str(Cow::Owned(p.to_string())))
                        .collect(),
                )
            }
            Function::Ite => {
                let branch = if self.bool_arg(f, args, 0)? { 1 } else { 2 };
                return match args.get(branch) {
                    Some(e) => self.eval(e),
                    None => Err(eval_error("ite needs three arguments".into())),
                };
            }
            Function::Coalesce => {
                for e in args {
                    if let Some(v) = self.eval(e)? {
                        return Ok(Some(v));
                    }
                }
                return Ok(None);
            }
            Function::AwsPartition => {
                let region = self.str_arg(f, args, 0)?;
                match self.partitions.find_index(&region) {
                    Some(i) => Value::Partition(i),
                    None => return Ok(None),
                }
            }
        }))
    }
}

/// A short description of an expression for error messages.
fn describe(e: &Expr) -> String {
    match e {
        Expr::Ref(r) => format!("`{}`", r.name()),
        Expr::GetAttr { target, path } => {
            let mut out = describe(target);
            for p in path {
                match p {
                    PathPart::Key(k) => {
                        out.push('.');
                        out.push_str(k);
                    }
                    PathPart::Index(i) => out.push_str(&format!("[{i}]")),
                }
            }
            out
        }
        Expr::Call { function, .. } => format!("{}(...)", function.name()),
        Expr::String(_) => "a template".to_string(),
        Expr::Bool(b) => b.to_string(),
        Expr::Int(i) => i.to_string(),
        Expr::Array(_) => "an array".to_string(),
    }
}
