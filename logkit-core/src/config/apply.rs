//! Building a configuration completely, then installing it in one swap.
//!
//! Both front ends (`file_config`, `dict_config`) translate their input into a [`Plan`].
//! [`install`] builds every formatter, filter and handler and checks every reference
//! before it touches the logger tree; then, under the tree's writer lock, it computes the
//! new configuration of every logger and publishes it as one snapshot. An error at any step
//! before the swap leaves the running configuration exactly as it was. Handlers that the
//! new configuration no longer uses are flushed and closed after the swap.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::ClassArgs;
use super::classes::{build_filter, build_formatter, build_handler};
use super::env::EnvLevels;
use crate::error::{Error, ErrorKind};
use crate::filter::FilterRef;
use crate::format::FormatRef;
use crate::handler::{self, HandlerRef, report_error};
use crate::level::Level;
use crate::logger::tree::registry;

/// Where something is written, for error messages: `app.ini:14: [handler_console] level`
/// or `app.json: handlers.console.level`.
pub(crate) type Where = String;

/// A reference to another entry (a handler's formatter, a logger's handlers) and where it
/// is written.
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub(crate) id: String,
    pub(crate) at: Where,
}

/// A formatter or filter to build.
#[derive(Debug)]
pub(crate) struct ObjectPlan {
    pub(crate) id: String,
    pub(crate) at: Where,
    pub(crate) args: ClassArgs,
}

/// A handler to build.
#[derive(Debug)]
pub(crate) struct HandlerPlan {
    pub(crate) id: String,
    pub(crate) at: Where,
    pub(crate) args: ClassArgs,
    pub(crate) level: Option<Level>,
    pub(crate) formatter: Option<Ref>,
    pub(crate) filters: Vec<Ref>,
    /// Parameters naming other handlers (a `MemoryHandler`'s `target`), built first.
    pub(crate) targets: Vec<(&'static str, Vec<Ref>)>,
}

/// What to do to one logger. `None` leaves that part as it is.
#[derive(Debug, Default)]
pub(crate) struct LoggerPlan {
    pub(crate) level: Option<Level>,
    pub(crate) handlers: Option<Vec<Ref>>,
    pub(crate) filters: Option<Vec<Ref>>,
    pub(crate) propagate: Option<bool>,
}

/// A whole configuration, read but not built.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) formatters: Vec<ObjectPlan>,
    pub(crate) filters: Vec<ObjectPlan>,
    pub(crate) handlers: Vec<HandlerPlan>,
    pub(crate) root: Option<LoggerPlan>,
    /// Named loggers in the order given.
    pub(crate) loggers: Vec<(String, LoggerPlan)>,
    pub(crate) disable_existing: bool,
    /// dictConfig's `incremental`: only levels and propagate change.
    pub(crate) incremental: bool,
    /// What the references are checked against, for messages (`[formatters] keys`).
    pub(crate) formatter_list: &'static str,
    pub(crate) filter_list: &'static str,
    pub(crate) handler_list: &'static str,
}

fn at_error(at: &str, err: Error) -> Error {
    Error::new(ErrorKind::Config, at.to_owned()).with_source(err)
}

fn missing(r: &Ref, what: &str, list: &str) -> Error {
    Error::new(
        ErrorKind::Config,
        format!("{}: {what} '{}' is not defined in {list}", r.at, r.id),
    )
}

fn resolve<T: Clone>(
    map: &BTreeMap<String, T>,
    r: &Ref,
    what: &str,
    list: &str,
) -> Result<T, Error> {
    map.get(&r.id)
        .cloned()
        .ok_or_else(|| missing(r, what, list))
}

/// The handlers reordered so that each comes after the handlers it names (a
/// `MemoryHandler`'s target), otherwise in the order given.
///
/// # Errors
///
/// A handler naming one that is not in the configuration, or handlers naming each other in
/// a circle.
fn in_dependency_order(
    mut pending: Vec<HandlerPlan>,
    list: &str,
) -> Result<Vec<HandlerPlan>, Error> {
    let ids: Vec<String> = pending.iter().map(|h| h.id.clone()).collect();
    for h in &pending {
        for r in h.targets.iter().flat_map(|(_, refs)| refs) {
            if !ids.contains(&r.id) {
                return Err(missing(r, "handler", list));
            }
        }
    }
    let mut ordered: Vec<HandlerPlan> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending.iter().position(|h| {
            h.targets
                .iter()
                .flat_map(|(_, refs)| refs)
                .all(|r| ordered.iter().any(|o| o.id == r.id))
        });
        let Some(at) = ready else {
            let h = &pending[0];
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{}: handlers that name each other in a circle: {}",
                    h.at,
                    pending
                        .iter()
                        .map(|h| h.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        ordered.push(pending.remove(at));
    }
    Ok(ordered)
}

/// Builds everything `plan` names, then swaps it in. On error nothing has changed.
pub(crate) fn install(plan: Plan) -> Result<(), Error> {
    let env = EnvLevels::from_env_reported();
    if plan.incremental {
        return install_incremental(plan, &env);
    }
    let mut formatters: BTreeMap<String, FormatRef> = BTreeMap::new();
    for f in plan.formatters {
        let built = build_formatter(f.args).map_err(|e| at_error(&f.at, e))?;
        formatters.insert(f.id, built);
    }
    let mut filters: BTreeMap<String, FilterRef> = BTreeMap::new();
    for f in plan.filters {
        let built = build_filter(f.args).map_err(|e| at_error(&f.at, e))?;
        filters.insert(f.id, built);
    }
    let mut handlers: BTreeMap<String, HandlerRef> = BTreeMap::new();
    let mut new_handlers: Vec<HandlerRef> = Vec::new();
    for h in in_dependency_order(plan.handlers, plan.handler_list)? {
        // References are checked before the handler is built (it may open a file).
        let formatter = h
            .formatter
            .as_ref()
            .map(|r| resolve(&formatters, r, "formatter", plan.formatter_list))
            .transpose()?;
        let handler_filters = h
            .filters
            .iter()
            .map(|r| resolve(&filters, r, "filter", plan.filter_list))
            .collect::<Result<Vec<_>, _>>()?;
        let mut args = h.args;
        for (param, refs) in &h.targets {
            let targets = refs
                .iter()
                .map(|r| resolve(&handlers, r, "handler", plan.handler_list))
                .collect::<Result<Vec<_>, _>>()?;
            args = args.handlers(param, targets);
        }
        let built = build_handler(args).map_err(|e| at_error(&h.at, e))?;
        built.set_name(&h.id);
        if let Some(level) = h.level {
            built.set_level(level);
        }
        if let Some(f) = formatter {
            built.core().set_formatter(f);
        }
        for f in handler_filters {
            built.core().add_filter(f);
        }
        new_handlers.push(built.clone());
        handlers.insert(h.id, built);
    }
    // Resolve every logger's references before anything is swapped.
    let resolve_logger = |p: &LoggerPlan| -> Result<Resolved, Error> {
        Ok(Resolved {
            level: p.level,
            propagate: p.propagate,
            handlers: p
                .handlers
                .as_ref()
                .map(|refs| {
                    refs.iter()
                        .map(|r| resolve(&handlers, r, "handler", plan.handler_list))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?,
            filters: p
                .filters
                .as_ref()
                .map(|refs| {
                    refs.iter()
                        .map(|r| resolve(&filters, r, "filter", plan.filter_list))
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?,
        })
    };
    let root = plan.root.as_ref().map(resolve_logger).transpose()?;
    let loggers = plan
        .loggers
        .iter()
        .map(|(name, p)| Ok((name.clone(), resolve_logger(p)?)))
        .collect::<Result<Vec<_>, Error>>()?;

    // Everything is built: swap it in.
    for h in &new_handlers {
        handler::register(h);
    }
    let old_handlers = all_attached_handlers();
    {
        let mut reg = registry();
        let existing: Vec<(usize, &str)> = reg.nodes().skip(1).map(|n| (n.id, &*n.name)).collect();
        let mut targets: Vec<(usize, &Resolved, bool)> = Vec::new();
        if let Some(r) = &root {
            targets.push((0, r, true));
        }
        for (name, r) in &loggers {
            let id = if name.is_empty() || name == "root" {
                0
            } else {
                reg.get_or_create(name).id
            };
            targets.push((id, r, id != 0));
        }
        let env_ids = env.node_ids(&mut reg);
        let mut draft = reg.draft();
        let configured: Vec<&str> = loggers
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !n.is_empty() && *n != "root")
            .collect();
        for &(id, name) in &existing {
            if configured.contains(&name) {
                continue;
            }
            let is_descendant = configured.iter().any(|q| {
                name.strip_prefix(q)
                    .is_some_and(|rest| rest.starts_with('.'))
            });
            draft.update(id, |c| {
                if is_descendant {
                    c.level = Level::NOTSET;
                    c.handlers = Arc::from([]);
                    c.propagate = true;
                } else {
                    c.disabled = plan.disable_existing;
                }
            });
        }
        for (id, r, enable) in targets {
            draft.update(id, |c| {
                if let Some(level) = r.level {
                    c.level = level;
                }
                c.handlers = r.handlers.clone().unwrap_or_default().into();
                if let Some(filters) = &r.filters {
                    c.filters = filters.clone().into();
                }
                if let Some(p) = r.propagate {
                    c.propagate = p;
                }
                if enable {
                    c.disabled = false;
                }
            });
        }
        env.apply(&mut draft, &env_ids);
        reg.publish(draft);
    }
    close_unused(old_handlers);
    Ok(())
}

struct Resolved {
    level: Option<Level>,
    propagate: Option<bool>,
    handlers: Option<Vec<HandlerRef>>,
    filters: Option<Vec<FilterRef>>,
}

/// dictConfig with `incremental: true`: handler levels, logger levels and propagate.
fn install_incremental(plan: Plan, env: &EnvLevels) -> Result<(), Error> {
    let live = handler::registered_newest_first();
    let mut changes: Vec<(HandlerRef, Level)> = Vec::new();
    for h in &plan.handlers {
        let found = live
            .iter()
            .find(|x| x.name().as_deref() == Some(h.id.as_str()))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!("{}: No handler found with name '{}'", h.at, h.id),
                )
            })?;
        if let Some(level) = h.level {
            changes.push((found.clone(), level));
        }
    }
    for (h, level) in changes {
        h.set_level(level);
    }
    let mut reg = registry();
    let mut ids = Vec::new();
    for (name, p) in &plan.loggers {
        let id = if name.is_empty() {
            0
        } else {
            reg.get_or_create(name).id
        };
        ids.push((id, p));
    }
    let env_ids = env.node_ids(&mut reg);
    let mut draft = reg.draft();
    let root = plan.root.as_ref().map(|p| (0, p));
    for (id, p) in ids.into_iter().chain(root) {
        draft.update(id, |c| {
            if let Some(level) = p.level {
                c.level = level;
            }
            if let Some(propagate) = p.propagate {
                c.propagate = propagate;
            }
            if id != 0 {
                c.disabled = false;
            }
        });
    }
    env.apply(&mut draft, &env_ids);
    reg.publish(draft);
    Ok(())
}

/// Every handler attached to some logger now.
fn all_attached_handlers() -> Vec<HandlerRef> {
    let _reg = registry();
    let current = crate::logger::tree::CURRENT.load_full();
    let mut out: Vec<HandlerRef> = Vec::new();
    for c in current.iter().flat_map(|c| c.loggers.iter()) {
        for h in c.handlers.iter() {
            if !out.iter().any(|x| Arc::ptr_eq(x, h)) {
                out.push(h.clone());
            }
        }
    }
    out
}

/// Flushes and closes the handlers of `old` that no logger uses any more, once no other
/// thread is still handing a record to one of them (a record dispatched with the
/// configuration before the swap is written, not dropped by a closed handler).
fn close_unused(old: Vec<HandlerRef>) {
    let now = all_attached_handlers();
    if old.iter().all(|h| now.iter().any(|x| Arc::ptr_eq(x, h))) {
        return;
    }
    crate::logger::wait_for_readers();
    for h in old {
        if now.iter().any(|x| Arc::ptr_eq(x, &h)) {
            continue;
        }
        if let Err(e) = h.flush().and_then(|()| h.close()) {
            report_error(&*h, None, &e);
        }
    }
}
